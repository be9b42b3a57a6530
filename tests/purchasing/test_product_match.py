"""Order lines as treasurers really type them, read against the demo's catalog.

The catalog is examples/produk.csv (the 25 products the demo and the chat tests load) plus
four products sold by the piece, so that "lusin" and "kodi" have something to convert into.
Each row is one pasted line and what must come back: the product and quantity set, the
question asked (the candidates offered as buttons), or the problem explained.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest

from purchasing.errors import (
    CountNotForUnit,
    LineNotUnderstood,
    ProductNotMatched,
    QuantityInvalid,
    UnitMismatch,
)
from purchasing.order_text import parse_order_lines
from purchasing.product_match import (
    CatalogEntry,
    MatchKind,
    ProductMatcher,
    normalise,
    shortest_name,
)
from tests.support import EXAMPLES


def demo_catalog() -> list[CatalogEntry]:
    with (EXAMPLES / "produk.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [CatalogEntry(row["kode"], row["nama"], row["satuan"]) for row in rows]


CATALOG = [
    *demo_catalog(),
    CatalogEntry("MIE-SDP", "Mie Sedaap Goreng 90 g", "bungkus"),
    CatalogEntry("PLP-AE7", "Pulpen Standard AE7 hitam", "pcs"),
    CatalogEntry("BKT-SD58", "Buku tulis Sinar Dunia 58 lembar", "buah"),
    CatalogEntry("TLR-10", "Telur ayam negeri isi 10 butir", "pak"),
]
UNITS = {entry.code: entry.unit for entry in CATALOG}
MATCHER = ProductMatcher(CATALOG)


@dataclass(frozen=True)
class Ask:
    """The line is asked about: these products (as buttons), at this quantity."""

    quantity: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Refused:
    """The line changes nothing; `error` explains why (`suggestions`: "maksudnya …?")."""

    error: type[Exception]
    suggestions: tuple[str, ...] = ()


Expected = tuple[tuple[str, int], ...] | Ask | Refused
RICE = ("BRS-PRM50", "BRS-SPHP50")
OIL = ("BMOLI-2L", "MKITA-1L")
FRIED_NOODLES = ("IDM-GRG", "MIE-SDP")

LINES: list[tuple[str, Expected]] = [
    # The lines quoted in the issue.
    ("beras 12", Ask(12, RICE)),
    ("pesan beras SPHP 12 karung", (("BRS-SPHP50", 12),)),
    ("Beras SPHP 12", (("BRS-SPHP50", 12),)),
    ("IDM-GRG 2 lusin", Refused(CountNotForUnit)),
    ("1. BRS-SPHP50 12", (("BRS-SPHP50", 12),)),
    ("BRS-SPHP50 12 karung, GLP-1 5 bal", (("BRS-SPHP50", 12), ("GLP-1", 5))),
    ("BRS-SPHP50 5 (karung)", (("BRS-SPHP50", 5),)),
    ("minyak gorng 3", Ask(3, OIL)),
    ("12 karung beras sphp", (("BRS-SPHP50", 12),)),
    # Sizes are part of the name, never the quantity.
    ("minyak goreng 1L 3", (("MKITA-1L", 3),)),
    ("minyak goreng 1 L 3 dus", (("MKITA-1L", 3),)),
    ("myk grg 2 liter 4", (("BMOLI-2L", 4),)),
    ("Minyakita 1L 10", (("MKITA-1L", 10),)),
    ("migor 2 liter 6", (("BMOLI-2L", 6),)),
    ("beras premium 50kg 3", (("BRS-PRM50", 3),)),
    ("beras premium 50 kg 3", (("BRS-PRM50", 3),)),
    ("gula 1kg 5", (("GLP-1", 5),)),
    ("gula 1 kg 5 bal", (("GLP-1", 5),)),
    ("gula pasir 50kg 2", (("GLP-50", 2),)),
    ("gula 50 kg x 2", (("GLP-50", 2),)),
    ("tepung terigu 1kg 7", (("SGB-1KG", 7),)),
    ("minyak goreng 2L 3 karung", Refused(UnitMismatch)),
    ("beras 12 kg", Refused(LineNotUnderstood)),  # 12 kg is a size: how many sacks?
    ("beras sphp 50 12", (("BRS-SPHP50", 12),)),  # 50 without its kg
    ("beras 50 12", Ask(12, RICE)),
    ("gula 1 5", (("GLP-1", 5),)),
    # Abbreviations and typos.
    ("mie goreng 10", Ask(10, FRIED_NOODLES)),
    ("mi goreng 10", Ask(10, FRIED_NOODLES)),
    ("indomie goreng 10", (("IDM-GRG", 10),)),
    ("indomi goreng 10", (("IDM-GRG", 10),)),
    ("mie soto 5 karton", (("IDM-SOTO", 5),)),
    ("indomie soto 5", (("IDM-SOTO", 5),)),
    ("berass premum 2", (("BRS-PRM50", 2),)),
    ("kecep bango 3", (("BNG-KCP", 3),)),
    ("skm 4", Ask(4, ("FF-SKM", "IDMLK-SKM"))),
    ("odol 2", (("PPS-190", 2),)),
    ("12 krg beras premium", (("BRS-PRM50", 12),)),
    # Names, parts of names, brands.
    ("terigu 7", (("SGB-1KG", 7),)),
    ("segitiga biru 7", (("SGB-1KG", 7),)),
    ("kecap bango 3", (("BNG-KCP", 3),)),
    ("kecap indofood 3", (("IDF-KCP", 3),)),
    ("susu kental manis indomilk 4", (("IDMLK-SKM", 4),)),
    ("frisian flag 4", (("FF-SKM", 4),)),
    ("kopi bubuk 2", (("KPS-165", 2),)),
    ("teh sariwangi 6", (("SRW-25", 6),)),
    ("teh 6 dus", (("SRW-25", 6),)),
    ("garam 10", (("GRM-250", 10),)),
    ("garam refina 10 bal", (("GRM-250", 10),)),
    ("sabun lifebuoy 4", (("LFB-SBN", 4),)),
    ("sabun b29 4", (("SBN-B29", 4),)),
    ("rinso 5", (("RNS-770", 5),)),
    ("deterjen 5", (("RNS-770", 5),)),
    ("sunlight 3", (("SNL-755", 3),)),
    ("pasta gigi 2", (("PPS-190", 2),)),
    ("sampo 2", (("SNS-170", 2),)),
    ("sarden abc 1", (("ABC-SRD", 1),)),
    ("Sariwangi 25 3", (("SRW-25", 3),)),
    # Never a guess between two products.
    ("gula 4", Ask(4, ("GLP-1", "GLP-50"))),
    ("kecap manis 3", Ask(3, ("BNG-KCP", "IDF-KCP"))),
    ("kecap 3", Ask(3, ("BNG-KCP", "IDF-KCP"))),
    ("kopi kapal api 2", Ask(2, ("KPA-SPX", "KPS-165"))),
    ("sabun 4", Ask(4, ("LFB-SBN", "SBN-B29"))),
    ("beras 12 karung", Ask(12, RICE)),  # both are sold per karung
    # Bullets, numbering and leading words.
    ("- tolong kopi bubuk 2", (("KPS-165", 2),)),
    ("• sarden 1", (("ABC-SRD", 1),)),
    ("2) terigu 3", (("SGB-1KG", 3),)),
    ("mau pesan supermi 8", (("SPM-AB", 8),)),
    ("order rinso 2", (("RNS-770", 2),)),
    ("beli garam 1", (("GRM-250", 1),)),
    ("Tolong, pesan sunsilk 2", (("SNS-170", 2),)),
    # Lusin (12) and kodi (20) only where the product is sold by the piece.
    ("mie sedaap 2 lusin", (("MIE-SDP", 24),)),
    ("mie sedaap 1 kodi", (("MIE-SDP", 20),)),
    ("mie sedaap 30", (("MIE-SDP", 30),)),
    ("pulpen 2 lusin", (("PLP-AE7", 24),)),
    ("pulpen 24 pcs", (("PLP-AE7", 24),)),
    ("buku tulis 1 kodi", (("BKT-SD58", 20),)),
    ("telur 3", (("TLR-10", 3),)),
    ("telur 2 lusin", Refused(CountNotForUnit)),
    ("teh 2 kodi", Refused(CountNotForUnit)),
    # Codes keep working exactly as before, and win over names.
    ("IDM-GRG 5", (("IDM-GRG", 5),)),
    ("idm-grg 5", (("IDM-GRG", 5),)),
    ("IDM GRG 5", (("IDM-GRG", 5),)),
    ("BRS-SPHP50: 4", (("BRS-SPHP50", 4),)),
    ("BRS-SPHP50 x 4", (("BRS-SPHP50", 4),)),
    ("brs-sphp50 4krg", (("BRS-SPHP50", 4),)),
    ("GLP-1 1.000", (("GLP-1", 1_000),)),
    ("GLP-1 1,000", (("GLP-1", 1_000),)),
    ("GLP-1 1,000, IDM-GRG 2", (("GLP-1", 1_000), ("IDM-GRG", 2))),
    ("GLP-1 2 3", Refused(LineNotUnderstood)),
    ("XYZ-99 3", (("XYZ-99", 3),)),  # left for the round to refuse as an unknown code
    # Nothing fits: suggestions, or none.
    ("sabun colek 2", Refused(ProductNotMatched, ("LFB-SBN", "SBN-B29"))),
    ("susu 3", Refused(ProductNotMatched)),
    ("aqua galon 4", Refused(ProductNotMatched)),
    # Not an order line.
    ("beras", Refused(LineNotUnderstood)),
    ("terima kasih bu", Refused(LineNotUnderstood)),
    ("BRS-SPHP50 1,5", Refused(QuantityInvalid)),
    ("GLP-50 -2", Refused(QuantityInvalid)),
]


def test_the_table_holds_at_least_sixty_real_lines() -> None:
    assert len(LINES) >= 60
    assert len({line for line, _ in LINES}) == len(LINES)


@pytest.mark.parametrize(("line", "expected"), LINES, ids=[line for line, _ in LINES])
def test_a_treasurers_line_gives_the_product_the_question_or_the_reason(
    line: str, expected: Expected
) -> None:
    parsed = parse_order_lines(line, UNITS, MATCHER)

    if isinstance(expected, Ask):
        assert (parsed.lines, parsed.problems) == ((), ())
        [question] = parsed.questions
        assert question.quantity == expected.quantity
        assert tuple(sorted(entry.code for entry in question.candidates)) == expected.codes
    elif isinstance(expected, Refused):
        assert (parsed.lines, parsed.questions) == ((), ())
        [problem] = parsed.problems
        assert isinstance(problem.error, expected.error), problem.error
        if expected.error is ProductNotMatched:
            suggested = problem.error.params["suggestions"]
            assert isinstance(suggested, list)
            assert tuple(sorted(s["code"] for s in suggested)) == expected.suggestions
    else:
        assert (parsed.problems, parsed.questions) == ((), ())
        assert [(found.code, found.quantity) for found in parsed.lines] == list(expected)


def test_several_products_on_one_line_each_get_their_own_answer() -> None:
    parsed = parse_order_lines("beras 12, gula 1kg 3; rinso 2", UNITS, MATCHER)

    assert [(line.code, line.quantity, line.raw) for line in parsed.lines] == [
        ("GLP-1", 3, "gula 1kg 3"),
        ("RNS-770", 2, "rinso 2"),
    ]
    [question] = parsed.questions
    assert (question.line_no, question.raw_text, question.quantity) == (1, "beras 12", 12)


def test_the_same_product_named_twice_is_refused_the_second_time() -> None:
    parsed = parse_order_lines("beras sphp 3\nBRS-SPHP50 4", UNITS, MATCHER)

    assert [(line.code, line.quantity) for line in parsed.lines] == [("BRS-SPHP50", 3)]
    assert [(p.line_no, p.error.key) for p in parsed.problems] == [(2, "order_line_duplicate")]


def test_a_code_wins_over_a_name_that_looks_like_it() -> None:
    catalog = [CatalogEntry("GULA", "Garam dapur", "bal"), CatalogEntry("G1", "Gula 1 kg", "bal")]

    assert parse_order_lines("gula 5", {}, catalog).quantities == {"GULA": 5}


def test_sizes_and_abbreviations_are_written_one_way() -> None:
    assert normalise("Minyak Goreng 1 L") == normalise("myk grg 1l") == ["minyak", "goreng", "1l"]
    assert normalise("Beras 5 liter, 50KG") == ["beras", "5l", "50kg"]
    assert normalise("tolong pesan mie 0,5 kg") == normalise("mi 500 gr") == ["mi", "500g"]


def test_a_size_never_passes_for_another() -> None:
    catalog = [
        CatalogEntry("B5", "Beras SPHP 5 kg", "karung"),
        CatalogEntry("B50", "Beras SPHP 50 kg", "karung"),
    ]
    matcher = ProductMatcher(catalog)

    assert matcher.match("beras sphp 5kg").entry == catalog[0]
    assert matcher.match("beras sphp 50 kg").entry == catalog[1]
    assert matcher.match("beras sphp").kind is MatchKind.AMBIGUOUS


def test_the_example_name_in_the_help_finds_its_product_alone() -> None:
    for entry in CATALOG:
        example = shortest_name(MATCHER, entry)
        assert MATCHER.match(example).entry == entry, (entry, example)
