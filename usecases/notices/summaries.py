"""The close summaries and the MOQ extension notices, queued in the close transaction.

`usecases.rounds.close_round` queues them in the transaction that closes (or extends) the
round, so the outbox rows exist if and only if the round closed, and a close that happens
once queues them once. Each row's dedupe key ("summary:<round>:<what>:...") makes a second
queueing a no-op as well. The bills (one per coop: 10,000 in a province's round) are queued
there as held rows (`held_bills`: who and in which language, no message yet) and written
after the close in short transactions (`write_bills`), so the bot answers meanwhile; a
crash in between leaves them held, and the next sweep writes them. A close builds them
before its transaction (`close_readers`, `build_close_summaries`) and uses them only if
its transaction reads the same readers (and the outcome did not change either).

At close: each coop's reps get their bill, each linked group the round result, each admin the
overview with the round's workbook attached when sent, each supplier rep their purchase order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from messages.buttons import Verb, encode
from messages.outbox_codec import encode_reply
from messages.replies import FileKind, FileRequest, Option, Reply
from purchasing.model import Coop, Rep, RepRole, Round, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.supply import CONFIRM_DAYS
from storage.catalog.reads import list_coops
from storage.commitment_reads import commitments_for_round
from storage.database import Connection
from storage.delivery.outbox import HeldRow, OutboxMessage, QueuedRow
from storage.encoding import dump_json, dump_json_as_built
from storage.people.audience import Audience, load_audience
from usecases.notices.audience import group_chats
from usecases.notices.posts import Post
from usecases.notices.summary_contexts import (
    BillTexts,
    extension_context,
    overview_context,
    purchase_order_context,
    result_context,
    short_items,
    supplier_bills,
)


@dataclass(frozen=True, slots=True)
class CloseSummaries:
    """What a close queues in its transaction: the posts written out (group result,
    overview, purchase orders) and one held row per bill and treasurer (`held_bills`),
    whose messages `write_bills` writes after the close, in short transactions."""

    posts: list[Post]
    bills: list[HeldRow]


@dataclass(frozen=True, slots=True)
class CloseReaders:
    """What the close summaries depend on besides the round and its outcome: who they go
    to (`audience`) and the coops' names and addresses (`coops`, by code)."""

    audience: Audience
    coops: dict[str, Coop]


async def close_readers(conn: Connection) -> CloseReaders:
    """The readers as they are now (pass the close's transaction to use them in it)."""
    audience = await load_audience(conn)
    return CloseReaders(audience, {coop.code: coop for coop in await list_coops(conn)})


def build_close_summaries(
    round_: Round, outcome: RoundOutcome, readers: CloseReaders, default_language: str
) -> CloseSummaries:
    """Every close summary of the closed `round_` for `readers`, the bills held. Plain CPU
    work (~0.1 s for 10,000 coops), no database: a close runs it before its transaction."""
    audience, coops = readers.audience, readers.coops
    return CloseSummaries(
        posts=close_posts(round_, outcome, audience, coops, default_language),
        bills=held_bills(round_, outcome, audience, default_language),
    )


def bills_key_prefix(round_id: int) -> str:
    """The dedupe keys of a round's bills (and of their parts per supplier) start so."""
    return f"summary:{round_id}:bill:"


def held_bills(
    round_: Round, outcome: RoundOutcome, audience: Audience, default_language: str
) -> list[HeldRow]:
    """One row per bill and treasurer, with what `write_bills` needs: the coop and the
    treasurer's language (the message itself is not built yet)."""
    speak = _language_of(audience, default_language)
    reps_of = _reps_by_party(audience)
    rows = []
    for bill in outcome.bills:
        for rep in reps_of.get((RepRole.TREASURER, bill.coop_code), []):
            key = f"{bills_key_prefix(round_.id)}{bill.coop_code}:{rep.platform}:{rep.user_id}"
            held = {_HELD_COOP: bill.coop_code, _HELD_LANGUAGE: speak(rep.platform, rep.user_id)}
            rows.append(HeldRow(rep.platform, rep.user_id, "summary_bill", held, key))
    return rows


@dataclass(frozen=True, slots=True)
class WrittenBills:
    """The messages `write_bills` wrote, already encoded (JSON text), so the transaction
    that stores them only runs its statements: each held row's (`released`: row id,
    payload) and, where the coops pay each supplier directly, each supplier's part as a row
    of its own (`parts`)."""

    released: list[tuple[int, str]]
    parts: list[QueuedRow]


def write_bills(
    round_: Round,
    outcome: RoundOutcome,
    held: Sequence[OutboxMessage],
    payees: Mapping[str, Supplier] | None = None,
) -> WrittenBills:
    """The messages of `held` bill rows. A row whose coop has no bill in `outcome` (never:
    the same round's outcome) gets none. Plain CPU work, no database: the close runs it on
    a worker thread, so the bot's event loop keeps answering chats."""
    products = {product.product_code: product for product in outcome.products}
    bills = {bill.coop_code: bill for bill in outcome.bills}
    texts = BillTexts(round_, products)
    written = WrittenBills([], [])
    for message in held:
        coop, language = message.payload.get(_HELD_COOP), message.payload.get(_HELD_LANGUAGE)
        bill = bills.get(str(coop))
        if bill is None or not isinstance(language, str):
            continue
        if payees is None:  # a coop owing nothing gets its summary, but no bill to print
            pdf = FileRequest(FileKind.BILL, round_.id, bill.coop_code) if bill.payable else None
            written.released.append((message.id, _encoded_bill(texts.text(bill), language, pdf)))
            continue
        parts = supplier_bills(round_, bill, payees)
        written.released.append((message.id, _encoded_bill(texts.text(bill, parts), language)))
        rep = Rep(message.platform, message.chat_id, bill.coop_code)
        for post in _supplier_bill_posts(round_, bill.coop_code, parts, rep, language):
            payload = dump_json(encode_reply(post.reply, attach=post.attach))
            written.parts.append(
                QueuedRow(post.platform, post.chat_id, post.kind, payload, post.dedupe_key)
            )
    return written


def _encoded_bill(context: str, language: str, attach: FileRequest | None = None) -> str:
    """The outbox payload of a bill whose context is already JSON text (`BillTexts`): what
    `encode_reply` makes of its reply, its context last, as `dump_json_as_built` would
    write it (the same value read back as `dump_json` gives). The context is neither
    walked by the codec nor encoded again: `bill_context` is plain JSON values only."""
    data = encode_reply(Reply("summary_bill", {}, language), attach=attach)
    del data["context"]
    return f'{dump_json_as_built(data)[:-1]},"context":{context}}}'


_HELD_COOP, _HELD_LANGUAGE = "held_bill_of", "language"


async def extension_notice_posts(
    conn: Connection, round_: Round, totals: Mapping[str, int], default_language: str
) -> list[Post]:
    """The MOQ extension's notices: to the reps of coops that ordered a product still short
    of its MOQ, and to the group."""
    short = {item.product_code for item in short_items(round_, totals)}
    affected = {
        commitment.coop_code
        for commitment in await commitments_for_round(conn, round_.id)
        if commitment.product_code in short
    }
    audience = await load_audience(conn)
    coops = {coop.code: coop for coop in await list_coops(conn)}
    return extension_posts(round_, totals, affected, audience, coops, default_language)


def close_posts(
    round_: Round,
    outcome: RoundOutcome,
    audience: Audience,
    coops: Mapping[str, Coop],
    default_language: str,
) -> list[Post]:
    """Every close summary as a post but the bills (`held_bills`, then `write_bills`)."""
    prefix = f"summary:{round_.id}"
    speak = _language_of(audience, default_language)
    reps_of = _reps_by_party(audience)
    posts: list[Post] = []
    result = result_context(round_, outcome)
    for platform, chat_id in _group_chats(audience):
        reply = Reply("summary_group", result, speak(platform, chat_id))
        key = f"{prefix}:group:{platform}:{chat_id}"
        posts.append(Post(platform, chat_id, "summary_group", key, reply))
    overview = overview_context(round_, outcome)
    for platform, user_id in audience.admins:
        reply = Reply("summary_overview", overview, speak(platform, user_id))
        key = f"{prefix}:overview:{platform}:{user_id}"
        workbook = FileRequest(FileKind.WORKBOOK, round_.id)
        posts.append(Post(platform, user_id, "summary_overview", key, reply, workbook))
    for order in outcome.purchase_orders:
        supplier_reps = reps_of.get((RepRole.SUPPLIER, order.supplier_code), [])
        context = purchase_order_context(round_, order, coops) if supplier_reps else {}
        context = {**context, "awaiting_confirmation": True}
        confirm = confirm_all_buttons(round_, order.supplier_code)
        for rep in supplier_reps:
            language = speak(rep.platform, rep.user_id)
            reply = Reply("summary_purchase_order", context, language, confirm)
            key = f"{prefix}:po:{order.supplier_code}:{rep.platform}:{rep.user_id}"
            pdf = FileRequest(FileKind.PURCHASE_ORDER, round_.id, order.supplier_code)
            posts.append(Post(rep.platform, rep.user_id, "summary_purchase_order", key, reply, pdf))
    return posts


def confirm_all_buttons(round_: Round, supplier_code: str) -> tuple[tuple[Option, ...], ...]:
    """The buttons that confirm a whole purchase order, for delivery tomorrow or the day
    after (`purchasing.supply.CONFIRM_DAYS`)."""
    return (tuple(_confirm_all(round_, supplier_code, days) for days in CONFIRM_DAYS),)


def _confirm_all(round_: Round, supplier_code: str, days: int) -> Option:
    payload = encode(Verb.SUPPLIER_CONFIRM, round_.id, supplier_code, days)
    return Option("buttons/supplier_confirm_all", {"days": days}, payload)


def _supplier_bill_posts(
    round_: Round, coop: str, parts: Sequence[Mapping[str, Any]], rep: Rep, language: str
) -> list[Post]:
    """After the whole bill, each supplier's part (`supplier_bills`) as its own bill (a PDF
    each)."""
    posts = []
    for part in parts:
        supplier = str(part["supplier_code"])
        reply = Reply("bill_to_supplier", {**part, "round_name": round_.name}, language)
        key = f"summary:{round_.id}:bill:{coop}:{supplier}:{rep.platform}:{rep.user_id}"
        pdf = FileRequest(FileKind.BILL, round_.id, coop, supplier)
        posts.append(Post(rep.platform, rep.user_id, "bill_to_supplier", key, reply, pdf))
    return posts


def extension_posts(
    round_: Round,
    totals: Mapping[str, int],
    affected_coops: set[str],
    audience: Audience,
    coops: Mapping[str, Coop],
    default_language: str,
) -> list[Post]:
    """One notice per rep chat of an affected coop (naming its coops) and per group chat."""
    prefix = f"round_extended:{round_.id}"
    speak = _language_of(audience, default_language)
    coops_of: dict[tuple[str, str], list[Coop]] = {}
    for rep in audience.treasurers():
        if rep.coop_code in affected_coops:
            coop = coops.get(rep.coop_code) or Coop(rep.coop_code, rep.coop_code)
            coops_of.setdefault((rep.platform, rep.user_id), []).append(coop)
    catalog = Option("buttons/announce_catalog", payload=encode(Verb.CATALOG_PAGE, round_.id, 0))
    posts: list[Post] = []
    for (platform, user_id), theirs in coops_of.items():
        context = extension_context(round_, totals, theirs)
        reply = Reply("round_extended_moq", context, speak(platform, user_id), ((catalog,),))
        key = f"{prefix}:{platform}:{user_id}"
        posts.append(Post(platform, user_id, "round_extended", key, reply))
    group_context = extension_context(round_, totals)
    private = Option("buttons/group_open_private", open_private_chat=True, payload="")
    for platform, chat_id in _group_chats(audience):
        if (platform, chat_id) in coops_of:
            continue  # told above, about their own coops
        reply = Reply("round_extended_moq", group_context, speak(platform, chat_id), ((private,),))
        posts.append(
            Post(platform, chat_id, "round_extended", f"{prefix}:{platform}:{chat_id}", reply)
        )
    return posts


def _reps_by_party(audience: Audience) -> dict[tuple[RepRole, str], list[Rep]]:
    """Each coop's treasurers and each supplier's reps, found once (a close has a bill per
    coop: looking each coop's reps up among all reps would grow with the square)."""
    found: dict[tuple[RepRole, str], list[Rep]] = {}
    for rep in audience.reps:
        found.setdefault((rep.role, rep.coop_code), []).append(rep)
    return found


def _group_chats(audience: Audience) -> list[tuple[str, str]]:
    treasurers = [(rep.platform, rep.user_id) for rep in audience.treasurers()]
    return group_chats(audience.groups, treasurers)


def _language_of(audience: Audience, default: str) -> Callable[[str, str], str]:
    def speak(platform: str, user_id: str) -> str:
        return audience.language(platform, user_id, default)

    return speak
