"""The words of the export spreadsheets come from `messages/templates/<lang>/sheets/`, once per
language; every status the domain knows has its word in every language, and a word left
out of a template is caught when the words are read, not in the middle of an export."""

from __future__ import annotations

import pytest

from bot.exports import SHEET_TEMPLATES, sheet_words
from messages import LANGUAGES, Renderer, TextStyle
from purchasing.after_close_log import StepKind
from purchasing.model import RoundStatus
from purchasing.outcome import LineStatus
from purchasing.settlement import AfterClose
from spreadsheets.labels import PLACEHOLDERS, SheetWordsMissing, parse_sheet_words


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_has_its_word_in_every_language(lang: str) -> None:
    words = sheet_words(lang)

    assert set(words.round_status) == {status.value for status in RoundStatus}
    assert set(words.line_status) == {status.value for status in LineStatus}
    assert set(words.after_close_stage) == {stage.value for stage in AfterClose}
    assert set(words.step_kind) == {kind.value for kind in StepKind}
    assert words.change_reason.keys() == sheet_words("id").change_reason.keys()
    assert words.proof_status.keys() == sheet_words("id").proof_status.keys()
    assert words.payment_source.keys() == sheet_words("id").payment_source.keys()


def test_words_with_a_gap_are_filled_per_cell() -> None:
    english, indonesian = sheet_words("en"), sheet_words("id")

    assert english.sheet_one_supplier_bill.format(code="DT", supplier="BULOG") == "BILL DT-BULOG"
    assert indonesian.sheet_one_bill.format(code="DT") == "TG DT"
    assert indonesian.time_local.format(zone="WITA") == "Waktu (WITA)"
    assert english.page_of == "Page &[Page] of &[Pages]"  # Excel's codes, not HTML entities


def test_a_word_left_out_of_a_template_is_named() -> None:
    renderer = Renderer()
    texts = [
        renderer.render(f"sheets/{name}", "en", PLACEHOLDERS, TextStyle.PLAIN)
        for name in SHEET_TEMPLATES
    ]
    texts[1] = texts[1].replace("unit_price: Unit Price\n", "")

    with pytest.raises(SheetWordsMissing, match="unit_price"):
        parse_sheet_words(texts)
