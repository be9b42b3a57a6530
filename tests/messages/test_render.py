"""The renderer: named templates per language, filters in the template's language, styles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound, UndefinedError

from messages import Renderer, TextStyle
from tests.support.samples.supply import SAMPLES

TEMPLATES = {
    "id/round/opened.j2": (
        "{% if coop %}<b>{{ coop }}</b>, p{% else %}P{% endif %}utaran dibuka sampai "
        "{{ deadline | wib }}.\n"
        "Minimal {{ moq | number }} karton, harga {{ price | rupiah }}.\n"
        "Sisa waktu {{ left | duration }}, tutup {{ deadline | wib_date }}.\n"
    ),
    "en/round/opened.j2": (
        "{% if coop %}<b>{{ coop }}</b>, the r{% else %}R{% endif %}ound is open until "
        "{{ deadline | wib }}.\n"
        "At least {{ moq | number }} cartons, price {{ price | rupiah }}.\n"
        "Time left {{ left | duration }}, closes {{ deadline | wib_date }}.\n"
    ),
    "id/buttons/order_plus.j2": "➕ {{ amount }} {{ unit }}\n",
    "en/buttons/order_plus.j2": "➕ {{ amount }} {{ unit }}\n",
    "id/errors/quantity_invalid.j2": "Jumlah <b>{{ text }}</b> tidak valid.",
    "en/errors/quantity_invalid.j2": "Quantity <b>{{ text }}</b> is not valid.",
    "id/only_indonesian.j2": "Hanya bahasa Indonesia.",
}
CONTEXT: dict[str, object] = {
    "coop": "",
    "deadline": datetime(2026, 11, 28, 3, 0, tzinfo=UTC),
    "moq": 1200,
    "price": 1_250_000,
    "left": timedelta(days=2, hours=3),
}


@dataclass
class QuantityInvalid(Exception):
    key: str = "quantity_invalid"
    params: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    for name, text in TEMPLATES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Renderer(tmp_path)


def test_a_treasurer_reads_the_round_in_indonesian(renderer: Renderer) -> None:
    assert renderer.render("round/opened", "id", CONTEXT) == (
        "Putaran dibuka sampai Sabtu, 28 Nov 2026 10.00 WIB.\n"
        "Minimal 1.200 karton, harga Rp 1.250.000.\n"
        "Sisa waktu 2 hari 3 jam, tutup Sabtu, 28 Nov 2026."
    )


def test_a_treasurer_who_chose_english_gets_english_words_and_indonesian_numbers(
    renderer: Renderer,
) -> None:
    assert renderer.render("round/opened", "en", CONTEXT) == (
        "Round is open until Sat, 28 Nov 2026 10:00 WIB.\n"
        "At least 1.200 cartons, price Rp 1.250.000.\n"
        "Time left 2 days 3 hours, closes Sat, 28 Nov 2026."
    )


def test_an_unknown_language_falls_back_to_indonesian(renderer: Renderer) -> None:
    indonesian = renderer.render("round/opened", "id", CONTEXT)
    assert renderer.render("round/opened", "fr", CONTEXT) == indonesian
    assert renderer.render("round/opened", None, CONTEXT) == indonesian
    assert renderer.render("round/opened", "en-GB", CONTEXT).startswith("Round is open")


def test_html_in_a_coop_name_is_escaped_for_telegram(renderer: Renderer) -> None:
    context = dict(CONTEXT, coop="<b>Koperasi & Co</b>")
    telegram = renderer.render("round/opened", "id", context, TextStyle.TELEGRAM_HTML)
    assert telegram.startswith("<b>&lt;b&gt;Koperasi &amp; Co&lt;/b&gt;</b>, putaran dibuka")


def test_html_in_a_coop_name_stays_literal_in_plain_text(renderer: Renderer) -> None:
    context = dict(CONTEXT, coop="<b>Koperasi & Co</b>")
    plain = renderer.render("round/opened", "id", context, TextStyle.PLAIN)
    assert plain.startswith("<b>Koperasi & Co</b>, putaran dibuka")


def test_whatsapp_gets_bold_markers_around_the_literal_coop_name(renderer: Renderer) -> None:
    context = dict(CONTEXT, coop="<b>Koperasi & Co</b>")
    whatsapp = renderer.render("round/opened", "en", context, TextStyle.WHATSAPP)
    assert whatsapp.startswith("*<b>Koperasi & Co</b>*, the round is open")


def test_a_button_label_is_one_plain_line(renderer: Renderer) -> None:
    label = renderer.render_label("buttons/order_plus", "id", {"amount": 5, "unit": "<karton>"})
    assert label == "➕ 5 <karton>"


def test_a_typed_error_is_explained_by_its_template(renderer: Renderer) -> None:
    error = QuantityInvalid(params={"text": "-3"})
    assert renderer.render_error(error, "id", TextStyle.PLAIN) == "Jumlah -3 tidak valid."
    assert renderer.render_error(error, "en") == "Quantity <b>-3</b> is not valid."


def test_a_variable_missing_from_the_context_is_an_error(renderer: Renderer) -> None:
    context = {key: value for key, value in CONTEXT.items() if key != "price"}
    with pytest.raises(UndefinedError, match="price"):
        renderer.render("round/opened", "id", context)


def test_a_template_missing_in_english_is_an_error_not_a_silent_fallback(
    renderer: Renderer,
) -> None:
    assert renderer.render("only_indonesian", "id") == "Hanya bahasa Indonesia."
    with pytest.raises(TemplateNotFound):
        renderer.render("only_indonesian", "en")


def test_the_packaged_templates_load_without_a_directory() -> None:
    text = Renderer().render(
        "errors/config_unknown_key", "en", {"path": "demo.minutes"}, TextStyle.PLAIN
    )
    assert text.startswith("demo.minutes: unknown key")


@pytest.mark.parametrize(
    ("changed", "said"),
    [(1, "The bill of 1 coop was adjusted and it has been told."),
     (2, "The bills of 2 coops were adjusted and they have been told.")],
)  # fmt: skip
def test_an_english_admin_reads_one_coop_adjusted_in_the_singular(changed: int, said: str) -> None:
    context = {**SAMPLES["supplier_confirmed"], "coops_changed": changed}

    text = Renderer().render("supplier_confirmed", "en", context, TextStyle.PLAIN)

    assert text.endswith(said)
