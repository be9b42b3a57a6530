"""PNG charts for people who would rather look than read, drawn with matplotlib ("Agg").

Every chart is sized for a phone screen (large type, a name per bar on a line of its own):

- `progress_png`: the open round, one bar per product, how far its running total has come
  toward its next target: the MOQ while it is below it, then the next price tier. A product
  whose best price is reached has a full green bar.
- `bars_png`: the reports' figures as groups of horizontal bars, a group per row of the
  report (a month, a supplier, a kind of coop or bill), a bar per series in it (order value
  against market value; ordered, confirmed, delivered), the group's name and figures above.
- `lines_png`: the prices report, a small panel per product, the price reached and the
  market price over the closed rounds.

Pure drawing: every word arrives already rendered (`ProgressLabels`, `BarsLabels`,
`LinesLabels`, each bar's `note`, the month names) and every number is a plain value, so this
module knows no language, template or database. A figure is built with the object API
(`Figure` on an Agg canvas), never pyplot's global state, so two charts drawn at once on
worker threads do not meet.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib (~57 MB) is imported when the first chart is drawn
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Colours told apart by people with the common colour-vision deficiencies (Okabe-Ito).
BELOW_MOQ = "#E69F00"  # orange
TOWARD_TIER = "#0072B2"  # blue
REACHED = "#009E73"  # green
MARKET = "#999999"  # grey
TRACK = "#EEEEEE"  # the empty rest of a bar
INK = "#222222"

WIDTH_INCHES = 7.2  # about a phone screen's width at DPI: 1080 px
DPI = 150
FONT = 15  # points: readable when a chat shows the picture at phone width
ROW_INCHES = 0.75  # one bar with its line of text
BAR = 0.45  # a bar's thickness, in rows
ROW_STEP = 0.75  # from one bar of a group to the next, in rows
GROUP_GAP = 0.5  # more between groups: room for the next group's line of text
PANEL_INCHES = 2.4  # one product's panel on the prices chart, with its line of text
DOTS = 12  # rounds on the prices chart up to which each gets a large dot
LAPSED = "#D55E00"  # vermillion: coops that stopped, bills not paid
LINE_CHARS = 58  # about what one line above a bar holds, in characters of the figures
TITLE_CHARS = 40  # about what a line of the title holds at its full size


@dataclass(frozen=True, slots=True)
class ProgressBar:
    """One product of the round on the progress chart."""

    name: str
    fraction: float  # how far toward the target (0..1; more is drawn as 1)
    below_moq: bool  # the target is the MOQ (orange); else the next price tier (blue)
    reached: bool  # the best price is reached: nothing more to unlock (green, full)
    note: str  # the figures at the end of the bar ("120/200 karton → Rp 61.000")
    moq_at: float | None = None  # where the MOQ sits on a bar toward a tier (0..1), if shown


@dataclass(frozen=True, slots=True)
class ProgressLabels:
    title: str
    subtitle: str
    axis: str
    below_moq: str
    toward_tier: str
    reached: str
    moq: str
    more: str  # under the chart: products left out ("" when none are)


@dataclass(frozen=True, slots=True)
class BarGroup:
    """One row of a report as a group of bars: a value per series."""

    label: str  # "Desember 2026", a supplier's name
    values: tuple[int, ...]  # one per series, in the order of `BarsLabels.series`
    note: str  # the figures at the end of its line ("hemat Rp 1.250.000")
    colour: str | None = None  # a one-series chart: this bar's own colour


@dataclass(frozen=True, slots=True)
class BarsLabels:
    title: str
    subtitle: str
    axis: str
    series: tuple[str, ...]  # the legend, one name per series ((): no legend)
    empty: str  # shown instead of bars when there is nothing to draw


@dataclass(frozen=True, slots=True)
class LinePanel:
    """One product on the prices chart: a value per round of the chart (None: not there)."""

    name: str
    note: str
    reached: tuple[int | None, ...]
    market: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class LinesLabels:
    title: str
    subtitle: str
    reached: str
    market: str
    empty: str


def progress_png(bars: Sequence[ProgressBar], labels: ProgressLabels) -> bytes:
    """The round's progress chart as PNG bytes (an empty chart with its title for no bars).

    Each product is a line of text (its name and figures) above a full-width bar: nothing
    is cut off at the width of a phone."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure, axes = _figure(len(bars), legend_lines=3 if labels.more else 2)
    rows = [float(-n) for n in range(len(bars))]  # the first product on top
    filled = [1.0 if bar.reached else min(max(bar.fraction, 0.0), 1.0) for bar in bars]
    axes.barh(rows, [1.0] * len(bars), color=TRACK, height=BAR)
    axes.barh(rows, filled, color=[_colour(bar) for bar in bars], height=BAR)
    for row, bar in zip(rows, bars, strict=True):
        if bar.moq_at is not None and 0.0 < bar.moq_at < 1.0:
            axes.plot([bar.moq_at] * 2, [row - BAR / 2, row + BAR / 2], color=INK, linewidth=3)
        _caption_above(axes, row, bar.name, bar.note)
    axes.set_xticks([0.0, 0.5, 1.0], ["0%", "50%", "100%"], fontsize=FONT - 2)
    axes.set_xlabel(labels.axis, fontsize=FONT)
    _title(figure, labels.title, labels.subtitle)
    legend = [
        Patch(color=BELOW_MOQ, label=labels.below_moq),
        Patch(color=TOWARD_TIER, label=labels.toward_tier),
        Patch(color=REACHED, label=labels.reached),
        Line2D([0], [0], color=INK, linewidth=3, label=labels.moq),
    ]
    _legend_below(figure, legend, labels.more)
    _frame(axes, rows[-1] if rows else -1.0, 1.0)
    return _png(figure)


def bars_png(
    groups: Sequence[BarGroup],
    labels: BarsLabels,
    colours: Sequence[str],
    tick: Callable[[int], str],
) -> bytes:
    """Groups of horizontal bars as PNG bytes, the first group on top: a bar per series in
    `colours`, the group's name and note on a line above; `tick` writes a value on the axis
    ("Rp 1.250.000", "1.200")."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    series = len(colours)
    step = GROUP_GAP + ROW_STEP * series  # rows from one group to the next
    figure, axes = _figure(step * len(groups), legend_lines=(len(labels.series) + 1) // 2)
    _title(figure, labels.title, labels.subtitle)
    if not groups:
        return _empty(figure, axes, labels.empty)
    tops = [-step * n for n in range(len(groups))]
    widest = max(max(group.values, default=0) for group in groups) or 1
    for n, colour in enumerate(colours):
        axes.barh(
            [top - ROW_STEP * n for top in tops],
            [group.values[n] for group in groups],
            color=[group.colour or colour for group in groups],
            height=BAR,
        )
    for top, group in zip(tops, groups, strict=True):
        _caption_above(axes, top, group.label, group.note, right=widest)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: tick(int(value))))
    axes.tick_params(axis="x", labelsize=FONT - 4)
    axes.set_xlabel(labels.axis, fontsize=FONT)
    legend = [Patch(color=c, label=name) for c, name in zip(colours, labels.series, strict=False)]
    if legend:
        _legend_below(figure, legend, "")
    _frame(axes, tops[-1] - ROW_STEP * (series - 1), widest)
    return _png(figure)


def lines_png(
    panels: Sequence[LinePanel],
    rounds: Sequence[str],
    labels: LinesLabels,
    money: Callable[[int], str],
) -> bytes:
    """A panel per product, one under another: the price reached (a line with a dot per
    round, broken where nothing was bought) and the market price (dashed) over the `rounds`
    (their names on the axis of the last panel, a few of them)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    title, legend_room = 1.2, 0.6
    height = title + PANEL_INCHES * max(len(panels), 1) + legend_room
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(figure)
    _title(figure, labels.title, labels.subtitle)
    if not panels:
        axes = figure.add_axes((0.05, 0.05, 0.9, 1.0 - (title + 0.1) / height))
        return _empty(figure, axes, labels.empty)
    places = list(range(len(rounds)))
    shown = sorted({0, (len(rounds) - 1) // 2, len(rounds) - 1})  # names under the axis
    for n, panel in enumerate(panels):
        top = 1.0 - (title + PANEL_INCHES * n + 0.55) / height
        axes = figure.add_axes((0.22, top - (PANEL_INCHES - 1.0) / height, 0.73,
                                (PANEL_INCHES - 1.0) / height))  # fmt: skip
        axes.plot(places, [_gap(v) for v in panel.market], color=MARKET, linewidth=3,
                  linestyle="--")  # fmt: skip
        axes.plot(places, [_gap(v) for v in panel.reached], color=TOWARD_TIER, linewidth=3,
                  marker="o", markersize=7 if len(rounds) <= DOTS else 4)  # fmt: skip
        axes.yaxis.set_major_locator(MaxNLocator(nbins=2))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: money(int(value))))
        axes.tick_params(labelsize=FONT - 4)
        last = n == len(panels) - 1
        axes.set_xticks([places[k] for k in shown], [rounds[k] for k in shown] if last else [])
        if last and len(shown) > 1:  # the names stay within the picture's edges
            names = axes.get_xticklabels()
            names[0].set_horizontalalignment("left")
            names[-1].set_horizontalalignment("right")
        axes.set_xlim(-0.3, max(len(rounds) - 1, 1) + 0.3)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        name = _shortened(panel.name, (LINE_CHARS - len(panel.note)) * 4 // 5)
        figure.text(0.05, top + 0.1 / height, name, ha="left", va="bottom", fontsize=FONT,
                    weight="bold", color=INK)  # fmt: skip
        figure.text(0.95, top + 0.1 / height, panel.note, ha="right", va="bottom",
                    fontsize=FONT - 2, color=INK)  # fmt: skip
    legend = [
        Line2D([0], [0], color=TOWARD_TIER, linewidth=3, marker="o", label=labels.reached),
        Line2D([0], [0], color=MARKET, linewidth=3, linestyle="--", label=labels.market),
    ]
    _legend_below(figure, legend, "")
    return _png(figure)


def write_png(data: bytes, path: Path) -> Path:
    """Write `data` to `path` (its folder made if need be) so that a reader never sees half a
    file: written beside it first, then moved into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path


def _colour(bar: ProgressBar) -> str:
    if bar.reached:
        return REACHED
    return BELOW_MOQ if bar.below_moq else TOWARD_TIER


def _figure(rows: float, legend_lines: int) -> tuple[Figure, Axes]:
    """A phone-wide figure: a two-line title, `rows` bars each under a line of text, the
    axis, and `legend_lines` lines of legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    title, axis, legend = 1.2, 0.9, 0.4 * legend_lines + 0.2
    height = title + ROW_INCHES * max(rows, 1.0) + axis + legend
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(figure)
    bottom = (axis + legend) / height
    axes = figure.add_axes((0.05, bottom, 0.90, 1.0 - bottom - title / height))
    return figure, axes


def _caption_above(axes: Axes, row: float, name: str, note: str, right: float = 1.0) -> None:
    """The bar's name on the left and its figures on the right, on a line above it."""
    above = row + BAR / 2 + 0.08
    name = _shortened(name, (LINE_CHARS - len(note)) * 4 // 5)  # bold and larger: wider
    axes.text(0.0, above, name, ha="left", va="bottom", fontsize=FONT, weight="bold", color=INK)
    axes.text(right, above, note, ha="right", va="bottom", fontsize=FONT - 2, color=INK)


def _shortened(text: str, room: int) -> str:
    """`text`, cut to `room` characters (at least 12) with "…" where it is longer."""
    room = max(room, 12)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _title(figure: Figure, title: str, subtitle: str) -> None:
    """The title at the top left, on two lines when it is long (cut after that), the
    subtitle under it."""
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    size = FONT + 3
    if len(lines) > 1:
        size = FONT
        lines = textwrap.wrap(title, TITLE_CHARS * (FONT + 3) // FONT)
        lines = [lines[0], _shortened(" ".join(lines[1:]), TITLE_CHARS * (FONT + 3) // FONT)]
    height = figure.get_figheight()
    figure.text(0.05, 1.0 - 0.15 / height, "\n".join(lines), ha="left", va="top",
                fontsize=size, weight="bold", color=INK)  # fmt: skip
    if subtitle:
        below = 0.15 + 0.3 * len(lines) + 0.1
        figure.text(0.05, 1.0 - below / height, subtitle, ha="left", va="top",
                    fontsize=FONT - 1, color=INK)  # fmt: skip


def _legend_below(figure: Figure, handles: Sequence[Artist], more: str) -> None:
    figure.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0.03, 0.0), ncols=2,
        fontsize=FONT - 3, frameon=False, title=more or None, title_fontsize=FONT - 3,
        alignment="left",
    )  # fmt: skip


def _frame(axes: Axes, lowest: float, right: float) -> None:
    """Room above the first bar (at row 0) for its text, down to the bar at row `lowest`; no
    frame but the axis at the bottom."""
    axes.set_ylim(lowest - BAR / 2 - 0.2, BAR / 2 + 0.75)
    axes.set_xlim(0.0, right)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


def _empty(figure: Figure, axes: Axes, words: str) -> bytes:
    """A chart with nothing to draw: its title and `words` in the middle."""
    axes.text(0.5, 0.5, words, ha="center", va="center", fontsize=FONT)
    axes.set_axis_off()
    return _png(figure)


def _gap(value: int | None) -> float:
    """A value on a line; None breaks the line there."""
    return float("nan") if value is None else float(value)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
