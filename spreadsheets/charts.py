"""PNG charts for people who would rather look than read, drawn with matplotlib ("Agg").

Two charts, both sized for a phone screen (large type, horizontal bars, a name per bar):

- `progress_png`: the open round, one bar per product, how far its running total has come
  toward its next target: the MOQ while it is below it, then the next price tier. A product
  whose best price is reached has a full green bar.
- `savings_png`: per month, what the network paid (order value) against what the same goods
  cost at market price; the difference is the saving.

Pure drawing: every word arrives already rendered (`ProgressLabels`, `SavingsLabels`, each
bar's `note`, the month names) and every number is a plain value, so this module knows no
language, template or database. A figure is built with the object API (`Figure` on an Agg
canvas), never pyplot's global state, so two charts drawn at once on worker threads do not
meet.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
class MonthBar:
    label: str  # "Desember 2026"
    order_value: int
    market_value: int
    note: str  # the saving, written at the end ("hemat Rp 1.250.000")


@dataclass(frozen=True, slots=True)
class SavingsLabels:
    title: str
    axis: str
    order_value: str
    market_value: str
    empty: str  # shown instead of bars when no round has closed yet


def progress_png(bars: Sequence[ProgressBar], labels: ProgressLabels) -> bytes:
    """The round's progress chart as PNG bytes (an empty chart with its title for no bars).

    Each product is a line of text (its name and figures) above a full-width bar: nothing
    is cut off at the width of a phone."""
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
    _frame(axes, len(bars), 1.0)
    return _png(figure)


def savings_png(
    months: Sequence[MonthBar], labels: SavingsLabels, money: Callable[[int], str]
) -> bytes:
    """The savings chart as PNG bytes: per month two bars, order value and market value;
    `money` writes an amount on the axis ("Rp 1.250.000")."""
    figure, axes = _figure(2 * len(months), legend_lines=1)
    _title(figure, labels.title, "")
    if not months:
        axes.text(0.5, 0.5, labels.empty, ha="center", va="center", fontsize=FONT)
        axes.set_axis_off()
        return _png(figure)
    rows = [float(-2 * n) for n in range(len(months))]  # the oldest month on top
    widest = max(max(m.market_value, m.order_value) for m in months) or 1
    axes.barh(rows, [m.order_value for m in months], color=TOWARD_TIER, height=BAR)
    axes.barh(
        [row - 0.75 for row in rows], [m.market_value for m in months], color=MARKET, height=BAR
    )
    for row, month in zip(rows, months, strict=True):
        _caption_above(axes, row, month.label, month.note, right=widest)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: money(int(value))))
    axes.tick_params(axis="x", labelsize=FONT - 4)
    axes.set_xlabel(labels.axis, fontsize=FONT)
    legend = [
        Patch(color=TOWARD_TIER, label=labels.order_value),
        Patch(color=MARKET, label=labels.market_value),
    ]
    _legend_below(figure, legend, "")
    _frame(axes, 2 * len(months), widest)
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


def _figure(rows: int, legend_lines: int) -> tuple[Figure, Axes]:
    """A phone-wide figure: a two-line title, `rows` bars each under a line of text, the
    axis, and `legend_lines` lines of legend."""
    title, axis, legend = 1.2, 0.9, 0.4 * legend_lines + 0.2
    height = title + ROW_INCHES * max(rows, 1) + axis + legend
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


def _frame(axes: Axes, rows: int, right: float) -> None:
    """Room above the first bar for its text; no frame but the axis at the bottom."""
    axes.set_ylim(-(rows - 1) - BAR / 2 - 0.2 if rows else -1.0, BAR / 2 + 0.75)
    axes.set_xlim(0.0, right)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
