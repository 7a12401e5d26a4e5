"""`python -m debrief` runs the CLI."""

from debrief.cli import run

run()
