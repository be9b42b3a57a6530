"""Why the demo cannot start: each error names a template errors/<key>.j2 and its params."""

from __future__ import annotations

from typing import ClassVar


class DemoError(Exception):
    key: ClassVar[str] = "demo_error"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}")
        self.params: dict[str, object] = params


class ExamplesMissing(DemoError):
    """The sample CSV files are not next to the code (e.g. an installed package)."""

    key = "demo_examples_missing"


class DemoDatabaseExists(DemoError):
    """--database names a file that exists: the demo never writes into a real database."""

    key = "demo_database_exists"
