"""Sample contexts for a catalog file sent in the admin's chat (`handlers.admin.catalog_upload`),
built the way the handler builds them; names carry `<` and `&` to prove the escaping."""

from __future__ import annotations

from storage.catalog.loading import ImportCounts

_FILE: dict[str, object] = {"file": "produk <Desember> & baru.csv"}

SAMPLES: dict[str, dict[str, object]] = {
    "admin_catalog_imported": {
        "file": "katalog.xlsx",
        "counts": ImportCounts(2, 18, 0, 4, 1, 24),
    },
    "errors/upload_not_admin": {**_FILE, "treasurer": True, "round_open": True},
    "errors/upload_in_group": _FILE,
    "errors/upload_unavailable": _FILE,
    "errors/upload_wrong_type": {"file": "katalog.xls", "suffix": ".xls"},
    "errors/upload_unknown_kind": {"file": "data & harga.csv"},
    "errors/upload_too_big": {**_FILE, "limit_mb": 2},
}
