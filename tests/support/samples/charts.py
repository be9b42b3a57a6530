"""Sample contexts for the charts' words and captions (charts/*), built with the functions
`usecases.charts` uses (rendered in every language by a shared test)."""

from __future__ import annotations

from purchasing.progress import progress_for
from purchasing.reports import SavingsReport
from tests.support.builders import NOW, make_product, make_round
from tests.support.samples.reports import SAMPLES as REPORT_SAMPLES
from tests.support.samples.reports_files import SAMPLES as FILE_SAMPLES
from usecases.charts import progress_caption_context
from usecases.report_charts import caption_context
from usecases.reports import AnyRoundReport

_ROUND = make_round(
    make_product("GLP1"),
    make_product("MNY2", name="Minyak goreng 2 L", price_tiers=((1, 380_000),), moq=50),
    make_product("BRS5", name="Beras & gula", price_tiers=((1, 70_000), (100, 65_000))),
)
_PROGRESS = progress_for(_ROUND, {"GLP1": 40, "MNY2": 12, "BRS5": 120})
_CAPTION = progress_caption_context(_ROUND, _PROGRESS, shown=2, at=NOW)
_REPORT = REPORT_SAMPLES["cli/report_savings"]["report"]
assert isinstance(_REPORT, SavingsReport)
_SAVINGS = caption_context(_REPORT)


def _context(report: object) -> dict[str, object]:
    """The words' and caption's context of one of the reports' samples."""
    assert isinstance(report, AnyRoundReport)
    return caption_context(report)


_COOPS = _context(REPORT_SAMPLES["cli/report_coops"]["report"])
_PRICES = _context(FILE_SAMPLES["cli/report_prices"]["report"])
_SUPPLIERS = _context(FILE_SAMPLES["cli/report_suppliers"]["report"])
_PAYMENTS = _context(FILE_SAMPLES["cli/report_payments"]["report"])

SAMPLES: dict[str, dict[str, object]] = {
    "charts/progress": _CAPTION,
    "charts/progress_caption": _CAPTION,
    "charts/progress_none": {},
    "charts/savings": _SAVINGS,
    "charts/savings_caption": _SAVINGS,
    "charts/coops": _COOPS,
    "charts/coops_caption": _COOPS,
    "charts/prices": _PRICES,
    "charts/prices_caption": _PRICES,
    "charts/suppliers": _SUPPLIERS,
    "charts/suppliers_caption": _SUPPLIERS,
    "charts/payments": _PAYMENTS,
    "charts/payments_caption": _PAYMENTS,
}
