"""No text costs more than linear time (issue 20, S1): every regular expression of the package,
and every door that reads pasted, mailed or imported text, against 100,000-character tokens of
hostile shapes. A pattern that backtracks on one of them takes seconds to hours; a linear one,
milliseconds. A fuzz test keeps the doors so for mixtures of the shapes."""

from __future__ import annotations

import ast
import base64
import contextlib
import csv
import dataclasses
import functools
import importlib
import inspect
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import debrief
from debrief.errors import DebriefError
from debrief.ingest.mail.classify import read_letter
from debrief.ingest.mail.read import parse
from debrief.ingest.spreadsheet import read_sheet
from debrief.partner import asked_list
from debrief.prep.infer import read_notes
from debrief.triage.classify import Triager
from tests.linear_time import assert_quick, timed

SIZE = 100_000
# Seconds per call (search, finditer to exhaustion, fullmatch) at SIZE characters: a linear
# pattern takes milliseconds to a few tenths on a loaded two-core machine; a quadratic one takes
# seconds to hours.
BOUND = 0.5
# Every shape is timed at RANK_SIZE first, where a quadratic pattern already goes over
# RANK_BOUND; the SLOWEST shapes there are timed again at SIZE (a pattern is slowest where it
# backtracks; timing all 46 texts at SIZE would take minutes and find nothing more).
RANK_SIZE = 10_000
RANK_BOUND = 0.1
SLOWEST = 4
DOOR_BOUND = 3.0  # seconds for a whole door (triage, mail, spreadsheet, notes) at SIZE


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _base64(size: int) -> str:
    """Blobs of the standard alphabet run together, `+`, `/` and `=` padding included."""
    chunks = (
        base64.b64encode(bytes((i * 37 + j * 11) % 256 for j in range(100))).decode()
        for i in range(size // 136 + 1)
    )
    return "".join(chunks)[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "letters": lambda n: _repeat("abcdefghijklmnopqrstuvwxyz", n),
    "capitals": lambda n: "A" * n,
    "a.": lambda n: _repeat("a.", n),
    "x@y.": lambda n: "x@" + _repeat("y.", n - 2),
    "emoji": lambda n: _repeat("😀👩\u200d💻🏳\ufe0f\u200d🌈", n),
    "combining marks": lambda n: _repeat("e\u0301", n),
    "base64": _base64,
    "url": lambda n: "https://example.com/" + _repeat("a/b?c=d&e=%20", n - 20),
    "digits": lambda n: _repeat("0123456789", n),
    "dashes": lambda n: "-" * n,
    "quote marks": lambda n: ">" * n,
    "stars": lambda n: "*" * n,
    "equals": lambda n: "=" * n,
    "spaces": lambda n: " " * n,
    "tabs": lambda n: "\t" * n,
    "newlines": lambda n: "\n" * n,
    "whitespace": lambda n: _repeat(" \t\r\n", n),
    "Aa words": lambda n: _repeat("Aa ", n),
    "Title Words": lambda n: _repeat("Acme Technical Interview ", n),
    "Re: Fwd:": lambda n: _repeat("Re: Fwd: ", n),
    "Q:": lambda n: _repeat("Q: ", n),
    "1.": lambda n: _repeat("1. ", n),
    "brackets": lambda n: _repeat("(1 ", n),
}


def _in_a_sentence(token: str) -> str:
    return f"Thanks for your time. Your SQL was clean, but {token} and the design was weak."


def hostile_texts(size: int) -> Iterator[tuple[str, str]]:
    """(name, text) for every shape, alone and inside a sentence."""
    for name, make in SHAPES.items():
        token = make(size)
        yield name, token
        yield f"{name} in a sentence", _in_a_sentence(token)


# -- every pattern of the package -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Found:
    where: str  # a dotted name, or file:line for a pattern written inside a function
    pattern: re.Pattern[Any]


# Cached loaders of models or scripts rather than of patterns (or that need a database).
_NOT_LOADERS = {
    "debrief.triage.semantic.encoder",
    "debrief.triage.semantic.semantic_model",
    "debrief.report.html.plotly_source",
    "debrief.report.html.plotly_packed",
    "debrief.journal.records.feedback_owner",
}
_RE_CALLS = {
    "compile",
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
}


def _modules() -> list[Any]:
    names = [m.name for m in pkgutil.walk_packages(debrief.__path__, "debrief.")]
    return [importlib.import_module(n) for n in names if not n.endswith("__main__")]


def _walk(value: Any, where: str, found: dict[tuple[Any, int], Found], depth: int = 0) -> None:
    """Patterns in a value: itself, or inside tuples, lists, sets, dicts and dataclasses."""
    if isinstance(value, re.Pattern):
        found.setdefault((value.pattern, value.flags), Found(where, value))
    elif depth > 6 or isinstance(value, (str, bytes, int, float, type)):
        return
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{where}[{key!r}]", found, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]", found, depth + 1)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name), f"{where}.{field.name}", found, depth + 1)


_STARRED = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _takes_nothing(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in _STARRED for p in parameters)


def _flags(node: ast.expr) -> int | None:
    """The value of `re.I | re.M` written in the source, or None for anything else."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        flag = getattr(re, node.attr, None) if node.value.id == "re" else None
        return int(flag) if isinstance(flag, re.RegexFlag) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(node.left), _flags(node.right)
        return None if left is None or right is None else left | right
    return None


def _written_in_calls(module: Any, found: dict[tuple[Any, int], Found]) -> None:
    """Patterns written as literals in `re.search(r"...", ...)` and the like, in functions."""
    path = Path(module.__file__)
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, (str, bytes))
        ):
            continue
        given = [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]
        flags = next((f for arg in given if (f := _flags(arg)) is not None), 0)
        where = f"{path.relative_to(Path(debrief.__file__).parent)}:{node.lineno}"
        _walk(re.compile(node.args[0].value, flags), where, found)


def every_pattern() -> list[Found]:
    """Every compiled pattern of the package: at module level, in classes, in module-level
    tables (tuples, dicts, dataclass rule tables), built by cached loaders from data files
    (rules, mail cues, synonyms, competencies), and written as literals inside functions."""
    found: dict[tuple[Any, int], Found] = {}
    for module in _modules():
        for name, value in vars(module).items():
            where = f"{module.__name__}.{name}"
            if getattr(value, "__module__", None) != module.__name__ and not isinstance(
                value, (re.Pattern, dict, list, tuple, set, frozenset)
            ):
                continue  # imported from elsewhere: walked where it is defined
            if isinstance(value, type):
                for attribute, member in vars(value).items():
                    _walk(member, f"{where}.{attribute}", found)
            elif hasattr(value, "cache_info") and _takes_nothing(value):
                if where not in _NOT_LOADERS:
                    _walk(value(), f"{where}()", found)
            else:
                _walk(value, where, found)
        _written_in_calls(module, found)
    return sorted(found.values(), key=lambda f: f.where)


PATTERNS = every_pattern()


def _slowest_call(pattern: re.Pattern[Any], text: str) -> tuple[float, str]:
    """Seconds of the slowest of search, finditer to exhaustion and fullmatch, and which."""
    subject: Any = text.encode() if isinstance(pattern.pattern, bytes) else text
    times = []
    for call in ("search", "finditer", "fullmatch"):
        started = time.perf_counter()
        found = getattr(pattern, call)(subject)
        if call == "finditer":
            for _ in found:
                pass
        times.append((time.perf_counter() - started, call))
    return max(times)


def _timed(pattern: re.Pattern[Any], text: str, bound: float) -> tuple[float, str]:
    """The slowest call, timed again when a little over the bound (another job may have had the
    CPU); ten times over is no accident."""
    took = _slowest_call(pattern, text)
    for _ in range(2):
        if not bound < took[0] < 10 * bound:
            break
        took = min(took, _slowest_call(pattern, text))
    return took


@functools.cache
def texts_of_size(size: int) -> dict[str, str]:
    return dict(hostile_texts(size))


def slow_shapes(pattern: re.Pattern[Any]) -> list[str]:
    """The shapes on which the pattern takes longer than its bound, and how long it took."""
    slow, ranked = [], []
    for name, text in texts_of_size(RANK_SIZE).items():
        took, call = _timed(pattern, text, RANK_BOUND)
        ranked.append((took, name))
        if took > RANK_BOUND:
            slow.append(f"{name}: {call} {took:.2f} s at {RANK_SIZE:,} characters")
            if len(slow) == 3:
                return slow  # and perhaps more: enough to see the pattern's fault
    for _, name in [] if slow else sorted(ranked, reverse=True)[:SLOWEST]:
        took, call = _timed(pattern, texts_of_size(SIZE)[name], BOUND)
        if took > BOUND:
            slow.append(f"{name}: {call} {took:.2f} s at {SIZE:,} characters")
    return slow


def repeats(pattern: re.Pattern[Any]) -> bool:
    """Whether the pattern repeats anything more than once (*, +, {m,n}). One that does not reads
    at most its own length from each position: it is linear by construction (most mail cues,
    escaped phrases, are), and is not timed."""
    from re import _constants, _parser  # the parser of the re module (3.11+)

    loops = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)

    def walk(node: Any) -> bool:
        if isinstance(node, _parser.SubPattern):
            return any(walk(item) for item in node.data)
        if isinstance(node, (list, tuple)):
            if len(node) == 2 and any(node[0] is loop for loop in loops) and node[1][1] > 1:
                return True
            return any(walk(item) for item in node)
        return False

    return walk(_parser.parse(pattern.pattern, pattern.flags))


TIMED = [found for found in PATTERNS if repeats(found.pattern)]


def test_the_audit_sees_the_patterns_of_every_layer_and_of_the_data_files() -> None:
    seen = {f.where for f in PATTERNS}
    for expected in (
        "debrief.triage.segment._ADDRESS",
        "debrief.ingest.mail.classify._SUFFIX",
        "debrief.prep.infer._MARKED",
        "debrief.partner._LIST_MARK",
    ):
        assert expected in seen
    for loader in ("rules.load_rules()", "classify.vocabulary()", "similar._synonyms()"):
        assert any(loader in where for where in seen), loader
    assert any(where.startswith("ingest/spreadsheet.py:") for where in seen)
    assert len(PATTERNS) > 400 and len(TIMED) > 100
    assert not repeats(re.compile(r"(?<!\w)on-?site(?!\w)")) and repeats(re.compile(r"\s+x"))


@pytest.mark.parametrize("found", TIMED, ids=[f.where for f in TIMED])
def test_no_pattern_takes_more_than_linear_time_on_a_long_token(found: Found) -> None:
    slow = slow_shapes(found.pattern)
    assert not slow, f"{found.where} /{found.pattern.pattern!s:.120}/ is slow on " + "; ".join(slow)


# -- the doors: pasted feedback, mail, spreadsheets, interview notes, a partner's list ----------


@pytest.fixture(scope="module")
def triager() -> Triager:
    warm = Triager()
    warm.triage_text("Your SQL was clean, but the design was weak.")  # the model loads once
    return warm


def test_the_door_check_tells_slow_linear_time_from_quadratic_time() -> None:
    """Sleeping doors 1.5 times over a bound of 0.3 s: the quadratic one sleeps 28 ms on a
    quarter of the text, and would pass only if a sleep overran by as much again."""
    bound = 0.3
    linear = lambda size: time.sleep(1.5 * bound * size / SIZE)  # noqa: E731
    assert_quick("a slow but linear door", linear, bound, SIZE)
    quadratic = lambda size: time.sleep(1.5 * bound * (size / SIZE) ** 2)  # noqa: E731
    with pytest.raises(AssertionError, match="at 100,000 characters"):
        assert_quick("a quadratic door", quadratic, bound, SIZE)
    with pytest.raises(AssertionError, match="at 100,000 characters"):
        assert_quick("a door ten times over", lambda size: time.sleep(0.55), 0.05, SIZE)


def fitted(frame: str, token: str, size: int = SIZE) -> str:
    """The frame with the token (cut to fit) for each TOKEN: `size` characters in all (SIZE is
    what a feedback or notes field holds at most)."""
    room = (size - len(frame.replace("TOKEN", ""))) // frame.count("TOKEN")
    return frame.replace("TOKEN", token[:room])


FEEDBACK = (
    "TOKEN",
    _in_a_sentence("TOKEN"),
    "Hi Sam,\n\nThanks for the chat.\n\n- TOKEN\n- Your joins were wrong.\n\nBest,\nDana",
    "Notes from the onsite:\nWhat went well: TOKEN\n> TOKEN\nOn Mon, Dana wrote:\nTOKEN",
)


@pytest.mark.parametrize("shape", SHAPES)
def test_triage_of_a_pasted_feedback_takes_linear_time(shape: str, triager: Triager) -> None:
    token = SHAPES[shape](SIZE)
    for frame in FEEDBACK:
        assert_quick(
            f"triage of {shape}",
            lambda size, frame=frame: triager.triage_text(fitted(frame, token, size)),
            DOOR_BOUND,
            SIZE,
        )


def message(subject: str, body: str, *, html: bool = False) -> bytes:
    kind = "text/html" if html else "text/plain"
    head = (
        "From: Acme Talent <jobs@acme-analytics.com>\nTo: Maren <maren@fastmail.com>\n"
        f"Subject: {' '.join(subject.splitlines())}\nDate: Tue, 03 Mar 2026 16:42:10 +0000\n"
        f"Message-ID: <m1@acme-analytics.com>\nContent-Type: {kind}; charset=utf-8\n\n"
    )
    return (head + body).encode()


def mails(token: str) -> list[bytes]:
    forwarded = (
        "Hi,\n\n---------- Forwarded message ---------\nFrom: A B <a@b.example>\n"
        f"Subject: {' '.join(token.splitlines())}\n\n{token}"
    )
    return [
        message(token, token),
        message("Fwd: " + token, forwarded),
        message(f"Your application - {token} - Onsite", _in_a_sentence(token)),
        message(
            "Your application", f"<html><body><p>{token}</p><p>{token}</p></body></html>", html=True
        ),
    ]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_message_is_read_in_linear_time(shape: str, triager: Triager) -> None:
    from debrief.ingest.mail.importer import feedback_of

    token = SHAPES[shape](SIZE)
    for which in range(len(mails(""))):
        assert_quick(
            f"reading {shape}",
            lambda size, which=which: feedback_of(
                [read_letter(parse(mails(token[:size])[which], "x.eml"))], triager
            ),
            DOOR_BOUND,
            SIZE,
        )


def test_a_spreadsheet_cell_is_read_in_linear_time(tmp_path: Path) -> None:
    header = ["company", "role", "level", "location", "work_mode", "source", "link"]
    header += ["applied_on", "status", "status_on", "notes", "closed_reason"]
    row = ["Acme", "Data Scientist", "Senior", "Berlin", "remote", "LinkedIn", "acme.com/1"]
    row += ["2026-01-05", "rejected", "2026-01-20", "Good chat", "no fit"]

    def sheet(token: str) -> Path:
        # The token as a column's name, and in each column in turn (the rest of the row valid).
        rows = [[*header, token], [*row, "x"]]
        rows += [[*row[:i], token, *row[i + 1 :], "x"] for i in range(len(row))]
        path = tmp_path / f"hostile-{len(token)}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(rows)
        return path

    for shape, make in SHAPES.items():
        token = make(SIZE)
        paths = {size: sheet(token[:size]) for size in (SIZE, SIZE // 4)}
        assert_quick(
            f"reading a sheet of {shape}",
            lambda size, paths=paths: read_sheet(paths[size]),
            DOOR_BOUND,
            SIZE,
        )


NOTES = ("Q: what is a p-value?\nTOKEN", "Q: why?\n1. TOKEN", "- TOKEN", "Story: TOKEN", "TOKEN?")


@pytest.mark.parametrize("shape", SHAPES)
def test_pasted_notes_and_a_partners_list_are_read_in_linear_time(shape: str) -> None:
    token = SHAPES[shape](SIZE)
    for frame in NOTES:
        assert_quick(
            f"reading notes of {shape}",
            lambda size, frame=frame: read_notes(fitted(frame, token, size)),
            DOOR_BOUND,
            SIZE,
        )
    # A partner's list is refused over 5,000 characters: quickly, and the longest it takes too.
    for asked in (token, "\n".join(["1. " + token[:1_000], "Q2: " + token[:3_000]])):
        took = timed(lambda asked=asked: asked_list(asked))
        assert took < DOOR_BOUND / 10, f"reading a list of {shape} took {took:.1f} s"


# -- fuzzing the doors with mixtures of the shapes ----------------------------------------------

ALPHABET = ["a", "Z", ".", "@", "/", ":", "=", "+", "-", ">", "*", "(", "7", "😀", "👩\u200d💻"]
ALPHABET += ["e\u0301", "\u0301", "Q: ", "1. ", "Re: ", "https://"]
SPACES = [" ", "\t", "\n", " \n", "\t\n "]
FUZZ_SIZE = 20_000
FUZZ_BOUND = DOOR_BOUND * 2 * FUZZ_SIZE / SIZE  # seconds per example (a door read twice)

# Long runs of pieces of the alphabet one after another, as a paste or a mail carries them: a
# run is what makes a pattern backtrack (half of them are spaces, where most patterns would),
# and runs side by side are what the shapes above do not try.
Runs = list[tuple[str, int]]
hostile_runs = st.lists(
    st.tuples(st.sampled_from(ALPHABET) | st.sampled_from(SPACES), st.integers(1_000, 10_000)),
    min_size=1,
    max_size=5,
)
fuzz_settings = settings(
    max_examples=40,
    deadline=None,  # timed by assert_quick, which tells a loaded machine from a slow door
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def text_of(runs: Runs, size: int = FUZZ_SIZE) -> str:
    """The runs one after another, at most `size` characters (each run shortened in proportion
    below FUZZ_SIZE, so a smaller text keeps the same runs)."""
    scale = size / FUZZ_SIZE
    return "".join(piece * max(1, round(count * scale)) for piece, count in runs)[:size]


def test_a_smaller_hostile_text_keeps_its_runs() -> None:
    runs = [("a", 4_000), (" ", 10_000), ("Q: ", 9_000)]
    assert text_of(runs) == "a" * 4_000 + " " * 10_000 + ("Q: " * 2_000)[:6_000]
    assert text_of(runs, FUZZ_SIZE // 4) == "a" * 1_000 + " " * 2_500 + ("Q: " * 750)[:1_500]


@fuzz_settings
@given(runs=hostile_runs)
def test_triage_of_random_hostile_text_stays_quick(triager: Triager, runs: Runs) -> None:
    def door(size: int) -> None:
        for text in (text_of(runs, size), _in_a_sentence(text_of(runs, size))):
            with contextlib.suppress(DebriefError):
                triager.triage_text(text)

    assert_quick("triage of a random text", door, FUZZ_BOUND, FUZZ_SIZE)


@fuzz_settings
@given(runs=hostile_runs)
def test_reading_random_hostile_mail_stays_quick(runs: Runs) -> None:
    def door(size: int) -> None:
        text = text_of(runs, size)
        for raw in (message(text[:2_000], text), message("Re: x", f"<p>{text}</p>", html=True)):
            with contextlib.suppress(DebriefError):
                read_letter(parse(raw, "x.eml"))

    assert_quick("reading a random mail", door, FUZZ_BOUND, FUZZ_SIZE)
