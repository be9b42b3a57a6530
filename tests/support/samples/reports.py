"""Sample contexts for the reports across closed rounds (cli/report_*), built with the
functions the commands use (rendered in every language by a shared test)."""

from __future__ import annotations

from datetime import UTC, datetime

from purchasing.model import Rep
from purchasing.reports import (
    ClosedRoundLines,
    ClosedRoundRef,
    CoopHistory,
    ReportLine,
    coop_activity,
    savings_report,
)

_R1 = ClosedRoundRef(1, "Belanja Bareng Desember", datetime(2026, 12, 5, 10, 0, tzinfo=UTC))
_R2 = ClosedRoundRef(2, "Belanja Bareng Januari", datetime(2027, 1, 9, 10, 0, tzinfo=UTC))
_LINES = [
    ClosedRoundLines(_R1, 20, (ReportLine("KOP01", 55, 630_000, 675_000),)),
    ClosedRoundLines(
        _R2, 20, (ReportLine("KOP02", 1, 130_000, 120_000), ReportLine("KOP01", 0, None, 9))
    ),
]
_COOPS = [
    CoopHistory("KOP01", "Koperasi Satu", frozenset({1, 2}), (Rep("telegram", "555", "KOP01"),)),
    CoopHistory("KOP02", "Koperasi Dua", frozenset({2}), (), "0812-0000-0102"),
    CoopHistory("KOP03", "Koperasi Tiga", frozenset({1})),
    CoopHistory("KOP04", "Koperasi Empat", frozenset()),
]

SAMPLES: dict[str, dict[str, object]] = {
    "cli/report_savings": {"report": savings_report(_LINES)},
    "cli/report_coops": {"report": coop_activity([_R1, _R2], _COOPS, last_rounds=1)},
}
