"""Loading the catalog, and taking coops and products out of it (and back).

`import_catalog_files` is `belanja-bareng import` and a CSV/XLSX file sent in the admin's
chat alike: every file is read first (`spreadsheets.files.read_catalog_files`, off the event
loop), then everything is written in ONE transaction: a problem in any file means nothing
is imported. `retire` / `restore` switch coops or products off and on again (see
`storage.catalog.retirement`), all or none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from purchasing.pricing import with_valid_tiers
from spreadsheets.files import NamedPath, read_catalog_files
from spreadsheets.importing import Catalog
from storage.catalog import retirement as catalog_retirement
from storage.catalog.loading import ImportCounts, upsert_catalog
from storage.catalog.reads import list_suppliers
from storage.catalog.retirement import Switched
from usecases.context import UseCaseContext


async def import_catalog_files(
    ctx: UseCaseContext, files: Sequence[NamedPath], kind: str | None = None
) -> ImportCounts:
    """Read `files` ((path, name as the person gave it)) and import them, all or nothing.
    Raises UnknownFileKind or ImportFailed (then nothing is written)."""
    known = {supplier.code for supplier in await list_suppliers(ctx.db)}
    return await import_catalog(
        ctx, await asyncio.to_thread(read_catalog_files, files, kind, known)
    )


async def import_catalog(ctx: UseCaseContext, catalog: Catalog) -> ImportCounts:
    """Write a catalog already read, all or nothing: InvalidTiers for a product whose price
    tiers break a rule (`purchasing.pricing.validate_tiers`), UnknownSupplier for a product
    of a supplier nobody imported."""
    products = [with_valid_tiers(product) for product in catalog.products]
    async with ctx.db.transaction() as tx:
        return await upsert_catalog(tx, catalog.coops, catalog.suppliers, products)


async def retire_coops(ctx: UseCaseContext, codes: Sequence[str]) -> Switched:
    return await catalog_retirement.retire_coops(ctx.db, codes, ctx.now())


async def restore_coops(ctx: UseCaseContext, codes: Sequence[str]) -> Switched:
    return await catalog_retirement.restore_coops(ctx.db, codes)


async def retire_products(ctx: UseCaseContext, codes: Sequence[str]) -> Switched:
    return await catalog_retirement.retire_products(ctx.db, codes, ctx.now())


async def restore_products(ctx: UseCaseContext, codes: Sequence[str]) -> Switched:
    return await catalog_retirement.restore_products(ctx.db, codes)
