"""The words of the export spreadsheets in one reader's language: sheet names, column
headers, status names, the phrases of the after-close steps and of the sheets to print.

The words live in the templates `messages/templates/<lang>/sheets/*.j2`, one "key: words" a
line (a dotted key, "line_status.cut", fills a mapping). `bot.exports.sheet_words` renders
them once per language and hands the text to `parse_sheet_words`; the sheets then take every
word from the resulting `SheetWords`, so a 10,000-coop export renders no template per cell.
Words with a gap ("TG {code}") are `str.format` patterns: the templates are rendered with
`PLACEHOLDERS`, and each cell fills the gap with its own value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Final

TIME_FORMAT: Final = "%Y-%m-%d %H:%M"  # then the zone's name: "2026-11-28 10:00 WIB"

# Rendering the templates with these leaves a `str.format` gap where each value goes.
PLACEHOLDERS: Final[Mapping[str, str]] = {
    name: "{" + name + "}"
    for name in (
        "code", "supplier", "zone", "day", "count", "delivery", "shortfall", "product", "old",
        "new", "reason", "id", "number", "status", "source", "paid_on", "detail", "note",
        "name", "account", "contact", "limit", "round_id",
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SheetWords:
    """Every word of a round's workbook and CSV files, in one language."""

    # titles.j2: the sheets' names
    sheet_overview: str
    sheet_purchase_orders: str
    sheet_bills: str
    sheet_audit: str
    sheet_payments: str
    sheet_after_close: str
    sheet_one_purchase_order: str  # {code}
    sheet_one_bill: str  # {code}
    sheet_one_supplier_bill: str  # {code} {supplier}
    # columns.j2: column headers and row labels
    item: str
    value: str
    round: str
    round_id: str
    opens_at: str
    closes_at: str  # when it closed (the deadline until then)
    deadline: str  # its deadline, shown too when it closed at another time
    status: str
    delivery_note: str
    coops_invited: str
    coops_ordered: str
    order_value: str
    market_value: str
    savings: str
    products_unfilled: str
    products_cut: str
    product_code: str
    product: str
    supplier_code: str
    supplier: str
    coop_code: str
    coop: str
    address: str
    contact: str
    unit: str
    total_asked: str
    total_allocated: str
    price_reached: str
    unit_price: str
    market_price: str
    moq: str
    short_of_moq: str
    supply_cap: str
    quantity: str
    asked: str
    allocated: str
    amount: str
    subtotal: str
    saving: str
    total_product: str
    total_supplier: str
    total_bill: str
    time_local: str  # {zone}: "Waktu (WIB)"
    old_quantity: str
    new_quantity: str
    actor: str
    via: str
    message_id: str
    bill_number: str
    paid: str
    balance: str  # still owed (0 once paid)
    overpayment: str  # paid beyond the bill
    total_all: str
    stage: str
    out_of: str
    suppliers_confirmed: str
    coops_received: str
    bills_paid: str
    step: str
    party_code: str
    detail: str
    # statuses.j2: by the value of the domain's enum (or of a step's reason, status, source)
    round_status: Mapping[str, str]
    line_status: Mapping[str, str]
    paid_in_full: str
    not_paid: str
    overpaid: str
    after_close_stage: Mapping[str, str]
    step_kind: Mapping[str, str]
    change_reason: Mapping[str, str]
    proof_status: Mapping[str, str]
    payment_source: Mapping[str, str]
    # steps.j2: what a step since the close says
    delivers_on: str  # {day}
    one_line_short: str
    lines_short: str  # {count}
    all_complete: str
    supplier_confirmed: str  # {delivery} {shortfall}
    bill_change: str  # {product} {old} {new} {reason}
    photo: str
    proof: str  # {id} {number} {status}
    payment: str  # {number} {source} {paid_on}
    note: str  # {detail} {note}
    # print.j2: the sheets to print, one per party
    title_purchase_order: str
    title_bill: str
    number: str
    issued_on: str
    due_on: str
    sender: str
    recipient: str
    party: str  # {name} {code}
    deliveries: str
    total_order: str
    saving_against_market: str
    how_to_pay: str
    ask_the_office: str
    paid_to: str
    pay_supplier: str  # {name}
    pay_supplier_account: str  # {name} {account}
    pay_supplier_contact: str  # {name} {contact}
    transfer_reference: str
    payment_terms: str
    sign_here: str
    page_of: str  # Excel fills in &[Page] and &[Pages]
    sheet_bills_elsewhere: str  # the sheet saying where the bills of a big round are
    bills_elsewhere: str  # {count} {limit} {round_id}


_MAPPINGS: Final = frozenset(
    f.name for f in fields(SheetWords) if str(f.type).startswith("Mapping")
)


class SheetWordsMissing(ValueError):
    """The sheets' templates of a language leave out words, or name unknown ones."""


def parse_sheet_words(texts: Iterable[str]) -> SheetWords:
    """The words of the rendered `sheets/*.j2` templates ("key: words" a line)."""
    plain: dict[str, str] = {}
    nested: dict[str, dict[str, str]] = {name: {} for name in _MAPPINGS}
    for text in texts:
        for line in text.splitlines():
            key, colon, words = line.strip().partition(": ")
            if not colon:
                continue
            group, dot, member = key.partition(".")
            if dot and group in nested:
                nested[group][member] = words.strip()
            else:
                plain[key] = words.strip()
    known = {f.name for f in fields(SheetWords)}
    missing = sorted(known - set(plain) - _MAPPINGS) + [k for k, v in nested.items() if not v]
    unknown = sorted(set(plain) - known)
    if missing or unknown:
        raise SheetWordsMissing(f"sheet words missing: {missing}; unknown: {unknown}")
    return SheetWords(**plain, **nested)  # type: ignore[arg-type]
