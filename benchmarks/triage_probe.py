"""Measure one version of triage and print the figures as JSON (used by bench_triage.py).

Run with PYTHONPATH pointing at a `src` folder (this tree's, or an earlier commit's unpacked by
the bench), so the current and the previous model are measured by the same code in the same
run. The behavioural suite module is loaded from this tree by its path: it is standard library
only and needs nothing of triage but `Triager(backend).triage_text(text)`.

    python benchmarks/triage_probe.py SUITE_PY SUITE_DIR TEST_JSONL
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import time
from pathlib import Path

STATEMENTS = 5_000
REPEAT = 5


def main() -> None:
    suite_py, suite_dir, test_file = (Path(p) for p in sys.argv[1:4])
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    spec = importlib.util.spec_from_file_location("behavioural_suite", suite_py)
    assert spec is not None and spec.loader is not None
    suite = importlib.util.module_from_spec(spec)
    sys.modules["behavioural_suite"] = suite
    spec.loader.exec_module(suite)

    from debrief.triage import get_backend
    from debrief.triage.classify import Triager
    from debrief.triage.evaluate import Prediction, evaluate, read_examples

    triager = Triager(get_backend("linear"))
    # A version from before triage read who wrote a text has no `source`.
    reads_source = "source" in inspect.signature(triager.triage_text).parameters

    def run(text: str, source: str | None) -> list[tuple[str, tuple[str, ...]]]:
        kwargs = {"source": source} if reads_source else {}
        return [(s.label, tuple(s.skills)) for s in triager.triage_text(text, **kwargs)]

    outcome = suite.run_suite(suite.load_suite(suite_dir), run)
    examples = read_examples(test_file)
    triaged = triager.classify([e.text for e in examples])
    result = evaluate(examples, [Prediction(t.label, tuple(t.skills)) for t in triaged])
    bins = 10
    table = []
    error = 0.0
    for b in range(bins):
        inside = [
            i
            for i, t in enumerate(triaged)
            if b / bins <= t.confidence < (b + 1) / bins or (b == bins - 1 and t.confidence >= 1)
        ]
        if inside:
            mean = sum(triaged[i].confidence for i in inside) / len(inside)
            right = sum(examples[i].label == triaged[i].label for i in inside) / len(inside)
            error += len(inside) / len(examples) * abs(right - mean)
            table.append([b / bins, (b + 1) / bins, len(inside), mean, right])
    texts = [examples[i % len(examples)].text for i in range(STATEMENTS)]
    triager.classify(texts[:200])  # warm-up: model loaded, caches filled
    rates = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        triager.classify(texts)
        rates.append(STATEMENTS / (time.perf_counter() - start))
    rates.sort()
    print(
        json.dumps(
            {
                "version": triager.version,
                "suite": {
                    c.capability: [c.cases, c.passed, c.hand_written] for c in outcome.capabilities
                },
                "test": {
                    "macro_f1": result.macro_f1,
                    "constructive_precision": result.per_label["constructive"].precision,
                    "skills_micro_f1": result.skills_micro_f1,
                },
                "ece": error,
                "reliability": table,
                "rate": rates[len(rates) // 2],
            }
        )
    )


if __name__ == "__main__":
    main()
