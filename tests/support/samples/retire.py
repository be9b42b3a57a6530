"""Sample contexts for retiring and restoring coops and products (cli/catalog_* and the
errors coop_retired / product_retired), built the way the commands build them."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.catalog.reads import RetiredEntry
from storage.catalog.retirement import Switched

_RETIRED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
_SWITCHED = Switched(switched=("GLP-50", "MNY-2L"), already=("BRS-SPHP50",))

SAMPLES: dict[str, dict[str, object]] = {
    "cli/catalog_retired": {
        "kind": "coops",
        "switched": _SWITCHED.switched,
        "already": _SWITCHED.already,
    },
    "cli/catalog_restored": {
        "kind": "products",
        "switched": _SWITCHED.switched,
        "already": _SWITCHED.already,
    },
    "cli/catalog_retired_list": {
        "kind": "products",
        "entries": [
            RetiredEntry("GLP-50", "Gula pasir 50 kg", _RETIRED_AT),
            RetiredEntry("MNY-2L", "Minyak goreng 2 L", _RETIRED_AT),
        ],
    },
}
