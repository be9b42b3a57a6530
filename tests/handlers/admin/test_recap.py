"""Dinas staff watch a round with /rekap; nobody else gets admin answers or admin powers."""

from __future__ import annotations

import tests.support.use_case_steps as steps
from purchasing.model import Round, RoundStatus
from purchasing.progress import ProductProgress
from storage import rounds
from storage.commitment_reads import audit_log
from tests.support.builders import make_coop
from tests.support.clock import Clock
from tests.support.fixtures.admin import outbox_total
from tests.support.fixtures.chat import ChatUser, quantities
from tests.support.use_case_steps import import_catalog, set_commitment


async def _order(user: ChatUser, round_: Round, coop: str, code: str, quantity: int) -> None:
    await set_commitment(
        user.services.db, round_id=round_.id, coop_code=coop, product_code=code,
        quantity=quantity, actor="telegram:5001", via="telegram:5001", now=user.services.now(),
    )  # fmt: skip


async def test_admin_sees_recap_with_tier_and_moq_status_and_who_has_not_ordered(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await _order(chat_admin, chat_round, "DT", "GLP-50", 12)
    await _order(chat_admin, chat_round, "KKPITB", "BRS-SPHP50", 10)

    replies = await chat_admin.send("/rekap")

    assert [reply.template for reply in replies] == ["admin_recap"]
    context = replies[0].context
    progress = {line.product_code: line for line in _progress(context["progress"])}
    sugar, rice = progress["GLP-50"], progress["BRS-SPHP50"]
    assert (sugar.total, sugar.unit_price, sugar.moq_reached) == (12, 855_000, True)
    assert sugar.next_tier is not None and sugar.next_tier.units_more == 18
    assert (rice.total, rice.short_of_moq) == (10, 10)
    text = chat_admin.last_text
    assert "GLP-50 12 karung @ Rp 855.000; +18 → Rp 840.000; MOQ 5 ✅" in text
    assert "BRS-SPHP50 10 karung @ Rp 640.000; +40 → Rp 630.000; MOQ 20 kurang 10" in text
    assert "Sudah memesan (2): DT, KKPITB" in text
    assert "Belum memesan (18): " in text and "PUSDAI" in text
    assert replies[0].flat_options[0].payload == f"ar:{chat_round.id}"


async def test_recap_of_a_closed_round_lists_the_coops_it_closed_with_not_ones_added_later(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await _order(chat_admin, chat_round, "DT", "GLP-50", 12)
    await steps.close_round(
        chat_admin.services.db, chat_round.id, chat_admin.services.now(), force=True
    )
    await import_catalog(chat_admin.services.db, coops=[make_coop("BARU1", "Koperasi Baru")])

    await chat_admin.send(f"/rekap {chat_round.id}")

    text = chat_admin.last_text
    assert "Sudah memesan (1): DT" in text
    assert "Belum memesan (19): " in text and "BARU1" not in text


def _progress(value: object) -> list[ProductProgress]:
    assert isinstance(value, tuple)
    return [line for line in value if isinstance(line, ProductProgress)]


async def test_recap_of_an_unknown_round_or_with_no_open_round_says_so(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    assert [r.template for r in await chat_admin.send("/rekap")] == ["admin_no_open_round"]
    assert [r.template for r in await chat_admin.send("/summary 99")] == ["errors/unknown_round"]
    assert "99" in chat_admin.last_text


async def test_stranger_tries_rekap_and_admin_buttons_with_forged_payloads_refused_nothing_changes(
    chat_stranger: ChatUser, chat_round: Round, chat_admin: ChatUser
) -> None:
    db, round_id = chat_stranger.services.db, chat_round.id
    tried = [
        await chat_stranger.send("/rekap"),
        await chat_stranger.send("/putaran baru Putaran Palsu | 2026-12-20 17:00"),
        await chat_stranger.send(f"/putaran perpanjang {round_id} 2026-12-20 17:00"),
        await chat_stranger.send("/undang DT"),
        await chat_stranger.send("/siaran Diskon palsu!"),
        await chat_stranger.send(f"/admin {chat_stranger.user_id}"),
    ]
    for payload in ("ar", "am", "aq", "ac", "ay", "ax"):
        tried.append(await chat_stranger.press(f"{payload}:{round_id}"))
    tried.append(await chat_stranger.press("an"))

    assert all([r.template for r in replies] == ["errors/not_admin"] for replies in tried)
    assert "hanya untuk admin" in chat_stranger.last_text
    after = await rounds.get_round(db, round_id)
    assert after is not None and after.status is RoundStatus.OPEN
    assert after.closes_at == chat_round.closes_at
    assert len(await rounds.list_rounds(db)) == 1
    assert await outbox_total(chat_stranger.services) == 0
    assert [r.template for r in await chat_admin.press("ac:bukan-angka")] == ["errors/stale_button"]


async def test_rep_of_another_coop_cannot_use_pesankan(
    chat_treasurer: ChatUser, chat_admin: ChatUser, chat_round: Round
) -> None:
    refused = await chat_treasurer.send("/pesankan KKPITB GLP-50 5")

    assert [reply.template for reply in refused] == ["errors/not_admin"]
    assert await quantities(chat_treasurer.services.db, chat_round.id) == {}

    done = await chat_admin.send("/pesankan kkpitb glp-50 5")

    assert [reply.template for reply in done] == ["admin_order_set"]
    assert "0 → 5 karung" in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {("KKPITB", "GLP-50"): 5}
    [entry] = await audit_log(chat_admin.services.db, chat_round.id)
    assert entry.actor == "admin:telegram:9001"


async def test_pesankan_with_a_bad_quantity_or_unknown_coop_explains_and_changes_nothing(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    bad_quantity = await chat_admin.send("/pesankan DT GLP-50 lima")
    unknown_coop = await chat_admin.send("/pesankan NOPE GLP-50 5")
    usage = await chat_admin.send("/pesankan DT")

    assert [r.template for r in bad_quantity] == ["errors/quantity_invalid"]
    assert [r.template for r in unknown_coop] == ["errors/unknown_coop"]
    assert [r.template for r in usage] == ["admin_order_usage"]
    assert await quantities(chat_admin.services.db, chat_round.id) == {}
