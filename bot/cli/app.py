"""`belanja-bareng`: parse the arguments, load the config, run one command, report errors.

Errors never escape as a traceback: a typed error (anything with a `key` and `params`) is
explained by its template errors/<key>.j2 on standard error (one line; an import that
failed lists each problem on its own line); what python-telegram-bot raises when Telegram
refuses the token or cannot be reached is explained as ours first (`bot.cli.startup`);
anything else gets one line. Tracebacks are logged only with --verbose, and no log line
carries a secret of the config, verbose or not (`bot.logs`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from jinja2 import TemplateError

from bot.cli.context import CliContext
from bot.cli.errors import UnexpectedFailure
from bot.cli.parser import build_parser, handler_of, parse_arguments
from bot.cli.startup import explained
from bot.config import Config, config_path_from, load_config
from bot.logs import configure_logging, keep_secrets_out_of_logs
from bot.wiring import renderer_for
from messages.formatting import DEFAULT_LANGUAGE
from messages.render import Renderer
from messages.styles import TextStyle
from purchasing.times import Clock

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    now: Clock = utc_now,
) -> int:
    """Run one command; return the process exit code (0 ok, 1 failed, 2 usage error)."""
    environ = os.environ if environ is None else environ
    try:
        args = parse_arguments(build_parser(), argv)
    except SystemExit as stop:  # --help, or a usage error already explained by argparse
        return stop.code if isinstance(stop.code, int) else EXIT_FAILED
    renderer = Renderer()
    lang: str = args.lang or DEFAULT_LANGUAGE
    config: Config | None = None
    try:
        config = load_config(config_path_from(args.config, environ), environ)
        if args.verbose:
            configure_logging(logging.DEBUG, config)
        else:
            keep_secrets_out_of_logs(config)
        lang = args.lang or config.default_language
        renderer = renderer_for(config)
        context = CliContext(config, lang, renderer, now, environ)
        asyncio.run(handler_of(args)(context, args))
    except BrokenPipeError:  # `belanja-bareng round show 1 | head`: the reader has gone
        _silence_stdout()
        return EXIT_FAILED
    except Exception as error:
        if args.verbose:
            logger.exception("belanja-bareng %s failed", args.command)
        print(explain(explained(error, config), renderer, lang), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def explain(error: Exception, renderer: Renderer, lang: str) -> str:
    """The explanation of `error` for a person, in plain text."""
    key = getattr(error, "key", None)
    params = getattr(error, "params", None)
    if isinstance(key, str) and isinstance(params, Mapping):
        try:
            context = {"staff": True, "cli": True, **params}  # Dinas staff's tool, not the chat
            return renderer.render(f"errors/{key}", lang, context, TextStyle.PLAIN)
        except TemplateError:
            pass
    unexpected = UnexpectedFailure(kind=type(error).__name__)
    return renderer.render_error(unexpected, lang, TextStyle.PLAIN)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
