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


def test_without_a_templates_table_the_documented_templates_are_used() -> None:
    settings = load_config(None, {}).whatsapp.settings

    assert settings.template_for("reminder_nudge") == DEFAULT_TEMPLATES["reminder_nudge"]
    assert settings.template_for("summary_overview") == DEFAULT_TEMPLATES["default"]


def test_templates_and_pace_are_read_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[whatsapp]\nenabled = false\nper_user_seconds = 6\n"
        "[whatsapp.templates.summary_bill]\n"
        'name = "tagihan_koperasi"\nparameters = ["coop.name", "total:rupiah"]\n'
        'languages = { id = "id", en = "en_US" }\nquick_reply = false\n'
    )

    settings = load_config(path, {}).whatsapp.settings

    assert settings.per_user_seconds == 6.0
    assert settings.template_for("summary_bill") == TemplateSpec(
        "tagihan_koperasi", ("coop.name", "total:rupiah"), {"id": "id", "en": "en_US"}, False
    )
    assert settings.template_for("reminder_nudge") == DEFAULT_TEMPLATES["reminder_nudge"]


@pytest.mark.parametrize(
    ("table", "path"),
    [
        ({"templates": {"x": {"name": "Bad Name"}}}, "whatsapp.templates.x.name"),
        (
            {"templates": {"x": {"name": "ok", "parameters": "total"}}},
            "whatsapp.templates.x.parameters",
        ),
        (
            {"templates": {"x": {"name": "ok", "parameters": ["total:euro"]}}},
            "whatsapp.templates.x.parameters[0]",
        ),
        ({"templates": {"x": {"name": "ok", "langs": {}}}}, "whatsapp.templates.x.langs"),
        (
            {"templates": {"x": {"name": "ok", "quick_reply": "yes"}}},
            "whatsapp.templates.x.quick_reply",
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
