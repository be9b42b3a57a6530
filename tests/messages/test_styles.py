"""One rendered text, three styles: Telegram HTML, WhatsApp markers, plain text."""

from __future__ import annotations

import pytest

from messages.styles import MarkupError, TextStyle, apply_style, validate_telegram_html

RENDERED = "<b>Koperasi &lt;Al-Ikhlas&gt; &amp; Co</b> pesan <i>10 karton</i>: <code>BRS5</code>"


def test_telegram_gets_the_html_exactly_as_rendered() -> None:
    assert apply_style(RENDERED, TextStyle.TELEGRAM_HTML) == RENDERED


def test_whatsapp_gets_its_own_markers_and_literal_characters() -> None:
    assert apply_style(RENDERED, TextStyle.WHATSAPP) == (
        "*Koperasi <Al-Ikhlas> & Co* pesan _10 karton_: ```BRS5```"
    )


def test_plain_text_drops_the_markup_and_unescapes() -> None:
    assert apply_style(RENDERED, TextStyle.PLAIN) == (
        "Koperasi <Al-Ikhlas> & Co pesan 10 karton: BRS5"
    )


def test_whatsapp_markers_hug_the_words_so_whatsapp_applies_them() -> None:
    assert apply_style("Total:<b> Rp 5.000 </b>!", TextStyle.WHATSAPP) == "Total: *Rp 5.000* !"
    assert apply_style("a<b> </b>b", TextStyle.WHATSAPP) == "a b"


def test_nested_markup_becomes_nested_markers() -> None:
    assert apply_style("<b>Total <i>sementara</i></b>", TextStyle.WHATSAPP) == (
        "*Total _sementara_*"
    )


def test_quotes_escaped_by_autoescape_come_back_as_quotes() -> None:
    assert apply_style("Kop &#34;Maju&#34; &#39;Jaya&#39;", TextStyle.PLAIN) == (
        "Kop \"Maju\" 'Jaya'"
    )


@pytest.mark.parametrize(
    "bad",
    [
        "<u>garis</u>",
        '<b class="x">tebal</b>',
        "<b>tebal",
        "<b><i>silang</b></i>",
        "tutup</b>",
        "<br/>",
        "<!-- catatan -->",
    ],
)
def test_markup_telegram_would_reject_is_a_template_bug(bad: str) -> None:
    with pytest.raises(MarkupError):
        apply_style(bad, TextStyle.PLAIN)
    with pytest.raises(MarkupError):
        validate_telegram_html(bad)


@pytest.mark.parametrize("bad", ["1 < 2", "A & B", "&nbsp;", "panah ->"])
def test_unescaped_special_characters_are_refused_for_telegram(bad: str) -> None:
    with pytest.raises(MarkupError):
        validate_telegram_html(bad)


def test_escaped_text_with_allowed_tags_is_valid_telegram_html() -> None:
    validate_telegram_html(RENDERED + " &quot;ok&quot; &#39;ya&#39; &#x1F600;")
