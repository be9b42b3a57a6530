"""What closing wrote down: each commitment's allocation and price, each product's result;
and a coop's bill read back from it (`stored_bill`). A province's 300,000 allocations are
written by `allocate` from an outcome staged in temporary tables (`stage_outcome`), a range
of rowids at a time, so a close can write them in short transactions before its own."""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass

from purchasing.model import Coop, Round, Supplier
from purchasing.outcome import Bill, BillLine, ProductResult, RoundOutcome, line_status
from storage.database import Connection
from storage.round_parties import parties_for
from storage.supply import LAST_CHANGE_REASON


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One product of a closed round as stored at close."""

    product_code: str
    total_asked: int
    total_allocated: int
    unit_price: int | None
    filled: bool


@dataclass(frozen=True, slots=True)
class CommitmentRows:
    """Where a round's commitments lie in the table: rowids `first` to `last` (one round is
    open at a time, so its rows were added together: the range holds few others), as read
    at the database's `schema` version. Valid while no commitment changes
    (`commitment_reads.last_change`) and the file is not rebuilt: a VACUUM may renumber the
    rowids of a table without an INTEGER PRIMARY KEY, and always raises the schema version
    (`rows_unmoved`)."""

    first: int
    last: int
    schema: int

    def parts(self, size: int) -> list[CommitmentRows]:
        """The range cut in consecutive parts of `size` rowids."""
        return [
            CommitmentRows(first, min(first + size - 1, self.last), self.schema)
            for first in range(self.first, self.last + 1, size)
        ]


async def commitment_rows(conn: Connection, round_id: int) -> CommitmentRows | None:
    """The rowids of the round's commitments (None: it has none); one pass over its index
    (~0.06 s at 300,000 commitments), so a close reads it before its transaction."""
    rows = await conn.fetch_all(
        "SELECT MIN(rowid), MAX(rowid), (SELECT schema_version FROM pragma_schema_version) "
        "FROM commitments WHERE round_id = ?",
        (round_id,),
    )
    first, last, schema = rows[0][0], rows[0][1], rows[0][2]
    return None if first is None else CommitmentRows(int(first), int(last), int(schema))


async def rows_unmoved(conn: Connection, rows: CommitmentRows) -> bool:
    """Whether `rows` still says where the commitments lie as far as rowids go: the file
    was not rebuilt since (its schema version is the same; VACUUM raises it, and so does
    any change of the schema: then too the rows are looked for again). One statement that
    reads a number in the file's header, not the commitments: cheap inside a transaction."""
    found = await conn.fetch_all("SELECT schema_version FROM pragma_schema_version")
    return int(found[0][0]) == rows.schema


async def store_outcome(
    conn: Connection,
    outcome: RoundOutcome,
    rows: CommitmentRows | None = None,
    *,
    allocated: bool = False,
) -> None:
    """Write each commitment's allocation and price (`allocate`; not again when
    `allocated`: `allocate` wrote them all for this same outcome before), and each
    product's result; `rows`: the round's commitments as `commitment_rows` reads them now
    (read here when not given)."""
    if not allocated:
        if rows is None:
            rows = await commitment_rows(conn, outcome.round_id)
        staged = await stage_outcome(conn, outcome)
        if rows is not None:
            await allocate(conn, staged, rows)
        await unstage_outcome(conn, staged)
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


@dataclass(frozen=True, slots=True)
class StagedOutcome:
    """An outcome's allocations in two temporary tables of one connection (`stage_outcome`):
    each product's result and each line of a product cut by its supply cap. Named apart
    (`n`), so two closes on one connection never share them."""

    round_id: int
    n: int

    @property
    def products(self) -> str:
        return f"temp.closing_products_{self.n}"

    @property
    def lines(self) -> str:
        return f"temp.closing_lines_{self.n}"


_staged = itertools.count(1)


async def stage_outcome(conn: Connection, outcome: RoundOutcome) -> StagedOutcome:
    """Put the outcome's allocations in temporary tables of this connection (its own, gone
    with it, not part of the database file; not a migration), for `allocate`. Drop them with
    `unstage_outcome`."""
    staged = StagedOutcome(outcome.round_id, next(_staged))
    cut = {result.product_code for result in outcome.products if _is_cut(result)}
    try:
        await conn.execute(
            f"CREATE TABLE {staged.products} (product_code TEXT PRIMARY KEY, "
            "filled INTEGER NOT NULL, unit_price INTEGER, cut INTEGER NOT NULL) WITHOUT ROWID"
        )
        await conn.execute(
            f"CREATE TABLE {staged.lines} (coop_code TEXT NOT NULL, product_code TEXT NOT NULL, "
            "allocated INTEGER NOT NULL, PRIMARY KEY (coop_code, product_code)) WITHOUT ROWID"
        )
        await conn.execute_many(
            f"INSERT INTO {staged.products} (product_code, filled, unit_price, cut) "
            "VALUES (?, ?, ?, ?)",
            [
                (result.product_code, int(result.filled), result.unit_price,
                 int(result.product_code in cut))
                for result in outcome.products
            ],
        )  # fmt: skip
        await conn.execute_many(
            f"INSERT INTO {staged.lines} (coop_code, product_code, allocated) VALUES (?, ?, ?)",
            sorted(
                (bill.coop_code, line.product_code, line.allocated)
                for bill in outcome.bills
                for line in bill.lines
                if line.product_code in cut
            ),
        )
    except BaseException:  # none left behind on this connection
        await unstage_outcome(conn, staged)
        raise
    return staged


async def unstage_outcome(conn: Connection, staged: StagedOutcome) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS {staged.products}")
    await conn.execute(f"DROP TABLE IF EXISTS {staged.lines}")


async def allocate(conn: Connection, staged: StagedOutcome, rows: CommitmentRows) -> int:
    """Write the staged outcome into the round's commitments among `rows`: each one's
    allocation and price; how many. One UPDATE in the table's own order (rowid: each page
    once; `+round_id`: not through an index), joined to each product's result: a product
    filled in full or not at all gives all its lines the same price and either their
    quantity or nothing; a cut one, each line's own allocation. About twice as fast as an
    UPDATE per product through the index by product (the table's pages in random order)."""
    written = await conn.execute(
        f"""
        UPDATE commitments SET
            allocated = CASE
                WHEN p.cut THEN (SELECT l.allocated FROM {staged.lines} l
                                 WHERE l.coop_code = commitments.coop_code
                                   AND l.product_code = commitments.product_code)
                WHEN p.filled THEN commitments.quantity
                ELSE 0 END,
            unit_price = p.unit_price
        FROM {staged.products} p
        WHERE commitments.rowid BETWEEN ? AND ? AND +commitments.round_id = ?
          AND p.product_code = commitments.product_code
        """,
        (rows.first, rows.last, staged.round_id),
    )
    return written.rowcount


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
                "r.total_allocated, r.unit_price AS reached, r.filled, "
                f"{LAST_CHANGE_REASON} AS changed_by FROM commitments c "
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
        product.unit_price, product.market_price, status, row["changed_by"] or "",
    )  # fmt: skip
