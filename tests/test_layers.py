"""The architecture of README.md, checked on the source: each package imports only the ones
below it, SQL lives in storage/ (only storage/database.py imports aiosqlite), and storage/
runs no hooks of the layers above it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support import REPOSITORY

OURS = ("bot", "handlers", "usecases", "purchasing", "spreadsheets", "storage", "messages")
# What each package may import of ours (itself included).
ALLOWED = {
    "purchasing": {"purchasing"},
    "messages": {"messages"},
    "spreadsheets": {"spreadsheets", "purchasing"},
    "storage": {"storage", "purchasing"},
    "usecases": {"usecases", "purchasing", "storage", "messages", "spreadsheets"},
    "handlers": {"handlers", "usecases", "purchasing", "storage", "messages", "spreadsheets"},
    "bot": set(OURS),
}
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")


def sources(package: str) -> list[Path]:
    return sorted((REPOSITORY / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", OURS)
def test_each_package_imports_only_the_layers_below_it(package: str) -> None:
    wrong = {
        str(path.relative_to(REPOSITORY)): sorted(imported(path) & set(OURS) - ALLOWED[package])
        for path in sources(package)
    }
    assert {name: layers for name, layers in wrong.items() if layers} == {}


def test_only_storage_database_imports_aiosqlite() -> None:
    users = [
        str(path.relative_to(REPOSITORY))
        for package in OURS
        for path in sources(package)
        if "aiosqlite" in imported(path)
    ]
    assert users == ["storage/database.py"]


def test_sql_is_written_only_in_storage() -> None:
    writers = [
        str(path.relative_to(REPOSITORY))
        for package in OURS
        if package != "storage"
        for path in sources(package)
        if SQL.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == []


def test_storage_calls_no_hooks_of_the_layers_above() -> None:
    hooks = re.compile(r"on_closed|on_extended|on_moved|Callable\[")
    assert [path.name for path in sources("storage") if hooks.search(path.read_text())] == [
        "database.py"  # `in_one_trip(work)`: plain functions run on SQLite's thread
    ]
