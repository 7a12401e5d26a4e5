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
