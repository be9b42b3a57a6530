"""Charts as PNG files: the open round's progress (`/grafik`, and the group once a day); the
reports' charts are `usecases.report_charts`, with the words and captions made the same way.

The drawing is `spreadsheets.charts`; this module turns the round's figures into its plain
values and its words into rendered labels: one template per chart and language
(`charts/progress`, `charts/savings`, "key: words" a line), rendered once per chart, whose
`note_*` lines are patterns filled in per bar with numbers and Rupiah written by
`messages.formatting`. The caption (`charts/progress_caption`) is the chart's alt text:
its figures in one short paragraph.

Progress bars: a product below its MOQ shows how far it is toward the MOQ; past it, toward
its next price tier (with the MOQ marked on the bar); with no tier left to reach, a full bar
"tercapai". With many products only the `TOP_PRODUCTS` of highest value so far are drawn,
so the picture stays readable on a phone.

`post_daily_chart` is the daily group post (`usecases.sweeps` runs it every minute): once a
local day per open round (table `round_chart_posts`, claimed in the same transaction that
queues the posts), never in quiet hours, and not before anybody ordered anything. The file
is written before the transaction, one per language of the readers, into `grafik/` next to
the database, and the queued reply names it. After each post the daily charts older than
`KEEP_DAYS` days and the `/grafik` charts of rounds no longer open are deleted
(`prune_charts`), except any that a message still waiting in the outbox names: a file is
never taken from under a message that has to send it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path

from messages.formatting import number, resolve_language, rupiah
from messages.render import Renderer
from messages.replies import Reply
from messages.styles import TextStyle
from purchasing.model import Round
from purchasing.progress import ProductProgress, order_value, progress_for
from purchasing.reminders import QuietPeriod
from purchasing.rounds import accepts_changes
from spreadsheets.charts import ProgressBar, ProgressLabels, progress_png, write_png
from spreadsheets.in_child import in_child
from storage import round_charts, rounds
from storage.commitment_reads import totals_for_round
from usecases.context import UseCaseContext
from usecases.notices.audience import group_recipients
from usecases.notices.posts import Post, queue_posts

CHARTS_DIR = "grafik"  # next to the database: the chart files sent in the chat
TOP_PRODUCTS = 8  # bars on one progress chart: more would not read on a phone
DAILY_KIND = "daily_chart"  # the outbox rows of the daily group post
KEEP_DAYS = 3  # the daily charts kept after their day (older ones no waiting message sends)
DAILY_FILE = re.compile(r"putaran-[0-9]+-([0-9]{4}-[0-9]{2}-[0-9]{2})-[a-z]+\.png")
LATEST_FILE = re.compile(r"putaran-([0-9]+)-[a-z]+\.png")  # `/grafik`'s, replaced each time


class ChartWordsMissing(ValueError):
    """A chart template lacks a line the chart needs (a template bug)."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart written to `path`, with its caption: `caption` with `context` (plain values)."""

    path: Path
    caption: str
    context: Mapping[str, object]

    def reply(self, language: str) -> Reply:
        return Reply(self.caption, self.context, language, attachment=self.path, picture=True)


def charts_folder(database: Path) -> Path:
    """Where the charts of the database at `database` are written."""
    return database.parent / CHARTS_DIR


@cache
def packaged_renderer(zone: tzinfo) -> Renderer:
    return Renderer(zone=zone)  # the charts' words use no office name


def chart_words(
    renderer: Renderer, name: str, language: str, context: Mapping[str, object]
) -> dict[str, str]:
    """The "key: words" lines of chart template `name`, rendered once."""
    text = renderer.render(name, language, context, TextStyle.PLAIN)
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, colon, words = line.strip().partition(":")
        if colon:
            found[key.strip()] = words.strip()
    return found


def needed_words(words: Mapping[str, str], *keys: str) -> list[str]:
    missing = [key for key in keys if key not in words]
    if missing:
        raise ChartWordsMissing(f"chart words missing: {missing}")
    return [words[key] for key in keys]


# --- the open round's progress -------------------------------------------------------------


def top_products(
    progress: Sequence[ProductProgress], limit: int = TOP_PRODUCTS
) -> list[ProductProgress]:
    """The `limit` products of highest value so far (total × price reached), in the round's
    order among themselves; all of them when there are no more."""
    if len(progress) <= limit:
        return list(progress)
    ranked = sorted(range(len(progress)), key=lambda n: -progress[n].total * progress[n].unit_price)
    return [progress[n] for n in sorted(ranked[:limit])]


def progress_bar(progress: ProductProgress, notes: Mapping[str, str], lang: str) -> ProgressBar:
    """One product's bar: toward its MOQ, else its next tier, else full ("tercapai")."""
    item, total = progress.item, progress.total
    filled = {"total": number(total, lang), "unit": item.unit}
    if not progress.moq_reached and progress.moq:
        note = notes["note_moq"].format(**filled, target=number(progress.moq, lang), price="")
        return ProgressBar(item.name, total / progress.moq, True, False, note)
    following = progress.next_tier
    if following is None:
        note = notes["note_reached"].format(
            **filled, target="", price=rupiah(progress.unit_price, lang)
        )
        return ProgressBar(item.name, 1.0, False, True, note)
    target = following.min_total
    note = notes["note_tier"].format(
        **filled, target=number(target, lang), price=rupiah(following.unit_price, lang)
    )
    moq_at = None if not progress.moq else progress.moq / target
    return ProgressBar(item.name, total / target, False, False, note, moq_at)


def progress_caption_context(
    round_: Round, progress: Sequence[ProductProgress], shown: int, at: datetime
) -> dict[str, object]:
    """The caption's figures as plain values (a queued reply's context is JSON)."""
    return {
        "round_name": round_.name,
        "at": at,
        "products": len(progress),
        "best": sum(1 for p in progress if p.moq_reached and p.next_tier is None),
        "below_moq": sum(1 for p in progress if not p.moq_reached),
        "value": sum(order_value(p) for p in progress if p.moq_reached),
        "value_waiting": sum(order_value(p) for p in progress if not p.moq_reached),
        "shown": shown,
        "hidden": len(progress) - shown,
    }


@dataclass(frozen=True, slots=True)
class ProgressParts:
    """What the progress chart is drawn from: its bars, its words and its caption's context."""

    bars: list[ProgressBar]
    labels: ProgressLabels
    context: dict[str, object]


def progress_parts(
    round_: Round, totals: Mapping[str, int], language: str, at: datetime, renderer: Renderer
) -> ProgressParts:
    """The round's progress chart in `language`: its words rendered once, a bar per product
    shown."""
    lang = resolve_language(language)
    progress = progress_for(round_, totals)
    shown = top_products(progress)
    context = progress_caption_context(round_, progress, len(shown), at)
    words = chart_words(renderer, "charts/progress", lang, context)
    keys = ("title", "subtitle", "axis", "below_moq", "toward_tier", "reached", "moq", "more")
    labels = ProgressLabels(*needed_words(words, *keys))
    notes = dict(zip(("note_moq", "note_tier", "note_reached"), needed_words(
        words, "note_moq", "note_tier", "note_reached"), strict=True))  # fmt: skip
    return ProgressParts([progress_bar(p, notes, lang) for p in shown], labels, context)


async def progress_chart(
    ctx: UseCaseContext, language: str, renderer: Renderer | None = None
) -> Chart | None:
    """The open round's progress chart as it stands now, written as
    `grafik/putaran-<id>-<lang>.png` (the latest replaces the one before); None when no
    round is open."""
    now = ctx.now()
    round_ = await rounds.current_round(ctx.db, now)
    if round_ is None:
        return None
    totals = await totals_for_round(ctx.db, round_.id)
    lang = resolve_language(language)
    path = charts_folder(ctx.db.path) / f"putaran-{round_.id}-{lang}.png"
    return await _drawn(
        round_, totals, lang, now, renderer or packaged_renderer(ctx.timezone), path
    )


async def _drawn(
    round_: Round,
    totals: Mapping[str, int],
    lang: str,
    at: datetime,
    renderer: Renderer,
    path: Path,
) -> Chart:
    """Drawn by a child process (`spreadsheets.in_child`: matplotlib would stay in the
    bot's memory, 57 MB, after its first chart), written here."""
    parts = await asyncio.to_thread(progress_parts, round_, totals, lang, at, renderer)
    png = await in_child(progress_png, parts.bars, parts.labels)
    written = await asyncio.to_thread(write_png, png, path)
    return Chart(written, "charts/progress_caption", parts.context)


async def post_daily_chart(
    ctx: UseCaseContext, now: datetime, quiet: QuietPeriod, renderer: Renderer | None = None
) -> int:
    """Queue the open round's progress chart to the group (and, where there are no groups,
    to each treasurer), at most once per local day, never in quiet hours, and only once
    anybody ordered; how many messages were queued."""
    if quiet.contains(now):
        return 0
    round_ = await rounds.current_round(ctx.db, now)
    if round_ is None or not accepts_changes(round_, now):  # past, or being closed
        return 0
    day = now.astimezone(quiet.zone).date()
    last = await round_charts.posted_on(ctx.db, round_.id)
    if last is not None and last >= day:
        return 0  # posted today: only read
    totals = await totals_for_round(ctx.db, round_.id)
    readers = await group_recipients(ctx.db, ctx.default_language)
    if not any(totals.values()) or not readers:
        return 0
    chosen = renderer or packaged_renderer(ctx.timezone)
    charts: dict[str, Chart] = {}
    for lang in sorted({resolve_language(person.language) for person in readers}):
        path = charts_folder(ctx.db.path) / f"putaran-{round_.id}-{day.isoformat()}-{lang}.png"
        charts[lang] = await _drawn(round_, totals, lang, now, chosen, path)
    posts = [
        Post(
            person.platform,
            person.chat_id,
            DAILY_KIND,
            _daily_key(round_.id, day, person.platform, person.chat_id),
            charts[resolve_language(person.language)].reply(person.language),
        )
        for person in readers
    ]
    async with ctx.db.transaction() as tx:
        if not await round_charts.claim_day(tx, round_.id, day, now):
            return 0  # another sweep posted it a moment ago
        queued = await queue_posts(tx, posts, now)
    await prune_charts(ctx, day, round_.id)
    return queued


async def prune_charts(
    ctx: UseCaseContext, today: date, open_round: int, keep_days: int = KEEP_DAYS
) -> int:
    """Delete from `grafik/` the daily charts of days more than `keep_days` before `today`,
    and the `/grafik` charts of rounds other than `open_round` (it draws only the open one),
    but never a file that a message still waiting in the outbox names; how many went."""
    waiting = {Path(name).name for name in await round_charts.files_to_send(ctx.db)}
    before = today - timedelta(days=keep_days)
    return await asyncio.to_thread(_prune, charts_folder(ctx.db.path), before, open_round, waiting)


def _prune(folder: Path, before: date, open_round: int, waiting: set[str]) -> int:
    if not folder.is_dir():
        return 0
    gone = 0
    for file in folder.iterdir():
        daily, latest = DAILY_FILE.fullmatch(file.name), LATEST_FILE.fullmatch(file.name)
        old = daily is not None and date.fromisoformat(daily[1]) < before
        other = latest is not None and int(latest[1]) != open_round
        if file.name in waiting or not (old or other):
            continue
        file.unlink(missing_ok=True)
        gone += 1
    return gone


def _daily_key(round_id: int, day: date, platform: str, chat_id: str) -> str:
    return f"{DAILY_KIND}:{round_id}:{day.isoformat()}:{platform}:{chat_id}"
