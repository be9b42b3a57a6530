"""Why the demo cannot start: each error names a template errors/<key>.j2 and its params."""

from __future__ import annotations

from purchasing.errors import ExplainedError


class DemoError(ExplainedError):
    key = "demo_error"


class ExamplesMissing(DemoError):
    """The sample CSV files are not next to the code (e.g. an installed package)."""

    key = "demo_examples_missing"


class DemoDatabaseExists(DemoError):
    """--database names a file that exists: the demo never writes into a real database."""

    key = "demo_database_exists"
