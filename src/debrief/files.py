"""Writing files whole or not at all: a report, an export, a backup never ends up half-written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from debrief.errors import DebriefError


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file to write: it is written beside `path` and moved into place only on success."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = partial.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise DebriefError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise DebriefError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_text(path: Path, content: str) -> Path:
    """Write `content` to `path` whole or not at all."""
    with atomic_text(path) as handle:
        handle.write(content)
    return path
