"""Writing files whole or not at all, readable by their owner only: a report, an export, a backup
or a partner's form never ends up half-written, nor open to the other users of the machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TextIO

from debrief.errors import DebriefError

PRIVATE_FILE: Final = 0o600
PRIVATE_FOLDER: Final = 0o700
_NO_LINK: Final = getattr(os, "O_NOFOLLOW", 0)  # never write through a link planted there


def private_folder(path: Path) -> Path:
    """`path` as a folder: it and the folders missing above it are made readable by their owner
    only (0700, whatever the umask); folders already there keep their mode."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs to set
        folder.chmod(PRIVATE_FOLDER)
    return path


def private_file(path: Path, *, replace: bool = True) -> int:
    """`path` opened for writing (a descriptor), readable and writable by its owner only (0600,
    whatever the umask), emptied when `replace`, refused when not and it is already there."""
    flags = os.O_WRONLY | os.O_CREAT | _NO_LINK | (os.O_TRUNC if replace else os.O_EXCL)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, PRIVATE_FILE)  # a file left there before keeps its mode
        else:
            path.chmod(PRIVATE_FILE)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file to write: it is written beside `path` and moved into place only on success,
    readable by its owner only (a file it replaces gets that mode too)."""
    partial = path.with_name(path.name + ".partial")
    try:
        private_folder(path.parent)
        handle = os.fdopen(private_file(partial), "w", encoding="utf-8", newline="")
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
