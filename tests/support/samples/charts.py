"""Sample contexts for the charts' words and captions (charts/*), built with the functions
`usecases.charts` uses (rendered in every language by a shared test)."""

from __future__ import annotations

from purchasing.progress import progress_for
from purchasing.reports import SavingsReport
from tests.support.builders import NOW, make_product, make_round
from tests.support.samples.reports import SAMPLES as REPORT_SAMPLES
from usecases.charts import progress_caption_context, savings_caption_context

_ROUND = make_round(
    make_product("GLP1"),
    make_product("MNY2", name="Minyak goreng 2 L", price_tiers=((1, 380_000),), moq=50),
    make_product("BRS5", name="Beras & gula", price_tiers=((1, 70_000), (100, 65_000))),
)
_PROGRESS = progress_for(_ROUND, {"GLP1": 40, "MNY2": 12, "BRS5": 120})
_CAPTION = progress_caption_context(_ROUND, _PROGRESS, shown=2, at=NOW)
_REPORT = REPORT_SAMPLES["cli/report_savings"]["report"]
assert isinstance(_REPORT, SavingsReport)
_SAVINGS = savings_caption_context(_REPORT)
_MONTHS: dict[str, object] = {"months": [month.first_day for month in _REPORT.months]}

SAMPLES: dict[str, dict[str, object]] = {
    "charts/progress": _CAPTION,
    "charts/progress_caption": _CAPTION,
    "charts/progress_none": {},
    "charts/savings": _MONTHS,
    "charts/savings_caption": _SAVINGS,
}
