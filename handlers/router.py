"""The entry point of the conversation: one incoming event in, replies out.

Order of decisions: a file sent goes to the admin's catalog upload; a pressed button to the
handler for its verb; a `/command` to the handler for that command (Indonesian names first,
English aliases too); any other text in a private chat is first offered to the conversation
state (an admin's answer while creating a round step by step, `admin.round_steps`; "waiting
for a quantity"), then read as a pasted order list. Domain errors become the
template that explains them; nothing unexpected ever reaches a user as a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TypeVar

from handlers import groups, help, supplier
from handlers.admin import catalog_upload, menu, nudges, round_steps
from handlers.admin import charts as admin_charts
from handlers.admin import dashboard as admin_dashboard
from handlers.contract.events import IncomingEvent
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.identity import Person, identify_once
from handlers.contract.services import Services
from handlers.treasurer import (
    catalog,
    documents,
    join,
    my_order,
    order_choice,
    ordering,
    proof,
    quantity_buttons,
    receipt,
)
from messages.buttons import ForgedPayload, Verb, decode
from messages.replies import Reply
from purchasing.errors import ExplainedError

log = logging.getLogger(__name__)
K = TypeVar("K", str, Verb)

_FLOWS = (
    join,
    catalog,
    ordering,
    quantity_buttons,
    order_choice,
    my_order,
    documents,
    receipt,
    proof,
    supplier,
    menu,
    admin_dashboard,
    admin_charts,
    nudges,
    round_steps,
    groups,
    help,
)
# What a group chat may ask. Everything else shows or changes someone's order, bill, coop or
# settings, or is admin work: in a group it answers with a button into the private chat, and
# so does every button pressed there.
_IN_GROUPS = frozenset({"hubungkan", "link", "bantuan", "help"})


def _command_and_args(text: str) -> tuple[str, str]:
    """ "pesan GLP-50 3" → ("pesan", "GLP-50 3"); the name ends at the first space or line
    break, and the arguments keep their lines ("/terima" then "GLP-50 3" on the next line)."""
    name, _, args = text.partition(" ")
    if "\n" in name:
        name, _, rest = name.partition("\n")
        args = f"{rest} {args}" if args else rest
    return name, args


def _one_claim_each(tables: Iterable[Mapping[K, Handler]]) -> dict[K, Handler]:
    """The flows' tables merged; two flows claiming one command or verb stop the import."""
    merged: dict[K, Handler] = {}
    for table in tables:
        for key, handler in table.items():
            if key in merged:
                raise RuntimeError(f"{key!r} is claimed by two flows")
            merged[key] = handler
    return merged


COMMANDS: dict[str, Handler] = _one_claim_each(flow.COMMANDS for flow in _FLOWS)
CALLBACKS: dict[Verb, Handler] = _one_claim_each(flow.CALLBACKS for flow in _FLOWS)


async def handle(services: Services, event: IncomingEvent) -> list[Reply]:
    person = await identify_once(services, event)
    if person is None:
        log.info("%s delivery %s came again; skipped", event.platform, event.delivery_id)
        return []
    try:
        return await _dispatch(services, Turn(event=event, person=person))
    except ForgedPayload:
        return [error_reply(person, "stale_button", _stale_button_context(person))]
    except ExplainedError as error:
        return [error_reply(person, error.key, error.params)]
    except Exception:
        log.exception("handling %s failed", event)
        return [error_reply(person, "internal", {})]


def _stale_button_context(person: Person) -> dict[str, object]:
    """Whom an out-of-date button speaks to: staff (`staff`, set by `error_reply`) are sent
    to their round commands, a supplier's rep who orders for no coop to theirs."""
    return {"supplier_rep": bool(person.supplier_codes) and not person.coop_codes}


async def _dispatch(services: Services, turn: Turn) -> list[Reply]:
    event = turn.event
    if event.document is not None:
        treasurer = turn.person.coop_codes and not turn.person.is_admin and event.is_private
        if treasurer and proof.is_proof_name(event.document.name):
            if receipt.awaits_photo(services, turn):
                return await receipt.send_photo(services, turn)
            return await proof.send_proof(services, turn)
        return await catalog_upload.upload_catalog(services, turn)
    if event.payload is not None:
        if not event.is_private:
            return await groups.redirect_to_private(services, turn)
        payload = decode(event.payload)
        callback = CALLBACKS.get(payload.verb)
        if callback is None:
            raise ForgedPayload(event.payload)
        return await callback(services, turn.with_payload(payload))
    text = (event.text or "").strip()
    if text.startswith("/"):
        name, args = _command_and_args(text[1:])
        name = name.split("@", 1)[0].lower()
        command = COMMANDS.get(name)
        if command is None:
            return await help.unknown_command(services, turn)
        if not event.is_private and name not in _IN_GROUPS:
            return await groups.redirect_to_private(services, turn)
        return await command(services, turn.with_args(args.strip()))
    if not event.is_private:
        return []
    answered = await round_steps.typed_answer(services, turn.with_args(text))
    if answered is not None:
        return answered
    return await ordering.free_text(services, turn.with_args(text))
