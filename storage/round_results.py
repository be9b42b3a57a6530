"""What closing wrote down: each commitment's allocation and price, each product's result;
and a coop's bill read back from it (`stored_bill`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from purchasing.model import Coop, Round, Supplier
from purchasing.outcome import Bill, BillLine, ProductResult, RoundOutcome, line_status
from storage.database import Connection
from storage.round_parties import parties_for


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One product of a closed round as stored at close."""

    product_code: str
    total_asked: int
    total_allocated: int
    unit_price: int | None
    filled: bool


async def store_outcome(conn: Connection, outcome: RoundOutcome) -> None:
    """Write each commitment's allocation and price, and each product's result.

    A product that was filled in full or not at all is one UPDATE of all its lines; only a
    product cut by its supply cap is written line by line.
    """
    cut = {result.product_code for result in outcome.products if _is_cut(result)}
    await conn.execute_many(
        "UPDATE commitments SET allocated = CASE WHEN ? THEN quantity ELSE 0 END, "
        "unit_price = ? WHERE round_id = ? AND product_code = ?",
        [
            (result.filled, result.unit_price, outcome.round_id, result.product_code)
            for result in outcome.products
            if result.product_code not in cut
        ],
    )
    await conn.execute_many(
        "UPDATE commitments SET allocated = ?, unit_price = ? "
        "WHERE round_id = ? AND coop_code = ? AND product_code = ?",
        [
            (line.allocated, line.unit_price, outcome.round_id, bill.coop_code, line.product_code)
            for bill in outcome.bills
            for line in bill.lines
            if line.product_code in cut
        ],
    )
    await conn.execute_many(
        "INSERT OR REPLACE INTO round_results (round_id, product_code, total_asked, "
        "total_allocated, unit_price, filled) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                outcome.round_id, result.product_code, result.total_asked,
                result.total_allocated, result.unit_price, int(result.filled),
            )
            for result in outcome.products
        ],
    )  # fmt: skip


async def stored_results(conn: Connection, round_id: int) -> list[StoredResult]:
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT * FROM round_results WHERE round_id = ? ORDER BY product_code", (round_id,)
        )
    return [_result(row) for row in rows]


def _is_cut(result: ProductResult) -> bool:
    return result.filled and result.total_allocated < result.total_asked


def _result(row: sqlite3.Row) -> StoredResult:
    return StoredResult(
        product_code=row["product_code"],
        total_asked=row["total_asked"],
        total_allocated=row["total_allocated"],
        unit_price=row["unit_price"],
        filled=bool(row["filled"]),
    )


async def stored_bill(conn: Connection, round_: Round, coop_code: str) -> StoredBill | None:
    """The coop's bill of a closed round as its close wrote it down (allocations, prices and
    each product's result), without computing the round's outcome again; None when the coop
    ordered nothing in it. Lines in the round's order, as `compute_outcome` makes them."""
    async with conn.snapshot() as snap:
        lines = list(
            await snap.fetch_all(
                "SELECT c.product_code, c.quantity, c.allocated, c.unit_price, r.total_asked, "
                "r.total_allocated, r.unit_price AS reached, r.filled FROM commitments c "
                "JOIN round_results r ON r.round_id = c.round_id "
                "AND r.product_code = c.product_code "
                "WHERE c.round_id = ? AND c.coop_code = ? AND c.quantity > 0",
                (round_.id, coop_code),
            )
        )
        names = list(
            await snap.fetch_all(
                "SELECT name FROM round_parties WHERE round_id = ? AND kind = 'coop' "
                "AND code = ? UNION ALL SELECT name FROM coops WHERE code = ?",
                (round_.id, coop_code, coop_code),
            )
        )
    position = {item.product_code: n for n, item in enumerate(round_.items)}
    rows = sorted((row for row in lines if row["product_code"] in position),
                  key=lambda row: position[row["product_code"]])  # fmt: skip
    if not rows:
        return None
    products = {row["product_code"]: _product(round_, row) for row in rows}
    bill = Bill(
        coop_code=coop_code,
        coop_name=names[0]["name"] if names else coop_code,
        lines=tuple(_bill_line(products[row["product_code"]], row) for row in rows),
        delivery_note=round_.delivery_note,
    )
    return StoredBill(bill, products)


@dataclass(frozen=True, slots=True)
class BillParties:
    """Who one bill is between, as kept at the round's close: the coop (None when the close
    kept no such coop) and, for a bill paid to a supplier, that supplier (None likewise)."""

    coop: Coop | None
    supplier: Supplier | None


async def bill_parties(
    conn: Connection, round_id: int, coop_code: str, supplier_code: str = ""
) -> BillParties:
    """The coop of a bill and the supplier it is paid to (`supplier_code`, none when empty),
    by two probes of the kept parties' key: a bill of a round of 10,000 coops needs no other
    coop. A round closed before migration 0005 kept none: then today's catalog."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT kind, code, name, address, contact, account FROM round_parties "
                "WHERE round_id = ? AND ((kind = 'coop' AND code = ?) "
                "OR (kind = 'supplier' AND code = ?)) UNION ALL "
                "SELECT 'kept', '', '', '', '', '' WHERE EXISTS "
                "(SELECT 1 FROM round_parties WHERE round_id = ?)",
                (round_id, coop_code, supplier_code, round_id),
            )
        )
        if not rows:  # kept nothing: the current parties (as `parties_for`)
            parties = await parties_for(snap, round_id)
            return BillParties(
                next((c for c in parties.coops if c.code == coop_code), None),
                next((s for s in parties.suppliers if s.code == supplier_code), None),
            )
    coop = next((r for r in rows if r["kind"] == "coop"), None)
    supplier = next((r for r in rows if r["kind"] == "supplier"), None)
    return BillParties(
        Coop(coop["code"], coop["name"], coop["address"], coop["contact"]) if coop else None,
        Supplier(supplier["code"], supplier["name"], supplier["contact"], supplier["account"])
        if supplier
        else None,
    )


@dataclass(frozen=True, slots=True)
class StoredBill:
    bill: Bill
    products: dict[str, ProductResult]  # the results of the bill's products


def _product(round_: Round, row: sqlite3.Row) -> ProductResult:
    item = round_.item(row["product_code"])
    assert item is not None
    return ProductResult(
        product_code=item.product_code,
        name=item.name,
        supplier_code=item.supplier_code,
        unit=item.unit,
        total_asked=row["total_asked"],
        total_allocated=row["total_allocated"],
        unit_price=row["reached"],
        market_price=item.market_price,
        moq=item.moq,
        supply_cap=item.supply_cap,
        filled=bool(row["filled"]),
    )


def _bill_line(product: ProductResult, row: sqlite3.Row) -> BillLine:
    asked, allocated = int(row["quantity"]), int(row["allocated"] or 0)
    status = line_status(product.filled, asked, allocated)
    return BillLine(
        product.product_code, product.name, product.unit, asked, allocated,
        product.unit_price, product.market_price, status,
    )  # fmt: skip
