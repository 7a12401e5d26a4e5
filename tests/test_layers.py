"""The house's walls, read from the code's own imports: one gateway to the database, and lower
layers that never import higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "debrief"
# The only places that may see ORM rows or open SQL: the journal (the one gateway), storage, the
# plan's own store (the tables of the action plan) and the coach server's directory (people, not
# searches: it never touches a journal's tables).
ROW_OWNERS = ("journal/", "storage/", "plan/store/", "coach/store.py")
# Each layer, and the layers above it that it must never import.
ABOVE = {
    "model": (
        "coach",
        "journal",
        "triage",
        "themes",
        "plan",
        "prep",
        "stats",
        "report",
        "ingest",
        "web",
        "cli",
    ),
    "storage": (
        "coach",
        "journal",
        "triage",
        "themes",
        "plan",
        "prep",
        "stats",
        "report",
        "ingest",
        "web",
        "cli",
    ),
    "triage": (
        "coach",
        "journal",
        "themes",
        "plan",
        "prep",
        "stats",
        "report",
        "ingest",
        "web",
        "cli",
    ),
    "journal": (
        "coach",
        "themes",
        "plan",
        "prep",
        "stats",
        "report",
        "ingest",
        "partner",
        "web",
        "cli",
    ),
    "themes": ("coach", "plan", "prep", "stats", "report", "ingest", "partner", "web", "cli"),
    "plan": ("coach", "prep", "stats", "report", "ingest", "partner", "web", "cli"),
    "prep": ("coach", "stats", "report", "ingest", "partner", "web", "cli"),
    "stats": ("coach", "report", "ingest", "partner", "web", "cli"),
    "report": ("coach", "ingest", "partner", "web", "cli"),
    "ingest": ("coach", "report", "partner", "web", "cli"),
    "coach": ("web", "cli"),
    "web": ("cli",),
}


def imported_modules(path: Path, package: str = "") -> set[str]:
    """Every module a file imports, wherever the import stands (inside functions and
    TYPE_CHECKING blocks too); relative imports are read from `package`, the file's own."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def package_of(name: str) -> str:
    """The package a source file (a path under src/debrief) belongs to."""
    parts = ["debrief", *name.removesuffix(".py").split("/")]
    return ".".join(parts if parts[-1] == "__init__" else parts[:-1]).removesuffix(".__init__")


def sources() -> list[tuple[str, Path]]:
    return sorted((p.relative_to(SRC).as_posix(), p) for p in SRC.rglob("*.py"))


def test_only_the_journal_storage_and_the_plan_store_touch_the_database() -> None:
    offenders = {}
    for name, path in sources():
        if name.startswith(ROW_OWNERS):
            continue
        found = {
            module
            for module in imported_modules(path, package_of(name))
            if module.startswith(("sqlalchemy", "debrief.storage.schema"))
        }
        if found:
            offenders[name] = sorted(found)
    assert offenders == {}


def test_the_check_sees_an_import_of_rows_wherever_it_stands(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "def f():\n    from debrief.storage import schema\n"
        "if TYPE_CHECKING:\n    import sqlalchemy.orm\n"
        "from ..storage.schema import ApplicationRow\n"
        "from . import facts\n"
    )
    found = imported_modules(sample, package_of("themes/build.py"))
    assert {"debrief.storage.schema", "sqlalchemy.orm", "debrief.themes.facts"} <= found
    assert package_of("journal/__init__.py") == "debrief.journal"


def test_lower_layers_never_import_higher_ones() -> None:
    offenders = {}
    for name, path in sources():
        layer = name.split("/")[0].removesuffix(".py")
        above = ABOVE.get(layer, ())
        found = {
            module
            for module in imported_modules(path, package_of(name))
            if module.startswith("debrief.") and module.split(".")[1] in above
        }
        if found:
            offenders[name] = sorted(found)
    assert offenders == {}
