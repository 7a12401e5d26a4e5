"""`--help` must answer fast: no storage, DataFrame or terminal-rendering library loads for it."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "sqlalchemy",
    "alembic",
    "pandas",
    "numpy",
    "rich",
    "scipy",
    "sklearn",
    "platformdirs",
    "jinja2",
    "plotly",
)

PROBE = """
import json, sys
from debrief.cli import main
from debrief.cli.reference import command_contexts
paths = [ctx.command_path.split()[1:] for ctx in command_contexts()]
for path in paths:
    try:
        main([*path, "--help"], standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps([name for name in sys.modules if name.split(".")[0] in {heavy}]))
"""


def test_help_of_every_command_loads_no_heavy_library() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY))],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert loaded == []


def test_code_that_calls_main_keeps_its_collector_as_it_is(tmp_path: object) -> None:
    import gc
    from pathlib import Path

    from click.testing import CliRunner

    from debrief.cli import main

    frozen = gc.get_freeze_count()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            db = Path(str(tmp_path)) / f"journal-{enabled}.db"
            result = CliRunner().invoke(main, ["--db", str(db), "app", "add", "Acme", "DS"])
            assert result.exit_code == 0, result.output
            assert gc.isenabled() is enabled and gc.get_freeze_count() == frozen
        finally:
            gc.enable()


RUN = """
import gc, sys
from debrief.cli import run
sys.argv = ["debrief", "--db", sys.argv[1], "app", "add", "Acme", "DS"]
try:
    run()
except SystemExit as done:
    assert done.code in (0, None), done.code
print(gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_command_pauses_the_collector_while_it_loads_then_freezes_it(tmp_path: object) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", RUN, f"{tmp_path}/run.db"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split()[-2:] == ["True", "True"]
