"""The terminal demo, driven by scripted lines: personas, numbered buttons, queued posts, and
what lands in the database (a real SQLite file on tmp_path, kept with `database=`)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config, DemoConfig
from bot.console.demo import run_demo
from bot.console.errors import DemoDatabaseExists, ExamplesMissing
from bot.console.lines import scripted
from bot.console.personas import default_cast
from messages.styles import TextStyle
from purchasing.model import RoundStatus
from storage import rounds
from storage.commitment_reads import audit_log, commitments_for_round
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from storage.people import reps
from tests.support.fixtures.console import NOW, RENDERER, after_prompt, run


async def test_a_treasurer_opens_a_product_by_number_and_orders_by_button(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 2", "/katalog", "1", "2"])

    assert "[1] BRS-SPHP50" in after_prompt(demo.out, "Bu Rina> /katalog")
    assert "[2] +5" in after_prompt(demo.out, "Bu Rina> 1")
    async with open_database(demo.database) as db:
        lines = await commitments_for_round(db, 1)
        audit = await audit_log(db, 1, "DT")
    assert [(c.coop_code, c.product_code, c.quantity) for c in lines] == [("DT", "BRS-SPHP50", 5)]
    assert [(a.product_code, a.old_quantity, a.new_quantity, a.actor) for a in audit] == [
        ("BRS-SPHP50", 0, 5, "console:rina")
    ]


async def test_a_typed_quantity_is_text_even_though_a_cancel_button_is_shown(
    tmp_path: Path,
) -> None:
    demo = await run(tmp_path, [":jadi 2", "/katalog", "1", "4", "1"])

    assert "[1] " in after_prompt(demo.out, "Bu Rina> 4")  # the cancel button
    async with open_database(demo.database) as db:
        lines = await commitments_for_round(db, 1)
    assert [(c.product_code, c.quantity) for c in lines] == [("BRS-SPHP50", 1)]


async def test_a_pasted_list_continues_over_lines_ending_in_a_backslash(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 3", "GLP-1 30 \\", "IDM-GRG 40"])

    assert "Pak Budi> GLP-1 30 \\\n... IDM-GRG 40\n" in demo.out
    async with open_database(demo.database) as db:
        lines = await commitments_for_round(db, 1)
    assert sorted((c.coop_code, c.product_code, c.quantity) for c in lines) == [
        ("KKPITB", "GLP-1", 30),
        ("KKPITB", "IDM-GRG", 40),
    ]


async def test_the_reply_to_an_order_names_the_coop_by_its_name(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 3", "GLP-1 30"])

    answer = after_prompt(demo.out, "Pak Budi> GLP-1 30")
    assert "Pesanan Koperasi Keluarga Pegawai (KKP) ITB (KKPITB) — " in answer
    assert "Pesanan Koperasi Keluarga Pegawai (KKP) ITB sekarang 1 produk" in answer


async def test_switching_persona_shows_whose_chat_it_is_and_the_cast(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":siapa", ":jadi 4", ":as budi", ":jadi 9", ":jadi bu"])

    for name in ("Bu Sari", "Bu Rina", "Pak Budi", "Pak Ahmad", "Bu Dewi", "Grup JUK"):
        assert name in after_prompt(demo.out, "Bu Sari> :siapa")
    assert "Pak Ahmad" in after_prompt(demo.out, "Bu Sari> :jadi 4").splitlines()[0]
    assert "Pak Budi" in after_prompt(demo.out, "Pak Ahmad> :as budi").splitlines()[0]
    assert demo.has("unknown_persona", wanted="9", count=8)
    assert demo.has("unknown_persona", wanted="bu", count=8)  # Bu Sari, Bu Rina, Bu Dewi…


async def test_the_group_sees_the_round_announcement_queued_at_the_start(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 6"])

    group_chat = after_prompt(demo.out, "Bu Sari> :jadi 6")
    assert "Demo" in group_chat and "[1] " in group_chat
    async with open_database(demo.database) as db:
        counts = await outbox.delivery_counts(db, kind_prefix="round_opened")
    # the group and the three treasurers who already joined
    assert counts[DeliveryStatus.SENT] == 4
    assert counts[DeliveryStatus.PENDING] == 0


async def test_the_group_sees_a_progress_post_when_an_order_reaches_a_minimum(
    tmp_path: Path,
) -> None:
    demo = await run(tmp_path, [":jadi 2", "/pesan GLP-50 6", ":jadi 6"])

    assert "Gula pasir kristal putih 50 kg" in after_prompt(demo.out, "Bu Rina> :jadi 6")
    async with open_database(demo.database) as db:
        counts = await outbox.delivery_counts(db, kind_prefix="progress")
    assert counts[DeliveryStatus.SENT] == 1


async def test_a_broadcast_lands_in_every_treasurers_chat_and_the_group(tmp_path: Path) -> None:
    demo = await run(tmp_path, ["/siaran Rapat JUK hari Jumat", ":jadi 3", ":jadi 6"])

    assert "Rapat JUK hari Jumat" in after_prompt(demo.out, "Bu Sari> :jadi 3")
    assert "Rapat JUK hari Jumat" in after_prompt(demo.out, "Pak Budi> :jadi 6")
    assert demo.has("new_messages", persona=default_cast()[3], count=1)
    async with open_database(demo.database) as db:
        counts = await outbox.delivery_counts(db, dedupe_prefix="broadcast:")
    assert counts[DeliveryStatus.SENT] == 6  # three treasurers, two suppliers, the group


async def test_the_round_closes_after_the_configured_demo_minutes(tmp_path: Path) -> None:
    out = io.StringIO()
    database = tmp_path / "demo.sqlite3"
    config = Config(demo=DemoConfig(round_minutes=3))

    await run_demo(
        config, read=scripted([], out.write), write=out.write, now=lambda: NOW, database=database
    )

    async with open_database(database) as db:
        round_ = await rounds.get_round(db, 1)
    assert round_ is not None and round_.status is RoundStatus.OPEN
    assert round_.closes_at == NOW + timedelta(minutes=3)


async def test_a_post_for_someone_else_is_announced_as_new_messages(tmp_path: Path) -> None:
    demo = await run(tmp_path, [])

    group = "(1 pesan baru untuk Grup JUK"
    assert group in demo.out
    assert "pesan baru untuk Bu Sari" not in demo.out


async def test_the_group_button_opens_the_private_chat_of_its_member(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 6", "1"])

    switched = after_prompt(demo.out, "Grup JUK> 1")
    assert "Bu Rina" in switched.splitlines()[0]


async def test_text_in_the_group_that_is_no_command_gets_a_hint(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 6", "halo semua"])

    assert demo.has("group_silent")


async def test_a_number_with_no_options_shown_gets_a_helpful_line(tmp_path: Path) -> None:
    demo = await run(tmp_path, ["5"])

    assert demo.has("no_options", number=5)


async def test_a_number_beyond_the_options_says_which_ones_there_are(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 2", "/pesanan", "/katalog", "42"])

    assert demo.has("option_out_of_range", number=42, count=9)


async def test_an_unknown_meta_command_points_to_the_demo_help(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":terbang", ":bantuan", ":tekan", ":tekan 1"])

    assert demo.has("unknown_meta", command="terbang")
    assert demo.has("help")
    assert demo.has("press_usage")
    assert demo.has("no_options", number=1)


async def test_the_end_of_input_ends_the_demo_cleanly(tmp_path: Path) -> None:
    demo = await run(tmp_path, ["/bantuan"])

    assert demo.out.endswith(
        RENDERER.render("console/goodbye", "id", {"kept": str(demo.database)}, TextStyle.PLAIN)
        + "\n"
    )


async def test_quitting_stops_reading_further_lines(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":keluar", "/rekap"])

    assert "/rekap" not in demo.out


async def test_the_newcomer_joins_with_the_invite_code_printed_at_the_start(
    tmp_path: Path,
) -> None:
    out = io.StringIO()

    def lines() -> Iterator[str]:
        yield ":jadi 5"
        code = re.search(r"/start ([A-Za-z0-9_-]{16})", out.getvalue())
        assert code is not None
        yield f"/start {code.group(1)}"

    database = tmp_path / "demo.sqlite3"
    await run_demo(
        Config(), read=scripted(lines(), out.write), write=out.write, now=lambda: NOW,
        database=database,
    )  # fmt: skip

    async with open_database(database) as db:
        joined = await reps.reps_for_user(db, "console", "dewi")
    assert [rep.coop_code for rep in joined] == ["FATHULHUDA"]


async def test_the_admin_starts_without_join_notices_but_hears_the_newcomer_join(
    tmp_path: Path,
) -> None:
    out = io.StringIO()

    def lines() -> Iterator[str]:
        code = re.search(r"/start ([A-Za-z0-9_-]{16})", out.getvalue())
        assert code is not None
        yield ":jadi 5"
        yield f"/start {code.group(1)}"
        yield ":jadi 1"

    await run_demo(
        Config(), read=scripted(lines(), out.write), write=out.write, now=lambda: NOW,
        database=tmp_path / "demo.sqlite3",
    )  # fmt: skip

    opening, _, rest = out.getvalue().partition("Bu Dewi> ")
    assert "bergabung" not in opening
    assert "Bu Dewi bergabung" in rest


async def test_the_admin_closes_the_round_by_buttons(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":jadi 2", "/pesan GLP-50 6", ":jadi 1", "/putaran", "1", "2", "1"])

    async with open_database(demo.database) as db:
        round_ = await rounds.get_round(db, 1)
    assert round_ is not None and round_.status is RoundStatus.CLOSED


async def test_the_demo_speaks_english_when_asked(tmp_path: Path) -> None:
    demo = await run(tmp_path, [":who", "7"], language="en")

    assert demo.has("no_options", "en", number=7)
    assert "Roles in the demo" in demo.out


async def test_an_existing_database_file_is_never_used(tmp_path: Path) -> None:
    database = tmp_path / "real.sqlite3"
    database.write_bytes(b"not a demo")

    with pytest.raises(DemoDatabaseExists):
        await run_demo(
            Config(), read=scripted([], print), write=print, now=lambda: NOW, database=database
        )
    assert database.read_bytes() == b"not a demo"


async def test_missing_sample_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ExamplesMissing) as raised:
        await run_demo(
            Config(), read=scripted([], print), write=print, now=lambda: NOW, examples=tmp_path
        )
    assert raised.value.params["files"] == "koperasi.csv, pemasok.csv, produk.csv"


async def test_the_demo_round_closes_itself_at_its_deadline_and_the_treasurer_gets_a_bill(
    tmp_path: Path,
) -> None:
    clock = [NOW]
    out = io.StringIO()
    database = tmp_path / "demo.sqlite3"
    script = iter([":jadi 2", "/pesan GLP-50 12", "later", ":jadi 2"])

    def read(prompt: str) -> str | None:
        line = next(script, None)
        if line == "later":  # the treasurer comes back after the deadline
            clock[0] = NOW + timedelta(minutes=Config().demo.round_minutes + 1)
            line = "/pesanan"
        if line is not None:
            out.write(prompt + line + "\n")
        return line

    await run_demo(
        Config(), read=read, write=out.write, now=lambda: clock[0], database=database,
        renderer=RENDERER,
    )  # fmt: skip

    async with open_database(database) as db:
        closed = await rounds.get_round(db, 1)
        bills = await outbox.delivery_counts(db, kind_prefix="summary_bill")
    assert closed is not None and closed.status is RoundStatus.CLOSED
    assert bills[DeliveryStatus.SENT] == 1  # Bu Rina's coop was the only one that ordered
    after = after_prompt(out.getvalue(), "Bu Rina> /pesanan")
    assert "Tagihan Kopontren Daarut Tauhid (DT)" in after
    # The bill the close queued comes first, then the answer to what she typed.
    assert after.index("Tagihan Kopontren") < after.index("belum ada putaran Belanja Bareng")


async def test_in_english_the_group_and_the_supplier_read_english_at_the_open_and_the_close(
    tmp_path: Path,
) -> None:
    demo = await run(
        tmp_path,
        [":jadi 2", "/pesan GLP-50 6", ":jadi 1", "/putaran", "1", "2", "1", ":jadi 6", ":jadi 7"],
        language="en",
    )

    group = after_prompt(demo.out, "Bu Sari> :jadi 6").split("> :jadi 7")[0]
    supplier = after_prompt(demo.out, "Grup JUK> :jadi 7")
    assert "Round Demo" in group and "is open!" in group and "Send /catalog" not in group
    assert "reached" in group  # the progress post: "... price reached"
    assert "Putaran" not in group and "dibuka" not in group and "tercapai" not in group
    assert "Purchase order" in supplier and "Surat Pesanan" not in supplier
    assert "/en/" in supplier and "/id/" not in supplier  # the PDF made in English
