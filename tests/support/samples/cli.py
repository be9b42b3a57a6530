"""Sample contexts for the command line's templates (cli/* and errors/cli_*), built the way
the commands build them (rendered in every language by a shared test)."""

from __future__ import annotations

from datetime import timedelta

from purchasing.model import CommitmentChange, RoundStatus
from purchasing.outcome import compute_outcome
from purchasing.progress import progress_for
from purchasing.settlement import SettlementProgress
from storage.catalog.loading import ImportCounts
from tests.support.builders import (
    make_commitment,
    make_coop,
    make_product,
    make_round,
    make_round_item,
    make_supplier,
)

_SUGAR = make_product(moq=60, max_per_coop=40, supply_cap=500)
_RICE = make_product(
    "BRS5", name="Beras medium 5 kg", unit="karung", price_tiers=((1, 65_000), (50, 62_000)),
    market_price=70_000,
)  # fmt: skip
_ROUND = make_round(_SUGAR, _RICE)
_CLOSED_EARLY = make_round(
    _SUGAR,
    _RICE,
    round_id=3,
    status=RoundStatus.CLOSED,
    closed_at=_ROUND.closes_at - timedelta(days=1),
)
_COOPS = [make_coop("KOP01", address="Jl. Ganesa No. 10"), make_coop("KOP02")]
_COMMITMENTS = [make_commitment("KOP01", "GLP1", 30), make_commitment("KOP01", "BRS5", 55)]
_OUTCOME = compute_outcome(_ROUND, _COMMITMENTS, _COOPS, [make_supplier()])

SAMPLES: dict[str, dict[str, object]] = {
    "cli/init_done": {"path": "belanja-bareng.sqlite3", "admins": 2},
    "cli/backup_done": {
        "path": "cadangan/2026-12-05.sqlite3",
        "proofs": "cadangan/bukti",
        "copied": 3,
    },
    "cli/imported": {"counts": ImportCounts(20, 0, 4, 0, 25, 1)},
    "cli/coops": {"coops": _COOPS},
    "cli/products": {"products": [_SUGAR, _RICE]},
    "cli/round_created": {"round": make_round(_SUGAR, status=RoundStatus.DRAFT)},
    "cli/round_opened": {"round": _ROUND},
    "cli/round_list": {
        "rounds": [_ROUND, make_round(round_id=2, status=RoundStatus.DRAFT), _CLOSED_EARLY]
    },
    "cli/round_extended": {"round": _ROUND},
    "cli/outbox_retried": {"count": 12, "since": _ROUND.closes_at},
    "cli/round_cancelled": {"round": make_round(status=RoundStatus.CANCELLED)},
    "cli/round_closed": {
        "round": _CLOSED_EARLY,
        "outcome": _OUTCOME,
        "already_closed": True,
    },
    "cli/round_show": {
        "round": _CLOSED_EARLY,
        "progress": progress_for(_ROUND, {"GLP1": 30, "BRS5": 55}),
        "coops_ordered": _COOPS[:1],
        "coops_waiting": _COOPS[1:],
        "after_close": SettlementProgress(3, 3, 12, 12, 12, 12),
    },
    "cli/order_set": {
        "coop_code": "KOP01",
        "coop_name": "Koperasi <Maju> Jaya",
        "change": CommitmentChange(old=10, new=12, item=make_round_item(), total=30),
    },
    "cli/exported": {
        "round": _ROUND,
        "files": ["rekap/putaran-1.xlsx", "rekap/overview.csv", "rekap/bills.csv"],
    },
    "errors/cli_unknown_file_kind": {"file": "data.csv"},
    "errors/cli_database_missing": {"path": "belanja-bareng.sqlite3"},
    "errors/cli_round_not_closed": {"round_name": "Belanja Bareng Maret", "status": "open"},
    "errors/cli_cannot_read": {"path": "data/<koperasi>.csv", "detail": "No such file"},
    "errors/cli_no_product_codes": {},
    "errors/cli_telegram_refused": {
        "detail": "Bad webhook: <port> 9000 not allowed",
        "webhook": True,
        "public_url": "https://bot.example.org:9000/telegram",
    },
    "errors/cli_close_underway": {
        "round_id": 1,
        "round_name": "Belanja <Bareng> Maret",
        "closing_since": _ROUND.closes_at,
    },
    "errors/cli_unexpected": {"kind": "DatabaseError"},
    "errors/cli_cannot_write": {
        "path": "rekap/desember",
        "detail": "Not a directory",
        "wanted": "folder",
    },
    "errors/cli_file_unusable": {
        "path": "rekap/desember/putaran-1.xlsx",
        "detail": "No space left on device",
    },
    "errors/cli_backup_is_database": {"path": "data/belanja-bareng.sqlite3"},
    "errors/cli_backup_exists": {"path": "cadangan/2026-12-05.sqlite3"},
    "cli/run_started_whatsapp": {"listen": "127.0.0.1", "port": 8080, "path": "whatsapp"},
}
