"""Every button verb is in one table (`messages.buttons.Verb`) and claimed by exactly one flow."""

from __future__ import annotations

from collections import Counter

import pytest

from handlers import router
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import TRANSPORT_VERBS, ForgedPayload, Verb, decode, encode
from messages.replies import Reply


def test_each_verb_of_the_table_is_answered_by_exactly_one_flow() -> None:
    claims = Counter(verb for flow in router._FLOWS for verb in flow.CALLBACKS)

    assert set(claims) == set(Verb) - TRANSPORT_VERBS
    assert max(claims.values()) == 1


def test_two_flows_claiming_one_verb_stop_the_bot_from_starting() -> None:
    async def one(services: Services, turn: Turn) -> list[Reply]:
        return []

    first: dict[Verb, Handler] = {Verb.RECAP: one}
    second: dict[Verb, Handler] = {Verb.RECAP: one}

    with pytest.raises(RuntimeError, match="claimed by two flows"):
        router._one_claim_each([first, second])


def test_a_payload_with_a_verb_outside_the_table_is_forged() -> None:
    assert decode(encode(Verb.QUANTITY_STEP, 3, "GLP-50", "+5")).verb is Verb.QUANTITY_STEP
    with pytest.raises(ForgedPayload):
        decode("zz:3")


def test_verbs_are_short_and_distinct() -> None:
    values = [verb.value for verb in Verb]
    assert len(values) == len(set(values))
    assert all(1 <= len(value) <= 3 and value.isalpha() for value in values)
