"""Sample contexts for the admin, group and announcement templates, built the way the
handlers build them (queued contexts go through the outbox codec, as in production)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from messages.outbox_codec import decode_reply, encode_reply
from messages.replies import Reply
from purchasing.model import Rep, RoundStatus
from purchasing.outcome import compute_outcome
from purchasing.progress import product_progress
from purchasing.settlement import SettlementProgress
from tests.support.builders import (
    make_commitment,
    make_coop,
    make_product,
    make_round,
    make_supplier,
)
from usecases.notices.announcements import progress_context, round_opened_context

_SUGAR = make_product("GLP-50", moq=5, price_tiers=((1, 870_000), (10, 855_000), (30, 840_000)))
_OIL = make_product(
    "BMOLI-2L", name="Bimoli minyak goreng 2 L", unit="dus", supply_cap=300,
    price_tiers=((1, 234_000), (20, 229_000)), market_price=246_000,
)  # fmt: skip
_ROUND = make_round(_SUGAR, _OIL)
_CLOSED_EARLY = make_round(
    _SUGAR,
    _OIL,
    round_id=3,
    status=RoundStatus.CLOSED,
    closed_at=_ROUND.closes_at - timedelta(days=1),
)
_COOPS = [make_coop("DT"), make_coop("KKPITB"), make_coop("PUSDAI")]
_OUTCOME = compute_outcome(_ROUND, [make_commitment("DT", "GLP-50", 3)], _COOPS, [make_supplier()])


def _queued(template: str, context: dict[str, object]) -> dict[str, object]:
    """The context as the sender will see it after a trip through the outbox."""
    return dict(decode_reply(encode_reply(Reply(template, context, "id"))).context)


SAMPLES: dict[str, dict[str, object]] = {
    "errors/not_admin": {},
    "errors/time_invalid": {"text": "besok sore"},
    "errors/time_without_date": {"text": "17:00"},
    "errors/date_without_time": {"text": "2026-12-05"},
    "errors/day_invalid": {"text": "minggu depan"},
    "errors/day_passed": {"day": date(2026, 12, 1), "today": date(2026, 12, 6)},
    "group_use_private_chat": {"pressed": True},
    "errors/round_number_not_digits": {"typed": "<abc>", "command": "/ekspor"},
    "buttons/group_open_private": {},
    "group_link_only_in_group": {"platform": "whatsapp"},
    "group_linked": {"already": False},
    "admin_no_open_round": {},
    "buttons/admin_refresh": {},
    "admin_round_usage": {"unknown": "<xyz>"},
    "admin_round_usage_line": {
        "action": "extend",
        "problem": "not_a_number",
        "typed": "<abc>",
        "round_id": None,
        "name_limit": 80,
    },
    "admin_document_usage": {},
    "admin_round_list": {
        "rounds": [_ROUND, make_round(round_id=2, status=RoundStatus.DRAFT), _CLOSED_EARLY]
    },
    "buttons/admin_round": {"round_id": 12, "name": "Putaran Desem"},
    "admin_round_detail": {
        "round": _CLOSED_EARLY,
        "after_close": SettlementProgress(3, 2, 12, 5, 12, 3),
    },
    "buttons/admin_recap": {},
    "buttons/admin_close": {},
    "buttons/admin_cancel": {},
    "buttons/admin_confirm_close": {},
    "buttons/admin_confirm_cancel": {},
    "buttons/admin_never_mind": {},
    "admin_round_confirm_close": {"round": _ROUND},
    "admin_round_confirm_cancel": {"round": _ROUND},
    "admin_round_closed": {"round": _ROUND, "overview": _OUTCOME.overview},
    "admin_round_closing": {"round": replace(_ROUND, closing_since=_ROUND.closes_at)},
    "admin_export": {"round": make_round(status=RoundStatus.OPEN), "estimate": True},
    "admin_export_none": {"round": make_round(status=RoundStatus.DRAFT)},
    "admin_export_unavailable": {"round": _ROUND},
    "admin_round_cancelled": {"round": make_round(status=RoundStatus.CANCELLED)},
    "admin_never_mind": {},
    "admin_round_opened": {"round": _ROUND, "queued": 104},
    "admin_round_drafted": {"round": make_round(status=RoundStatus.DRAFT), "waits_for": _ROUND},
    "admin_draft_expired": {
        "round_id": 4,
        "round_name": "Belanja Bareng <Januari>",
        "closes_at": _ROUND.closes_at,
    },
    "admin_round_extended": {
        "round": _ROUND,
        "previous_closes_at": _ROUND.closes_at - timedelta(days=1),
    },
    "admin_invite_usage": {},
    "admin_invite_created": {
        "coop": _COOPS[0],
        "code": "q3Xk_9fA-2LmPz0w",
        "max_uses": 2,
        "expires_at": _ROUND.closes_at,
        "links": {
            "telegram": "https://t.me/BelanjaBarengBot?start=q3Xk_9fA-2LmPz0w",
            "whatsapp": "https://wa.me/6281234567890?text=/start%20q3Xk_9fA-2LmPz0w",
        },
    },
    "admin_add_usage": {},
    "admin_reps": {
        "coop": _COOPS[0],
        "reps": [Rep("telegram", "5101", _COOPS[0].code, display_name="Bu <Rina>")],
        "removed": "5102",
    },
    "buttons/admin_remove_rep": {"name": "Bu Rina"},
    "admin_reps_usage": {},
    "admin_revoke_usage": {},
    "admin_invite_revoked": {"code": "q3Xk_9fA-2LmPz0w", "coop_code": "DT", "ended_before": None},
    "admin_added": {"user_id": "123456789", "already": False},
    "admin_whoami": {
        "platform": "telegram",
        "user_id": "123456789",
        "is_admin": True,
        "coop_codes": ["DT", "PUSDAI"],
        "supplier_codes": ["BULOG"],
    },
    # An admin who is no coop's treasurer typed an order line.
    "admin_order_usage": {"not_a_treasurer": True, "unrecorded": True},
    "admin_order_set": {
        "round": _ROUND,
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "item": _ROUND.items[0],
        "old": 2,
        "new": 5,
    },
    "admin_broadcast_usage": {"limit": 3000, "length": 3001},
    "admin_broadcast_queued": {"queued": 3, "recipients": 4},
    "announce_round_opened": _queued(
        "announce_round_opened", {**round_opened_context(_ROUND), "in_group": True}
    ),
    "buttons/announce_catalog": {},
    "announce_round_extended": _queued(
        "announce_round_extended",
        {
            "round_name": _ROUND.name,
            "closes_at": _ROUND.closes_at,
            "previous_closes_at": _ROUND.opens_at,
        },
    ),
    "announce_round_cancelled": _queued(
        "announce_round_cancelled",
        {"round_name": _ROUND.name, "closes_at": _ROUND.closes_at, "previous_closes_at": None},
    ),
    "announce_broadcast": _queued("announce_broadcast", {"text": "Rapat JUK <Kamis> jam 9"}),
    "announce_progress": _queued(
        "announce_progress", progress_context(product_progress(_ROUND.items[0], 7), "moq")
    ),
}
