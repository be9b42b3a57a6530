"""`init` (create or migrate the database, register the config's admins) and `backup`."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.cli.startup import check_database_writable, make_database_folder
from bot.cli.targets import check_backup_target
from bot.wiring import register_config_admins
from storage import backup
from storage.database import open_database
from usecases.kept_files import PROOFS_DIR, copy_proofs


def register(subparsers: Subparsers) -> None:
    init = subparsers.add_parser("init", help="create or update the database; register admins")
    init.set_defaults(handler=init_database)

    copy = subparsers.add_parser(
        "backup", help="copy the database safely to a file, and the proofs of payment beside it"
    )
    copy.add_argument("path", type=Path, help="a new file for the copy (never overwritten)")
    copy.set_defaults(handler=backup_database)


async def init_database(context: CliContext, args: argparse.Namespace) -> None:
    path = context.database_path
    make_database_folder(path)
    check_database_writable(path)
    async with open_database(path) as db:
        await register_config_admins(db, context.config, context.now())
    context.say("init_done", path=str(path), admins=len(context.config.admins))


async def backup_database(context: CliContext, args: argparse.Namespace) -> None:
    """The database, then the proof files of payment (`bukti/`) into `bukti/` beside it.
    The copy goes to a new file, never over one that is there, nor over the database."""
    destination: Path = args.path
    async with context.database() as db:
        check_backup_target(destination, context.database_path)
        await backup.backup(db, destination)
    proofs = destination.parent / PROOFS_DIR
    copied = await copy_proofs(context.database_path, proofs)
    context.say("backup_done", path=str(destination), proofs=str(proofs), copied=copied)
