"""`import` (coops, suppliers and products from CSV files or one workbook), `coops`, `products`.

An import is the use case `usecases.catalog.import_catalog_files`, as for a file sent in the
admin's chat: every file is read first and everything is written in ONE transaction, so a
problem in any file means nothing is imported; it also restores the retired coops and
products it lists.

`coops retire|restore CODE…` and `products retire|restore CODE…` switch coops and products
off and on again (never a delete: see `storage.catalog.reads`); an unknown code changes nothing.
`coops` and `products` alone list the current ones, then the retired ones apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext, Handler, Subparsers
from bot.cli.targets import check_readable
from spreadsheets.files import KINDS
from storage.catalog import retirement as catalog_retirement
from storage.catalog.reads import list_coops, list_products
from usecases import catalog
from usecases.catalog import import_catalog_files


def register(subparsers: Subparsers) -> None:
    load = subparsers.add_parser("import", help="import coops, suppliers, products (CSV/XLSX)")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="CSV files or a workbook")
    load.add_argument("--kind", choices=sorted(KINDS), help="what the CSV files hold")
    load.set_defaults(handler=import_files)

    coops = subparsers.add_parser("coops", help="list, retire or restore coops")
    coops.set_defaults(handler=show_coops)
    _switches(coops, "coop", retire=retire_coops, restore=restore_coops)
    products = subparsers.add_parser("products", help="list (with price tiers), retire, restore")
    products.set_defaults(handler=show_products)
    _switches(products, "product", retire=retire_products, restore=restore_products)


def _switches(
    parser: argparse.ArgumentParser, what: str, *, retire: Handler, restore: Handler
) -> None:
    """`retire CODE…` and `restore CODE…` under `coops` / `products` (alone: the list)."""
    parser.description = f"Without a command: list the current {what}s, then the retired ones."
    commands = parser.add_subparsers(dest=f"{what}_command", metavar="retire|restore")
    for name, handler, help_text in [
        ("retire", retire, f"retire {what}s: left out of new rounds, kept in old ones"),
        ("restore", restore, f"make retired {what}s current again"),
    ]:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("codes", nargs="+", metavar="CODE", help=f"{what} codes")
        command.set_defaults(handler=handler)


def codes_of(args: argparse.Namespace) -> list[str]:
    """The typed codes, upper case (as the catalog stores them)."""
    return [code.strip().upper() for code in args.codes if code.strip()]


async def import_files(context: CliContext, args: argparse.Namespace) -> None:
    check_readable(*args.paths)
    files = [(path, path.name) for path in args.paths]
    async with context.database() as db:
        counts = await import_catalog_files(context.use_cases(db), files, args.kind)
    context.say("imported", counts=counts)


async def show_coops(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        coops = await list_coops(db, include_retired=False)
        retired = await catalog_retirement.retired_coops(db)
    context.say("coops", coops=coops)
    if retired:
        context.say("catalog_retired_list", kind="coops", entries=retired)


async def show_products(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        products = await list_products(db, include_retired=False)
        retired = await catalog_retirement.retired_products(db)
    context.say("products", products=products)
    if retired:
        context.say("catalog_retired_list", kind="products", entries=retired)


async def retire_coops(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        done = await catalog.retire_coops(context.use_cases(db), codes_of(args))
    context.say("catalog_retired", kind="coops", switched=done.switched, already=done.already)


async def restore_coops(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        done = await catalog.restore_coops(context.use_cases(db), codes_of(args))
    context.say("catalog_restored", kind="coops", switched=done.switched, already=done.already)


async def retire_products(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        done = await catalog.retire_products(context.use_cases(db), codes_of(args))
    context.say("catalog_retired", kind="products", switched=done.switched, already=done.already)


async def restore_products(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        done = await catalog.restore_products(context.use_cases(db), codes_of(args))
    context.say("catalog_restored", kind="products", switched=done.switched, already=done.already)
