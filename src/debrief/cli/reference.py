"""The CLI reference (docs/cli.md), generated from the commands' own --help: `make docs`."""

from __future__ import annotations

from collections.abc import Iterator

import click

WIDTH = 100


def walk(ctx: click.Context) -> Iterator[click.Context]:
    """The context of every command under `ctx`, depth first, in the order --help lists them."""
    yield ctx
    command = ctx.command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(click.Context(sub, info_name=name, parent=ctx))


def command_contexts() -> list[click.Context]:
    """Contexts for `debrief` and all its subcommands, at a fixed width."""
    from debrief.cli import main

    root = click.Context(
        main,
        info_name="debrief",
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        help_option_names=["-h", "--help"],
    )
    return list(walk(root))


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    parts = [
        "# debrief command reference",
        "",
        "Generated from each command's `--help` by `make docs`; do not edit by hand.",
        "",
    ]
    for ctx in command_contexts():
        path = ctx.command_path
        heading = "#" * min(path.count(" ") + 2, 4)
        parts += [f"{heading} `{path}`", "", "```text", ctx.command.get_help(ctx), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference_markdown(), end="")
