"""What the bot posts on its own initiative: round opened, progress toward volume prices,
and staff broadcasts. Everything is queued in the outbox (`storage.outbox`) and sent later by
the rate-limited sender (`bot.delivery`); each row's dedupe key makes a post happen once even
when the code that queues it runs twice.

Contexts are built from plain values only (see `messages.outbox_codec`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.group_audience import GROUPLESS_PLATFORMS, group_chats
from handlers.services import Services
from messages.buttons import encode
from messages.outbox_codec import encode_reply
from messages.replies import Option, Reply
from purchasing.model import RepRole, Round, RoundStatus
from purchasing.progress import ProductProgress, buyable, product_progress
from storage import groups, outbox, reps, rounds
from storage.commitments import CommitmentChange
from storage.database import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recipient:
    platform: str
    chat_id: str
    language: str
    is_group: bool


async def group_recipients(services: Services) -> list[Recipient]:
    """Linked groups, and on WhatsApp each treasurer privately (see `handlers.group_audience`)."""
    audience = await groups.group_audience(services.db, GROUPLESS_PLATFORMS, RepRole.TREASURER)
    private: dict[tuple[str, str], Recipient] = {}
    for platform in GROUPLESS_PLATFORMS:
        private.update(
            ((chat.platform, chat.user_id), _private(services, chat))
            for chat in audience.rep_chats
            if chat.platform == platform
        )
    return [
        private.get(chat) or Recipient(*chat, services.default_language, is_group=True)
        for chat in group_chats(audience.groups, private)
    ]


async def rep_recipients(
    services: Services, *, platform: str | None = None, role: RepRole | None = None
) -> list[Recipient]:
    """Every rep's private chat, once per chat identity, in that person's language."""
    return [
        _private(services, chat)
        for chat in await reps.rep_chats(services.db, platform=platform, role=role)
    ]


def _private(services: Services, chat: reps.RepChat) -> Recipient:
    return Recipient(chat.platform, chat.user_id, chat.language or services.default_language, False)


def _once(recipients: Iterable[Recipient]) -> list[Recipient]:
    """Each chat once (on WhatsApp a treasurer is both a rep and a group reader)."""
    return list({(r.platform, r.chat_id): r for r in recipients}.values())


async def queue(
    services: Services,
    recipients: Iterable[Recipient],
    kind: str,
    dedupe_prefix: str,
    reply_for: Callable[[Recipient], Reply],
) -> int:
    """Queue one reply per recipient in ONE transaction; how many were new."""
    async with services.db.transaction() as conn:
        return await queue_in(conn, services.now(), recipients, kind, dedupe_prefix, reply_for)


async def queue_in(
    conn: Connection,
    now: datetime,
    recipients: Iterable[Recipient],
    kind: str,
    dedupe_prefix: str,
    reply_for: Callable[[Recipient], Reply],
) -> int:
    """`queue` inside a transaction the caller holds."""
    queued = 0
    for person in recipients:
        key = f"{dedupe_prefix}:{person.platform}:{person.chat_id}"
        payload = encode_reply(reply_for(person))
        if await outbox.enqueue(conn, person.platform, person.chat_id, kind, payload, key, now):
            queued += 1
    return queued


async def announce_round_opened(services: Services, round_: Round) -> int:
    """Tell linked groups and every rep that a round is open; how many posts were queued."""
    context = round_opened_context(round_)

    def reply_for(person: Recipient) -> Reply:
        button = (
            Option("buttons/group_open_private", open_private_chat=True, payload="")
            if person.is_group
            else Option("buttons/announce_catalog", payload=encode("k", round_.id, 0))
        )
        return Reply("announce_round_opened", context, person.language, ((button,),))

    everyone = _once(
        [*await group_recipients(services), *await rep_recipients(services, role=RepRole.TREASURER)]
    )
    return await queue(services, everyone, "round_opened", f"round_opened:{round_.id}", reply_for)


async def round_move_notices(services: Services) -> rounds.OnMoved:
    """For staff extending or cancelling a round: who is told (treasurers and groups) is read
    now; the hook returned queues their notices inside the move's own transaction, so a crash
    loses both the move and its notices, or neither."""
    everyone = _once(
        [*await group_recipients(services), *await rep_recipients(services, role=RepRole.TREASURER)]
    )

    async def queue_notices(conn: Connection, before: Round, after: Round) -> None:
        cancelled = after.status is RoundStatus.CANCELLED
        template = "announce_round_cancelled" if cancelled else "announce_round_extended"
        context = {
            "round_name": after.name,
            "closes_at": after.closes_at,
            "previous_closes_at": None if cancelled else before.closes_at,
        }

        def reply_for(person: Recipient) -> Reply:
            return Reply(template, context, person.language)

        key = f"{template}:{after.id}:{after.closes_at:%Y%m%dT%H%M}"
        await queue_in(conn, services.now(), everyone, template, key, reply_for)

    return queue_notices


def round_opened_context(round_: Round) -> dict[str, object]:
    return {
        "round_id": round_.id,
        "round_name": round_.name,
        "closes_at": round_.closes_at,
        "product_count": len(round_.items),
        "delivery_note": round_.delivery_note,
    }


async def announce_progress(
    services: Services, round_id: int, changes: Sequence[CommitmentChange]
) -> int:
    """After commitments changed: post to linked groups each product whose change just
    reached its MOQ or a new price tier. With no milestone reached it reads nothing more (it
    runs on every order); a milestone posted before is ignored by its dedupe key.

    Only the change that crosses a milestone posts it, after the order's own transaction: if
    the process dies in between, that post is lost (the order is not). A failure here is
    logged and never turns the saved order into an error reply (a treasurer told "failed"
    would tap "+5" again)."""
    reached = [(change, step) for change in changes if (step := _crossed(change)) is not None]
    if not reached:
        return 0
    try:
        return await _queue_progress(services, round_id, reached)
    except Exception:
        log.exception("progress posts of round %s could not be queued", round_id)
        return 0


async def _queue_progress(
    services: Services, round_id: int, reached: Sequence[tuple[CommitmentChange, str]]
) -> int:
    targets = await group_recipients(services)
    queued = 0
    for change, step in reached if targets else []:
        progress = product_progress(change.item, change.total)
        context = progress_context(progress, step)

        def reply_for(person: Recipient, context: dict[str, object] = context) -> Reply:
            return Reply("announce_progress", context, person.language)

        prefix = f"progress:{round_id}:{change.item.product_code}:{step}"
        queued += await queue(services, targets, "progress", prefix, reply_for)
    return queued


def _crossed(change: CommitmentChange) -> str | None:
    """The milestone this change took its product to, if it was not there before."""
    if change.new <= change.old:
        return None
    step = milestone(product_progress(change.item, change.total))
    before = milestone(product_progress(change.item, change.total_before))
    return step if step != before else None


def milestone(progress: ProductProgress) -> str | None:
    """The last step this product reached: "tier<min_total>" above the base price, else "moq"
    once a MOQ is met; None before the MOQ or with nothing to celebrate."""
    if not progress.moq_reached:
        return None
    bought = buyable(progress.item, progress.total)
    reached = [tier for tier in progress.item.tiers[1:] if tier.min_total <= bought]
    if reached:
        return f"tier{reached[-1].min_total}"
    return "moq" if progress.moq is not None else None


def progress_context(progress: ProductProgress, reached: str) -> dict[str, object]:
    following = progress.next_tier
    return {
        "name": progress.item.name,
        "unit": progress.item.unit,
        "total": progress.total,
        "moq": progress.moq,
        "milestone": "moq" if reached == "moq" else "tier",
        "unit_price": progress.unit_price,
        "next_min_total": None if following is None else following.min_total,
        "next_unit_price": None if following is None else following.unit_price,
    }


async def broadcast_with_progress(
    services: Services, broadcast_id: str, text: str, admin: Recipient
) -> tuple[int, int]:
    """Like `broadcast`, but first queue the progress message for the admin's chat, which
    the sender edits in place as the broadcast goes out ("Terkirim 40/100 · 2 gagal").

    One transaction; the progress row (kind "broadcast_progress") comes first and names the
    broadcast's dedupe prefix under "progress_of" (see `bot.delivery_progress`).
    """
    everyone = _once([*await rep_recipients(services), *await group_recipients(services)])
    prefix = f"broadcast:{broadcast_id}"
    start = {"sent": 0, "failed": 0, "total": len(everyone), "done": False}
    progress = {
        **encode_reply(Reply("delivery_progress", start, admin.language)),
        "progress_of": f"{prefix}:",
    }
    now = services.now()
    queued = 0
    async with services.db.transaction() as conn:
        await outbox.enqueue(
            conn, admin.platform, admin.chat_id, "broadcast_progress", progress,
            f"broadcast_progress:{broadcast_id}", now,
        )  # fmt: skip
        for person in everyone:
            reply = Reply("announce_broadcast", {"text": text}, person.language)
            key = f"{prefix}:{person.platform}:{person.chat_id}"
            payload = encode_reply(reply)
            if await outbox.enqueue(
                conn, person.platform, person.chat_id, "broadcast", payload, key, now
            ):
                queued += 1
    return queued, len(everyone)
