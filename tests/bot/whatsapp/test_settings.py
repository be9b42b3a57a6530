"""Which approved Meta template stands for which message: read from the [whatsapp] table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.whatsapp.settings import (
    DEFAULT_TEMPLATES,
    TemplateSpec,
    WhatsAppSettings,
    settings_from_toml,
)
from messages import Renderer, TextStyle


def test_without_a_templates_table_the_documented_templates_are_used() -> None:
    settings = load_config(None, {}).whatsapp.settings

    assert settings.template_for("reminder_nudge") == DEFAULT_TEMPLATES["reminder_nudge"]
    assert settings.template_for("summary_overview") == DEFAULT_TEMPLATES["default"]


def test_templates_and_pace_are_read_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[whatsapp]\nenabled = false\nper_user_seconds = 6\n"
        "[whatsapp.templates.summary_bill]\n"
        'name = "tagihan_koperasi"\nparameters = ["coop_name", "total:rupiah"]\n'
        'languages = { id = "id", en = "en_US" }\nquick_reply = false\n'
    )

    settings = load_config(path, {}).whatsapp.settings

    assert settings.per_user_seconds == 6.0
    assert settings.template_for("summary_bill") == TemplateSpec(
        "tagihan_koperasi", ("coop_name", "total:rupiah"), {"id": "id", "en": "en_US"}, False
    )
    assert settings.template_for("reminder_nudge") == DEFAULT_TEMPLATES["reminder_nudge"]


@pytest.mark.parametrize(
    ("table", "path"),
    [
        (
            {"templates": {"summary_bill": {"name": "Bad Name"}}},
            "whatsapp.templates.summary_bill.name",
        ),
        (
            {"templates": {"summary_bill": {"name": "ok", "parameters": "total"}}},
            "whatsapp.templates.summary_bill.parameters",
        ),
        (
            {"templates": {"summary_bill": {"name": "ok", "parameters": ["total:euro"]}}},
            "whatsapp.templates.summary_bill.parameters[0]",
        ),
        (
            {"templates": {"summary_bill": {"name": "ok", "langs": {}}}},
            "whatsapp.templates.summary_bill.langs",
        ),
        (
            {"templates": {"summary_bill": {"name": "ok", "quick_reply": "yes"}}},
            "whatsapp.templates.summary_bill.quick_reply",
        ),
        ({"per_user_seconds": -1}, "whatsapp.per_user_seconds"),
    ],
    ids=["name", "parameters", "format", "unknown key", "quick_reply", "pace"],
)
def test_a_mistake_in_the_templates_names_its_key(table: dict[str, object], path: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings_from_toml(table)

    assert refused.value.params["path"] == path


def test_a_template_falls_back_to_its_first_language() -> None:
    spec = TemplateSpec("x", languages={"id": "id"})

    assert spec.language_for("en") == "id"
    assert WhatsAppSettings().window.total_seconds() < 24 * 3600


def refusal_of(tmp_path: Path, templates: str) -> tuple[str, str]:
    """The key path and the Indonesian line a config with these template tables gets."""
    path = tmp_path / "config.toml"
    path.write_text(templates, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path, {})
    line = Renderer().render_error(refused.value, "id", TextStyle.PLAIN)
    return str(refused.value.params["path"]), line


def test_a_table_for_a_message_name_with_a_typo_is_refused_with_the_name_meant(
    tmp_path: Path,
) -> None:
    path, line = refusal_of(tmp_path, '[whatsapp.templates.sumary_bill]\nname = "tagihan"\n')

    assert path == "whatsapp.templates.sumary_bill"
    assert line.startswith(
        "whatsapp.templates.sumary_bill: bot tidak punya pesan bernama 'sumary_bill'."
        " Maksudnya 'summary_bill'? Pakai 'default' (untuk semua pesan lain) atau nama sebuah"
        " pesan, seperti 'announce_round_opened', 'reminder_nudge'"
    )


def test_a_language_the_bot_does_not_speak_is_refused_with_the_ones_it_does(
    tmp_path: Path,
) -> None:
    path, line = refusal_of(
        tmp_path,
        '[whatsapp.templates.summary_bill]\nname = "tagihan"\nlanguages = { jv = "jv" }\n',
    )

    assert path == "whatsapp.templates.summary_bill.languages"
    assert line.startswith(
        "whatsapp.templates.summary_bill.languages: 'jv' bukan bahasa bot."
        " Kuncinya bahasa bot ('id' atau 'en')"
    )


def test_a_parameter_the_message_does_not_have_is_refused_listing_the_values_it_has(
    tmp_path: Path,
) -> None:
    path, line = refusal_of(
        tmp_path,
        '[whatsapp.templates.summary_bill]\nname = "tagihan"\n'
        'parameters = ["round_name", "no_such_key:rupiah"]\n',
    )

    assert path == "whatsapp.templates.summary_bill.parameters[1]"
    assert line == (
        "whatsapp.templates.summary_bill.parameters[1]: pesan 'summary_bill' tidak punya nilai"
        " 'no_such_key'. Nilai yang ada: 'coop_code', 'coop_name', 'delivery_note', 'lines',"
        " 'round_name', 'saving', 'supplier_bills' dan 'total'."
    )


def test_every_documented_template_fills_itself_from_values_its_message_has() -> None:
    table = {
        "templates": {
            message: {"name": spec.name, "parameters": list(spec.parameters)}
            for message, spec in DEFAULT_TEMPLATES.items()
        }
    }

    assert settings_from_toml(table).templates == DEFAULT_TEMPLATES


def test_the_default_table_stands_for_every_message_so_its_parameters_are_not_checked() -> None:
    table = {"templates": {"default": {"name": "belanja_pesan_baru", "parameters": ["round_name"]}}}

    assert settings_from_toml(table).templates["default"].parameters == ("round_name",)
