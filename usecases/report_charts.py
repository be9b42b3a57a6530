"""The reports' charts as PNG (`belanja-bareng report <name> --chart FILE.png`, and the
dashboard's report pages): each report's main figure, drawn by `spreadsheets.charts`.

- savings: per month (oldest on top) the order value against the market value of the same
  goods, the saving written beside it.
- coops: how many coops are new, regular, occasional, lapsed or never ordered, over the
  report's last N closed rounds.
- prices: for the `TOP_PRICES` products bought for the most money over the closed rounds, the
  price reached against the market price, round by round.
- suppliers: per supplier (the `TOP_SUPPLIERS` with the most units ordered), the units
  ordered, confirmed and delivered over every closed round, with the share received and how
  many rounds were late.
- payments: the bills paid on time, paid late and still outstanding (and what is owed).

Words come as for the progress chart (`usecases.charts`): one template per chart and
language, `charts/<name>` ("key: words" a line, rendered once; `note*` lines are patterns
filled per bar), and `charts/<name>_caption`, the alt text, both with the context of
`caption_context` (plain values). Numbers and Rupiah are written by `messages.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from messages.formatting import number, resolve_language, rupiah
from messages.render import Renderer
from messages.styles import TextStyle
from purchasing.reports import CoopReport, CoopStatus, SavingsReport
from purchasing.round_reports import PaymentReport, PriceReport, ProductPrices, SupplierReport
from purchasing.times import WIB
from spreadsheets.charts import (
    BELOW_MOQ,
    LAPSED,
    MARKET,
    REACHED,
    TOWARD_TIER,
    BarGroup,
    BarsLabels,
    LinePanel,
    LinesLabels,
    bars_png,
    lines_png,
    write_png,
)
from usecases.charts import Chart, chart_words, needed_words, packaged_renderer
from usecases.reports import AnyRoundReport

TOP_PRICES = 4  # product panels on the prices chart: more would not read on a phone
TOP_SUPPLIERS = 8  # supplier groups on the suppliers chart
STATUS_COLOURS = {
    CoopStatus.NEW: TOWARD_TIER,
    CoopStatus.REGULAR: REACHED,
    CoopStatus.OCCASIONAL: BELOW_MOQ,
    CoopStatus.LAPSED: LAPSED,
    CoopStatus.NEVER: MARKET,
}
STANDING_COLOURS = {"on_time": REACHED, "late": BELOW_MOQ, "outstanding": LAPSED}


@dataclass(frozen=True, slots=True)
class Bars:
    """A bar chart's parts: its groups, words, a colour per series, Rupiah on the axis."""

    groups: list[BarGroup]
    labels: BarsLabels
    colours: tuple[str, ...]
    money: bool = False


@dataclass(frozen=True, slots=True)
class Lines:
    """The prices chart's parts: a panel per product, the rounds' names, its words."""

    panels: list[LinePanel]
    rounds: list[str]
    labels: LinesLabels


def chart_name(report: AnyRoundReport) -> str:
    """The report's name as the commands and templates call it."""
    names: dict[type, str] = {
        SavingsReport: "savings", CoopReport: "coops", PriceReport: "prices",
        SupplierReport: "suppliers", PaymentReport: "payments",
    }  # fmt: skip
    return names[type(report)]


# --- what each chart's words and caption are told ------------------------------------------


def caption_context(report: AnyRoundReport, zone: tzinfo = WIB) -> dict[str, object]:
    """The figures the chart's words and its caption (alt text) show, as plain values (the
    closes' days in the office's `zone`)."""
    if isinstance(report, SavingsReport):
        months = [month.first_day for month in report.months]
        return {
            "months": months, "first": months[0] if months else None,
            "last": months[-1] if months else None, "order_value": report.total.order_value,
            "market_value": report.total.market_value, "saving": report.total.saving,
        }  # fmt: skip
    if isinstance(report, CoopReport):
        counts = {status.value: 0 for status in CoopStatus}
        for coop in report.coops:
            counts[coop.status.value] += 1
        return {"rounds": len(report.window), "coops": len(report.coops), **counts}
    if isinstance(report, PriceReport):
        shown = top_prices(report)
        days = [one.closed_at.astimezone(zone).date() for one in report.rounds]
        return {
            "rounds": len(report.rounds), "products": len(report.products),
            "names": [product.name for product in shown], "shown": len(shown),
            "first": days[0] if days else None, "last": days[-1] if days else None,
            "round_months": days,
        }  # fmt: skip
    if isinstance(report, SupplierReport):
        rows = report.rounds
        return {
            "suppliers": len({row.supplier_code for row in rows}),
            "rounds": len({row.round.id for row in rows}),
            "ordered": sum(row.ordered for row in rows),
            "confirmed": sum(row.confirmed or 0 for row in rows),
            "delivered": sum(row.delivered for row in rows),
            "late": sum(1 for row in rows if row.days_late),
        }
    total = report.total
    return {
        "bills": total.bills, "on_time": total.on_time, "late": total.late,
        "outstanding": total.outstanding, "owed": total.owed, "overdue": total.overdue,
    }  # fmt: skip


def caption(report: AnyRoundReport) -> str:
    """The caption template of the report's chart (its alt text)."""
    return f"charts/{chart_name(report)}_caption"


# --- each report's chart ---------------------------------------------------------------------


def chart_parts(
    report: AnyRoundReport, language: str, renderer: Renderer | None = None, zone: tzinfo = WIB
) -> Bars | Lines:
    """What the report's chart is drawn from, in `language`: its words rendered once."""
    lang = resolve_language(language)
    context = caption_context(report, zone)
    chosen = renderer or packaged_renderer(zone)
    words = chart_words(chosen, f"charts/{chart_name(report)}", lang, context)
    if isinstance(report, PriceReport):
        return _prices(report, words, lang)
    keys = ("title", "subtitle", "axis", "empty", "note")
    title, subtitle, axis, empty, note = needed_words(words, *keys)
    if isinstance(report, SavingsReport):
        series = _series(words, "order_value", "market_value")
        labels = BarsLabels(title, subtitle, axis, series, empty)
        return Bars(_month_groups(report, words, note, lang), labels, (TOWARD_TIER, MARKET), True)
    if isinstance(report, SupplierReport):
        series = _series(words, "ordered", "confirmed", "delivered")
        labels = BarsLabels(title, subtitle, axis, series, empty)
        colours = (MARKET, TOWARD_TIER, REACHED)
        return Bars(_supplier_groups(report, note, lang), labels, colours)
    groups = _counted(report, context, words, note, lang)
    shown = groups if any(group.values[0] for group in groups) else []
    return Bars(shown, BarsLabels(title, subtitle, axis, (), empty), (TOWARD_TIER,))


def _series(words: Mapping[str, str], *keys: str) -> tuple[str, ...]:
    return tuple(needed_words(words, *keys))


def _month_groups(
    report: SavingsReport, words: Mapping[str, str], note: str, lang: str
) -> list[BarGroup]:
    """A month each (oldest first): order value and market value, the saving in its note."""
    groups = []
    for n, month in enumerate(report.months):
        values = (month.savings.order_value, month.savings.market_value)
        saved = note.format(saving=rupiah(month.savings.saving, lang))
        groups.append(BarGroup(words.get(f"month.{n}", ""), values, saved))
    return groups


def _counted(
    report: CoopReport | PaymentReport,
    context: Mapping[str, object],
    words: Mapping[str, str],
    note: str,
    lang: str,
) -> list[BarGroup]:
    """A bar per kind of coop, or per standing of a bill, named by its key's words; its note
    is `note.<key>` where the template has one, else `note` ({count}; {owed}, Rupiah)."""
    colours = (
        {status.value: colour for status, colour in STATUS_COLOURS.items()}
        if isinstance(report, CoopReport)
        else STANDING_COLOURS
    )
    owed = rupiah(report.total.owed, lang) if isinstance(report, PaymentReport) else ""
    groups = []
    for key, colour in colours.items():
        count = int(str(context[key]))
        [name] = needed_words(words, key)
        written = words.get(f"note.{key}", note).format(count=number(count, lang), owed=owed)
        groups.append(BarGroup(name, (count,), written, colour))
    return groups


def _supplier_groups(report: SupplierReport, note: str, lang: str) -> list[BarGroup]:
    """Each supplier's units over every closed round (those ordered most first): ordered,
    confirmed, delivered; the share delivered and the rounds it was late in its note."""
    sums: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for row in report.rounds:
        found = sums.setdefault(row.supplier_code, [0, 0, 0, 0])
        names[row.supplier_code] = row.supplier_name
        found[0] += row.ordered
        found[1] += row.confirmed or 0
        found[2] += row.delivered
        found[3] += 1 if row.days_late else 0
    groups = []
    for code in sorted(sums, key=lambda code: (-sums[code][0], code))[:TOP_SUPPLIERS]:
        ordered, confirmed, delivered, late = sums[code]
        percent = number(_percent(delivered, ordered), lang)
        written = note.format(percent=percent, late=number(late, lang))
        groups.append(BarGroup(names[code], (ordered, confirmed, delivered), written))
    return groups


def _percent(part: int, whole: int) -> int:
    """`part` in whole percent of `whole`, rounded half up (0 when `whole` is 0)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def top_prices(report: PriceReport, limit: int = TOP_PRICES) -> list[ProductPrices]:
    """The `limit` products bought for the most money over the closed rounds (units × price
    reached), most first; products never bought are left out."""
    value = {
        product.code: sum(p.units * (p.unit_price or 0) for p in product.points)
        for product in report.products
    }
    bought = [product for product in report.products if value[product.code] > 0]
    return sorted(bought, key=lambda product: (-value[product.code], product.code))[:limit]


def _prices(report: PriceReport, words: Mapping[str, str], lang: str) -> Lines:
    labels = LinesLabels(*needed_words(words, "title", "subtitle", "reached", "market", "empty"))
    [note] = needed_words(words, "note")
    place = {one.id: n for n, one in enumerate(report.rounds)}
    panels = []
    for product in top_prices(report):
        reached: list[int | None] = [None] * len(place)
        market: list[int | None] = [None] * len(place)
        for point in product.points:
            reached[place[point.round.id]] = point.unit_price
            market[place[point.round.id]] = point.market_price
        latest = next(p for p in reversed(product.points) if p.unit_price is not None)
        price, market_price = (
            rupiah(latest.unit_price or 0, lang),
            rupiah(latest.market_price, lang),
        )
        written = note.format(price=price, market=market_price, unit=product.unit)
        panels.append(LinePanel(product.name, written, tuple(reached), tuple(market)))
    rounds = [words.get(f"round.{n}", "") for n in range(len(report.rounds))]
    return Lines(panels, rounds, labels)


def chart_png(
    report: AnyRoundReport, language: str, renderer: Renderer | None = None, zone: tzinfo = WIB
) -> bytes:
    """The report's chart in `language` as PNG bytes."""
    lang = resolve_language(language)
    parts = chart_parts(report, lang, renderer, zone)

    def money(amount: int) -> str:
        return rupiah(amount, lang)

    def count(value: int) -> str:
        return number(value, lang)

    if isinstance(parts, Lines):
        return lines_png(parts.panels, parts.rounds, parts.labels, money)
    return bars_png(parts.groups, parts.labels, parts.colours, money if parts.money else count)


def alt_text(
    report: AnyRoundReport, language: str, renderer: Renderer | None = None, zone: tzinfo = WIB
) -> str:
    """The chart's caption as plain text, for an image's alt text."""
    chosen = renderer or packaged_renderer(zone)
    return chosen.render(caption(report), language, caption_context(report, zone), TextStyle.PLAIN)


def write_chart(
    report: AnyRoundReport,
    path: Path,
    language: str,
    renderer: Renderer | None = None,
    zone: tzinfo = WIB,
) -> Chart:
    """The report's chart written to `path`, with its caption (`charts/<name>_caption`)."""
    write_png(chart_png(report, language, renderer, zone), path)
    return Chart(path, caption(report), caption_context(report, zone))
