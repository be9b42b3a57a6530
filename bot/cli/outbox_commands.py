"""`outbox retry [--since WHEN]`: queue again the messages the sender gave up on.

After an outage longer than the sender's retries (`[sending] max_attempts`: about a day by
default) the messages it gave up on are `failed`; this makes them pending again
(`usecases.redelivery.retry_failed`) and the running bot sends them within seconds. `WHEN`
is wall-clock time in the config's timezone, as for `round create`.
"""

from __future__ import annotations

import argparse

from bot.cli.context import CliContext, Subparsers
from purchasing.times import parse_wib
from usecases import redelivery


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("outbox", help="messages the bot sends on its own")
    commands = parser.add_subparsers(dest="outbox_command", metavar="COMMAND", required=True)
    retry = commands.add_parser(
        "retry", help="queue again the messages that failed (after an outage)"
    )
    retry.add_argument(
        "--since", metavar="WHEN",
        help='only those queued since then: "2026-12-05 17:00" in the config\'s timezone',
    )  # fmt: skip
    retry.set_defaults(handler=retry_failed)


async def retry_failed(context: CliContext, args: argparse.Namespace) -> None:
    since = None if args.since is None else parse_wib(args.since, context.config.timezone)
    async with context.database() as db:
        count = await redelivery.retry_failed(context.use_cases(db), since)
    context.say("outbox_retried", count=count, since=since)
