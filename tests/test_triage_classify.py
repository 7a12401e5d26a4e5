"""The classifier: rules, model, explanations, memory of the user's labels, and the corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from debrief.taxonomy import load_taxonomy, skill_ids
from debrief.triage.classify import (
    LABELS,
    NEAR_PARAPHRASE,
    Remembered,
    Triager,
    _content_words,
    _cosine,
    resemblance,
)
from debrief.triage.evaluate import Example, evaluate, keyword_baseline, read_examples
from debrief.triage.features import describe, features
from debrief.triage.linear import default_model
from debrief.triage.rules import load_rules, match_rule

CORPUS = Path(__file__).resolve().parents[1] / "src/debrief/triage/data/corpus"


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


@pytest.mark.parametrize(
    ("text", "label", "cue"),
    [
        ("Leadership announced a hiring freeze last week.", "circumstance", "hiring freeze"),
        ("The headcount for this team was pulled.", "circumstance", "headcount"),
        ("Sadly the position has been filled.", "circumstance", "filled"),
        ("We are moving ahead with an internal candidate.", "circumstance", "internal"),
        ("We cannot offer visa sponsorship for this role.", "circumstance", "visa"),
        ("Your salary expectations are above our band.", "circumstance", "salary"),
        ("We need someone with 10+ years of experience.", "circumstance", "years"),
        ("Your non-compete would prevent you from joining.", "circumstance", "non-compete"),
        ("We have decided to move forward with other candidates.", "noise", "candidates"),
        ("Thank you for your time and interest.", "noise", "Thank you"),
        ("We wish you all the best in your search.", "noise", "best"),
    ],
)
def test_rules_decide_unambiguous_cues_and_say_so(
    triager: Triager, text: str, label: str, cue: str
) -> None:
    [result] = triager.classify([text])
    assert (result.label, result.origin, result.skills) == (label, "rule", ())
    assert result.explanation.startswith(f"{label}: ")
    assert cue.lower() in result.explanation.lower()


def test_rules_load_and_compile() -> None:
    rules = load_rules()
    assert {r.label for r in rules} == {"circumstance", "noise"}
    assert match_rule("Your window functions were elegant.") is None
    # The patterns are lower case but for escapes, which must keep their case (\W is not \w).
    import tomllib
    from importlib import resources

    raw = tomllib.loads(resources.files("debrief.triage.data").joinpath("rules.toml").read_text())
    for entry in raw["rule"]:
        for pattern in entry["patterns"]:
            letters = re.sub(r"\\[A-Za-z]", "", pattern)
            assert letters == letters.lower(), pattern
    assert match_rule("Thanks so much for your time!") is not None
    assert match_rule("Nothanks so much for your time") is None


@pytest.mark.parametrize(
    ("text", "label", "skill"),
    [
        ("You couldn't explain how to pick the sample size for the test.", "constructive",
         "experimentation"),
        ("Your window functions and CTEs were clean and correct.", "strength", "sql"),
        ("Practise explaining your model to a non-technical audience.", "constructive",
         "communication"),
        ("honestly your python was sloppy and full of bugs", "constructive", "coding"),
    ],
)  # fmt: skip
def test_model_verdicts_on_clear_statements(
    triager: Triager, text: str, label: str, skill: str
) -> None:
    [result] = triager.classify([text])
    assert result.label == label
    assert skill in result.skills
    assert 0.0 < result.confidence <= 1.0


def test_explanations_are_in_words_not_feature_names(triager: Triager) -> None:
    statements = [
        "You couldn't explain how to pick the sample size for the test.",
        "Great structure in the case; you segmented users first.",
        "He looked too young to lead anything.",
        "next time ask clarifying questions?",
    ]
    for result in triager.classify(statements):
        assert not re.search(r"\b(cue|shape|has|start):", result.explanation), result
        assert result.explanation.startswith(result.label)


def test_many_texts_at_once_read_as_each_one_alone(triager: Triager) -> None:
    texts = [
        "Strong SQL, but your experiment design needed work; think about power first.",
        "",
        "The role was filled internally.\n- weak on metrics\n- good communication",
        "Thanks for your time. We have decided not to proceed.",
    ]
    assert triager.triage_texts(texts) == [triager.triage_text(text) for text in texts]
    assert triager.triage_texts([]) == []


def test_describe_features() -> None:
    text = "You did not explain the p-value clearly"
    assert describe("cue:praise", "Great work") == "praise word 'great'"
    assert describe("cue:gap", text) == "gap wording 'did not'"
    assert describe("shape:long", text) is None
    assert describe("start:next", "next time") == "starts with 'next'"
    assert describe("p-value", text) == "'p-value'"
    assert describe("cue:area:statistics", text) == "'p-value'"


def test_negated_praise_reads_as_a_gap() -> None:
    assert "cue:gap" in features("The answer was not clear at all")
    assert "cue:praise" not in features("The answer was not clear at all")
    assert "cue:praise" in features("The answer was clear")


def test_only_constructive_and_strength_carry_skills(triager: Triager) -> None:
    for result in triager.triage_text(
        "Your SQL was great. We had a hiring freeze. Thanks for your time. "
        "You should practise power analysis."
    ):
        assert bool(result.skills) == (result.label in ("constructive", "strength"))
        assert set(result.skills) <= skill_ids()


def test_user_labels_teach_near_paraphrases() -> None:
    taught = Triager(
        memory=[Remembered(12, "The recruiter said I seemed too junior for them", "noise", ())]
    )
    [learned] = taught.classify(["Recruiter said I seem too junior for them."])
    assert (learned.label, learned.origin) == ("noise", "learned")
    assert "statement #12" in learned.explanation and "you labelled" in learned.explanation
    [other] = taught.classify(["Your SQL joins were wrong."])
    assert other.origin != "learned"


def test_resemblance() -> None:
    assert (
        resemblance("the recruiter said I seemed too junior", "recruiter said i'm too junior") > 0.7
    )
    assert resemblance("your sql was clean", "the statistics answer was vague") == 0.0
    assert resemblance("", "anything") == 0.0


def test_shipped_model_is_consistent() -> None:
    model = default_model()
    assert model.labels == list(LABELS)
    assert model.skills == [area.id for area in load_taxonomy().areas]
    assert model.label_coef.shape == (len(model.vocabulary), 4)
    assert model.skill_coef.shape == (len(model.skill_view.terms), len(model.skills))
    assert 0.05 <= model.settings["constructive_weight"] <= 1.0
    assert np.isfinite(model.label_coef).all() and np.isfinite(model.skill_coef).all()


def test_shipped_model_is_what_the_corpus_trains() -> None:
    pytest.importorskip("sklearn")
    from dataclasses import replace

    from debrief.triage.train import Settings, fit, training_examples

    model = default_model()
    settings = replace(
        Settings(),
        constructive_weight=model.settings["constructive_weight"],
        skill_threshold=model.settings["skill_threshold"],
        label_c=model.settings["label_c"],
        skill_c=model.settings["skill_c"],
        min_df=int(model.settings["min_df"]),
        temperature=model.settings["temperature"],
    )
    arrays = fit(training_examples(), settings)
    assert str(arrays["version"]) == model.version, "data/model.npz is stale: retrain it"
    assert np.allclose(arrays["label_coef"], model.label_coef, atol=1e-4)
    assert np.allclose(arrays["skill_coef"], model.skill_coef, atol=1e-4)
    assert list(arrays["skill_vocabulary"]) == model.skill_view.terms


# -- the corpus --------------------------------------------------------------------------------


def _read(name: str) -> list[Example]:
    return read_examples(CORPUS / name)


def test_corpus_size_and_coverage() -> None:
    train, test, hard = _read("train.jsonl"), _read("test.jsonl"), _read("hard_cases.jsonl")
    everything = train + test + hard
    assert len(everything) >= 1_500 and len(test) >= 300 and len(hard) >= 100
    labels = Counter(e.label for e in everything)
    assert set(labels) == set(LABELS)
    per_skill = Counter(s for e in everything for s in e.skills)
    assert set(per_skill) == skill_ids()
    assert min(per_skill.values()) >= 60
    for example in everything:
        assert bool(example.skills) == (example.label in ("constructive", "strength")), example


def test_test_split_is_held_out() -> None:
    train = _read("train.jsonl") + _read("hard_cases.jsonl")
    test = _read("test.jsonl")
    train_texts = {e.text.lower().strip() for e in train}
    assert not [e for e in test if e.text.lower().strip() in train_texts]
    train_words = [_content_words(e.text) for e in train]
    # Only training statements are named on failure: the test split stays unread.
    near = [
        example.source
        for words in (_content_words(t.text) for t in test)
        for other, example in zip(train_words, train, strict=True)
        if _cosine(words, other) >= NEAR_PARAPHRASE
    ]
    assert near == [], f"near-paraphrases of test statements in training: {near}"


def test_product_examples_are_not_in_the_test_split() -> None:
    examples = [
        "your A/B testing answers lacked depth",
        "talk through your reasoning before writing SQL",
        "you didn't ask clarifying questions",
        "the model evaluation part was weak",
        "research the product before the interview",
        "your SQL was clean and fast",
        "great structure in the case study",
        "we decided to move forward with other candidates",
        "not the right fit at this time",
        "we had many strong applicants",
        "thank you for your time",
    ]
    for test in _read("test.jsonl"):
        for example in examples:
            assert resemblance(test.text, example) < 0.75, (test.text, example)


def test_corpus_files_are_valid_jsonl() -> None:
    for path in CORPUS.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert set(row) <= {"text", "label", "skills", "why"}


# -- evaluation ----------------------------------------------------------------------------------


def test_metrics_on_a_hand_computed_case() -> None:
    gold = [
        Example("a", "constructive", ("sql",), "x:1"),
        Example("b", "constructive", ("sql", "coding"), "x:2"),
        Example("c", "strength", ("sql",), "x:3"),
        Example("d", "noise", (), "x:4"),
    ]
    from debrief.triage.evaluate import Prediction

    predicted = [
        Prediction("constructive", ("sql",)),
        Prediction("strength", ("coding",)),
        Prediction("strength", ("sql", "statistics")),
        Prediction("noise", ()),
    ]
    result = evaluate(gold, predicted)
    assert result.per_label["constructive"].precision == 1.0
    assert result.per_label["constructive"].recall == 0.5
    assert result.per_label["strength"].precision == 0.5
    assert result.per_label["circumstance"].f1 == 0.0
    assert result.confusion["constructive"]["strength"] == 1
    # skills: 3 hits of 4 predicted and 4 gold
    assert result.skills_micro_f1 == pytest.approx(0.75)
    assert result.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0 + 1) / 4)


def test_keyword_baseline_is_naive() -> None:
    assert keyword_baseline("We had a hiring freeze").label == "circumstance"
    assert keyword_baseline("Great SQL").label == "strength"
    assert keyword_baseline("You rushed the query").label == "constructive"
    assert keyword_baseline("You rushed the query").skills == ("sql",)


GUIDE_EXAMPLES = [
    ("your A/B testing answers lacked depth", "constructive", "experimentation"),
    ("talk through your reasoning before writing SQL", "constructive", "communication"),
    ("you didn't ask clarifying questions", "constructive", "problem_solving"),
    ("the model evaluation part was weak", "constructive", "machine_learning"),
    ("research the product before the interview", "constructive", "domain_knowledge"),
    ("your SQL was clean and fast", "strength", "sql"),
    ("great structure in the case study", "strength", "problem_solving"),
    ("we decided to move forward with other candidates", "noise", None),
    ("not the right fit at this time", "noise", None),
    ("we had many strong applicants", "noise", None),
    ("thank you for your time", "noise", None),
    ("the budget was cut", "circumstance", None),
    ("we hired internally", "circumstance", None),
]


@pytest.mark.parametrize(("text", "label", "skill"), GUIDE_EXAMPLES)
def test_the_labelling_guides_own_examples(
    triager: Triager, text: str, label: str, skill: str | None
) -> None:
    [result] = triager.classify([text])
    assert result.label == label, result
    if skill:
        assert skill in result.skills, result


@pytest.mark.parametrize(
    "text",
    [
        "Your case study on Visa's payment metrics never defined a north-star metric.",
        "You should rescope the problem before jumping into the query.",
        "Despite 5 years of Python experience, your code was not idiomatic.",
        "You didn't define the start date of the experiment.",
        "Good luck is not a strategy: you need to power your experiments.",
    ],
)
def test_a_skill_gap_is_not_mistaken_for_a_circumstance(triager: Triager, text: str) -> None:
    assert match_rule(text) is None
    [result] = triager.classify([text])
    assert result.origin != "rule"


def test_negation_and_stems_in_paraphrase_memory() -> None:
    assert resemblance("Your SQL was clean and fast.", "Your SQL was not clean and not fast.") == 0
    assert (
        resemblance("You did ask clarifying questions", "You did not ask clarifying questions") == 0
    )
    assert (
        resemblance("You asked no clarifying questions.", "You didn't ask clarifying questions.")
        > 0.75
    )
    taught = Triager(memory=[Remembered(3, "Your SQL was clean and fast.", "strength", ("sql",))])
    [negated] = taught.classify(["Your SQL was not clean and not fast."])
    assert negated.origin != "learned"
