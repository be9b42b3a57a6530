"""Deadline reminders: before a round closes, every treasurer hears how their coops stand.

`usecases.sweeps.send_due_reminders` asks `purchasing.reminders.due_reminder` which reminder
(if any) is due and queues `reminder_posts` to every treasurer's private chat, with the dedupe
key "reminder:<round>:<deadline>:<offset-minutes>:<platform>:<chat>", so it is queued once
however often or late the sweep runs. A person whose coops have ordered nothing gets a nudge
(reminder_nudge); otherwise each coop's current order with its estimate (reminder_order): what
is sure and what is at risk, below its MOQ or over-subscribed (`purchasing.estimate`, computed
once for the round), and a nudge line for a coop of theirs that has not ordered.
`estimate_context` turns an estimate into the plain values the `estimate` template reads
(queued replies are JSON); `/pesanan` and the order reply use it too.

A reminder (or an admin's nudge, `usecases.nudges`) says when the round closes and asks for
orders: once the round closes, is cancelled or gets a later deadline, one not sent yet is
out of date. `withdraw_reminders` withdraws them in that move's own transaction
(`usecases.rounds`), so none is sent after it: the outbox rows still pending, and on
WhatsApp the full reminder held behind its template until the person writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.estimate import Estimate, EstimateLine, coop_estimates
from purchasing.model import Commitment, Coop, Round
from purchasing.paperwork import due_date
from purchasing.product_match import CatalogEntry, ProductMatcher, shortest_name
from purchasing.progress import product_progress
from purchasing.reminders import offset_minutes
from purchasing.settlement import BillDue
from storage.catalog.reads import list_coops
from storage.commitment_reads import commitments_for_round, totals_for_round
from storage.database import Connection
from storage.delivery import outbox, whatsapp_sends
from storage.people.audience import Audience, load_audience
from usecases.notices.posts import Post, to_treasurers

Context = dict[str, object]
REMINDER_TEMPLATES = ("reminder_order", "reminder_nudge")
# Why a round's reminders not sent yet were withdrawn (the outbox row's `last_error`).
ROUND_CLOSED = "round_closed"
ROUND_CLOSING = "round_closing"
ROUND_CANCELLED = "round_cancelled"
DEADLINE_MOVED = "deadline_moved"


def reminder_key(round_: Round, offset: timedelta) -> str:
    """Dedupe key prefix of one reminder. It names the deadline, so a round that is extended
    (by staff, or for its MOQ) reminds again before its new deadline."""
    deadline = round_.closes_at.strftime("%Y%m%dT%H%M")
    return f"reminder:{round_.id}:{deadline}:{offset_minutes(offset)}"


def nudge_key(round_id: int) -> str:
    """Dedupe key prefix of the round's nudges (`usecases.nudges`), then the time and chat."""
    return f"nudge:{round_id}:"


async def withdraw_reminders(conn: Connection, round_id: int, reason: str) -> int:
    """Withdraw every reminder and nudge of the round not sent yet (`reason`: why); how many.
    Call it in the transaction of the move that makes them out of date."""
    withdrawn = 0
    for prefix in (f"reminder:{round_id}:", nudge_key(round_id)):
        withdrawn += await outbox.withdraw(conn, prefix, reason)
    withdrawn += await whatsapp_sends.withdraw_held(conn, REMINDER_TEMPLATES, round_id, reason)
    return withdrawn


async def reminder_posts(
    conn: Connection, default_language: str, round_: Round, offset: timedelta
) -> list[Post]:
    audience = await load_audience(conn)
    coops = {coop.code: coop for coop in await list_coops(conn)}
    totals = await totals_for_round(conn, round_.id)
    ordered: dict[str, list[Commitment]] = {}
    commitments = await commitments_for_round(conn, round_.id)
    for commitment in commitments:
        ordered.setdefault(commitment.coop_code, []).append(commitment)
    estimates = coop_estimates(round_, commitments)
    catalog = Option("buttons/announce_catalog", payload=encode(Verb.CATALOG_PAGE, round_.id, 0))
    prefix = reminder_key(round_, offset)
    example = order_example(round_)
    posts: list[Post] = []
    for (platform, user_id), codes in _coops_per_chat(audience).items():
        sections = [
            _coop_section(round_, coops, code, ordered.get(code, []), totals, estimates)
            for code in codes
        ]
        template = "reminder_order" if any(s["lines"] for s in sections) else "reminder_nudge"
        context = {
            "round_id": round_.id,
            "round_name": round_.name,
            "closes_at": round_.closes_at,
            "coops": sections,
            "example": example,
        }
        language = audience.language(platform, user_id, default_language)
        reply = Reply(template, context, language, ((catalog,),))
        posts.append(Post(platform, user_id, "reminder", f"{prefix}:{platform}:{user_id}", reply))
    return posts


def order_example(round_: Round) -> Context | None:
    """A line a treasurer can copy from a reminder, from this round's first product: the fewest
    words of its name that find it, its code and unit ({"name": "beras sphp", ...})."""
    if not round_.items:
        return None
    entries = [CatalogEntry(item.product_code, item.name, item.unit) for item in round_.items]
    first = entries[0]
    return {
        "name": shortest_name(ProductMatcher(entries), first),
        "code": first.code,
        "unit": first.unit,
    }


def _coops_per_chat(audience: Audience) -> dict[tuple[str, str], list[str]]:
    """Each treasurer's private chat with the coops (not retired) that person orders for."""
    coops_of: dict[tuple[str, str], list[str]] = {}
    for rep in audience.treasurers():
        if rep.coop_code not in audience.retired_coops:
            coops_of.setdefault((rep.platform, rep.user_id), []).append(rep.coop_code)
    return coops_of


def _coop_section(
    round_: Round,
    coops: Mapping[str, Coop],
    code: str,
    commitments: Sequence[Commitment],
    totals: Mapping[str, int],
    estimates: Mapping[str, Estimate],
) -> Context:
    """One coop's order at the prices reached so far, with its estimate (no lines: it has
    not ordered)."""
    quantities = {commitment.product_code: commitment.quantity for commitment in commitments}
    lines: list[Context] = []
    total = 0
    for item in round_.items:
        quantity = quantities.get(item.product_code, 0)
        if quantity <= 0:
            continue
        progress = product_progress(item, totals.get(item.product_code, 0))
        total += quantity * progress.unit_price
        lines.append(
            {
                "product_code": item.product_code,
                "name": item.name,
                "unit": item.unit,
                "quantity": quantity,
                "unit_price": progress.unit_price,
                "subtotal": quantity * progress.unit_price,
                "short_of_moq": progress.short_of_moq,
            }
        )
    coop = coops.get(code)
    return {
        "coop_code": code,
        "coop_name": code if coop is None else coop.name,
        "lines": lines,
        "total": total,
        "estimate": estimate_context(estimates.get(code, Estimate(()))),
    }


def estimate_context(estimate: Estimate) -> Context:
    """An estimate as plain values for the `estimate` template."""
    return {
        "empty": estimate.empty,
        "products": estimate.products,
        "sure": estimate.sure,
        "at_risk": estimate.at_risk,
        "if_closed_now": estimate.if_closed_now,
        "extended_until": estimate.extended_until,
        "risky": [_risky_line(line) for line in estimate.risky_lines],
    }


def _risky_line(line: EstimateLine) -> Context:
    item = line.item
    return {
        "standing": line.standing.value,
        "product_code": item.product_code,
        "name": item.name,
        "unit": item.unit,
        "quantity": line.quantity,
        "subtotal": line.subtotal,
        "moq": item.moq,
        "short_of_moq": line.short_of_moq,
        "total": line.total,
        "supply_cap": item.supply_cap,
        "share": line.share,
        "share_subtotal": line.share_subtotal,
    }


async def unpaid_bill_posts(
    conn: Connection,
    bills: Sequence[BillDue],
    day: str,
    due_days: int,
    default_language: str,
) -> list[Post]:
    """One "bill overdue" message per overdue bill and treasurer of its coop, keyed by
    `day` (the local date), so a bill is reminded at most once a day."""
    audience = await load_audience(conn)
    posts = []
    for bill in bills:
        assert bill.closed_at is not None
        context = {
            "number": bill.number,
            "round_name": bill.round_name,
            "coop_name": bill.coop_name,
            "supplier": bill.supplier_name,  # "" unless the coop pays the supplier directly
            "total": bill.total,
            "paid": bill.paid,
            "balance": bill.balance,
            "due_at": due_date(bill.closed_at, due_days),
        }
        key = f"unpaid:{bill.number}:{day}"
        posts += to_treasurers(
            audience, bill.coop_code, "payment_reminder", context, key, default_language
        )
    return posts
