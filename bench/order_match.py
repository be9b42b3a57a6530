"""How fast pasted order lines are read by product name against a big catalog.

    .venv/bin/python -m bench.order_match [--products 1000] [--lines 1000] [--repeats 5]

A catalog of `--products` products is generated (seeded, so every run reads the same):
Indonesian groceries and household goods as a Dinas spreadsheet names them ("Minyak goreng
Sania pouch 2 L", "Beras SPHP medium 50 kg", codes such as "MYK-SAN-2L-017"). Then `--lines`
order lines are written the ways treasurers write them: the code, the first words of the
name, with a typo, abbreviated ("myk grg"), the quantity before or after, with a unit or
"lusin", numbered or bulleted, several on one line.

Timed, best of `--repeats`: `purchasing.order_text.parse_order_lines` over all the lines,
sent as the fewest messages the chat accepts (MAX_LINES lines, MAX_CHARS characters each), with
the round's `ProductMatcher` built once per message as the handler does (its build time is
printed apart too). Printed: lines per second, and how the lines came out (set, asked,
refused). Goal: at least 1,000 lines/s, so that the longest message a treasurer may paste
(200 lines) is read in 0.2 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter

from purchasing.order_text import MAX_CHARS, MAX_LINES, parse_order_lines
from purchasing.product_match import CatalogEntry, ProductMatcher

GOAL_LINES_PER_SECOND = 1_000
KINDS: list[tuple[str, str, str, list[str], str]] = [
    # (code prefix, name, unit, sizes, abbreviation a treasurer types)
    ("BRS", "Beras", "karung", ["5 kg", "10 kg", "25 kg", "50 kg"], "brs"),
    ("GLP", "Gula pasir", "bal", ["1 kg", "500 g"], "gula"),
    ("MYK", "Minyak goreng", "dus", ["1 L", "2 L", "5 L"], "myk grg"),
    ("MIE", "Mie instan goreng", "karton", ["85 g", "90 g"], "mi goreng"),
    ("MIS", "Mie instan kuah soto", "karton", ["70 g", "75 g"], "mie soto"),
    ("TPG", "Tepung terigu", "bal", ["1 kg", "500 g"], "tpg terigu"),
    ("KCP", "Kecap manis", "dus", ["520 ml", "220 ml"], "kecap"),
    ("GRM", "Garam beryodium", "bal", ["250 g", "500 g"], "garam"),
    ("SKM", "Susu kental manis", "dus", ["370 g"], "skm"),
    ("TEH", "Teh celup", "dus", ["25 kantong", "50 kantong"], "teh"),
    ("KPI", "Kopi bubuk", "dus", ["165 g", "65 g"], "kopi"),
    ("SBN", "Sabun mandi batang", "karton", ["70 g", "110 g"], "sbn mandi"),
    ("DTJ", "Deterjen bubuk", "karton", ["770 g", "1,8 kg"], "detergen"),
    ("SMP", "Sampo", "dus", ["170 ml", "70 ml"], "sampo"),
    ("PGG", "Pasta gigi", "karton", ["190 g", "120 g"], "odol"),
    ("SRD", "Sarden saus tomat", "dus", ["425 g", "155 g"], "sarden"),
    ("AIR", "Air mineral", "dus", ["600 ml", "1,5 L"], "air mineral"),
    ("BSK", "Biskuit kelapa", "karton", ["250 g"], "biskuit"),
    ("TLR", "Telur ayam negeri", "peti", ["10 kg", "15 kg"], "telur"),
    ("PLP", "Pulpen hitam", "pcs", ["0,5 mm"], "pulpen"),
]
BRANDS = [
    "Sania", "Bimoli", "Fortune", "Rose Brand", "Sedaap", "Sariwangi", "Kapal Api", "Lifebuoy",
    "Rinso", "Sunsilk", "Pepsodent", "ABC", "Aqua", "Khong Guan", "Refina", "Bango", "Indomilk",
    "Segitiga Biru", "Cap Bandeng", "Tropical", "Filma", "Gulaku", "Dua Belibis", "Cap Jempol",
    "Ultra", "Frisian Flag", "Nusantara", "Pandan Wangi", "Rojolele", "Ciliwung", "Tawon",
    "Kupu-kupu", "Mawar", "Melati", "Merpati", "Garuda", "Cendrawasih", "Bintang", "Pelangi",
    "Sumber Rejeki", "Makmur", "Sejahtera", "Berkah", "Barokah", "Amanah", "Sinar", "Mentari",
    "Delima", "Cempaka", "Kenanga",
]  # fmt: skip
VARIANTS = ["", "premium", "medium", "pouch", "botol", "refill", "ekonomis", "hemat", "super"]


def catalog(products: int, rng: random.Random) -> list[CatalogEntry]:
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    while len(entries) < products:
        prefix, kind, unit, sizes, _ = rng.choice(KINDS)
        brand, variant, size = rng.choice(BRANDS), rng.choice(VARIANTS), rng.choice(sizes)
        name = " ".join(part for part in (kind, brand, variant, size) if part)
        if name in seen:
            continue
        seen.add(name)
        code = f"{prefix}-{brand[:3].upper()}-{size.replace(' ', '').replace(',', '')}"
        entries.append(CatalogEntry(f"{code}-{len(entries):03d}".upper(), name, unit))
    return entries


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    index = rng.randrange(1, len(word) - 1)
    return word[:index] + word[index + 1 :]


def order_line(entry: CatalogEntry, rng: random.Random) -> str:
    quantity = rng.randint(1, 40)
    words = entry.name.split()
    abbreviation = next(kind[4] for kind in KINDS if entry.name.startswith(kind[1]))
    form = rng.randrange(9)
    if form == 0:
        return f"{entry.code} {quantity}"
    if form == 1:
        return f"{entry.code.lower()} {quantity} {entry.unit}"
    if form == 2:
        return f"{' '.join(words[:3]).lower()} {quantity}"
    if form == 3:
        return f"{quantity} {entry.unit} {' '.join(words[:4])}"
    if form == 4:
        return f"- {' '.join(typo(word, rng) for word in words[:3])} {quantity}"
    if form == 5:
        return f"{rng.randint(1, 30)}. pesan {abbreviation} {' '.join(words[-3:])} {quantity}"
    if form == 6:
        return f"{entry.name} x {quantity}"
    if form == 7:
        return f"tolong {' '.join(words[2:])} {quantity} lusin"
    return f"{' '.join(words[:2])} {quantity}, {entry.code} {quantity + 1}"


def as_messages(lines: list[str]) -> list[str]:
    """The lines pasted as the fewest messages the chat takes (MAX_LINES, MAX_CHARS each)."""
    messages: list[list[str]] = [[]]
    for line in lines:
        current = messages[-1]
        if len(current) == MAX_LINES or len("\n".join([*current, line])) > MAX_CHARS:
            messages.append(current := [])
        current.append(line)
    return ["\n".join(message) for message in messages if message]


def run(products: int, lines: int, repeats: int, seed: int) -> int:
    rng = random.Random(seed)
    entries = catalog(products, rng)
    units = {entry.code: entry.unit for entry in entries}
    pasted = [order_line(rng.choice(entries), rng) for _ in range(lines)]
    messages = as_messages(pasted)
    best, build = float("inf"), float("inf")
    outcome: Counter[str] = Counter()
    for _ in range(repeats):
        outcome.clear()
        started = time.perf_counter()
        for message in messages:
            built = time.perf_counter()
            matcher = ProductMatcher(entries)
            build = min(build, time.perf_counter() - built)
            parsed = parse_order_lines(message, units, matcher)
            outcome.update(set=len(parsed.lines), asked=len(parsed.questions))
            outcome.update(refused=len(parsed.problems))
        best = min(best, time.perf_counter() - started)
    rate = lines / best
    print(f"{lines} lines in {len(messages)} messages against {products} products")
    print(
        f"best of {repeats}: {best:.3f} s, {rate:,.0f} lines/s (goal >= {GOAL_LINES_PER_SECOND:,})"
    )
    print(f"building the catalog's index once: {build * 1000:.1f} ms")
    items = sum(outcome.values())
    print(
        f"items read: {items} (set {outcome['set']}, asked {outcome['asked']}, "
        f"refused {outcome['refused']})"
    )
    met = rate >= GOAL_LINES_PER_SECOND
    print("goal met" if met else "goal NOT met")
    result = {
        "bench": "order_match",
        "figure": f"{rate:,.0f} lines/s ({lines} lines, {products} products)",
        "baseline": "none (an absolute goal)",
        "goal": f">= {GOAL_LINES_PER_SECOND:,} lines/s",
        "met": met,
    }
    print("RESULT " + json.dumps(result))
    return 0 if met else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--lines", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    return run(args.products, args.lines, args.repeats, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
