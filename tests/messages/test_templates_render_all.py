"""Every template, in every language and text style, renders with its sample context.

Templates are discovered from messages/templates/<lang>/**/*.j2; sample contexts are collected
from every module tests/template_samples_*.py (each defines `SAMPLES`, keyed by template name).
A template without a sample, or present in only one language, fails here.
"""

from __future__ import annotations

import copy
import html
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import messages
import tests.support.samples
from messages import LANGUAGES, Renderer, TextStyle
from messages.styles import validate_telegram_html

TEMPLATES = Path(messages.__file__).resolve().parent / "templates"
TAG = re.compile(r"</?(?:b|i|code)\b[^>]*>")
ENTITY = re.compile(r"&(?:[a-z]+|#[0-9]+|#x[0-9a-f]+);", re.IGNORECASE)
# Two lines run together: a sentence's end glued to the next ("WIB.Ganti"), or a command glued
# to the one before ("/cari beras/pesan"), as when a line ends in a block tag without "+%}".
RUN_TOGETHER = re.compile(r"[\w)\]](?<!httpx)\.[A-Z][a-z]|\w/(?:pesan|order|katalog|catalog)\b")


def template_names(lang: str) -> set[str]:
    root = TEMPLATES / lang
    return {path.relative_to(root).with_suffix("").as_posix() for path in root.rglob("*.j2")}


def collect_samples() -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """All SAMPLES merged, and the module each template's sample came from."""
    samples: dict[str, dict[str, object]] = {}
    origin: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(tests.support.samples.__path__):
        module = importlib.import_module(f"tests.support.samples.{module_info.name}")
        for name, context in module.SAMPLES.items():
            if name in origin:
                raise AssertionError(
                    f"sample {name!r} defined in both {origin[name]} and {module_info.name}"
                )
            samples[name], origin[name] = context, module_info.name
    return samples, origin


ALL_TEMPLATES = sorted(set().union(*(template_names(lang) for lang in LANGUAGES)))
SAMPLES, SAMPLE_ORIGIN = collect_samples()


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def test_templates_are_found_at_all() -> None:
    assert "errors/config_unknown_key" in ALL_TEMPLATES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_exists_in_every_language(lang: str) -> None:
    missing = sorted(set(ALL_TEMPLATES) - template_names(lang))
    assert missing == [], f"templates missing in messages/templates/{lang}/: {missing}"


def test_every_template_has_a_sample_context() -> None:
    missing = [name for name in ALL_TEMPLATES if name not in SAMPLES]
    assert missing == [], (
        f"no sample context for {missing}: add them to SAMPLES in tests/template_samples_<area>.py"
    )


def test_every_sample_belongs_to_a_template() -> None:
    stale = {name: SAMPLE_ORIGIN[name] for name in SAMPLES if name not in ALL_TEMPLATES}
    assert stale == {}, f"samples for templates that do not exist: {stale}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_renders_in_every_style(renderer: Renderer, name: str, lang: str) -> None:
    if name not in SAMPLES:
        pytest.fail(f"template {name!r} has no sample context in tests/template_samples_*.py")
    context = SAMPLES[name]

    telegram = renderer.render(name, lang, context, TextStyle.TELEGRAM_HTML)
    assert telegram.strip(), f"{lang}/{name} renders empty"
    assert "{{" not in telegram and "{%" not in telegram and "}}" not in telegram
    validate_telegram_html(telegram)

    plain = renderer.render(name, lang, context, TextStyle.PLAIN)
    assert plain == html.unescape(TAG.sub("", telegram)), f"{lang}/{name} plain text differs"
    assert not RUN_TOGETHER.search(plain), f"{lang}/{name} runs two lines together: {plain!r}"

    whatsapp = renderer.render(name, lang, context, TextStyle.WHATSAPP)
    assert whatsapp.strip()
    # Tags and entities in WhatsApp text can only be literal ones from the context, as in plain.
    assert len(TAG.findall(whatsapp)) == len(TAG.findall(plain)), whatsapp
    assert len(ENTITY.findall(whatsapp)) == len(ENTITY.findall(plain)), whatsapp
    if name.startswith("buttons/"):
        assert "\n" not in plain, f"button label {lang}/{name} spans lines: {plain!r}"


@pytest.mark.parametrize(
    ("name", "added"),
    [
        ("summary_bill", "changed_by"),
        ("charts/progress_caption", "value_waiting"),
        ("admin_statement_imported", "several"),
        ("admin_statement_imported", "no_supplier"),
        ("errors/upload_not_admin", "treasurer"),
        ("help", "is_supplier"),
        ("join_first", "wanted"),
        ("join_supplier_only", "wanted"),
        ("payment_proof_rejected", "to_suppliers"),
        ("summary_purchase_order", "for_staff"),
        ("admin_order_usage", "not_a_treasurer"),
        ("errors/stale_button", "supplier_rep"),
        ("admin_whoami", "supplier_codes"),
        ("join_supplier_done", "coops"),
        ("catalog_page", "reader"),
        ("catalog_search", "reader"),
        ("catalog_suppliers", "reader"),
        ("document_none", "round_open"),
        ("supplier_confirm_usage", "max_days"),
        ("help", "unknown"),
        ("group_use_private_chat", "pressed"),
        ("announce_round_opened", "in_group"),
        ("admin_round_usage", "unknown"),
        ("admin_broadcast_usage", "length"),
        ("admin_round_step_summary", "open_round"),
    ],
)
def test_a_message_queued_before_a_key_was_added_still_renders(
    renderer: Renderer, name: str, added: str
) -> None:
    """Replies wait in the outbox (WhatsApp's daily limit, a held chat) across an upgrade:
    their stored context lacks what the templates learnt to read since."""
    context = copy.deepcopy(dict(SAMPLES[name]))
    context.pop(added, None)
    lines = context.get("lines", [])
    assert isinstance(lines, list)
    for line in lines:
        assert isinstance(line, dict)
        line.pop(added, None)
    for lang in LANGUAGES:
        assert renderer.render(name, lang, context, TextStyle.PLAIN).strip()
