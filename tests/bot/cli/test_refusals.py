"""Bad input on the command line: one clear line on stderr, exit code 1, nothing changed."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from purchasing.rounds import LEFT_CLOSING_AFTER
from storage.database import open_database
from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli
from tests.support.storage_builders import begin_closing

UNEXPECTED = "tidak terduga"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


@pytest.fixture
def open_round(cli: Cli) -> Cli:
    """The example catalog and round 1, open until Saturday 5 December 2026 17:00 WIB."""
    cli.with_open_round()
    cli.ok("order", "1", "DT", "IDM-GRG", "10")
    return cli


def test_a_malformed_csv_names_row_and_column_and_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    broken = tmp_path / "produk.csv"
    lines = (EXAMPLES / "produk.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Rp 900.000", "sembilan ratus ribu")
    broken.write_text("\n".join(lines), encoding="utf-8")
    before = cli.counts()

    message = cli.failed(
        "import", str(EXAMPLES / "koperasi.csv"), str(EXAMPLES / "pemasok.csv"), str(broken),
        lines=2,
    )  # fmt: skip

    headline, problem = message.splitlines()
    assert "produk.csv" in headline and "tidak ada data yang diubah" in headline
    assert "baris 4" in problem and "harga_pasar" in problem and "sembilan ratus" in problem
    assert UNEXPECTED not in message
    assert cli.counts() == before


def test_an_address_typed_with_an_unquoted_comma_is_refused_whole_naming_its_row(
    cli: Cli, tmp_path: Path
) -> None:
    cli.prepared()
    new_coops = tmp_path / "koperasi-baru.csv"
    address = "Jl. Merdeka No. 1, Kec. Sumur Bandung"
    new_coops.write_text(
        "kode,nama,alamat,kontak\n"
        "BARU2,Koperasi Braga,Jl. Braga No. 2,0812-2222\n"
        f"BARU1,Koperasi Baru,{address},0812-1111\n",
        encoding="utf-8",
    )
    before = cli.counts()

    message = cli.failed("import", str(new_coops), lines=2)
    english = cli.failed("--lang", "en", "import", str(new_coops), lines=2)

    headline, problem = message.splitlines()
    assert "koperasi-baru.csv tidak dimuat" in headline and "tidak ada data yang diubah" in headline
    assert problem.startswith("• koperasi-baru.csv, baris 3: ada 5 sel, padahal judulnya hanya 4")
    assert "kolom E: 0812-1111" in problem and f'"{address}"' in problem
    assert "row 3: has 5 cells, but the header has only 4 columns" in english
    assert cli.counts() == before

    new_coops.write_text(new_coops.read_text("utf-8").replace(address, f'"{address}"'), "utf-8")
    assert "koperasi: 2 baru" in cli.ok("import", str(new_coops))
    assert f"BARU1  Koperasi Baru — {address}" in cli.ok("coops")


def test_products_of_a_supplier_nobody_imported_are_refused(cli: Cli) -> None:
    cli.ok("init")
    message = cli.failed("import", str(EXAMPLES / "produk.csv"), lines=12)
    assert "pemasok BULOG tidak dikenal" in message and "15 masalah lainnya" in message
    assert cli.counts().products == 0


def test_a_csv_whose_name_says_nothing_asks_for_kind(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    data = tmp_path / "data.csv"
    data.write_bytes((EXAMPLES / "koperasi.csv").read_bytes())
    assert "--kind" in cli.failed("import", str(data))
    assert "koperasi: 20 baru" in cli.ok("import", "--kind", "coops", str(data))


def test_a_product_list_loaded_as_coops_or_suppliers_is_refused(cli: Cli) -> None:
    cli.ok("init")
    before = cli.counts()
    for kind in ("coops", "suppliers"):
        message = cli.failed("import", "--kind", kind, str(EXAMPLES / "produk.csv"), lines=2)
        assert "kolom pemasok, kolom daftar produk" in message and "--kind products" in message
    assert cli.counts() == before


@pytest.mark.parametrize("quantity", ["-3", "1,5", "2.5", "1000000", "sepuluh"])
def test_negative_fractional_huge_or_wordy_quantities_are_refused(
    open_round: Cli, quantity: str
) -> None:
    before = open_round.counts()
    message = open_round.failed("order", "1", "KKPITB", "IDM-GRG", quantity)
    assert quantity in message and UNEXPECTED not in message
    assert open_round.counts() == before


@pytest.mark.parametrize(
    ("coop", "product", "named"),
    [("NOPE", "IDM-GRG", "NOPE"), ("KKPITB", "NOPE-1", "NOPE-1")],
)
def test_unknown_coop_or_product_codes_are_refused(
    open_round: Cli, coop: str, product: str, named: str
) -> None:
    before = open_round.counts()
    message = open_round.failed("order", "1", coop, product, "5")
    assert named in message and UNEXPECTED not in message
    assert open_round.counts() == before


def test_an_order_after_the_deadline_is_refused(open_round: Cli) -> None:
    open_round.now += timedelta(days=5)
    before = open_round.counts()
    message = open_round.failed("order", "1", "KKPITB", "IDM-GRG", "5")
    assert "17" in message and UNEXPECTED not in message
    assert "juga oleh admin" in message and "hubungi admin Dinas" not in message
    assert open_round.counts() == before


@pytest.mark.parametrize(
    ("closes", "says"),
    [("17:00", "tidak ada tanggalnya"), ("2026-12-05", "tidak ada jamnya"),
     ("31-02-2026 10:00", "tidak dimengerti"), ("besok sore", "tidak dimengerti")],
)  # fmt: skip
def test_a_deadline_needs_a_real_date_and_time(cli: Cli, closes: str, says: str) -> None:
    cli.prepared()
    before = cli.counts()
    message = cli.failed(
        "round", "create", "--name", "X", "--opens", "2026-12-01 08:00", "--closes", closes
    )
    assert says in message and f"«{closes}»" in message
    assert cli.counts() == before


@pytest.mark.parametrize(
    ("policy", "hours", "says"),
    [("extend", "100000000", "bukan 100.000.000 jam"), ("extend", "-5", "bukan -5 jam"),
     ("extend", "0", "belum ada jumlah jam"), ("drop", "24", "24 jam perpanjangan hanya berlaku")],
)  # fmt: skip
def test_an_moq_extension_of_nothing_or_beyond_thirty_days_creates_no_round(
    cli: Cli, policy: str, hours: str, says: str
) -> None:
    cli.prepared()
    before = cli.counts()

    message = cli.failed(
        "round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-05 17:00", "--moq-policy", policy, "--extend-hours", hours,
        "--open-now",
    )  # fmt: skip

    assert says in message and "1 sampai 720 jam" in message and UNEXPECTED not in message
    assert cli.counts() == before


def test_an_moq_extension_without_its_hours_asks_for_them(cli: Cli) -> None:
    cli.prepared()
    before = cli.counts()

    message = cli.failed(
        "round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-05 17:00", "--moq-policy", "extend", "--open-now",
    )  # fmt: skip
    english = cli.failed(
        "--lang", "en", "round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-05 17:00", "--moq-policy", "extend", "--open-now",
    )  # fmt: skip

    assert "belum ada jumlah jam perpanjangan" in message and "bukan 0 jam" not in message
    assert "--extend-hours 24" in message and "1 sampai 720 jam" in message
    assert "no number of hours" in english and "--extend-hours 24" in english
    assert cli.counts() == before


def test_an_open_round_cannot_be_exported(open_round: Cli, tmp_path: Path) -> None:
    message = open_round.failed("export", "1", "--out", str(tmp_path / "out"))
    assert "masih buka" in message
    assert not (tmp_path / "out").exists()


def test_an_unknown_round_is_named(open_round: Cli) -> None:
    for command in (
        ["round", "show", "7"],
        ["round", "close", "7"],
        ["order", "7", "DT", "X", "1"],
    ):
        message = open_round.failed(*command)
        assert "7" in message and UNEXPECTED not in message


def test_commands_before_init_say_to_run_init(cli: Cli) -> None:
    assert "belanja-bareng init" in cli.failed("coops")
    assert not cli.database.exists()


def test_a_broken_config_file_is_explained_in_one_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("database = [\n", encoding="utf-8")
    message = cli.failed("coops")
    assert "config.toml" in message and UNEXPECTED not in message


def test_usage_errors_exit_with_2_and_help_with_0(cli: Cli) -> None:
    assert cli("round", "show", "satu").code == 2
    assert cli("order", "1", "DT").code == 2
    assert cli().code == 2
    help_run = cli("round", "create", "--help")
    assert help_run.code == 0 and "--moq-policy" in help_run.out


def test_an_unexpected_failure_is_one_line_and_its_traceback_only_with_verbose(
    cli: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cli.ok("init")
    with closing(sqlite3.connect(cli.database)) as conn:  # a table gone: nobody's mistake
        conn.execute("ALTER TABLE coops RENAME TO coops_gone")
        conn.commit()
    message = cli.failed("coops")
    assert UNEXPECTED in message and "--verbose" in message
    assert "Traceback" not in caplog.text

    cli.failed("--verbose", "coops")
    assert "OperationalError" in caplog.text


def test_a_second_round_cannot_open_while_one_is_open(open_round: Cli) -> None:
    open_round.ok("round", "create", "--name", "Januari", "--opens", "2026-12-06 08:00",
                  "--closes", "2026-12-12 17:00")  # fmt: skip

    refused = open_round.failed("round", "open", "2")

    assert "Desember" in refused and "Hanya satu putaran bisa dibuka sekaligus" in refused
    assert "#2  Januari  [draf]" in open_round.ok("round", "list")


def test_a_draft_ending_before_the_open_round_does_is_not_created(open_round: Cli) -> None:
    refused = open_round.failed(
        "round", "create", "--name", "Januari", "--opens", "2026-12-02 08:00",
        "--closes", "2026-12-04 17:00",
    )  # fmt: skip

    assert "Putaran Januari tidak dibuat" in refused
    assert "Tulis batas waktu sesudah Sabtu, 5 Des 2026 17.00 WIB di --closes" in refused
    assert "#2" not in open_round.ok("round", "list")


def test_round_close_while_an_admin_closes_it_in_chat_leaves_that_close_alone(
    open_round: Cli,
) -> None:
    asyncio.run(_begin_closing(open_round, at=open_round.now))
    open_round.now += timedelta(minutes=2)
    before = open_round.counts()

    refused = open_round.failed("round", "close", "1")

    assert "sedang ditutup sejak" in refused and "round show 1" in refused
    assert open_round.counts() == before


def test_round_close_finishes_a_close_a_crash_left_behind(open_round: Cli) -> None:
    asyncio.run(_begin_closing(open_round, at=open_round.now))
    open_round.now += LEFT_CLOSING_AFTER

    closed = open_round.ok("round", "close", "1")

    assert "ditutup" in closed and "Koperasi yang memesan: 1" in closed
    assert open_round.counts().rounds == ((1, "closed"),)


async def _begin_closing(cli: Cli, at: datetime) -> None:
    async with open_database(cli.database) as db:
        await begin_closing(db, 1, at)


def test_a_file_that_is_not_there_is_named_as_missing(open_round: Cli, tmp_path: Path) -> None:
    before = open_round.counts()
    missing = str(tmp_path / "koperasi-baru.csv")
    for command in (
        ["import", missing],
        ["order", "--file", missing, "1"],
        ["payments", "import", missing],
        ["import", str(tmp_path)],  # a folder
    ):
        message = open_round.failed(*command)
        assert message.startswith("Tidak bisa membaca") and UNEXPECTED not in message
    assert "No such file" in open_round.failed("import", missing)
    assert open_round.counts() == before


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [("--name", "  ", "Putaran perlu nama"), ("--products", ",", "tidak berisi kode produk")],
)
def test_a_round_without_a_name_or_with_an_empty_product_list_is_not_created(
    cli: Cli, option: str, value: str, says: str
) -> None:
    cli.prepared()
    typed = {"--name": "Desember", "--products": "GLP-50", option: value}
    message = cli.failed(
        "round", "create", "--opens", "2026-12-01 08:00", "--closes", "2026-12-05 17:00",
        *(part for pair in typed.items() for part in pair),
    )  # fmt: skip
    assert says in message and cli.counts().rounds == ()


CHAT_COMMAND = re.compile(r"(?:^|\s)/[a-z]")


def test_refusals_on_the_command_line_name_command_line_commands_not_chat_ones(
    cli: Cli, tmp_path: Path
) -> None:
    cli.prepared()
    cli.ok(
        "round", "create", "--name", "Beras", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-05 17:00", "--products", "BRS-SPHP50,GLP-50", "--open-now",
    )  # fmt: skip
    sheet = tmp_path / "pesanan-desember.csv"
    sheet.write_text("koperasi,produk,jumlah\nDT,GLP-50,3\nDT,IDM-GRG,2\n", encoding="utf-8")

    unknown_product = cli.failed("order", "1", "DT", "NOPE", "1")
    not_offered = cli.failed("order", "1", "DT", "IDM-GRG", "1")
    not_offered_row = cli.failed("order", "1", "--file", str(sheet), lines=2)
    bad_quantity = cli.failed("order", "1", "DT", "GLP-50", "x")
    second_open = cli.failed("round", "create", "--name", "Gula", "--opens", "2026-12-01 08:00",
                             "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    unknown_rounds = [
        cli.failed("order", "99", "DT", "GLP-50", "1"),
        cli.failed("payments", "list", "99"),
        cli.failed("export", "99", "--out", str(tmp_path / "out")),
    ]
    cli.ok("round", "cancel", "1")
    cancelled = cli.failed("round", "close", "1")
    cancelled_en = cli.failed("--lang", "en", "round", "close", "1")

    assert "lihat daftar kodenya dengan belanja-bareng products" in unknown_product
    assert "Kode produk putaran ini ada di belanja-bareng round show 1" in not_offered
    assert "belanja-bareng round show 1" in not_offered_row
    assert "(0 menghapus pesanan)" in bad_quantity
    assert "belanja-bareng round create tanpa --open-now" in second_open
    for message in unknown_rounds:
        assert "Nomor putaran ada di daftar belanja-bareng round list" in message
    assert "Lihat putaran dan statusnya dengan belanja-bareng round list" in cancelled
    assert "See the rounds and their status with belanja-bareng round list" in cancelled_en
    every = [unknown_product, not_offered, not_offered_row, bad_quantity, second_open,
             *unknown_rounds, cancelled, cancelled_en]  # fmt: skip
    assert [CHAT_COMMAND.findall(message) for message in every] == [[]] * len(every)
