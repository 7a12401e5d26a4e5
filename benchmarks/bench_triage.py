"""Triage quality and speed (issue 3's targets).

Quality on the held-out test split (never used for training or for tuning rules): macro-F1 over
the four labels, precision of `constructive`, skill-area micro-F1, for each backend that can run
here beside the naive keyword baseline. Speed: in-process throughput of the default backend on
one core, and a whole `debrief triage classify` process classifying one statement.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from debrief.triage import BackendUnavailable, get_backend
from debrief.triage.classify import Triager
from debrief.triage.evaluate import (
    Evaluation,
    evaluate,
    keyword_baseline,
    measure,
    read_examples,
)
from timing import print_table, time_process, tool

CORPUS = Path(__file__).resolve().parents[1] / "src/debrief/triage/data/corpus"
THROUGHPUT_STATEMENTS = 5_000
REPEAT = 5


def quality() -> bool:
    examples = read_examples(CORPUS / "test.jsonl")
    results: dict[str, Evaluation] = {}
    notes = []
    for name in ("linear", "semantic"):
        try:
            backend = get_backend(name)
        except BackendUnavailable as error:
            notes.append(f"{name}: not measured here ({error})")
            continue
        results[backend.version] = measure(backend, examples)
    results["keyword baseline"] = evaluate(examples, [keyword_baseline(e.text) for e in examples])
    targets = {"macro-F1": 0.90, "constructive precision": 0.93, "skills micro-F1": 0.85}
    rows = []
    for name, result in results.items():
        figures = {
            "macro-F1": result.macro_f1,
            "constructive precision": result.per_label["constructive"].precision,
            "skills micro-F1": result.skills_micro_f1,
        }
        rows.append(
            [name]
            + [f"{value:.3f}" for value in figures.values()]
            + [f"{result.per_label[label].f1:.3f}" for label in result.per_label]
        )
    rows.append(["target", "≥ 0.900", "≥ 0.930", "≥ 0.850", "", "", "", ""])
    print_table(
        f"Triage quality on the held-out test split ({len(examples)} statements)",
        ["backend", "macro-F1", "constr. P", "skills F1", "F1 constr.", "F1 strength",
         "F1 circ.", "F1 noise"],
        rows,
    )  # fmt: skip
    for note in notes:
        print(f"  {note}")
    default = next(iter(results.values()))
    return (
        default.macro_f1 >= targets["macro-F1"]
        and default.per_label["constructive"].precision >= targets["constructive precision"]
        and default.skills_micro_f1 >= targets["skills micro-F1"]
    )


def throughput() -> bool:
    """Statements per second through rules + default model, in one process, one core."""
    examples = read_examples(CORPUS / "test.jsonl")
    texts = [examples[i % len(examples)].text for i in range(THROUGHPUT_STATEMENTS)]
    triager = Triager(get_backend("linear"))
    triager.classify(texts[:200])  # warm-up: model loaded, caches filled
    rates = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        triager.classify(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    debrief = tool("debrief")
    one = time_process(
        "debrief triage classify (1 statement)",
        ["sh", "-c", f"echo 'You did not size the experiment.' | {debrief} triage classify --json"],
        repeat=REPEAT,
    )
    python = time_process("python -c pass", [sys.executable, "-c", "pass"], repeat=REPEAT)
    rows = [
        [
            f"in-process, {THROUGHPUT_STATEMENTS:,} statements",
            f"{statistics.median(rates):,.0f}/s",
            f"{min(rates):,.0f}/s",
            f"{max(rates):,.0f}/s",
            "≥ 5,000/s",
            "met" if statistics.median(rates) >= 5_000 else "MISSED",
        ],
        [
            one.label,
            f"{one.median:.3f} s",
            f"{min(one.runs):.3f} s",
            f"{max(one.runs):.3f} s",
            "≤ 1.0 s",
            "met" if one.median <= 1.0 else "MISSED",
        ],
        [python.label, f"{python.median:.3f} s", f"{min(python.runs):.3f} s",
         f"{max(python.runs):.3f} s", "(for scale)", ""],
    ]  # fmt: skip
    print_table(
        f"Triage speed, default backend (median of {REPEAT}; taskset to one core when available)",
        ["measure", "median", "min", "max", "target", "verdict"],
        rows,
    )
    return all(row[-1] in ("met", "") for row in rows)


def semantic_speed() -> None:
    """The semantic backend's throughput and cold start, where its extra is installed."""
    try:
        backend = get_backend("semantic")
    except BackendUnavailable:
        return
    examples = read_examples(CORPUS / "test.jsonl")
    texts = [examples[i % len(examples)].text for i in range(1_000)]
    triager = Triager(backend)
    triager.classify(texts[:50])
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        triager.classify(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    debrief = tool("debrief")
    cold = time_process(
        "debrief triage classify --backend semantic (1 statement)",
        [
            "sh",
            "-c",
            f"echo 'You did not size the experiment.' | {debrief} triage classify "
            "--backend semantic --json",
        ],
        repeat=3,
    )
    print_table(
        "Triage speed, semantic backend (for comparison; no target)",
        ["measure", "median", "min", "max"],
        [
            [
                "in-process, 1,000 statements",
                f"{statistics.median(rates):,.0f}/s",
                f"{min(rates):,.0f}/s",
                f"{max(rates):,.0f}/s",
            ],
            [
                cold.label,
                f"{cold.median:.2f} s",
                f"{min(cold.runs):.2f} s",
                f"{max(cold.runs):.2f} s",
            ],
        ],
    )


def main() -> bool:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    met = quality()
    fast = throughput()
    semantic_speed()
    return fast and met


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
