"""A round's bills are paid: the Dinas imports the bank statement, transfers naming their
bill (or owing exactly one bill's amount) are recorded, the rest is listed for a person, a
second import changes nothing, and treasurers hear their money arrived."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from messages.outbox_codec import decode_reply
from purchasing.model import Rep, Round
from purchasing.reminders import QuietPeriod
from purchasing.settlement import BillDue
from purchasing.times import WIB
from storage import payments
from storage.database import open_database
from storage.delivery import outbox
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser
from tests.support.fixtures.cli import Cli
from usecases.payments import import_statement
from usecases.sweeps import remind_unpaid_bills

STATEMENT = (
    "Tanggal;Keterangan;Cabang;Jumlah;Saldo\n"
    "07/12/2026;TRSF E-BANKING TG-001-DT BU SITI;0001;10.000.000,00;10.000.000\n"
    "07/12/2026;SETORAN TUNAI KKP;0001;9.600.000,00;19.600.000\n"
    "08/12/2026;BUNGA;0000;1.234,00;19.601.234\n"
    "08/12/2026;BIAYA ADM;0000;-6.500;19.594.734\n"
)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1 closed: DT 20 and KKPITB 15 karung of rice at Rp 640.000, KOPERTIS4 12
    karton of noodles at Rp 122.000."""
    cli = Cli(tmp_path, capsys)
    cli.with_closed_round()
    return cli


def bills(cli: Cli) -> dict[str, tuple[int, int]]:
    async def read() -> list[BillDue]:
        async with open_database(cli.database) as db:
            return await payments.bills_due(db)

    return {bill.coop_code: (bill.total, bill.paid) for bill in asyncio.run(read())}


def test_dinas_imports_the_statement_and_sees_who_still_owes(cli: Cli, tmp_path: Path) -> None:
    statement = tmp_path / "mutasi-desember.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cli.now += timedelta(days=2)  # Tuesday 8 December, the statement's last day
    before = cli.ok("payments", "list")

    imported = cli.ok("payments", "import", str(statement))
    again = cli.ok("payments", "import", str(statement))
    after = cli.ok("payments", "list")

    assert "TG-001-DT" in before and "Rp 23.864.000" in before  # 12.8 + 9.6 + 1.464 million
    assert "2 pembayaran dicatat, 1 uang keluar dilewati" in imported
    assert "Rp 10.000.000 untuk TG-001-DT (Kopontren Daarut Tauhid), sisa Rp 2.800.000" in imported
    assert (
        "Rp 9.600.000 untuk TG-001-KKPITB (Koperasi Keluarga Pegawai (KKP) ITB), lunas\n"
        in imported
    )
    assert "baris 4: Selasa, 8 Des 2026 Rp 1.234 «BUNGA»" in imported
    assert "0 pembayaran dicatat, 2 baris sudah dicatat sebelumnya" in again
    assert bills(cli) == {
        "DT": (12_800_000, 10_000_000),
        "KKPITB": (9_600_000, 9_600_000),
        "KOPERTIS4": (1_464_000, 0),
    }
    assert "TG-001-KKPITB" not in after and "Rp 4.264.000" in after
    assert "99" in cli.failed("payments", "list", "99")  # no such round
    shown = cli.ok("round", "show", "1")
    assert "Setelah ditutup: surat pesanan terkirim" in shown and "tagihan lunas 1/3" in shown


def test_english_counts_one_payment_one_line_and_one_debit_in_the_singular(
    cli: Cli, tmp_path: Path
) -> None:
    statement = tmp_path / "mutasi-desember.csv"
    statement.write_text(
        "Tanggal;Keterangan;Cabang;Jumlah;Saldo\n"
        "07/12/2026;TRSF E-BANKING TG-001-DT BU SITI;0001;12.800.000,00;12.800.000\n"
        "08/12/2026;BIAYA ADM;0000;-6.500;12.793.500\n",
        encoding="utf-8",
    )
    cli.now += timedelta(days=2)  # Tuesday 8 December: both lines have happened

    first = cli.ok("--lang", "en", "payments", "import", str(statement))
    again = cli.ok("--lang", "en", "payments", "import", str(statement))

    assert first.startswith("Statement mutasi-desember.csv: 1 payment recorded, 1 debit skipped.")
    assert again.startswith(
        "Statement mutasi-desember.csv: 0 payments recorded, 1 line recorded before,"
        " 1 debit skipped."
    )


def test_an_office_giving_one_day_to_pay_reads_1_day_in_the_payments_report(cli: Cli) -> None:
    config = Path(cli.environ["BELANJA_BARENG_CONFIG"])
    with config.open("a", encoding="utf-8") as file:
        file.write("\n[office]\nbill_due_days = 1\n")

    report = cli.ok("--lang", "en", "report", "payments")

    assert report.startswith(
        "Payment discipline per coop (bills due 1 day after the round closes):\n"
    )


def test_a_statement_in_an_unknown_layout_is_refused_and_records_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    wrong = tmp_path / "laporan.csv"
    wrong.write_text("No,Uraian\n1,Transfer\n", encoding="utf-8")

    message = cli.failed("payments", "import", str(wrong), lines=3)

    assert "laporan.csv" in message and "tanggal" in message and "jumlah" in message
    assert all(paid == 0 for _, paid in bills(cli).values())


async def test_pembayaran_before_any_close_or_for_an_open_or_unknown_round_says_why_none_owe(
    chat_admin: ChatUser, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await chat_treasurer.send("GLP-50 6")

    await chat_admin.send("/pembayaran")
    assert "Belum ada putaran yang ditutup, jadi belum ada tagihan" in chat_admin.last_text
    await chat_admin.send(f"/pembayaran {chat_round.id}")
    assert "Desember belum ditutup, jadi belum ada tagihannya" in chat_admin.last_text
    unknown = await chat_admin.send("/pembayaran 99")
    assert [reply.template for reply in unknown] == ["errors/unknown_round"]

    chat_clock.advance(timedelta(days=4))
    await steps.close_round(chat_admin.services.db, chat_round.id, chat_clock())
    await chat_admin.send(f"/pembayaran {chat_round.id}")
    assert "Tagihan belum lunas (1), total Rp 5.220.000" in chat_admin.last_text


async def test_treasurer_hears_the_payment_arrived_and_dinas_sees_it_in_the_chat(
    chat_admin: ChatUser,
    chat_treasurer: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
    tmp_path: Path,
) -> None:
    db = chat_admin.services.db
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(db, chat_round.id, chat_clock())
    chat_clock.advance(timedelta(days=2))  # Monday 7 December, the day of the transfer
    owing = await chat_admin.send("/pembayaran")
    owing_text = chat_admin.last_text
    statement = tmp_path / "mutasi.csv"
    number = f"TG-{chat_round.id:03d}-DT"
    statement.write_text(f"tanggal,keterangan,jumlah\n2026-12-07,{number},5000000\n", "utf-8")

    done = await import_statement(chat_admin.services, statement, "mutasi.csv", "admin:sari")
    await chat_admin.send("/pembayaran")

    assert [reply.template for reply in owing] == ["admin_payments"]
    assert number in owing_text and "sisa Rp 5.220.000" in owing_text  # 6 × Rp 870.000
    assert [match.bill.balance for match in done.matches if match.bill] == [220_000]
    assert "sisa Rp 220.000 dari Rp 5.220.000 (dibayar Rp 5.000.000)" in chat_admin.last_text
    [receipt] = [
        m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "payment_received"
    ]
    assert receipt.chat_id == chat_treasurer.user_id
    assert decode_reply(receipt.payload).context["balance"] == 220_000
    assert await reps.reps_for_coop(db, "DT") == [
        Rep("telegram", "5001", "DT", display_name="Bu Siti")
    ]


async def test_an_unpaid_bill_is_reminded_once_a_day_after_its_due_date_never_at_night(
    chat_admin: ChatUser, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    services = chat_admin.services
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(services.db, chat_round.id, chat_clock())
    closed = chat_clock()
    quiet = QuietPeriod()

    early = await remind_unpaid_bills(services, closed + timedelta(days=6), 7, quiet)
    night = await remind_unpaid_bills(services, at_wib(closed + timedelta(days=8), 22), 7, quiet)
    due = await remind_unpaid_bills(services, at_wib(closed + timedelta(days=8), 9), 7, quiet)
    same_day = await remind_unpaid_bills(services, at_wib(closed + timedelta(days=8), 15), 7, quiet)
    next_day = await remind_unpaid_bills(services, at_wib(closed + timedelta(days=9), 9), 7, quiet)

    assert (early, night, due, same_day, next_day) == (0, 0, 1, 0, 1)
    [first, _] = [m for m in await outbox.due_messages(services.db, closed + timedelta(days=10))
                  if m.kind == "payment_reminder"]  # fmt: skip
    assert first.chat_id == chat_treasurer.user_id
    assert decode_reply(first.payload).context["balance"] == 6 * 870_000


def at_wib(moment: datetime, hour: int) -> datetime:
    """That day in Jakarta at `hour`:00, as UTC."""
    local = moment.astimezone(WIB).replace(hour=hour, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)
