"""Triage: the behavioural suite, the held-out test split, calibration and speed, for the
current model beside the previous one, measured by the same code in the same run.

The previous model is the package as it was at `BASELINE` (the commit before the behavioural
suite), unpacked from git into a temporary folder; `triage_probe.py` measures each version in a
process of its own, on one core. Quality on the held-out test split (never used for training or
for tuning): macro-F1, precision of `constructive`, skill-area micro-F1. The suite: pass rate per
capability (target ≥ 0.95 each). Calibration: expected calibration error and the reliability
table of the current model on the test split. Speed: in-process throughput on one core, and a
whole `debrief triage classify` process classifying one statement.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from debrief.triage import BackendUnavailable, get_backend
from debrief.triage.classify import Triager
from debrief.triage.evaluate import read_examples
from timing import print_table, time_process, tool

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "src/debrief/triage/data/corpus"
SUITE_DIR = ROOT / "src/debrief/triage/data/suite"
SUITE_PY = ROOT / "src/debrief/triage/suite.py"
PARAPHRASES = Path(__file__).resolve().parent / "data/paraphrases.jsonl"
BASELINE = "c4dfcca"  # the last commit before the behavioural suite and the model that passes it
REPEAT = 5
SUITE_TARGET = 0.95
TEST_TARGETS = {"macro_f1": 0.92, "constructive_precision": 0.95, "skills_micro_f1": 0.87}
RATE_TARGET = 2_000
START_TARGET = 0.6


def _previous_src(into: Path) -> Path | None:
    """The package as it was at BASELINE, unpacked into `into` (None outside a git checkout)."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE, "src/debrief"],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _probe(src: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("triage_probe.py")), str(SUITE_PY),
         str(SUITE_DIR), str(CORPUS / "test.jsonl")],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    result: dict[str, Any] = json.loads(out)
    return result


def _start(src: Path, label: str) -> float:
    code = "import sys; from debrief.cli import run; sys.argv[0] = 'debrief'; run()"
    timing = time_process(
        label,
        ["sh", "-c", f"echo 'You did not size the experiment.' | {sys.executable} -c "
         f"\"{code}\" triage classify --json"],
        repeat=REPEAT,
        env={"PYTHONPATH": str(src)},
    )  # fmt: skip
    return timing.median


def compare() -> bool:
    """The suite, the test split, calibration and speed: current beside previous."""
    with tempfile.TemporaryDirectory() as scratch:
        previous_src = _previous_src(Path(scratch))
        versions: dict[str, dict[str, Any]] = {}
        starts: dict[str, float] = {}
        current = _probe(ROOT / "src")
        versions["current"] = current
        starts["current"] = _start(ROOT / "src", "current")
        if previous_src is not None:
            versions[f"previous ({BASELINE})"] = _probe(previous_src)
            starts[f"previous ({BASELINE})"] = _start(previous_src, "previous")
        else:
            print(f"  previous model: not measured (no git history to take {BASELINE} from)")
    names = list(versions)
    rows = []
    for capability, (cases, passed, hand) in current["suite"].items():
        row = [capability, f"{cases:,} ({hand} by hand)"]
        for name in names:
            figures = versions[name]["suite"].get(capability)
            row.append(f"{figures[1] / figures[0]:.3f}" if figures else "—")
        row.append("met" if passed / cases >= SUITE_TARGET else "MISSED")
        rows.append(row)
    totals = [sum(v[0] for v in versions[n]["suite"].values()) for n in names]
    passes = [sum(v[1] for v in versions[n]["suite"].values()) for n in names]
    rows.append(
        ["all cases", f"{totals[0]:,}"]
        + [f"{p / t:.3f}" for p, t in zip(passes, totals, strict=True)]
        + [""]
    )
    print_table(
        f"Behavioural suite: pass rate per capability (target ≥ {SUITE_TARGET} each)",
        ["capability", "cases"] + [f"{n} ({versions[n]['version']})" for n in names] + ["current"],
        rows,
    )
    test_rows = []
    labels = {"macro_f1": "test split macro-F1", "constructive_precision": "constructive precision",
              "skills_micro_f1": "skill-area micro-F1"}  # fmt: skip
    for key, label in labels.items():
        value = current["test"][key]
        test_rows.append(
            [label] + [f"{versions[n]['test'][key]:.3f}" for n in names]
            + [f"≥ {TEST_TARGETS[key]:.2f}", "met" if value >= TEST_TARGETS[key] else "MISSED"]
        )  # fmt: skip
    test_rows.append(
        ["expected calibration error"] + [f"{versions[n]['ece']:.3f}" for n in names] + ["", ""]
    )
    test_rows.append(
        ["in-process, one core"] + [f"{versions[n]['rate']:,.0f}/s" for n in names]
        + [f"≥ {RATE_TARGET:,}/s", "met" if current["rate"] >= RATE_TARGET else "MISSED"]
    )  # fmt: skip
    test_rows.append(
        ["one statement, whole process"] + [f"{starts[n]:.3f} s" for n in names]
        + [f"≤ {START_TARGET} s", "met" if starts["current"] <= START_TARGET else "MISSED"]
    )  # fmt: skip
    model_file = ROOT / "src/debrief/triage/data/model.npz"
    test_rows.append(
        ["install growth (new dependencies)", "0 MB"] + ["—"] * (len(names) - 1)
        + [f"model file {model_file.stat().st_size / 2**20:.1f} MB", ""]
    )  # fmt: skip
    print_table(
        "Held-out test split (420 statements), calibration and speed (median of "
        f"{REPEAT}; one core)",
        ["measure", *names, "target", "current"],
        test_rows,
    )
    print_table(
        "Reliability on the test split, current model: how sure triage said it was, "
        "and how often it was right",
        ["confidence", "statements", "mean confidence", "accuracy"],
        [[f"{low:.1f}–{high:.1f}", str(n), f"{mean:.3f}", f"{right:.3f}"]
         for low, high, n, mean, right in current["reliability"]],
    )  # fmt: skip
    suite_met = all(p / c >= SUITE_TARGET for c, p, _ in current["suite"].values())
    test_met = all(current["test"][k] >= v for k, v in TEST_TARGETS.items())
    return (
        suite_met
        and test_met
        and current["rate"] >= RATE_TARGET
        and (starts["current"] <= START_TARGET)
    )


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


def learning() -> None:
    """How one label the user gives carries to paraphrases (and wrongly to unrelated
    statements), on the paraphrase set of `data/paraphrases.jsonl`."""
    from debrief.triage.evaluate import measure_learning, read_paraphrase_groups

    groups = read_paraphrase_groups(PARAPHRASES)
    rows = []
    for name in ("linear", "semantic"):
        try:
            backend = get_backend(name)
        except BackendUnavailable:
            continue
        found = measure_learning(backend, groups)
        rows.append(
            [
                name,
                f"{found.followed:.3f}",
                f"{found.agree_before:.3f} → {found.agree_after:.3f}",
                f"{found.wrongly_followed:.3f}",
                f"{found.wrongly_changed:.3f}",
            ]
        )
    print_table(
        f"Learning from a label: {len(groups)} statements labelled, 6 paraphrases and 6 unrelated "
        "statements each",
        ["backend", "paraphrases that follow", "paraphrases with the label (before → after)",
         "unrelated that follow", "unrelated changed"],
        rows,
    )  # fmt: skip


def main() -> bool:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    met = compare()
    learning()
    semantic_speed()
    return met


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
