"""The command line `belanja-bareng` for Dinas staff on the server (see docs/cli.md)."""

from bot.cli.app import main

__all__ = ["main"]
