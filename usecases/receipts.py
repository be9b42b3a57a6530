"""After the deliveries: each coop confirms what it received of its bill (`/terima`, or one
tap), once every supplier of its goods has named its delivery day; goods that did not
arrive are not billed (the change kept with the reason `receipt`), and the admins and the
suppliers concerned are told. A treasurer may then send photos of goods that came damaged
or short (`send_receipt_photo`), kept next to the database and shown to the same people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from messages.replies import Reply
from purchasing.errors import NothingToReceive
from purchasing.model import Round
from purchasing.supply import (
    AllocationChange,
    check_deliveries_scheduled,
    check_receipt,
    check_shortfall_reported,
)
from storage import payments, rounds, supply
from storage.catalog.reads import get_coop
from storage.database import Transaction
from storage.errors import UnknownRound
from storage.people.audience import Audience, load_audience
from usecases.context import UseCaseContext
from usecases.kept_files import keep, place_for, shown_as_picture
from usecases.notices.posts import Post, queue_posts
from usecases.supply import bill_line, coop_totals, product_name

NOT_RECEIVED = "receipt"


@dataclass(frozen=True, slots=True)
class ReceiptConfirmed:
    round: Round
    coop_code: str
    changes: list[AllocationChange]
    total: int  # the coop's bill after the receipt


async def confirm_receipt(
    ctx: UseCaseContext,
    coop_code: str,
    received: Mapping[str, int],
    actor: str,
    round_id: int | None = None,
) -> ReceiptConfirmed:
    """The coop's bill of closed round `round_id` (default: the last closed round) as
    received: `received` names each product that arrived short, with the units that arrived
    (empty: all as shipped). Goods missing are not billed, and the admins and the suppliers'
    reps are told. Raises NothingToReceive, UnknownRound, DeliveryNotConfirmed,
    ReceiptAlreadyConfirmed, NotOnBill or ReceivedOverShipped."""
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        round_ = await _closed_round(tx, round_id, coop_code)
        shipped = await supply.coop_allocations(tx, round_.id, coop_code)
        if not shipped:
            raise NothingToReceive(coop_code=coop_code, round_name=round_.name)
        deliveries = await supply.coop_deliveries(tx, round_.id, coop_code)
        check_deliveries_scheduled(deliveries, coop_code, round_.name)
        before = await supply.receipt_confirmed(tx, round_.id, coop_code)
        changes = check_receipt(shipped, received, coop_code, before, round_.name)
        await supply.change_allocations(tx, round_.id, changes, NOT_RECEIVED, actor, now)
        await supply.record_receipt(tx, round_.id, coop_code, len(changes), actor, now)
        total = coop_totals(await payments.bills_due(tx, round_.id)).get(coop_code, 0)
        done = ReceiptConfirmed(round_, coop_code, changes, total)
        if changes:
            await queue_posts(tx, await _shortfall_notices(tx, done, ctx.default_language), now)
    return done


async def _shortfall_notices(
    tx: Transaction, done: ReceiptConfirmed, default_language: str
) -> list[Post]:
    """To the admins and to the reps of each supplier whose goods did not all arrive."""
    audience = await load_audience(tx)
    round_ = done.round
    lines = [bill_line(round_, change) for change in done.changes]
    context = {
        "round_name": round_.name,
        "coop_code": done.coop_code,
        "coop_name": await _coop_name(tx, done.coop_code),
        "lines": lines,
    }
    prefix = f"receipt:{round_.id}:{done.coop_code}"
    readers = set(audience.admins)
    for change in done.changes:
        item = round_.item(change.product_code)
        if item is not None:
            readers |= {(r.platform, r.user_id) for r in audience.supplier_reps(item.supplier_code)}
    posts = []
    for platform, user_id in sorted(readers):
        language = audience.language(platform, user_id, default_language)
        reply = Reply("receipt_short", context, language)
        key = f"{prefix}:{platform}:{user_id}"
        posts.append(Post(platform, user_id, "receipt_short", key, reply))
    return posts


@dataclass(frozen=True, slots=True)
class PhotoReceived:
    round: Round
    coop_code: str
    new: bool  # False: the same file was sent before (kept once, nobody told again)


async def _closed_round(tx: Transaction, round_id: int | None, coop_code: str) -> Round:
    """The closed round a receipt is about: `round_id`, else the last one closed. Raises
    NothingToReceive when none is closed (or that one is not), UnknownRound when there is
    no round `round_id`."""
    closed = [r for r in await rounds.closed_rounds(tx) if round_id is None or r.id == round_id]
    if closed:
        return closed[0]
    found = None if round_id is None else await rounds.get_round(tx, round_id)
    if round_id is not None and found is None:
        raise UnknownRound(round_id=round_id)
    raise NothingToReceive(coop_code=coop_code, round_name=found.name if found else "")


async def send_receipt_photo(
    ctx: UseCaseContext, round_id: int, coop_code: str, file: Path, name: str, actor: str
) -> PhotoReceived:
    """Keep a photo of the coop's goods that came damaged or short in round `round_id` and
    show it to the admins and the reps of the suppliers concerned. Raises NothingToReceive
    (round `round_id` is not closed), UnknownRound or NothingShortReceived (its receipt said
    nothing came short)."""
    now = ctx.now()
    digest, stored = await place_for(ctx.db.path, file, name)
    async with ctx.db.transaction() as tx:
        round_ = await _closed_round(tx, round_id, coop_code)
        short = await supply.receipt_shortfalls(tx, round_id, coop_code)
        check_shortfall_reported(short, coop_code, round_.name)
        new = await supply.add_receipt_photo(
            tx, round_id, coop_code, stored.name, digest, actor, now
        )
        if new:
            await keep(file, stored)
            audience = await load_audience(tx)
            coop_name = await _coop_name(tx, coop_code)
            posts = _photo_notices(
                audience, round_, (coop_code, coop_name), short, stored, ctx.default_language
            )
            await queue_posts(tx, posts, now)
    return PhotoReceived(round_, coop_code, new)


async def _coop_name(tx: Transaction, coop_code: str) -> str:
    """The name treasurers and suppliers know the coop by (its code if it is unknown)."""
    coop = await get_coop(tx, coop_code)
    return coop.name if coop is not None else coop_code


def _photo_notices(
    audience: Audience,
    round_: Round,
    coop: tuple[str, str],  # code, name
    short: Sequence[str],
    photo: Path,
    default_language: str,
) -> list[Post]:
    """The photo, to the admins and the reps of each supplier whose goods came short."""
    readers = set(audience.admins)
    for code in short:
        item = round_.item(code)
        if item is not None:
            readers |= {(r.platform, r.user_id) for r in audience.supplier_reps(item.supplier_code)}
    coop_code, coop_name = coop
    context = {
        "round_name": round_.name,
        "coop_code": coop_code,
        "coop_name": coop_name,
        "products": [product_name(round_, code) for code in short],
    }
    posts = []
    for platform, user_id in sorted(readers):
        language = audience.language(platform, user_id, default_language)
        reply = Reply(
            "receipt_photo", context, language, attachment=photo, picture=shown_as_picture(photo)
        )
        key = f"receipt_photo:{round_.id}:{coop_code}:{photo.stem[:16]}:{platform}:{user_id}"
        posts.append(Post(platform, user_id, "receipt_photo", key, reply))
    return posts
