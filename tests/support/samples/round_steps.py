"""Sample contexts for the questions of a round made step by step (`handlers.admin.round_steps`),
built from its own `Answers` as the handler builds them."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.admin.round_steps import NAME_LIMIT, NOTE_LIMIT, Answers
from purchasing.model import RoundStatus
from tests.support.builders import make_round

_NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
_COPY = Answers(
    token="a1b2c3d4", step="name", copy_of=3, copy_name="Belanja Bareng Desember",
    codes=["GLP-50", "BRS-SPHP50"], moq_policy="extend", extend_hours=24, note="Diantar Senin",
    left_out=[{"code": "IDM-GRG", "name": "Indomie <goreng>"}],
)  # fmt: skip
_NAMED = Answers(token="a1b2c3d4", step="deadline", name="Belanja Bareng Januari")
_FULL = Answers(
    token="a1b2c3d4", step="summary", name="Belanja Bareng Januari",
    closes_at="2026-12-04T10:00:00+00:00", codes=[f"P-{n}" for n in range(12)],
    moq_policy="extend", extend_hours=48, note="Diantar ke kantor koperasi",
    copy_of=3, copy_name="Belanja Bareng Desember",
    left_out=[{"code": "IDM-GRG", "name": "Indomie <goreng>"}],
)  # fmt: skip

SAMPLES: dict[str, dict[str, object]] = {
    "admin_round_step_name": {"answers": _COPY, "problem": "too_long", "limit": NAME_LIMIT},
    "admin_round_step_deadline": {
        "answers": _NAMED,
        "problem": "open_after_deadline",
        "typed": "hari ini 07.00",
        "now": _NOW,
    },
    "admin_round_step_products": {
        "answers": _NAMED,
        "problem": "product_retired",
        "product_code": "GLP-50",
        "name": "Gulaku 50 kg",
        "product_count": 25,
        "examples": ["BMOLI-2L", "BRS-SPHP50"],
    },
    "admin_round_step_moq": {"answers": _NAMED, "problem": "press"},
    "admin_round_step_note": {"answers": _NAMED, "problem": "too_long", "limit": NOTE_LIMIT},
    "admin_round_step_summary": {
        "answers": _FULL,
        "problem": "another_round_open",
        "deadline": _FULL.deadline,
        "product_count": 12,
        "open_round": make_round(round_id=2),
    },
    "admin_round_step_opens": {
        "answers": _FULL,
        "problem": "deadline_before_opening",
        "typed": "Sabtu 08.00",
        "now": _NOW,
    },
    "admin_round_step_stale": {},
    "admin_round_step_stopped": {"answers": _NAMED},
    "admin_round_step_no_last": {},
    "admin_round_step_copy_none": {
        "round": make_round(round_id=3, status=RoundStatus.CANCELLED),
        "left_out": [{"code": "IDM-GRG", "name": "Indomie <goreng>"}],
    },
    "buttons/admin_round_step_all": {"count": 25},
    "buttons/admin_round_step_drop": {},
    "buttons/admin_round_step_extend": {"hours": 24},
    "buttons/admin_round_step_skip": {},
    "buttons/admin_round_step_open": {},
    "buttons/admin_round_step_draft": {},
    "buttons/admin_round_step_stop": {},
    "buttons/admin_round_step_new": {},
    "buttons/admin_round_step_copy": {},
}
