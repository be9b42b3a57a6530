"""`admins list|add|remove`, `invites list|create|revoke`, `reps list|remove`: who may do what.

The command line's side of the chat's `/admin`, `/undang`, `/cabut` and `/pengurus`, through
the same use cases (`usecases.people`: never the last admin; every change logged); an
invite's use limit is checked by `purchasing.membership.valid_invite_uses`,
and `invites create` prints the chat's `admin_invite_created` text with the deep links the
running bot would give (`run_command.connect_platforms` asks Telegram and WhatsApp for them).
People are typed as "platform:user_id", as in the config's `admins` list.
"""

from __future__ import annotations

import argparse
import logging
from contextlib import AsyncExitStack

from telegram.error import TelegramError

from bot.cli.context import CliContext, Subparsers
from bot.cli.errors import CliError
from bot.cli.order_commands import actor_for
from bot.cli.run_command import connect_platforms
from bot.config import parse_admin
from bot.wiring import wire
from purchasing.errors import AdminUnknown, LastAdmin
from purchasing.membership import MAX_INVITE_USES, admin_id, valid_invite_uses
from storage.database import Database
from storage.people import invites, reps
from usecases import people

BY_HELP = "staff name for the log (default $USER)"

log = logging.getLogger(__name__)


class AdminNotFound(CliError):
    """Params: admin (str, as typed), admins (list of storage.people.reps.Admin)."""

    key = "cli_admin_unknown"


class LastAdminKept(CliError):
    """Params: admin (str, "platform:user_id")."""

    key = "cli_admin_last"


class RepNotFound(CliError):
    """Params: rep (str, as typed), coop_code (str), reps (list of purchasing.model.Rep)."""

    key = "cli_rep_unknown"


class InviteUsesInvalid(CliError):
    """Params: got (str), max_uses (int)."""

    key = "cli_invite_max_uses"


def register(subparsers: Subparsers) -> None:
    admins = subparsers.add_parser("admins", help="list, add and remove Dinas admins")
    commands = admins.add_subparsers(dest="admins_command", metavar="COMMAND", required=True)
    commands.add_parser("list", help="list the admins").set_defaults(handler=list_admins)
    add = commands.add_parser("add", help="make someone an admin")
    add.add_argument("admin", metavar="PLATFORM:ID", help="e.g. telegram:123456789")
    add.add_argument("--name", help="their name, for lists (default: keep the one known)")
    remove = commands.add_parser("remove", help="remove an admin (never the last one)")
    remove.add_argument("admin", metavar="PLATFORM:ID", help="as `admins list` shows it")
    for command, handler in ((add, add_admin), (remove, remove_admin)):
        command.add_argument("--by", metavar="NAME", help=BY_HELP)
        command.set_defaults(handler=handler)

    invites_parser = subparsers.add_parser("invites", help="list, create and revoke invite codes")
    commands = invites_parser.add_subparsers(
        dest="invites_command", metavar="COMMAND", required=True
    )
    listing = commands.add_parser("list", help="every invite code (or one coop's) and its state")
    listing.add_argument("coop_code", nargs="?", metavar="KOPERASI", help="only this coop")
    listing.set_defaults(handler=list_invites)
    create = commands.add_parser(
        "create", help="an invite code and links for a coop, or for a supplier's rep"
    )
    create.add_argument(
        "coop_code", metavar="KODE", help="coop code, or supplier code (their rep gets its "
        "purchase order at close and cannot order)",
    )  # fmt: skip
    create.add_argument("--max-uses", metavar="N", help=f"1 to {MAX_INVITE_USES} (default: any)")
    create.add_argument("--by", metavar="NAME", help=BY_HELP)
    create.set_defaults(handler=create_invite)
    revoke = commands.add_parser("revoke", help="make an invite code expire now")
    revoke.add_argument("code", metavar="KODE_UNDANGAN", help="a code starting with - after --")
    revoke.set_defaults(handler=revoke_invite)

    reps_parser = subparsers.add_parser("reps", help="list and remove coops' representatives")
    commands = reps_parser.add_subparsers(dest="reps_command", metavar="COMMAND", required=True)
    show = commands.add_parser("list", help="who acts for each coop (or for one)")
    show.add_argument("coop_code", nargs="?", metavar="KOPERASI", help="only this coop")
    show.set_defaults(handler=list_reps)
    drop = commands.add_parser("remove", help="someone no longer acts for a coop")
    drop.add_argument("coop_code", metavar="KOPERASI")
    drop.add_argument("rep", metavar="PLATFORM:ID", help="as `reps list` shows it")
    drop.set_defaults(handler=remove_rep)


async def list_admins(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        found = await reps.list_admins(db)
    from_config = [f"{admin.platform}:{admin.user_id}" for admin in context.config.admins]
    context.say("admins", admins=found, from_config=from_config)


async def add_admin(context: CliContext, args: argparse.Namespace) -> None:
    platform, user_id = parse_admin(args.admin, path="belanja-bareng admins add")
    by = actor_for(args.by, context.environ)
    async with context.database() as db:
        name = args.name
        if name is None:
            known = {(a.platform, a.user_id): a.display_name for a in await reps.list_admins(db)}
            name = known.get((platform, user_id), "")
        added = await people.add_admin(context.use_cases(db), platform, user_id, name, by)
    context.say("admin_added", user_id=f"{platform}:{user_id}", already=not added)


async def remove_admin(context: CliContext, args: argparse.Namespace) -> None:
    typed = args.admin.strip()
    async with context.database() as db:
        try:
            removed = await people.remove_admin(
                context.use_cases(db), typed, actor_for(args.by, context.environ)
            )
        except AdminUnknown as refused:
            raise AdminNotFound(**refused.params) from None
        except LastAdmin as refused:
            raise LastAdminKept(**refused.params) from None
    in_config = (removed.platform, removed.user_id) in context.config.admins
    context.say(
        "admin_removed",
        admin=admin_id(removed),
        display_name=removed.display_name,
        from_config=in_config or removed.added_by == reps.CONFIG_ADMIN,
    )


async def create_invite(context: CliContext, args: argparse.Namespace) -> None:
    """An invite for a coop, or for a supplier's rep when the code is a supplier's."""
    if args.max_uses is not None and not valid_invite_uses(args.max_uses):
        raise InviteUsesInvalid(got=args.max_uses[:16], max_uses=MAX_INVITE_USES)
    code = args.coop_code.strip().upper()
    max_uses = None if args.max_uses is None else int(args.max_uses)
    async with context.database() as db:
        made = await people.create_invite(
            context.use_cases(db), code, actor_for(args.by, context.environ), max_uses=max_uses
        )
        links = await _deep_links(context, db, made.invite.code)
    template = "invite_created_supplier" if made.for_supplier else "invite_created"
    context.say(template, **made.context(links))


async def _deep_links(context: CliContext, db: Database, code: str) -> dict[str, str]:
    """The invite's links, asked of each configured platform as `run` does; none when one
    cannot be reached now (the code itself still works: `/start CODE`)."""
    try:
        async with AsyncExitStack() as stack:
            platforms = await connect_platforms(stack, context, db)
            services = wire(context.config, db, context.now, deep_links=platforms.deep_links)
            return services.services.deep_links_for(code)
    except TelegramError as error:
        log.warning("no invite links: Telegram could not be reached (%s)", error)
        return {}


async def list_invites(context: CliContext, args: argparse.Namespace) -> None:
    code = None if args.coop_code is None else args.coop_code.strip().upper()
    async with context.database() as db:
        if code is not None:
            await invites.find_party(db, code)  # a coop's or a supplier's code, else refused
        found = await invites.list_invites(db, code)
    context.say("invites", coop_code=code, invites=found, now=context.now())


async def revoke_invite(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        revoked = await people.revoke_invite(context.use_cases(db), args.code.strip()[:64])
    context.say("invite_revoked", **revoked.context())


async def list_reps(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        if args.coop_code is None:
            context.say("reps", coop=None, reps=await reps.all_reps(db))
            return
        party = await invites.find_party(db, args.coop_code.strip().upper())
        context.say("reps", coop=party, reps=await reps.reps_for_coop(db, party.code))


async def remove_rep(context: CliContext, args: argparse.Namespace) -> None:
    code, typed = args.coop_code.strip().upper(), args.rep.strip()
    async with context.database() as db:
        found = await reps.reps_for_coop(db, code)
        rep = next((rep for rep in found if f"{rep.platform}:{rep.user_id}" == typed), None)
        if rep is None:
            if not found:
                await invites.find_party(db, code)  # UnknownCoop when no coop or supplier has it
            raise RepNotFound(rep=typed[:70], coop_code=code, reps=found)
        await people.remove_rep(context.use_cases(db), rep.platform, rep.user_id, code)
    context.say("rep_removed", rep=rep)
