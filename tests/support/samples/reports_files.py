"""Sample contexts for the reports of prices, suppliers and payments (cli/report_prices,
cli/report_suppliers, cli/report_payments), the files they write (cli/report_files) and
the words of those files (report_files/words), built with the functions the commands use."""

from __future__ import annotations

from datetime import UTC, date, datetime

from purchasing.reports import ClosedRoundRef
from purchasing.round_reports import (
    Paid,
    PriceLine,
    SupplyLine,
    payment_report,
    price_report,
    supplier_report,
)
from purchasing.settlement import BillDue

_R1 = ClosedRoundRef(1, "Belanja Bareng Desember", datetime(2026, 12, 5, 10, 0, tzinfo=UTC))
_R2 = ClosedRoundRef(2, "Belanja Bareng Januari", datetime(2027, 1, 9, 10, 0, tzinfo=UTC))
_PRICES = [
    PriceLine(_R1, "BRS", "Beras SPHP 50 kg", "karung", 630_000, 675_000, 55),
    PriceLine(_R2, "BRS", "Beras SPHP 50 kg", "karung", 640_000, 675_000, 20),
    PriceLine(_R1, "GLP", "Gula Pasir 50 kg", "karung", None, 800_000, 0),
    PriceLine(_R2, "GLP", "Gula Pasir 50 kg", "karung", 780_000, 800_000, 10),
]
_SUPPLY = [
    SupplyLine(_R1, "BULOG", "Bulog", "DT", 18, 2, 0, date(2026, 12, 8),
               datetime(2026, 12, 10, 3, 0, tzinfo=UTC)),
    SupplyLine(_R1, "IDF", "Indofood", "DT", 12, 0, 0, date(2026, 12, 8),
               datetime(2026, 12, 8, 3, 0, tzinfo=UTC)),
    SupplyLine(_R2, "BULOG", "Bulog", "KKPITB", 5, 0, 0, None, None),
]  # fmt: skip
_BILLS = [
    BillDue(1, "Desember", "DT", "Koperasi Daarut Tauhiid", 1_000_000, 1_000_000, _R1.closed_at),
    BillDue(1, "Desember", "KKPITB", '=HYPERLINK("x")', 500_000, 100_000, _R1.closed_at),
    BillDue(2, "Januari", "DT", "Koperasi Daarut Tauhiid", 200_000, 0, _R2.closed_at),
]
_PAID = [
    Paid(1, "DT", "", 1_000_000, date(2026, 12, 20)),
    Paid(1, "KKPITB", "", 100_000, date(2026, 12, 6)),
]
_NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)

SAMPLES: dict[str, dict[str, object]] = {
    "cli/report_prices": {"report": price_report(_PRICES)},
    "cli/report_suppliers": {"report": supplier_report(_SUPPLY)},
    "cli/report_payments": {"report": payment_report(_BILLS, _PAID, 7, _NOW)},
    "cli/report_files": {"files": ["laporan/prices.xlsx", "laporan/prices.csv"]},
    "report_files/words": {},
}
