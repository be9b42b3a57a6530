"""The close summaries and the MOQ extension notices, built inside the close transaction.

`usecases.rounds.close_round` queues them in the transaction that closes (or extends) the
round, so the outbox rows exist if and only if the round closed, and a close that happens
once queues them once. Each row's dedupe key ("summary:<round>:<what>:...") makes a second
queueing a no-op as well.

At close: each coop's reps get their bill, each linked group the round result, each admin the
overview with the round's workbook attached when sent, each supplier rep their purchase order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from messages.buttons import Verb, encode
from messages.replies import FileKind, FileRequest, Option, Reply
from purchasing.model import Coop, Rep, RepRole, Round, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.supply import CONFIRM_DAYS
from storage.catalog.reads import list_coops
from storage.commitment_reads import commitments_for_round
from storage.database import Connection
from storage.people.audience import Audience, load_audience
from usecases.notices.audience import group_chats
from usecases.notices.posts import Post
from usecases.notices.summary_contexts import (
    bill_context,
    extension_context,
    overview_context,
    purchase_order_context,
    result_context,
    short_items,
)


async def close_summary_posts(
    conn: Connection,
    round_: Round,
    outcome: RoundOutcome,
    default_language: str,
    payees: Mapping[str, Supplier] | None = None,
) -> list[Post]:
    """Every close summary of `round_`, read and built inside the close's transaction;
    `payees`: the round's suppliers, where the coops pay each directly."""
    audience = await load_audience(conn)
    coops = {coop.code: coop for coop in await list_coops(conn)}
    return close_posts(round_, outcome, audience, coops, default_language, payees)


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
    payees: Mapping[str, Supplier] | None = None,
) -> list[Post]:
    prefix = f"summary:{round_.id}"
    speak = _language_of(audience, default_language)
    products = {product.product_code: product for product in outcome.products}
    reps_of = _reps_by_party(audience)
    posts: list[Post] = []
    for bill in outcome.bills:
        treasurers = reps_of.get((RepRole.TREASURER, bill.coop_code), [])
        context = bill_context(round_, bill, products, payees) if treasurers else {}
        for rep in treasurers:
            reply = Reply("summary_bill", context, speak(rep.platform, rep.user_id))
            key = f"{prefix}:bill:{bill.coop_code}:{rep.platform}:{rep.user_id}"
            if payees is None:
                pdf = FileRequest(FileKind.BILL, round_.id, bill.coop_code)
                posts.append(Post(rep.platform, rep.user_id, "summary_bill", key, reply, pdf))
                continue
            posts.append(Post(rep.platform, rep.user_id, "summary_bill", key, reply))
            posts += _supplier_bill_posts(round_, context, rep, speak(rep.platform, rep.user_id))
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
    round_: Round, context: Mapping[str, object], rep: Rep, language: str
) -> list[Post]:
    """After the whole bill, each supplier's part as its own bill (a PDF each)."""
    posts = []
    parts = context["supplier_bills"]
    assert isinstance(parts, list)
    for part in parts:
        coop, supplier = str(context["coop_code"]), str(part["supplier_code"])
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
