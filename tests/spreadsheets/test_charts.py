"""The charts people look at instead of reading: real PNG pictures, phone-wide, every word
from the templates in the reader's language, Rupiah and month names as people write them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from messages import Renderer
from purchasing.reports import (
    ClosedRoundLines,
    ClosedRoundRef,
    CoopReport,
    ReportLine,
    SavingsReport,
    coop_activity,
    savings_report,
)
from purchasing.round_reports import (
    PaymentReport,
    PriceLine,
    PriceReport,
    SupplierReport,
    payment_report,
    price_report,
    supplier_report,
)
from spreadsheets.charts import PNG_SIGNATURE, progress_png, write_png
from tests.support.builders import NOW, make_product, make_round
from tests.support.samples.reports import SAMPLES as REPORT_SAMPLES
from tests.support.samples.reports_files import SAMPLES as FILE_SAMPLES
from usecases.charts import TOP_PRODUCTS, progress_parts
from usecases.report_charts import Bars, Lines, chart_parts, chart_png, top_prices
from usecases.reports import AnyRoundReport


def savings_parts(report: SavingsReport, language: str) -> Bars:
    parts = chart_parts(report, language)
    assert isinstance(parts, Bars)
    return parts


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

    indonesian = picture(chart_png(report, "id"))
    words = savings_parts(report, "id")
    english_words = savings_parts(report, "en")
    [bar], [english_bar] = words.groups, english_words.groups

    assert indonesian.width == 1080
    assert (bar.label, english_bar.label) == ("Desember 2026", "December 2026")
    assert bar.values == (55 * 630_000, 55 * 675_000)
    assert bar.note == "hemat Rp 2.475.000" and english_bar.note == "saved Rp 2.475.000"
    assert words.labels.title != english_words.labels.title


def test_a_savings_chart_without_closed_rounds_still_is_a_picture() -> None:
    empty = savings_report([])

    assert picture(chart_png(empty, "id")).width == 1080


def test_a_chart_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "grafik" / "putaran-1-id.png"
    parts = progress_parts(ROUND, TOTALS, "id", NOW, RENDERER)

    write_png(progress_png(parts.bars, parts.labels), target)

    assert picture(target.read_bytes()).width == 1080
    assert [path.name for path in target.parent.iterdir()] == ["putaran-1-id.png"]


# The reports' samples: rice bought in December (55 sacks at Rp 630.000) and January (20 at
# Rp 640.000, market Rp 675.000); sugar only in January (10 at Rp 780.000, market
# Rp 800.000). Bulog was sent 25 sacks, confirmed 18 (2 short, and January's 5 unconfirmed)
# and delivered 18, two days late; Indofood 12 of 12 on time. Of three bills one was paid
# late and two are open (Rp 600.000).
PRICES = FILE_SAMPLES["cli/report_prices"]["report"]
SUPPLIERS = FILE_SAMPLES["cli/report_suppliers"]["report"]
PAYMENTS = FILE_SAMPLES["cli/report_payments"]["report"]
COOPS = REPORT_SAMPLES["cli/report_coops"]["report"]


def test_the_prices_chart_follows_the_products_bought_for_the_most_round_by_round() -> None:
    assert isinstance(PRICES, PriceReport)
    parts = chart_parts(PRICES, "id")
    assert isinstance(parts, Lines)

    assert parts.rounds == ["Desember 2026", "Januari 2027"]
    rice, sugar = parts.panels
    assert (rice.name, rice.reached, rice.market) == (
        "Beras SPHP 50 kg", (630_000, 640_000), (675_000, 675_000)
    )  # fmt: skip
    assert rice.note == "Rp 640.000 (pasar Rp 675.000)"
    assert sugar.reached == (None, 780_000)  # nothing bought in December: no dot
    assert picture(chart_png(PRICES, "en")).width == 1080


def test_only_the_four_products_bought_for_the_most_get_a_panel() -> None:
    december = ClosedRoundRef(1, "Desember", NOW.replace(year=2026, month=12, day=5))
    lines = [
        PriceLine(december, f"P{n}", f"Produk {n}", "karton", 10_000, 12_000, n) for n in range(6)
    ]

    shown = [product.code for product in top_prices(price_report(lines))]

    assert shown == ["P5", "P4", "P3", "P2"]  # P0 was never bought


def test_the_suppliers_chart_sets_ordered_against_confirmed_and_delivered() -> None:
    assert isinstance(SUPPLIERS, SupplierReport)
    parts = chart_parts(SUPPLIERS, "id")
    assert isinstance(parts, Bars)

    bulog, indofood = parts.groups
    assert (bulog.label, bulog.values) == ("Bulog", (25, 18, 18))
    assert bulog.note == "72% diterima, terlambat 1×"
    assert (indofood.values, indofood.note) == ((12, 12, 12), "100% diterima, terlambat 0×")
    assert parts.labels.series == ("Dipesan", "Dikonfirmasi pemasok", "Diterima koperasi")


def test_the_payments_and_coops_charts_count_each_kind() -> None:
    assert isinstance(PAYMENTS, PaymentReport) and isinstance(COOPS, CoopReport)
    payments, coops = chart_parts(PAYMENTS, "id"), chart_parts(COOPS, "en")
    assert isinstance(payments, Bars) and isinstance(coops, Bars)

    assert [(g.label, g.values, g.note) for g in payments.groups] == [
        ("Lunas tepat waktu", (0,), "0 tagihan"),
        ("Lunas terlambat", (1,), "1 tagihan"),
        ("Belum lunas", (2,), "2 tagihan, sisa Rp 600.000"),
    ]
    assert [(g.label, g.values) for g in coops.groups] == [
        ("New", (1,)), ("Regular", (1,)), ("Occasional", (0,)), ("Lapsed", (1,)),
        ("Never ordered", (1,)),
    ]  # fmt: skip


def test_every_report_chart_is_a_phone_wide_picture_even_with_nothing_closed() -> None:
    empty = [
        coop_activity([], []), price_report([]), supplier_report([]),
        payment_report([], [], 7, NOW),
    ]  # fmt: skip

    for report in [COOPS, SUPPLIERS, PAYMENTS, *empty]:
        assert isinstance(report, AnyRoundReport)
        for language in ("id", "en"):
            assert picture(chart_png(report, language)).width == 1080
    assert chart_parts(supplier_report([]), "id").labels.empty.startswith("Belum ada pesanan")
