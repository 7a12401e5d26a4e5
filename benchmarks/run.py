"""Run every benchmark in this folder (`make bench`) and print their tables."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_cli",
    "bench_triage",
    "bench_themes",
    "bench_questions",
    "bench_report",
    "bench_import",
    "bench_web",
    "bench_load",
    "bench_coach",
]


def main() -> int:
    sys.path.insert(0, str(HERE))
    failed = 0
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        failed += 0 if module.main() else 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
