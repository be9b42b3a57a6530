"""Whatever a rep types in the private chat: an answer, never a crash, and only parsed changes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.contract.services import Services
from purchasing.model import Round
from purchasing.order_text import parse_order_lines
from tests.support.fixtures.chat import ChatUser, quantities
from tests.support.use_case_steps import set_commitment

CODES = ["IDM-GRG", "idm-grg", "GLP-1", "MKITA-1L", "BRS-SPHP50", "XYZ-9", "LFB-SBN", "ok"]
NUMBERS = st.one_of(
    st.integers(-3, 120_000).map(str),
    st.sampled_from(["1.000", "1,000", "12.500", "1,5", "1.0000", "0", "007", "1 000", "dua"]),
)
UNITS = st.sampled_from(["", " karton", "dus", " karung", " bal", " kg", " x"])
SEPARATORS = st.sampled_from([" ", ": ", " = ", " x ", "  "])
BULLETS = st.sampled_from(["", "- ", "• ", "1. "])
ORDER_LINE = st.builds(
    lambda bullet, code, sep, number, unit: f"{bullet}{code}{sep}{number}{unit}",
    BULLETS,
    st.sampled_from(CODES),
    SEPARATORS,
    NUMBERS,
    UNITS,
)
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(ORDER_LINE, st.text(max_size=30)), max_size=8).map("\n".join),
    st.lists(ORDER_LINE, min_size=1, max_size=3).map(lambda lines: "/pesan " + "\n".join(lines)),
    st.sampled_from(["/pesanan", "/ulang", "/katalog", "/start", "/start abc", "/koperasi", "/"]),
)


def expected_quantities(text: str, round_: Round) -> dict[str, int]:
    """What the text may set, read the way the router and `parse_order_lines` read it."""
    body = text.strip()
    if body.startswith("/"):
        name, _, args = body[1:].partition(" ")
        if name.split("@", 1)[0].lower() not in ("pesan", "order"):
            return {}
        body = args.strip()
    units = {item.product_code: item.unit for item in round_.items}
    return parse_order_lines(body, units).quantities


async def clear(services: Services, round_: Round, product_code: str) -> None:
    await set_commitment(
        services.db, round_id=round_.id, coop_code="DT", product_code=product_code, quantity=0,
        actor="test", via="test", now=services.now(),
    )  # fmt: skip


@settings(
    max_examples=80,
    deadline=None,
    # One database for all examples on purpose (a fresh one each time would be slow): each
    # example first removes what earlier ones ordered, then compares before and after.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=MESSAGES)
async def test_any_text_from_a_rep_gets_an_answer_and_changes_only_lines_that_parse(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, text: str
) -> None:
    for _coop, code in await quantities(chat_services.db, chat_round.id):
        await clear(chat_services, chat_round, code)
    before = await quantities(chat_services.db, chat_round.id)

    replies = await chat_treasurer.send(text)

    assert replies, f"no answer to {text!r}"
    assert "errors/internal" not in [reply.template for reply in replies]
    after = await quantities(chat_services.db, chat_round.id)
    changed = {
        code: after.get((coop, code), 0)
        for (coop, code) in set(before) | set(after)
        if before.get((coop, code), 0) != after.get((coop, code), 0)
    }
    allowed = expected_quantities(text, chat_round)
    assert {code: allowed.get(code) for code in changed} == changed, text
