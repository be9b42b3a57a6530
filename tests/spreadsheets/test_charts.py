"""The charts people look at instead of reading: real PNG pictures, phone-wide, every word
from the templates in the reader's language, Rupiah and month names as people write them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from messages import Renderer
from purchasing.reports import ClosedRoundLines, ClosedRoundRef, ReportLine, savings_report
from spreadsheets.charts import PNG_SIGNATURE, progress_png, write_png
from tests.support.builders import NOW, make_product, make_round
from usecases.charts import TOP_PRODUCTS, progress_parts, savings_chart_png, savings_parts

RENDERER = Renderer()

# Sugar has tiers at 50 and 100 sacks; oil needs 50 cartons before it is bought at all; rice
# has one price only, so whatever is ordered is its best price.
ROUND = make_round(
    make_product("GLP1"),
    make_product("MNY2", name="Minyak goreng 2 L", unit="karton", moq=50),
    make_product("BRS5", name="Beras medium 5 kg", price_tiers=((1, 70_000),)),
    name="Belanja Bareng Desember",
)
TOTALS = {"GLP1": 60, "MNY2": 20, "BRS5": 7}


def picture(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_progress_chart_is_a_phone_wide_png_with_a_bar_per_product() -> None:
    parts = progress_parts(ROUND, TOTALS, "id", NOW, RENDERER)

    image = picture(progress_png(parts.bars, parts.labels))

    assert image.format == "PNG"
    assert image.width == 1080 and image.height > 600
    assert [bar.name for bar in parts.bars] == [
        "Gula pasir 50 kg", "Minyak goreng 2 L", "Beras medium 5 kg"
    ]  # fmt: skip


def test_each_bar_says_how_far_to_the_moq_or_the_next_price_in_rupiah() -> None:
    sugar, oil, rice = progress_parts(ROUND, TOTALS, "id", NOW, RENDERER).bars

    assert oil.below_moq and oil.fraction == 20 / 50
    assert oil.note == "20/50 karton menuju MOQ"
    assert not sugar.below_moq and sugar.fraction == 60 / 100 and sugar.moq_at is None
    assert sugar.note == "60/100 karung menuju Rp 700.000"
    assert rice.reached and rice.note == "7 karung, Rp 70.000 tercapai"


def test_the_words_come_from_the_templates_in_the_readers_language() -> None:
    indonesian = progress_parts(ROUND, TOTALS, "id", NOW, RENDERER)
    english = progress_parts(ROUND, TOTALS, "en", NOW, RENDERER)

    assert indonesian.labels.title == "Kemajuan Putaran Belanja Bareng Desember"
    assert english.labels.title == "Progress of Round Belanja Bareng Desember"
    assert indonesian.labels.reached != english.labels.reached
    assert english.bars[2].note == "7 karung, Rp 70.000 reached"
    assert indonesian.labels.more == ""  # every product is shown


def test_with_many_products_only_those_of_highest_value_are_drawn() -> None:
    products = [make_product(f"P{n:02}", name=f"Produk {n}") for n in range(12)]
    round_ = make_round(*products)
    totals = {f"P{n:02}": n for n in range(12)}  # P11 is worth most

    parts = progress_parts(round_, totals, "id", NOW, RENDERER)

    assert len(parts.bars) == TOP_PRODUCTS
    assert [bar.name for bar in parts.bars] == [f"Produk {n}" for n in range(4, 12)]
    assert parts.context["hidden"] == 4
    assert "4 produk lain" in parts.labels.more


def test_the_savings_chart_has_a_month_per_row_named_in_the_readers_language() -> None:
    december = ClosedRoundRef(1, "Desember", NOW.replace(year=2026, month=12, day=5))
    report = savings_report(
        [ClosedRoundLines(december, 10, (ReportLine("KOP01", 55, 630_000, 675_000),))]
    )

    indonesian = picture(savings_chart_png(report, "id"))
    [bar], words = savings_parts(report, "id")
    [english_bar], english_words = savings_parts(report, "en")

    assert indonesian.width == 1080
    assert (bar.label, english_bar.label) == ("Desember 2026", "December 2026")
    assert (bar.order_value, bar.market_value) == (55 * 630_000, 55 * 675_000)
    assert bar.note == "hemat Rp 2.475.000" and english_bar.note == "saved Rp 2.475.000"
    assert words.title != english_words.title


def test_a_savings_chart_without_closed_rounds_still_is_a_picture() -> None:
    empty = savings_report([])

    assert picture(savings_chart_png(empty, "id")).width == 1080


def test_a_chart_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "grafik" / "putaran-1-id.png"
    parts = progress_parts(ROUND, TOTALS, "id", NOW, RENDERER)

    write_png(progress_png(parts.bars, parts.labels), target)

    assert picture(target.read_bytes()).width == 1080
    assert [path.name for path in target.parent.iterdir()] == ["putaran-1-id.png"]
