"""`doctor`: check a deployment and say, one line per check, what is fine and what to fix.

Each check gives a `Finding`: OK, WARNING or FAILED, the topic it is about, and the sentence
that says it: a template under cli/doctor/, or, for a fault that `run` refuses to start with,
that fault's own explanation (errors/<key>), so `doctor` and `run` never tell one fault two
ways. Nothing is changed: the database is read without migrating it, no webhook is set or
removed. The checks, in order:

- config: the file that was read. A config that cannot be read stops `doctor` as it stops
  every command, with the one line of `bot.cli.app.main` and exit code 1, before any check.
- telegram (with a token; without one and without WhatsApp: failed, as `run` would): the
  token's form (`startup.check_telegram_token`) and getMe (the token accepted, the bot's
  @username). webhook: none set at Telegram when polling (one left over is a warning: `run`
  removes it), the config's public_url set at Telegram in webhook mode (anything else fails;
  a last delivery error Telegram reports is a warning). port: the webhook's port can be
  bound (`startup.check_listen`); in use is a warning, as it may be the running bot.
- whatsapp (when enabled): the access token reads the business number, as `run` does; the
  webhook's port as above.
- dashboard (when enabled): its port (`[dashboard] listen`, `port`) can be bound
  (`startup.check_dashboard_port`; `run` starts the chat without a dashboard whose port is
  taken); in use is a warning, as above.
- database: the file exists, is SQLite, and this user may write it and its folder.
  schema: its version is the newest migration this release knows (older: a warning, the
  migrations run when the bot starts; newer: failed, as `run` refuses it).
- disk: free space where the database is (under 100 MB fails, under 1 GB warns).
- sending: how long a message meeting only temporary errors is retried before it fails
  (`[sending] max_attempts`, `Backoff.gives_up_after`): under an hour warns (a config copied
  from before 31 became the default still says 5: 7.5 minutes, less than an outage).
- clock: this server's clock (`CliContext.now`) against the Date header of the Bot API's
  answer to getMe, asked once with plain httpx (python-telegram-bot does not show headers);
  more than a minute apart warns. The line also names the configured timezone.

Exit code 0 when nothing failed (warnings do not fail); otherwise `DeploymentUnhealthy`,
which `bot.cli.app.main` explains on standard error with exit code 1.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import timedelta

from bot.cli.context import CliContext, Subparsers
from bot.cli.doctor_local import DiskUsage, database_checks, disk_check
from bot.cli.doctor_remote import (
    clock_check,
    dashboard_checks,
    telegram_checks,
    whatsapp_checks,
)
from bot.cli.errors import (
    DeploymentUnhealthy,
)
from bot.cli.findings import Finding, Status, ok, warning
from bot.config import SendingConfig, config_path_from
from bot.delivery.sender import Backoff

# Retries that stop sooner fail a close's messages for good in an ordinary outage.
RETRIES_WARN_BELOW = timedelta(hours=1)


def register(subparsers: Subparsers) -> None:
    doctor = subparsers.add_parser(
        "doctor",
        help="check a deployment: config, Telegram, WhatsApp, dashboard, database, disk, clock",
    )
    doctor.set_defaults(handler=check_deployment)


async def check_deployment(
    context: CliContext, args: argparse.Namespace, *, disk_usage: DiskUsage = shutil.disk_usage
) -> None:
    """Print one line per check as it is done; raise `DeploymentUnhealthy` if any failed."""
    findings: list[Finding] = []

    def report(found: list[Finding]) -> None:
        for finding in found:
            findings.append(finding)
            text = context.render(finding.sentence, **finding.params)
            context.say("doctor/line", status=finding.status.value, topic=finding.topic, text=text)

    report([config_check(context, args)])
    report(await telegram_checks(context))
    report(await whatsapp_checks(context))
    report(dashboard_checks(context))
    report(await database_checks(context.database_path))
    report([disk_check(context.database_path, disk_usage)])
    report([retry_check(context)])
    report([await clock_check(context)])
    failures = sum(finding.status is Status.FAILED for finding in findings)
    warnings = sum(finding.status is Status.WARNING for finding in findings)
    if failures:
        raise DeploymentUnhealthy(failed=failures, warnings=warnings)
    context.say("doctor/summary", warnings=warnings)


def retry_check(context: CliContext) -> Finding:
    attempts = context.config.sending.max_attempts
    window = Backoff(max_attempts=attempts).gives_up_after()
    minutes = int(window.total_seconds()) // 60
    if window < RETRIES_WARN_BELOW:
        default = SendingConfig.max_attempts
        return warning(
            "sending", "retries_short", minutes=minutes, attempts=attempts, default=default
        )
    return ok("sending", "retries_ok", minutes=minutes, attempts=attempts)


def config_check(context: CliContext, args: argparse.Namespace) -> Finding:
    path = config_path_from(getattr(args, "config", None), context.environ)
    return ok("config", "config_ok", path="" if path is None else str(path))
