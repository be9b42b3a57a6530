"""Reading quantities and pasted orders the way treasurers type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purchasing.errors import (
    CountLineDuplicate,
    CountLineInvalid,
    DuplicateLine,
    LineNotUnderstood,
    QuantityInvalid,
    TooManyLines,
    UnitMismatch,
)
from purchasing.order_text import (
    MAX_CHARS,
    MAX_LINES,
    OrderLine,
    parse_count_lines,
    parse_order_lines,
    parse_quantity,
)
from purchasing.rounds import MAX_QUANTITY

UNITS = {"BRS5": "karung", "MNY2": "karton", "GLP1": "karung"}


@pytest.mark.parametrize(
    ("typed", "quantity"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("007", 7),
        ("1.000", 1_000),
        ("1,000", 1_000),
        ("12.500", 12_500),
        ("100.000", MAX_QUANTITY),
    ],
)
def test_indonesian_number_forms_are_understood(typed: str, quantity: int) -> None:
    assert parse_quantity(typed) == quantity


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1,5",
        "12.5",
        "1.0000",
        "-3",
        "+3",
        "abc",
        "1 000",
        "1.000,000",
        "100.001",
        "١٢",
        "9" * 40,
    ],
)
def test_decimals_signs_words_and_absurd_numbers_are_refused(typed: str) -> None:
    with pytest.raises(QuantityInvalid) as caught:
        parse_quantity(typed)
    assert caught.value.params["max_quantity"] == MAX_QUANTITY
    raw = caught.value.params["raw"]
    assert isinstance(raw, str) and len(raw) <= 40


def test_a_pasted_order_in_every_accepted_form_is_read() -> None:
    text = "BRS5 12\n\n  mny2: 3 dus\n- GLP1 = 1.000 sak\n"
    parsed = parse_order_lines(text, UNITS)
    assert parsed.problems == ()
    assert parsed.lines == (
        OrderLine("BRS5", 12, 1),
        OrderLine("MNY2", 3, 3),
        OrderLine("GLP1", 1_000, 4),
    )


@pytest.mark.parametrize(
    "line", ["BRS5 x 4", "BRS5 x4", "* BRS5 4", "• brs5 4 karung", "BRS5 4krg", "BRS5 4."]
)
def test_common_chat_variants_of_a_line_are_read(line: str) -> None:
    assert parse_order_lines(line, UNITS).quantities == {"BRS5": 4}


def test_a_code_the_round_does_not_know_is_left_for_the_caller() -> None:
    parsed = parse_order_lines("xyz9 4 pak", UNITS)
    assert parsed.lines == (OrderLine("XYZ9", 4, 1),)


def test_a_unit_that_is_not_the_products_unit_is_a_problem() -> None:
    parsed = parse_order_lines("MNY2 5 karung\nBRS5 2", UNITS)
    assert parsed.lines == (OrderLine("BRS5", 2, 2),)
    [problem] = parsed.problems
    assert problem.line_no == 1
    assert isinstance(problem.error, UnitMismatch)
    assert problem.error.params == {
        "product_code": "MNY2",
        "unit_given": "karung",
        "unit": "karton",
    }


def test_bad_lines_are_reported_with_their_line_number_and_text() -> None:
    parsed = parse_order_lines("Halo bu\nBRS5 1,5\nMNY2 3\nMNY2 4\nGLP1 2 3", UNITS)
    assert parsed.lines == (OrderLine("MNY2", 3, 3),)
    kinds = [(p.line_no, p.raw_text, type(p.error)) for p in parsed.problems]
    assert kinds == [
        (1, "Halo bu", LineNotUnderstood),
        (2, "BRS5 1,5", QuantityInvalid),
        (4, "MNY2 4", DuplicateLine),
        (5, "GLP1 2 3", LineNotUnderstood),
    ]
    assert parsed.problems[2].error.params == {"product_code": "MNY2", "first_line_no": 3}


def test_a_negative_quantity_is_not_mistaken_for_a_bullet() -> None:
    parsed = parse_order_lines("BRS5 -3", UNITS)
    assert parsed.lines == ()
    assert isinstance(parsed.problems[0].error, QuantityInvalid)


@pytest.mark.parametrize(
    "text",
    ["BRS5 1\n" * (MAX_LINES + 1), "BRS5 1" + " " * MAX_CHARS],
    ids=["too many lines", "too many characters"],
)
def test_an_overlong_message_is_refused_as_a_whole(text: str) -> None:
    parsed = parse_order_lines(text, UNITS)
    assert parsed.lines == ()
    [problem] = parsed.problems
    assert problem.line_no == 0
    assert isinstance(problem.error, TooManyLines)


def test_two_hundred_lines_are_still_fine() -> None:
    text = "\n".join(f"P{n} 1" for n in range(MAX_LINES))
    assert len(parse_order_lines(text, {}).lines) == MAX_LINES


@given(st.text(max_size=600))
def test_any_text_at_all_is_read_without_crashing(text: str) -> None:
    parsed = parse_order_lines(text, UNITS)
    for line in parsed.lines:
        assert 0 <= line.quantity <= MAX_QUANTITY
        assert line.code == line.code.upper()
    reported = [line.line_no for line in parsed.lines] + [p.line_no for p in parsed.problems]
    reported += [question.line_no for question in parsed.questions]
    lines = {no for no, line in enumerate(text.splitlines(), start=1) if line.strip()}
    # Each line is answered (several products on one line each get their own answer).
    assert set(reported) == lines or reported == [0]


order_like = st.lists(
    st.tuples(
        st.sampled_from(["", "- ", "* "]),
        st.sampled_from(["BRS5", "mny2", "GLP1", "X"]),
        st.sampled_from([" ", ": ", " = ", " x "]),
        st.text("0123456789.,-", min_size=1, max_size=9),
        st.sampled_from(["", " dus", " karung", " sak", " kg"]),
    ).map("".join),
    max_size=12,
)


@given(order_like)
def test_order_shaped_text_yields_only_valid_quantities(lines: list[str]) -> None:
    parsed = parse_order_lines("\n".join(lines), UNITS)
    reported = [line.line_no for line in parsed.lines] + [p.line_no for p in parsed.problems]
    assert set(reported) == set(range(1, len(lines) + 1))
    for line in parsed.lines:
        assert 0 <= line.quantity <= MAX_QUANTITY


@given(st.integers(0, MAX_QUANTITY))
def test_every_quantity_written_with_thousands_dots_reads_back(quantity: int) -> None:
    assert parse_quantity(f"{quantity:,}".replace(",", ".")) == quantity
    assert parse_quantity(f"{quantity:,}") == quantity


def test_without_a_catalog_every_word_is_a_code_but_numbering_and_commas_work() -> None:
    parsed = parse_order_lines("1. BRS5 12 karung, GLP1 5\n2) beras 3\nberas sphp 4", UNITS)

    assert parsed.lines == (
        OrderLine("BRS5", 12, 1),
        OrderLine("GLP1", 5, 1),
        OrderLine("BERAS", 3, 2),  # for the caller to refuse as an unknown code
    )
    assert [(p.line_no, type(p.error)) for p in parsed.problems] == [(3, LineNotUnderstood)]


def test_a_comma_between_digits_is_a_thousands_separator_not_a_new_item() -> None:
    parsed = parse_order_lines("BRS5 1,000, GLP1 2,5", UNITS)

    assert parsed.lines == (OrderLine("BRS5", 1_000, 1),)
    assert [type(p.error) for p in parsed.problems] == [QuantityInvalid]


def test_count_lines_name_a_product_written_twice_not_an_unreadable_line() -> None:
    assert parse_count_lines("BRS-SPHP50 25\nglp-50 3", "shipped") == {
        "BRS-SPHP50": 25,
        "GLP-50": 3,
    }
    with pytest.raises(CountLineDuplicate) as twice:
        parse_count_lines("BRS-SPHP50 25\nBRS-SPHP50 20", "shipped")
    with pytest.raises(CountLineInvalid) as unreadable:
        parse_count_lines("BRS-SPHP50 dua puluh", "received")

    assert twice.value.params == {
        "product_code": "BRS-SPHP50",
        "first": "BRS-SPHP50 25",
        "again": "BRS-SPHP50 20",
        "counted": "shipped",
    }
    assert unreadable.value.params["raw"] == "BRS-SPHP50 dua puluh"
