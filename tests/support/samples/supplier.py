"""Sample contexts for supplier reps: their invite (chat and command line), joining, the
polite refusal when they try to order, their list in `/pengurus`, and an ambiguous code.

Built the way `handlers.admin.people` and `handlers.treasurer.join` build them."""

from __future__ import annotations

from purchasing.model import Invite, Rep, RepRole
from tests.support.builders import NOW, make_coop, make_round, make_supplier
from usecases.people import InviteMade

_BULOG = make_supplier("BULOG", "Perum Bulog <Kanwil Jabar>", "022-0000-0201")
_INDOFOOD = make_supplier("INDOFOOD", "PT Indofood & Co")
_INVITE = Invite("q3Xk_9fA-2LmPz0w", "BULOG", 1, 0, None, "telegram:9001", NOW, RepRole.SUPPLIER)
_LINKS = {
    "telegram": "https://t.me/BelanjaBarengBot?start=q3Xk_9fA-2LmPz0w",
    "whatsapp": "https://wa.me/6281234567890?text=/start%20q3Xk_9fA-2LmPz0w",
}
_CREATED = InviteMade(_BULOG, _INVITE).context(_LINKS)

SAMPLES: dict[str, dict[str, object]] = {
    "admin_invite_created_supplier": _CREATED,
    "cli/invite_created_supplier": InviteMade(_BULOG, _INVITE).context({}),
    # A coop's treasurer who joined with Bulog's invite (a supplier's own rep has no coops).
    "join_supplier_done": {
        "supplier": _BULOG,
        "round": make_round(),
        "coops": [make_coop("DT", "Kopontren <Daarut> Tauhid")],
    },
    "join_supplier_only": {"suppliers": [_BULOG, _INDOFOOD], "round": None, "wanted": "pay"},
    "admin_reps_supplier": {
        "supplier": _BULOG,
        "reps": [Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER, "Pak <Joko>")],
        "removed": "7002",
    },
    "errors/code_ambiguous": {
        "code": "SBMART",
        "coop_name": "Koperasi <SB> Mart",
        "supplier_name": "SB Mart Grosir",
    },
}
