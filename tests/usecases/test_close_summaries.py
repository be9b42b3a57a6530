"""Close summaries: every coop's bill, the group's result, the Dinas overview, purchase orders."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from messages import Renderer
from messages.outbox_codec import decode_reply, encode_reply, file_request_of
from messages.replies import FileKind, FileRequest
from purchasing.model import Supplier
from storage.delivery import outbox
from storage.delivery.outbox import HeldRow, OutboxMessage
from storage.encoding import dump_json_as_built
from storage.people import preferences
from storage.round_rows import require_round
from tests.support.fixtures.schedule import (
    SUMMARY_PRODUCTS,
    Network,
    queued,
    rendered,
    seed_network,
    sugar_ordered,
)
from tests.support.storage_builders import database_at
from usecases.notices.summaries import write_bills
from usecases.notices.summary_contexts import BillTexts, bill_context, supplier_bills
from usecases.rounds import finish_closes, round_outcome
from usecases.sweeps import close_due_rounds


@pytest.fixture
async def closed(tmp_path: Path) -> AsyncIterator[Network]:
    """A round where GLP1 is bought in full, BRS5 is cut (40 asked, 30 supplied) and MNY2
    missed its MOQ (10 of 50), closed by the sweep at its deadline."""
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "BRS5", "MNY2")
        )
        await preferences.set_language(db, "telegram", "102", "en")
        await network.order("KOP01", "GLP1", 60)
        await network.order("KOP01", "BRS5", 20)
        network.clock.advance(timedelta(minutes=5))
        await network.order("KOP02", "BRS5", 20)
        await network.order("KOP01", "MNY2", 10)
        outcomes = await close_due_rounds(network.services, network.round.closes_at)
        assert len(outcomes) == 1
        yield network


async def only(network: Network, kind: str, chat_id: str) -> OutboxMessage:
    found = [m for m in await queued(network.db, kind) if m.chat_id == chat_id]
    assert len(found) == 1, found
    return found[0]


async def test_bill_explains_a_cut_allocation_and_an_unfilled_item(closed: Network) -> None:
    bill = rendered(await only(closed, "summary_bill", "101"), Renderer())

    assert "GLP1 Gula pasir 50 kg: 60 karung × Rp 720.000 = Rp 43.200.000" in bill
    assert "BRS5 Beras medium 5 kg: 15 karung × Rp 750.000 = Rp 11.250.000" in bill
    assert (
        "Diminta 20 karung, dapat 15 karung: pasokan hanya 30 karung untuk pesanan 40 karung"
    ) in bill
    assert "MNY2 Minyak goreng 2 L: tidak dipesan. Total semua koperasi 10 karton" in bill
    assert "minimal pesanan 50 karton (kurang 40 karton)" in bill
    assert "Total: Rp 54.450.000" in bill
    assert "Pengiriman: Diantar Senin" in bill


async def test_each_bill_is_stored_just_as_the_outbox_codec_encodes_it(closed: Network) -> None:
    bills = await queued(closed.db, "summary_bill")

    assert len(bills) == 2
    for bill in bills:
        reply = decode_reply(bill.payload)
        pdf = FileRequest(FileKind.BILL, closed.round.id, str(reply.context["coop_code"]))
        assert reply.context["lines"]
        assert bill.payload == encode_reply(reply, attach=pdf)


async def test_a_bills_stored_text_is_the_context_the_bill_shown_again_has(
    closed: Network,
) -> None:
    round_ = await require_round(closed.db, closed.round.id)
    outcome = await round_outcome(closed.db, round_.id)
    products = {product.product_code: product for product in outcome.products}
    quoted = replace(outcome.bills[0], coop_name='Koperasi "Maju" – Cipanas ✓', lines=())
    payees = {"BULOG": Supplier("BULOG", 'Perum "Bulog"', account="BRI 123")}
    texts = BillTexts(round_, products)

    statuses = {line.status.value for bill in outcome.bills for line in bill.lines}
    assert statuses == {"filled", "cut", "unfilled"}
    for bill in (*outcome.bills, quoted):
        context = bill_context(round_, bill, products)
        assert texts.text(bill) == dump_json_as_built(context)
        paid_directly = bill_context(round_, bill, products, payees)
        parts = supplier_bills(round_, bill, payees)
        assert json.loads(texts.text(bill, parts)) == paid_directly


async def test_each_rep_gets_only_their_own_coops_bill_in_their_language(
    closed: Network,
) -> None:
    message = await only(closed, "summary_bill", "102")
    bill = rendered(message, Renderer())

    assert message.payload["context"]["coop_code"] == "KOP02"
    assert "Bill for Koperasi KOP02 (KOP02)" in bill
    assert "Asked 20 karung, got 15 karung" in bill
    assert "GLP1" not in bill and "MNY2" not in bill


async def test_each_summary_asks_for_its_own_file_and_the_overview_for_the_workbook(
    closed: Network,
) -> None:
    message = await only(closed, "summary_overview", "901")
    stored = json.loads(json.dumps(message.payload))

    assert file_request_of(stored) == FileRequest(FileKind.WORKBOOK, closed.round.id)
    assert decode_reply(stored).attachment is None  # the sender makes the workbook
    overview = rendered(message, Renderer())
    assert "Nilai pesanan: Rp 65.700.000" in overview
    assert "Tidak mencapai minimal pesanan (MOQ): Minyak goreng 2 L (10 dari 50 karton)" in overview
    assert (
        "Dibagi sebanding dengan besar pesanan karena pasokan terbatas: "
        "Beras medium 5 kg (30 dari 40 karung)"
    ) in overview
    bills = await queued(closed.db, "summary_bill")
    assert {file_request_of(bill.payload) for bill in bills} == {
        FileRequest(FileKind.BILL, closed.round.id, coop) for coop in ("KOP01", "KOP02")
    }


async def test_a_coop_whose_only_order_missed_the_moq_is_told_it_owes_nothing_without_a_bill(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "MNY2"))
        await preferences.set_language(db, "telegram", "102", "en")
        await network.order("KOP01", "GLP1", 60)
        await network.order("KOP02", "MNY2", 10)  # 40 short of its MOQ
        await close_due_rounds(network.services, network.round.closes_at)

        message = await only(network, "summary_bill", "102")
        siti = await only(network, "summary_bill", "101")

    bill = rendered(message, Renderer())
    assert "MNY2 Minyak goreng 2 L: not ordered" in bill
    assert "Nothing to pay: no goods of this round go to Koperasi KOP02" in bill
    assert "Total" not in bill and "Rp 0" not in bill
    assert file_request_of(message.payload) is None  # no bill to print or pay
    assert file_request_of(siti.payload) == FileRequest(FileKind.BILL, network.round.id, "KOP01")
    message.payload["language"] = "id"
    bill = rendered(message, Renderer())
    assert "Tidak ada yang ditagihkan: tidak ada barang putaran ini untuk Koperasi KOP02" in bill


def test_a_row_queued_before_file_requests_still_gets_its_workbook() -> None:
    assert file_request_of({"export_round": 7}) == FileRequest(FileKind.WORKBOOK, 7)
    assert file_request_of({"attach": {"kind": "nonsense", "round": 7}}) is None


async def test_the_group_gets_the_round_result_without_any_coops_order(closed: Network) -> None:
    result = rendered(await only(closed, "summary_group", "-100500"), Renderer())

    assert "2 dari 5 koperasi ikut memesan, senilai Rp 65.700.000." in result
    assert "Gula pasir 50 kg: 60 karung @ Rp 720.000 (pasar Rp 800.000)" in result
    assert "Minyak goreng 2 L: 10 dari 50 karton" in result
    assert "KOP01" not in result


async def test_the_supplier_rep_gets_their_purchase_order_with_deliveries_per_coop(
    closed: Network,
) -> None:
    order = rendered(await only(closed, "summary_purchase_order", "301"), Renderer())

    assert "Surat pesanan untuk Pemasok BULOG" in order
    assert "Beras medium 5 kg (BRS5): 30 karung × Rp 750.000 = Rp 22.500.000" in order
    assert "– Koperasi KOP01 (KOP01): 15 karung" in order
    assert "– Koperasi KOP02 (KOP02): 15 karung" in order
    assert "Minyak" not in order  # unfilled: nothing to deliver
    assert "Total: Rp 65.700.000" in order


async def test_a_closed_round_queues_nothing_more_when_swept_again(closed: Network) -> None:
    before = await queued(closed.db)

    await close_due_rounds(closed.services, closed.round.closes_at + timedelta(days=1))

    assert await queued(closed.db) == before


async def test_bills_whose_writing_failed_after_the_close_are_written_by_the_next_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_ordered(db)

        def failing(*args: object, **kwargs: object) -> object:
            raise RuntimeError("disk hiccup while writing the bills")

        monkeypatch.setattr("usecases.rounds.write_bills", failing)
        closed_once = await close_due_rounds(network.services, network.round.closes_at)
        held_after_failure = await outbox.held_messages(db, "summary:", 10)
        monkeypatch.setattr("usecases.rounds.write_bills", write_bills)
        await close_due_rounds(network.services, network.round.closes_at + timedelta(minutes=1))

        assert len(closed_once) == 1  # the round closed: the failure came after its decision
        assert [m.chat_id for m in held_after_failure] == ["101"]
        assert await outbox.held_messages(db, "summary:", 10) == []
        bill = await only(network, "summary_bill", "101")
        assert decode_reply(bill.payload).context["lines"]


def failing_bills(*args: object, **kwargs: object) -> object:
    raise RuntimeError("disk hiccup while writing the bills")


async def test_held_bills_are_settled_again_a_few_products_at_a_time_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "BRS5", "MNY2")
        )
        await network.order("KOP01", "GLP1", 60)
        await network.order("KOP01", "BRS5", 20)
        await network.order("KOP02", "BRS5", 20)
        monkeypatch.setattr("usecases.rounds.write_bills", failing_bills)
        await close_due_rounds(network.services, network.round.closes_at)
        monkeypatch.setattr("usecases.rounds.write_bills", write_bills)
        monkeypatch.setattr("usecases.rounds.PRODUCTS_PER_READ", 1)  # one product per read

        finished = await finish_closes(network.services)

        assert finished == 1 and await outbox.held_messages(db, "summary:", 10) == []
        bill = rendered(await only(network, "summary_bill", "101"), Renderer())
        assert "GLP1 Gula pasir 50 kg: 60 karung × Rp 720.000 = Rp 43.200.000" in bill
        assert "BRS5 Beras medium 5 kg: 15 karung × Rp 750.000 = Rp 11.250.000" in bill
        assert "15 karung" in rendered(await only(network, "summary_bill", "102"), Renderer())


async def test_a_round_whose_bills_cannot_be_written_does_not_hold_up_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, products=SUMMARY_PRODUCTS, product_codes=("GLP1",))
        stray = HeldRow("telegram", "101", "summary_bill", {}, "summary:99:bill:KOP01:telegram:101")
        await outbox.hold(db, [stray], network.clock())  # a round that no longer exists
        await network.order("KOP01", "GLP1", 60)
        monkeypatch.setattr("usecases.rounds.write_bills", failing_bills)
        await close_due_rounds(network.services, network.round.closes_at)
        monkeypatch.setattr("usecases.rounds.write_bills", write_bills)

        finished = await finish_closes(network.services)

        assert finished == 1  # the round after the stray one got its bill
        assert decode_reply((await only(network, "summary_bill", "101")).payload).context["lines"]
        [still_held] = await outbox.held_messages(db, "summary:", 10)
        assert still_held.dedupe_key == stray.dedupe_key  # tried again by the next sweep
        assert await finish_closes(network.services) == 0
