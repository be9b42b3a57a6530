"""Importing the catalog: all or nothing, and a second import updates instead of duplicating."""

from __future__ import annotations

import pytest

from purchasing.errors import InvalidTiers
from purchasing.model import PriceTier
from storage.catalog.loading import ImportCounts
from storage.catalog.reads import get_coop, get_product, list_coops, list_products, list_suppliers
from storage.database import Database
from storage.errors import UnknownSupplier
from tests.support.builders import make_coop, make_product, make_supplier
from tests.support.storage_builders import COOPS, PRODUCTS, SUPPLIERS
from tests.support.use_case_steps import import_catalog


async def test_staff_import_coops_suppliers_and_products_with_their_tiers(db: Database) -> None:
    counts = await import_catalog(db, COOPS, SUPPLIERS, PRODUCTS)

    assert counts == ImportCounts(coops_added=5, suppliers_added=2, products_added=3)
    assert [coop.code for coop in await list_coops(db)] == [c.code for c in COOPS]
    assert [s.code for s in await list_suppliers(db)] == ["BULOG", "INDOFOOD"]
    assert await list_products(db) == sorted(PRODUCTS, key=lambda p: p.code)
    assert await get_product(db, "MIE1") == PRODUCTS[1]


async def test_a_bad_product_in_the_middle_of_an_import_leaves_nothing(db: Database) -> None:
    bad = make_product("BAD1", price_tiers=((1, 100_000), (1, 90_000)))
    products = [PRODUCTS[0], bad, PRODUCTS[1]]

    with pytest.raises(InvalidTiers) as raised:
        await import_catalog(db, COOPS, SUPPLIERS, products)

    assert raised.value.params["product_code"] == "BAD1"
    assert await list_coops(db) == []
    assert await list_suppliers(db) == []
    assert await list_products(db) == []


async def test_a_product_of_an_unknown_supplier_is_refused_by_name(db: Database) -> None:
    orphan = make_product("SBN1", supplier_code="UNILEVER")

    with pytest.raises(UnknownSupplier) as raised:
        await import_catalog(db, COOPS, SUPPLIERS, [orphan])

    assert raised.value.params == {"supplier_code": "UNILEVER", "product_code": "SBN1"}
    assert await list_coops(db) == []


async def test_importing_again_updates_rows_and_replaces_tiers(db: Database) -> None:
    await import_catalog(db, COOPS, SUPPLIERS, PRODUCTS)
    renamed = make_coop("KOP01", "Kopkar Sejahtera", address="Jl. Merdeka 1")
    repriced = make_product("GLP1", market_price=820_000, price_tiers=((1, 760_000),))

    counts = await import_catalog(db, [renamed, make_coop("KOP99")], [], [repriced])

    assert counts == ImportCounts(coops_added=1, coops_updated=1, products_updated=1)
    assert len(await list_coops(db)) == 6
    assert await get_coop(db, "KOP01") == renamed
    product = await get_product(db, "GLP1")
    assert product is not None
    assert product.market_price == 820_000
    assert product.tiers == (PriceTier(1, 760_000),)


async def test_tiers_given_out_of_order_are_stored_in_order(db: Database) -> None:
    shuffled = make_product("GLP1", price_tiers=((100, 700_000), (1, 750_000), (50, 720_000)))

    await import_catalog(db, [], [make_supplier("BULOG")], [shuffled])

    stored = await get_product(db, "GLP1")
    assert stored is not None
    assert [tier.min_total for tier in stored.tiers] == [1, 50, 100]


async def test_an_unknown_code_reads_as_none(db: Database) -> None:
    assert await get_coop(db, "NOPE") is None
    assert await get_product(db, "NOPE") is None
