"""Timing whole processes the same way in every benchmark: warm-up, then median of N runs."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one command."""

    label: str
    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def tool(name: str) -> str:
    """A console script installed beside this Python (the project's venv)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed; run `make bench` (it installs the bench extra)")
    return found


def time_process(
    label: str,
    argv: Sequence[str],
    *,
    repeat: int = 5,
    warmup: int = 1,
    env: dict[str, str] | None = None,
) -> Timing:
    """Run `argv` warmup + repeat times; keep the timings of the last `repeat` runs."""
    runs = []
    full_env = {**os.environ, **(env or {})}
    for attempt in range(warmup + repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=full_env)
        elapsed = time.perf_counter() - start
        if attempt >= warmup:
            runs.append(elapsed)
    return Timing(label, tuple(runs))


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain, aligned text table (readable in a terminal and pasteable in Markdown)."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(f"\n{title}\n")
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
