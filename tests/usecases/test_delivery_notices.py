"""Each coop hears when its goods come, and says "all arrived" with one tap.

DT ordered sugar (Bulog) and noodles (Indofood), KKPITB only sugar. When Bulog confirms for
tomorrow, both coops are told the day; KKPITB, whose goods all come from Bulog, gets the
"everything arrived" button at once, DT only once Indofood has said when it delivers too.
Before that DT cannot confirm a receipt, so no shortage can change a bill already received.
"""

from __future__ import annotations

import pytest

from messages.outbox_codec import decode_reply
from messages.replies import Reply
from purchasing.model import Rep, RepRole, Round
from storage.delivery import outbox
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.after_close import order_then_close
from tests.support.fixtures.chat import ChatUser

BULOG = "Perum Bulog Kanwil Jawa Barat"
INDOFOOD = "PT Indofood Sukses Makmur (distributor Bandung)"


async def supplier_rep(admin: ChatUser, clock: Clock, user_id: str, supplier: str) -> ChatUser:
    rep = Rep("telegram", user_id, supplier, RepRole.SUPPLIER, f"Rep {supplier}")
    await reps.add_rep(admin.services.db, rep, clock())
    return ChatUser(admin.services, admin.renderer, user_id, f"Rep {supplier}")


@pytest.fixture
async def closed(admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock) -> Round:
    orders = ["GLP-50 6\nIDM-GRG 5", "GLP-50 4"]
    return await order_then_close(admin_reps, orders, chat_round, chat_clock)


async def delivery_notices(user: ChatUser, clock: Clock, supplier: str) -> dict[str, Reply]:
    """The delivery notice queued for each treasurer about `supplier`, by chat id."""
    queued = await outbox.due_messages(user.services.db, clock())
    notices = [(m.chat_id, decode_reply(m.payload)) for m in queued]
    return {
        chat_id: reply
        for chat_id, reply in notices
        if reply.template == "delivery_scheduled" and reply.context["supplier"] == supplier
    }


async def test_a_coop_gets_the_all_arrived_button_once_every_supplier_named_its_day(
    chat_admin: ChatUser, admin_reps: list[ChatUser], closed: Round, chat_clock: Clock
) -> None:
    dt, kkpitb, _ = admin_reps
    bulog = await supplier_rep(chat_admin, chat_clock, "7001", "BULOG")
    indofood = await supplier_rep(chat_admin, chat_clock, "7002", "INDOFOOD")

    await bulog.send("/konfirmasi besok")
    after_bulog = await delivery_notices(dt, chat_clock, BULOG)
    too_early = await dt.send("/terima")
    too_early_text = dt.last_text
    await indofood.send("/konfirmasi lusa")
    after_indofood = await delivery_notices(dt, chat_clock, INDOFOOD)

    assert after_bulog[kkpitb.user_id].flat_options[0].payload == f"ra:{closed.id}:KKPITB"
    assert after_bulog[dt.user_id].context["all_scheduled"] is False
    assert after_bulog[dt.user_id].flat_options == []
    assert [r.template for r in too_early] == ["errors/delivery_not_confirmed"]
    assert "PT Indofood Sukses Makmur" in too_early_text
    dt_notice = after_indofood[dt.user_id]
    assert dt_notice.context["deliveries"] == [
        {"supplier": BULOG, "delivery_on": "2026-12-06"},
        {"supplier": INDOFOOD, "delivery_on": "2026-12-07"},
    ]
    assert [o.payload for o in dt_notice.flat_options] == [f"ra:{closed.id}:DT"]


async def test_the_treasurer_taps_all_arrived_and_the_bill_stands_as_shipped(
    chat_admin: ChatUser, admin_reps: list[ChatUser], closed: Round, chat_clock: Clock
) -> None:
    dt, kkpitb, _ = admin_reps
    bulog = await supplier_rep(chat_admin, chat_clock, "7001", "BULOG")
    await bulog.send("/konfirmasi besok")

    received = await kkpitb.press(f"ra:{closed.id}:KKPITB")
    received_text = kkpitb.last_text
    again = await kkpitb.press(f"ra:{closed.id}:KKPITB")
    forged = await dt.press(f"ra:{closed.id}:KKPITB")
    old_round = await kkpitb.press(f"ra:{closed.id + 7}:KKPITB")

    assert [r.template for r in received] == ["receipt_done"]
    assert "everything as ordered" in received_text  # Pak Dedi reads English
    assert [r.template for r in again] == ["errors/receipt_already_confirmed"]
    assert [r.template for r in forged] == ["errors/stale_button"]
    assert [r.template for r in old_round] == ["errors/unknown_round"]


async def test_a_supplier_confirms_the_whole_order_for_tomorrow_with_one_tap(
    chat_admin: ChatUser, admin_reps: list[ChatUser], closed: Round, chat_clock: Clock
) -> None:
    bulog = await supplier_rep(chat_admin, chat_clock, "7001", "BULOG")
    indofood = await supplier_rep(chat_admin, chat_clock, "7002", "INDOFOOD")
    fetched = await bulog.send("/tagihan")
    tap = f"sc:{closed.id}:BULOG:1"

    stranger = await indofood.press(tap)
    too_far = await bulog.press(f"sc:{closed.id}:BULOG:9")
    confirmed = await bulog.press(tap)
    confirmed_text = bulog.last_text
    again = await bulog.press(tap)
    after = await bulog.send("/tagihan")
    notices = await delivery_notices(bulog, chat_clock, BULOG)

    assert [o.payload for o in fetched[0].flat_options] == [tap, f"sc:{closed.id}:BULOG:2"]
    assert [r.template for r in stranger + too_far] == ["errors/stale_button"] * 2
    assert [r.template for r in confirmed] == ["supplier_confirm_done"]
    assert "pengiriman Minggu, 6 Des 2026" in confirmed_text  # the day after the close, in WIB
    assert [r.template for r in again] == ["errors/order_already_confirmed"]
    assert after[0].flat_options == []  # confirmed: no buttons to press any more
    assert set(notices) == {admin_reps[0].user_id, admin_reps[1].user_id}
