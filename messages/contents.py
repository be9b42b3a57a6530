"""Which messages there are and which values each shows, for configuration that names them
(`[whatsapp.templates.<message>] parameters`, read by `bot.whatsapp.settings`).

A message is a template directly in `messages/templates/<lang>/` ("summary_bill"); the
templates in its folders are parts of others (buttons, errors, documents, ...). Its values
are the context keys its template, or one that template includes, reads in any language:
what a message shows is what may fill an approved WhatsApp template in its place.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, meta

from messages.formatting import DEFAULT_LANGUAGE, LANGUAGES
from messages.render import build_environment, template_file


@functools.cache
def message_names() -> frozenset[str]:
    """Every message's name, as `Reply.template` and the outbox name it."""
    prefix = f"{DEFAULT_LANGUAGE}/"
    return frozenset(
        name.removeprefix(prefix).removesuffix(".j2")
        for name in _environment().list_templates(extensions=["j2"])
        if name.startswith(prefix) and name.count("/") == 1
    )


@functools.cache
def message_values(message: str) -> frozenset[str]:
    """The context keys message `message` reads, in any language ("round_name", "total")."""
    environment = _environment()
    values: set[str] = set()
    for language in LANGUAGES:
        values |= _read_by(environment, template_file(message, language), set())
    return frozenset(values - set(environment.globals))


def _read_by(environment: Environment, template: str, seen: set[str]) -> set[str]:
    """The variables `template` reads from its context, and those of what it includes."""
    seen.add(template)
    assert environment.loader is not None
    source, _, _ = environment.loader.get_source(environment, template)
    tree = environment.parse(source)
    values = set(meta.find_undeclared_variables(tree))
    for included in meta.find_referenced_templates(tree):
        if included is not None and included not in seen:
            values |= _read_by(environment, included, seen)
    return values


@functools.cache
def _environment() -> Environment:
    return build_environment()
