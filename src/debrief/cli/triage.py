"""`debrief triage`: classify any text, and evaluate triage on a labelled file.

Both work without a journal, so other tools (and the evaluation in `make bench`) can call them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from debrief.cli.common import json_option, print_as
from debrief.errors import InvalidInput

BACKEND_HELP = (
    "Triage backend by name: linear (default), semantic (needs the semantic extra), or one "
    "another package registers (see `debrief triage backends`)."
)


@click.group()
def triage() -> None:
    """Triage any text, and measure triage on a labelled file."""


@triage.command("backends")
@json_option
def backends(as_json: bool) -> None:
    """The triage backends this installation knows, and whether each can run here.

    Built in: linear (the default) and semantic (sentence embeddings, an optional extra).
    Other packages add backends under the `debrief.triage_backends` entry point group. Choose
    one with $DEBRIEF_TRIAGE_BACKEND, or --backend on the triage commands.
    """
    from debrief.triage.registry import backends as known

    print_as(known(), as_json, "backends_table")


def _read_lines(source: str) -> list[str]:
    # Lines end at "\n" only: a form feed or U+2028 inside a line must not make two lines,
    # or the output would no longer have one object per input line.
    from debrief.parsing import text_of

    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise InvalidInput("file", f"cannot read {source}: {error.strerror}") from None
    lines = text_of(data, "stdin" if source == "-" else source).split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return [line.removesuffix("\r") for line in lines]


def parse_inputs(lines: list[str], name: str) -> list[tuple[Any, str]]:
    """(id, text) per input line: a JSON object with "text" (and "id"), or plain text."""
    inputs: list[tuple[Any, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("{"):
            inputs.append((number, line))
            continue
        from debrief.triage.evaluate import text_object

        row = text_object(stripped, name, number)
        inputs.append((row.get("id", number), row["text"]))
    return inputs


@triage.command("classify")
@click.argument("source", metavar="[FILE|-]", default="-")
@click.option("--backend", help=BACKEND_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One JSON object per input line: {"id": ..., "statements": [...]}.',
)
def classify(source: str, backend: str | None, as_json: bool) -> None:
    """Split each input line into statements and triage them.

    Input (a file, or stdin with -): plain-text lines, or JSONL objects with "text" and an
    optional "id" (default: the line number). Each statement gets a label, skill areas, a
    confidence and an explanation; output keeps the input order.
    """
    from debrief.triage import get_backend
    from debrief.triage.classify import Triager

    inputs = parse_inputs(_read_lines(source), "stdin" if source == "-" else source)
    triager = Triager(get_backend(backend))
    for line_id, text in inputs:
        statements = triager.triage_text(text) if text.strip() else []
        if as_json:
            payload = {
                "id": line_id,
                "statements": [
                    {
                        "text": s.text,
                        "label": s.label,
                        "skills": list(s.skills),
                        "confidence": s.confidence,
                        "uncertain": s.uncertain,
                        "explanation": s.explanation,
                    }
                    for s in statements
                ],
            }
            click.echo(json.dumps(payload, ensure_ascii=False))
        elif statements:
            click.echo(f"#{line_id}")
            print_as(statements, False, "statements_table")


@triage.command("eval")
@click.argument("file", metavar="[FILE.jsonl]", required=False)
@click.option(
    "--suite",
    is_flag=True,
    help="Run the behavioural suite shipped with debrief instead of a labelled file.",
)
@click.option("--failures", is_flag=True, help="With --suite: list every failed case.")
@click.option("--backend", help=BACKEND_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One object with macro_f1, per_label, skills_micro_f1 and confusion "
    "(with --suite: cases, passed and each capability with its failures).",
)
def evaluate_file(
    file: str | None, suite: bool, failures: bool, backend: str | None, as_json: bool
) -> None:
    """Measure triage on FILE: one statement per line as {"text", "label", "skills"}.

    Prints precision, recall and F1 per label, macro-F1, skill-area micro-F1 and the
    confusion matrix, beside a naive keyword baseline.

    With --suite, runs the behavioural suite instead: hand-written and generated cases per
    capability (short criticism, contrast inside a sentence, one point per line, mail
    boilerplate, remarks about someone else, ...), each through the whole pipeline, and
    prints the pass rate per capability against the target of 0.95.
    """
    from debrief.triage import get_backend

    if suite == (file is not None):
        raise InvalidInput("file", "give a labelled FILE.jsonl or --suite (one of the two)")
    chosen = get_backend(backend)
    if suite:
        from debrief.triage.classify import Triager
        from debrief.triage.suite import load_suite, run_suite, triager_function

        outcome = run_suite(load_suite(), triager_function(Triager(chosen)))
        if as_json:
            click.echo(json.dumps(outcome.as_json(), indent=2, ensure_ascii=False))
        else:
            print_as(outcome, False, "suite_failures" if failures else "suite_table")
        return
    from debrief.triage.evaluate import keyword_baseline, measure, read_examples

    assert file is not None
    examples = read_examples(file)
    if not examples:
        raise InvalidInput("file", f"{file} holds no statements")
    result = measure(chosen, examples)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    from debrief.triage.evaluate import evaluate

    baseline = evaluate(examples, [keyword_baseline(e.text) for e in examples])
    print_as({chosen.version: result, "keyword baseline": baseline}, False, "evaluation_table")
