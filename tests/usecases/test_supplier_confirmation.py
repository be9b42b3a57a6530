"""After the close Bulog confirms its purchase order in the chat: the delivery date, and 7 of
the 10 sacks of sugar. The 7 are shared out pro rata, the two coops' bills change with the
reason, they and the Dinas are told, and the order cannot be confirmed twice."""

from __future__ import annotations

import pytest

import tests.support.use_case_steps as steps
from messages.outbox_codec import decode_reply
from purchasing.model import Rep, RepRole, Round
from purchasing.settlement import AfterClose
from storage import payments
from storage.delivery import outbox
from storage.people import reps
from storage.supply import receipt_confirmed, settlement_progress
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, render_reply

SUGAR_PRICE = 855_000  # GLP-50: 10 sacks reached the 10-sack tier at the close; it stays


@pytest.fixture
async def bulog(chat_admin: ChatUser, chat_clock: Clock) -> ChatUser:
    rep = Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER, "Pak Joko")
    await reps.add_rep(chat_admin.services.db, rep, chat_clock())
    return ChatUser(chat_admin.services, chat_admin.renderer, "7001", "Pak Joko")


@pytest.fixture
async def closed(after_close_sugar: Round) -> Round:
    """DT ordered 6 sacks of sugar, KKPITB 4; the round closed (`after_close_sugar`)."""
    return after_close_sugar


async def test_bulog_ships_7_of_10_sacks_and_both_bills_change_with_the_reason(
    bulog: ChatUser, closed: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    db = bulog.services.db

    replies = await bulog.send("/konfirmasi 2026-12-10\nGLP-50 7")

    assert [reply.template for reply in replies] == ["supplier_confirm_done"]
    assert "pengiriman Kamis, 10 Des 2026" in bulog.last_text
    assert "GLP-50: 7 dari 10 karung" in bulog.last_text
    totals = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert totals == {"DT": 4 * SUGAR_PRICE, "KKPITB": 3 * SUGAR_PRICE}  # 4.2 → 4, 2.8 → 3
    queued = await outbox.due_messages(db, chat_clock())
    revised = {m.chat_id: decode_reply(m.payload) for m in queued if m.kind == "bill_revised"}
    assert set(revised) == {admin_reps[0].user_id, admin_reps[1].user_id}
    assert revised[admin_reps[0].user_id].context["lines"] == [
        {"product_code": "GLP-50", "name": "Gula pasir kristal putih 50 kg", "unit": "karung",
         "old": 6, "new": 4}
    ]  # fmt: skip
    [notice] = [m for m in queued if m.kind == "supplier_confirmed"]
    assert decode_reply(notice.payload).context["coops_changed"] == 2
    told_admin = render_reply(bulog.renderer, decode_reply(notice.payload))
    assert "GLP-50 Gula pasir kristal putih 50 kg: 7 dari 10 karung" in told_admin
    [bill] = await admin_reps[0].send("/tagihan")
    assert bill.template == "summary_bill"
    assert (
        "Diminta 6 karung, dapat 4 karung: pemasok hanya bisa mengirim sebagian"
        in admin_reps[0].last_text
    )
    outcome = await steps.load_outcome(db, closed.id)  # what the workbook and PDFs show
    [order] = [o for o in outcome.purchase_orders if o.supplier_code == "BULOG"]
    [sugar] = [line for line in order.lines if line.product_code == "GLP-50"]
    assert (sugar.quantity, dict(sugar.per_coop)) == (7, {"DT": 4, "KKPITB": 3})


async def test_a_second_confirmation_or_more_than_ordered_changes_nothing(
    bulog: ChatUser, closed: Round
) -> None:
    db = bulog.services.db
    over = await bulog.send("/konfirmasi 2026-12-10\nGLP-50 11")
    stranger = await bulog.send("/konfirmasi 2026-12-10\nIDM-GRG 1")
    badly_dated = await bulog.send("/konfirmasi minggu depan")
    past = await bulog.send("/konfirmasi 2026-12-01")
    negative = await bulog.send("/konfirmasi 2026-12-10\nGLP-50 -1")
    assert "bisa dikirim" in bulog.last_text and "/katalog" not in bulog.last_text
    assert "0 sampai 100.000" in bulog.last_text
    before = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    await bulog.send("/konfirmasi 2026-12-10")
    again = await bulog.send("/konfirmasi 2026-12-11\nGLP-50 5")

    replies = over + stranger + badly_dated + past + negative + again
    assert [reply.template for reply in replies] == [
        "errors/shipped_over_order",
        "errors/not_in_purchase_order",
        "errors/day_invalid",
        "errors/day_passed",
        "errors/count_line_invalid",
        "errors/order_already_confirmed",
    ]
    after = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert before == after == {"DT": 6 * SUGAR_PRICE, "KKPITB": 4 * SUGAR_PRICE}


async def test_only_a_suppliers_rep_confirms_and_before_any_close_there_is_nothing_to_confirm(
    bulog: ChatUser, admin_reps: list[ChatUser], chat_round: Round
) -> None:
    treasurer = await admin_reps[0].send("/konfirmasi 2026-12-10")
    early = await bulog.send("/konfirmasi 2026-12-10")

    assert [reply.template for reply in treasurer] == ["supplier_only"]
    assert [reply.template for reply in early] == ["errors/no_purchase_order"]


async def test_a_coop_that_got_3_of_its_4_sacks_is_billed_for_3_and_bulog_hears_of_it(
    bulog: ChatUser, closed: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    db = bulog.services.db
    dt, kkpitb, _ = admin_reps
    await bulog.send("/konfirmasi 2026-12-10\nGLP-50 7")

    short = await dt.send("/terima\nGLP-50 3")
    short_text = dt.last_text
    complete = await kkpitb.send("/terima")
    complete_text = kkpitb.last_text
    twice = await kkpitb.send("/terima")
    over = await dt.send("/terima\nGLP-50 9")

    assert [r.template for r in short + complete] == ["receipt_done", "receipt_done"]
    assert "diterima 3 dari 4 karung" in short_text
    assert f"Total tagihan: Rp {3 * 855:,}.000".replace(",", ".") in short_text
    assert "everything as ordered" in complete_text  # Pak Dedi reads English
    assert [r.template for r in twice] == ["errors/receipt_already_confirmed"]
    assert [r.template for r in over] == ["errors/receipt_already_confirmed"]
    totals = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert totals == {"DT": 3 * SUGAR_PRICE, "KKPITB": 3 * SUGAR_PRICE}
    told = {
        m.chat_id for m in await outbox.due_messages(db, chat_clock()) if m.kind == "receipt_short"
    }
    assert told == {"9001", "7001"}  # the admin and Bulog's rep
    await dt.send("/tagihan")  # the reason of the last change: the receipt, not the shortage
    assert "Diminta 6 karung, diterima 3 karung: sisanya tidak sampai" in dt.last_text
    assert "pemasok hanya bisa mengirim sebagian" not in dt.last_text


async def test_a_receipt_above_what_was_shipped_is_refused(
    bulog: ChatUser, admin_reps: list[ChatUser], closed: Round
) -> None:
    await bulog.send("/konfirmasi besok")
    replies = await admin_reps[0].send("/terima\nGLP-50 7")

    assert [reply.template for reply in replies] == ["errors/received_over_shipped"]
    assert "lebih banyak dari yang dikirim untuk Anda (6)" in admin_reps[0].last_text


async def test_a_product_on_two_lines_is_named_as_written_twice_and_nothing_is_recorded(
    bulog: ChatUser, admin_reps: list[ChatUser], closed: Round
) -> None:
    db = bulog.services.db
    dt = admin_reps[0]

    shipped = await bulog.send("/konfirmasi besok\nGLP-50 6\nglp-50 1")
    shipped_text = bulog.last_text
    await bulog.send("/konfirmasi besok")
    received = await dt.send("/terima\nGLP-50 5\nGLP-50 1")
    received_text = dt.last_text

    assert [r.template for r in shipped + received] == ["errors/count_line_duplicate"] * 2
    assert "Produk GLP-50 ditulis dua kali (GLP-50 6 dan glp-50 1)" in shipped_text
    assert "jumlah seluruhnya yang bisa dikirim" in shipped_text
    assert "Produk GLP-50 ditulis dua kali (GLP-50 5 dan GLP-50 1)" in received_text
    assert "jumlah seluruhnya yang diterima" in received_text
    assert "tidak bisa dibaca" not in shipped_text + received_text
    totals = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert totals == {"DT": 6 * SUGAR_PRICE, "KKPITB": 4 * SUGAR_PRICE}
    assert not await receipt_confirmed(db, closed.id, "DT")


async def test_the_round_menu_shows_how_far_the_round_has_come_since_its_close(
    bulog: ChatUser, closed: Round, admin_reps: list[ChatUser], chat_admin: ChatUser
) -> None:
    before = await settlement_progress(bulog.services.db, closed.id)
    await bulog.send("/konfirmasi 2026-12-10")
    await admin_reps[0].send("/terima")
    await admin_reps[1].send("/terima")
    after = await settlement_progress(bulog.services.db, closed.id)
    await chat_admin.press(f"am:{closed.id}")

    assert (before.stage, after.stage) == (AfterClose.CLOSED, AfterClose.DELIVERED)
    assert (after.suppliers, after.coops, after.bills, after.bills_paid) == (1, 2, 2, 0)
    assert "Setelah ditutup: diterima (semua koperasi konfirmasi)" in chat_admin.last_text
    assert "tagihan lunas 0/2" in chat_admin.last_text


async def test_a_coop_the_shortage_leaves_with_nothing_hears_it_has_nothing_to_pay(
    bulog: ChatUser, closed: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    db = bulog.services.db

    await bulog.send("/konfirmasi 2026-12-10\nGLP-50 1")  # of 10: DT's 6 → 1, KKPITB's 4 → 0

    totals = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert totals == {"DT": SUGAR_PRICE}  # KKPITB has no bill any more
    queued = await outbox.due_messages(db, chat_clock())
    revised = {m.chat_id: decode_reply(m.payload) for m in queued if m.kind == "bill_revised"}
    kkpitb = revised[admin_reps[1].user_id]
    told = render_reply(bulog.renderer, kkpitb)
    assert kkpitb.context["lines"] == [
        {"product_code": "GLP-50", "name": "Gula pasir kristal putih 50 kg", "unit": "karung",
         "old": 4, "new": 0}
    ]  # fmt: skip
    assert kkpitb.context["total"] == 0
    assert "Nothing is left on the bill" in told and "Delivery" not in told  # in English
    assert kkpitb.flat_options == []  # no "everything arrived" button for nothing


@pytest.mark.parametrize("typed", ["Rabu", "9 Des", "9/12"])
async def test_bulog_names_the_delivery_day_as_people_say_it(
    bulog: ChatUser, closed: Round, typed: str
) -> None:
    replies = await bulog.send(f"/konfirmasi {typed}")  # on Saturday 5 December

    assert [reply.template for reply in replies] == ["supplier_confirm_done"]
    assert "pengiriman Rabu, 9 Des 2026" in bulog.last_text


async def test_a_delivery_day_years_ahead_is_refused_and_the_latest_day_is_named(
    bulog: ChatUser, closed: Round
) -> None:
    db = bulog.services.db

    far = await bulog.send("/konfirmasi 2030-01-01")
    far_text = bulog.last_text
    unconfirmed = await settlement_progress(db, closed.id)
    latest = await bulog.send("/konfirmasi 3 Feb")  # 60 days after 5 December

    assert [reply.template for reply in far] == ["errors/delivery_day_too_far"]
    assert "paling lambat 60 hari dari hari ini, yaitu Rabu, 3 Feb 2027" in far_text
    assert unconfirmed.suppliers_confirmed == 0
    assert [reply.template for reply in latest] == ["supplier_confirm_done"]


async def test_products_on_the_line_of_the_day_are_shown_on_lines_of_their_own(
    bulog: ChatUser, closed: Round
) -> None:
    db = bulog.services.db

    replies = await bulog.send("/konfirmasi besok GLP-50 7")

    assert [reply.template for reply in replies] == ["errors/day_with_products"]
    assert "di barisnya sendiri:\n/konfirmasi besok\nGLP-50 7" in bulog.last_text
    assert "tidak dimengerti" not in bulog.last_text
    assert (await settlement_progress(db, closed.id)).suppliers_confirmed == 0
    totals = {bill.coop_code: bill.total for bill in await payments.bills_due(db, closed.id)}
    assert totals == {"DT": 6 * SUGAR_PRICE, "KKPITB": 4 * SUGAR_PRICE}
