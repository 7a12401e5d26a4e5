"""The behavioural suite: what triage must do on the feedback people really write.

In the manner of CheckList (Ribeiro et al., ACL 2020), cases are grouped by capability (short
criticism, contrast inside one sentence, one point per line, mail boilerplate, ...) and come in
three kinds:
- minimum functionality (`mft`): a text and what triage must find in it;
- invariance (`inv`): variants of a text (case, typos, names, punctuation, bullets) that must
  meet the same expectation as the text itself;
- directional (`dir`): variants with something added that must add one statement of a label.

The cases are data in `data/suite/`: hand-written ones (`*.jsonl`), and templates with fillers
(`templates.toml`) from which more are generated, with a fixed seed. Invariance variants of the
hand-written cases are generated too. None of it is ever used to train or tune the model:
`train.py` reads only `data/corpus/`, and the suite is written apart from it.

The whole pipeline is tested (segmentation, rules, the model), through any function from a text
(and who wrote it) to the statements found; this module needs nothing of triage but that.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

LABELS = ("constructive", "strength", "circumstance", "noise")
SEED = 20261206
TARGET = 0.95
INVARIANCE = "invariance to case, typos, names and layout"

# What a triage run gives back for one text: (label, skill areas) per statement, in order.
Found = list[tuple[str, tuple[str, ...]]]
TriageText = Callable[[str, str | None], Found]


@dataclass(frozen=True, slots=True)
class Expect:
    """What a case requires: the exact labels in order, labels no statement may carry, the
    skill areas each statement must include, or (directional) a label the variants add."""

    labels: tuple[str, ...] | None = None
    none_of: tuple[str, ...] = ()
    skills: tuple[tuple[str, ...], ...] | None = None
    adds: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One test: a text, who wrote it, what it must give, and its variants (inv, dir)."""

    id: str
    capability: str
    test: str
    text: str
    expect: Expect
    source: str | None = None
    variants: tuple[str, ...] = ()
    generated: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    """A case that failed: the text that failed it, what was expected and what was found."""

    case: Case
    text: str
    expected: str
    found: Found


@dataclass
class CapabilityResult:
    """How one capability did."""

    capability: str
    cases: int = 0
    passed: int = 0
    hand_written: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Share of its cases that passed."""
        return self.passed / self.cases if self.cases else 0.0


@dataclass(frozen=True, slots=True)
class SuiteResult:
    """The suite's outcome per capability, in the order capabilities first appear."""

    capabilities: tuple[CapabilityResult, ...]

    @property
    def cases(self) -> int:
        """Every case run."""
        return sum(c.cases for c in self.capabilities)

    @property
    def passed(self) -> int:
        """Every case that passed."""
        return sum(c.passed for c in self.capabilities)

    def as_json(self) -> dict[str, object]:
        """The `triage eval --suite --json` object."""
        return {
            "target": TARGET,
            "cases": self.cases,
            "passed": self.passed,
            "capabilities": [
                {
                    "capability": c.capability,
                    "cases": c.cases,
                    "hand_written": c.hand_written,
                    "passed": c.passed,
                    "pass_rate": round(c.rate, 4),
                    "failures": [
                        {
                            "id": f.case.id,
                            "text": f.text,
                            "expected": f.expected,
                            "found": [label for label, _ in f.found],
                        }
                        for f in c.failures
                    ],
                }
                for c in self.capabilities
            ],
        }


# -- reading the cases -------------------------------------------------------------------------


class SuiteError(ValueError):
    """A suite file that does not say what it should (names the file and line)."""


def suite_dir() -> Path:
    """Where the shipped suite lives."""
    return Path(str(resources.files("debrief.triage.data").joinpath("suite")))


def _expect(raw: Any, where: str) -> Expect:
    if not isinstance(raw, dict):
        raise SuiteError(f"{where}: 'expect' must be an object")
    labels = raw.get("labels")
    skills = raw.get("skills")
    for label in [
        *(labels or ()),
        *raw.get("none_of", ()),
        *([raw["adds"]] if "adds" in raw else []),
    ]:
        if label not in LABELS:
            raise SuiteError(f"{where}: {label!r} is not a label")
    if skills is not None and (labels is None or len(skills) != len(labels)):
        raise SuiteError(f"{where}: 'skills' must be parallel to 'labels'")
    return Expect(
        labels=tuple(labels) if labels is not None else None,
        none_of=tuple(raw.get("none_of", ())),
        skills=tuple(tuple(s) for s in skills) if skills is not None else None,
        adds=raw.get("adds"),
    )


def read_cases(path: Path) -> list[Case]:
    """The hand-written cases of one JSONL file."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SuiteError(f"{where}: not JSON ({error.msg})") from None
        test = row.get("test", "mft")
        if test not in ("mft", "inv", "dir"):
            raise SuiteError(f"{where}: test {test!r} is not mft, inv or dir")
        expect = _expect(row.get("expect", {}), where)
        if test == "dir" and expect.adds is None:
            raise SuiteError(f"{where}: a directional case needs 'adds'")
        cases.append(
            Case(
                id=str(row["id"]),
                capability=str(row["capability"]),
                test=test,
                text=str(row["text"]),
                expect=expect,
                source=row.get("source"),
                variants=tuple(row.get("variants", ())),
            )
        )
    return cases


_PLACEHOLDER = re.compile(r"\{([a-z_]+?)(?:_(\d+))?\}")


def generate(templates: dict[str, Any], rng: random.Random) -> list[Case]:
    """Cases from templates: each placeholder ({gap_clause}, {gap_clause_2}) draws a filler,
    distinct draws for distinct indices; sentences and lines start with a capital."""
    fillers: dict[str, list[str]] = templates["fillers"]
    cases: list[Case] = []
    for number, template in enumerate(templates["template"], start=1):
        patterns = template["patterns"]
        labels = template["labels_per_pattern"]
        if len(labels) != len(patterns):
            raise SuiteError(f"templates.toml: template {number} has unparallel labels")
        seen: set[str] = set()
        made = 0
        for _ in range(template["count"] * 5):
            if made == template["count"]:
                break
            choice = rng.randrange(len(patterns))
            text = _fill(patterns[choice], fillers, rng)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            cases.append(
                Case(
                    id=f"gen-{number}-{made}",
                    capability=template["capability"],
                    test="mft",
                    text=text,
                    expect=Expect(
                        labels=tuple(labels[choice]),
                        skills=tuple(tuple(x) for x in template["skills_per_pattern"][choice])
                        if "skills_per_pattern" in template
                        else None,
                    ),
                    source=template.get("source"),
                    generated=True,
                )
            )
    return cases


def _fill(pattern: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    drawn: dict[tuple[str, str], str] = {}
    used: dict[str, set[str]] = {}

    def draw(match: re.Match[str]) -> str:
        name, index = match.group(1), match.group(2) or ""
        if name not in fillers:
            raise SuiteError(f"templates.toml: no filler list {name!r}")
        key = (name, index)
        if key not in drawn:
            taken = used.setdefault(name, set())
            options = [f for f in fillers[name] if f not in taken] or fillers[name]
            drawn[key] = rng.choice(options)
            taken.add(drawn[key])
        return drawn[key]

    return _capitalise(_PLACEHOLDER.sub(draw, pattern))


_LINE_START = re.compile(r"(^|\n|[.!?] )([-*•]\s+|\d+[.)]\s+)?([a-z])")


def _capitalise(text: str) -> str:
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2) or "") + m.group(3).upper(), text)


def invariance_variants(cases: Sequence[Case], rng: random.Random) -> list[Case]:
    """Invariance cases made from hand-written ones whose labels are known: the same text in
    lower case, with a typo, with a greeting naming someone, without its final punctuation,
    and as a bullet. Each variant must meet the original's expectation."""
    made = []
    names = ("Priya", "Tomás", "Oluwaseun", "Mei", "Anders", "Fatima")
    for case in cases:
        if case.generated or case.test != "mft" or case.expect.labels is None:
            continue
        if "\n" in case.text.strip():
            continue  # layout variants of multi-line texts would change what they test
        variants = [
            case.text.lower(),
            _typo(case.text, rng),
            f"Hi {rng.choice(names)},\n\n{case.text}",
            case.text.rstrip().rstrip(".!"),
            f"- {case.text}",
        ]
        made.append(
            Case(
                id=f"{case.id}-inv",
                capability=INVARIANCE,
                test="inv",
                text=case.text,
                expect=Expect(labels=case.expect.labels),
                source=case.source,
                variants=tuple(v for v in variants if v != case.text),
                generated=True,
            )
        )
    return made


def _typo(text: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped inside one longer word (never the first letter)."""
    words = list(re.finditer(r"[A-Za-z]{6,}", text))
    if not words:
        return text
    word = rng.choice(words)
    at = rng.randrange(word.start() + 1, word.end() - 2)
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def load_suite(directory: Path | None = None) -> list[Case]:
    """Every case: the hand-written files, the generated ones and the invariance variants."""
    root = directory or suite_dir()
    hand = [c for path in sorted(root.glob("*.jsonl")) for c in read_cases(path)]
    rng = random.Random(SEED)
    templates_file = root / "templates.toml"
    made = (
        generate(tomllib.loads(templates_file.read_text("utf-8")), rng)
        if (templates_file.exists())
        else []
    )
    return hand + made + invariance_variants(hand, rng)


# -- running it ----------------------------------------------------------------------------------


def _describe(expect: Expect) -> str:
    said = []
    if expect.labels is not None:
        said.append(" + ".join(expect.labels) or "nothing")
    if expect.none_of:
        said.append("no " + " or ".join(expect.none_of))
    if expect.skills:
        said.append("skills " + "; ".join(", ".join(s) or "any" for s in expect.skills))
    return ", ".join(said)


def meets(expect: Expect, found: Found) -> bool:
    """Whether what triage found is what a case expects."""
    labels = tuple(label for label, _ in found)
    if expect.labels is not None and labels != expect.labels:
        return False
    if any(label in expect.none_of for label in labels):
        return False
    if expect.skills is not None:
        for wanted, (_, skills) in zip(expect.skills, found, strict=True):
            if not set(wanted) <= set(skills):
                return False
    return True


def run_case(case: Case, triage: TriageText) -> Failure | None:
    """Run one case; its failure, or None when it passed."""
    found = triage(case.text, case.source)
    if case.test == "dir":
        assert case.expect.adds is not None
        before = sum(label == case.expect.adds for label, _ in found)
        for variant in case.variants:
            after = triage(variant, case.source)
            if sum(label == case.expect.adds for label, _ in after) != before + 1:
                return Failure(case, variant, f"one more {case.expect.adds} than {before}", after)
        return None
    if not meets(case.expect, found):
        return Failure(case, case.text, _describe(case.expect), found)
    # Without an expectation of its own, an invariance case asks for what the text gave.
    wanted = (
        case.expect
        if case.expect != Expect()
        else Expect(labels=tuple(label for label, _ in found))
    )
    for variant in case.variants:
        after = triage(variant, case.source)
        if not meets(wanted, after):
            return Failure(case, variant, _describe(wanted), after)
    return None


def run_suite(cases: Iterable[Case], triage: TriageText) -> SuiteResult:
    """Run every case and count passes per capability."""
    by_capability: dict[str, CapabilityResult] = {}
    for case in cases:
        result = by_capability.setdefault(case.capability, CapabilityResult(case.capability))
        result.cases += 1
        result.hand_written += not case.generated
        failure = run_case(case, triage)
        if failure is None:
            result.passed += 1
        else:
            result.failures.append(failure)
    return SuiteResult(tuple(by_capability.values()))


def triager_function(triager: Any) -> TriageText:
    """The suite's view of a `Triager`: statements found in a text written by `source`."""

    def run(text: str, source: str | None) -> Found:
        statements = triager.triage_text(text, source=source)
        return [(s.label, tuple(s.skills)) for s in statements]

    return run
