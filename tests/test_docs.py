"""Every command documents itself, the generated reference is current, and the README keeps its
promise of two commands."""

from __future__ import annotations

from pathlib import Path

from debrief.cli.reference import command_contexts, reference_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_has_help_text() -> None:
    contexts = command_contexts()
    assert len(contexts) >= 25
    for ctx in contexts:
        assert (ctx.command.help or "").strip(), f"{ctx.command_path} has no help text"
        assert ctx.command.get_short_help_str(limit=80), ctx.command_path
        for param in ctx.command.params:
            if param.param_type_name == "option" and not getattr(param, "hidden", False):
                assert getattr(param, "help", None), f"{ctx.command_path} {param.name} lacks help"


def test_every_command_appears_in_the_reference_and_it_is_current() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for ctx in command_contexts():
        assert f"`{ctx.command_path}`" in written
    assert written == reference_markdown(), "docs/cli.md is stale: run `make docs`"


def test_readme_starts_with_the_two_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40])
    assert "make demo" in first_screen and "make test" in first_screen
