"""Build-time training of the triage models: `python -m debrief.triage.train [--semantic]`.

Reads the training corpus (never the test split), fits a multinomial logistic regression for the
label and one-vs-rest logistic regressions for skill areas with scikit-learn, picks the decision
thresholds by cross-validation of the whole pipeline (rules in front of the model), and writes
`data/model.npz` for the NumPy scorer in `debrief.triage.linear`. With `--semantic` the models
also read all-MiniLM-L6-v2 sentence embeddings and go to `data/semantic.npz` (needs the
semantic extra). Needs the dev extra (scikit-learn). `--search` prints a cross-validated grid of
hyperparameters instead of writing anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from debrief.taxonomy import load_taxonomy
from debrief.triage.classify import LABELS, SKILLED, choose_skills, decide_label
from debrief.triage.evaluate import Evaluation, Example, Prediction, evaluate, read_examples
from debrief.triage.features import features, is_advice, skill_features
from debrief.triage.linear import LinearModel
from debrief.triage.rules import match_rule

DATA = Path(__file__).with_name("data")
CORPUS = DATA / "corpus"
TRAINING_FILES = (
    "train.jsonl",
    "hard_cases.jsonl",
    "robust.jsonl",
    "robust2.jsonl",
    "robust3.jsonl",
)
MODEL_PATH = DATA / "model.npz"
SEMANTIC_PATH = DATA / "semantic.npz"

# (example, label probabilities, skill probabilities, label a rule decided or None)
Scored = tuple[Example, dict[str, float], dict[str, float], str | None]


@dataclass(frozen=True)
class Settings:
    """Hyperparameters of one training run."""

    label_c: float = 16.0
    skill_c: float = 16.0
    min_df: int = 1
    constructive_weight: float = 1.0
    skill_threshold: float = 0.5
    # The constructive label must stay precise: telling someone to work on noise is the worst
    # error triage can make, so the weight is chosen with this floor on cross-validated precision
    # against circumstance and noise.
    constructive_precision_floor: float = 0.97
    # Scale of the sentence embeddings beside the TF-IDF features (semantic model only).
    dense_weight: float = 0.5
    # Temperature that calibrates the label probabilities (fitted out of fold).
    temperature: float = 1.0


def training_examples() -> list[Example]:
    """The statements the models learn from (the test split is not among them)."""
    return [e for name in TRAINING_FILES for e in read_examples(CORPUS / name)]


def fit(examples: Sequence[Example], settings: Settings, dense: Any = None) -> dict[str, Any]:
    """Fit the label and skill models; return the arrays `LinearModel` reads.

    With `dense` (one sentence embedding per example) the models read the embeddings too.
    """
    texts = [e.text for e in examples]
    vectorizer = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=settings.min_df, norm="l2", dtype=np.float64
    )
    words = vectorizer.fit_transform(texts)
    size = words.shape[1]
    skill_vectorizer = TfidfVectorizer(
        analyzer=skill_features, sublinear_tf=True, min_df=settings.min_df, dtype=np.float64
    )
    skill_words = skill_vectorizer.fit_transform(texts)
    skill_size = skill_words.shape[1]
    matrix, skill_matrix = words, skill_words
    if dense is not None:
        embedded = csr_matrix(np.asarray(dense, dtype=np.float64) * settings.dense_weight)
        matrix = hstack([words, embedded]).tocsr()
        skill_matrix = hstack([skill_words, embedded]).tocsr()

    labels = np.array([e.label for e in examples])
    label_model = LogisticRegression(C=settings.label_c, max_iter=5000, class_weight="balanced")
    label_model.fit(matrix, labels)
    order = [list(label_model.classes_).index(label) for label in LABELS]
    # Centred per feature: softmax is unchanged, and each weight now reads as "towards this label
    # rather than the others", which is what an explanation should quote.
    label_all = label_model.coef_[order].T
    label_all = label_all - label_all.mean(axis=1, keepdims=True)
    label_bias = label_model.intercept_[order] - label_model.intercept_.mean()

    skills = [area.id for area in load_taxonomy().areas]
    skilled = [i for i, e in enumerate(examples) if e.label in SKILLED]
    skill_all = np.zeros((skill_matrix.shape[1], len(skills)))
    skill_bias = np.full(len(skills), -5.0)
    for k, skill in enumerate(skills):
        target = np.array([skill in examples[i].skills for i in skilled])
        if target.all() or not target.any():
            continue
        model = LogisticRegression(C=settings.skill_c, max_iter=5000, class_weight="balanced")
        model.fit(skill_matrix[skilled], target)
        skill_all[:, k] = model.coef_[0]
        skill_bias[k] = model.intercept_[0]

    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    skill_vocabulary = sorted(
        skill_vectorizer.vocabulary_, key=skill_vectorizer.vocabulary_.__getitem__
    )
    names = [
        "constructive_weight",
        "skill_threshold",
        "label_c",
        "skill_c",
        "min_df",
        "temperature",
    ]
    values = [
        settings.constructive_weight,
        settings.skill_threshold,
        settings.label_c,
        settings.skill_c,
        float(settings.min_df),
        settings.temperature,
    ]
    # The version changes with the data, the settings and the features (a new cue word is a new
    # model even when the corpus and the feature names are the same).
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                texts,
                labels.tolist(),
                [e.skills for e in examples],
                values,
                dense is not None,
                vocabulary,
                skill_vocabulary,
                (DATA / "cues.toml").read_text("utf-8"),
            ]
        ).encode()
    ).hexdigest()[:10]
    arrays: dict[str, Any] = {
        "vocabulary": np.array(vocabulary),
        "idf": vectorizer.idf_.astype(np.float32),
        "labels": np.array(LABELS),
        "label_coef": label_all[:size].astype(np.float32),
        "label_bias": label_bias.astype(np.float32),
        "skills": np.array(skills),
        "skill_vocabulary": np.array(skill_vocabulary),
        "skill_idf": skill_vectorizer.idf_.astype(np.float32),
        "skill_coef": skill_all[:skill_size].astype(np.float32),
        "skill_bias": skill_bias.astype(np.float32),
        "setting_names": np.array(names),
        "setting_values": np.array(values, dtype=np.float64),
        "version": np.array(fingerprint),
    }
    if dense is not None:
        arrays["label_dense"] = label_all[size:].astype(np.float32)
        arrays["skill_dense"] = skill_all[skill_size:].astype(np.float32)
        arrays["dense_weight"] = np.array(settings.dense_weight)
    return arrays


def cross_validated(
    examples: Sequence[Example], settings: Settings, dense: Any = None, folds: int = 5
) -> list[Scored]:
    """Out-of-fold model probabilities for every example, with the label a rule would give."""
    labels = [e.label for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    out: list[Any] = [None] * len(examples)
    for train_index, test_index in splitter.split(np.zeros(len(labels)), labels):
        arrays = fit(
            [examples[i] for i in train_index],
            settings,
            None if dense is None else dense[train_index],
        )
        model = LinearModel(arrays)
        texts = [examples[i].text for i in test_index]
        scores = model.score(texts, None if dense is None else dense[test_index])
        for i, scored in zip(test_index, scores, strict=True):
            rule = match_rule(examples[i].text)
            out[i] = (
                examples[i],
                scored.label_probabilities,
                scored.skill_probabilities,
                rule.rule.label if rule else None,
            )
    return out


def fit_temperature(scored: Sequence[Scored]) -> float:
    """The temperature that makes the model's out-of-fold label probabilities honest
    (temperature scaling, Guo et al. 2017): the one with the least negative log-likelihood of
    the gold labels, on the statements the model decides (not those a rule does)."""
    decided = [(e, p) for e, p, _, rule in scored if rule is None]
    logs = np.log(np.clip([[p[label] for label in LABELS] for _, p in decided], 1e-12, 1.0))
    gold = np.array([LABELS.index(e.label) for e, _ in decided])
    best: tuple[float, float] | None = None
    for temperature in np.geomspace(0.25, 4.0, 81):
        scaled = logs / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        nll = float(-(scaled[np.arange(len(gold)), gold] - log_norm).mean())
        if best is None or nll < best[0]:
            best = (nll, float(temperature))
    return best[1] if best else 1.0


def _precision_against_nothing(result: Evaluation) -> float:
    """Precision of 'constructive' counting only circumstance and noise called constructive:
    the error the weight guards against (strength called constructive is the model's odds)."""
    called = [
        result.confusion[gold]["constructive"] for gold in ("constructive", "circumstance", "noise")
    ]
    return called[0] / sum(called) if sum(called) else 1.0


def choose_thresholds(
    scored: Sequence[Scored], settings: Settings
) -> tuple[float, float, dict[str, float]]:
    """The constructive weight and skill threshold that do best out of fold: the best macro-F1
    whose constructive precision stays at or above the floor."""
    gold = [s[0] for s in scored]
    best: tuple[float, float] | None = None  # (macro-F1, weight)
    for weight in np.geomspace(1.0, 0.05, 40):
        preds = [
            Prediction(rule or decide_label(p, float(weight), is_advice(e.text)), ())
            for e, p, _, rule in scored
        ]
        result = evaluate(gold, preds)
        if _precision_against_nothing(result) < settings.constructive_precision_floor:
            continue
        if best is None or result.macro_f1 > best[0] + 1e-9:
            best = (result.macro_f1, float(weight))
    weight = best[1] if best else 0.05
    best_skill: tuple[float, float] | None = None
    skilled = [s for s in scored if s[0].label in SKILLED]
    for threshold in np.arange(0.20, 0.81, 0.025):
        preds = [
            Prediction(e.label, choose_skills(sp, float(threshold))) for e, _, sp, _ in skilled
        ]
        f1 = evaluate([s[0] for s in skilled], preds).skills_micro_f1
        if best_skill is None or f1 > best_skill[0] + 1e-9:
            best_skill = (f1, float(threshold))
    threshold = best_skill[1] if best_skill else 0.5
    final = []
    for e, p, sp, rule in scored:
        label = rule or decide_label(p, weight, is_advice(e.text))
        final.append(Prediction(label, choose_skills(sp, threshold) if label in SKILLED else ()))
    result = evaluate(gold, final)
    report = {
        "cv_macro_f1": result.macro_f1,
        "cv_constructive_precision": result.per_label["constructive"].precision,
        "cv_skills_micro_f1": result.skills_micro_f1,
    }
    return weight, threshold, report


def embeddings(examples: Sequence[Example]) -> Any:
    """Sentence embeddings of the examples (the semantic extra must be installed)."""
    from debrief.triage.semantic import embed

    return np.asarray(embed([e.text for e in examples]))


def train(settings: Settings, *, semantic: bool = False) -> tuple[dict[str, Any], dict[str, float]]:
    """Cross-validate thresholds, then fit on all the training data with them."""
    examples = training_examples()
    dense = embeddings(examples) if semantic else None
    scored = cross_validated(examples, settings, dense)
    weight, threshold, report = choose_thresholds(scored, settings)
    temperature = fit_temperature(scored)
    report["temperature"] = temperature
    chosen = replace(
        settings, constructive_weight=weight, skill_threshold=threshold, temperature=temperature
    )
    return fit(examples, chosen, dense), report


def search(semantic: bool) -> None:
    """Print cross-validated scores over a small grid (the label and skill models are
    independent, so each regularisation strength is varied with the other held fixed)."""
    examples = training_examples()
    dense = embeddings(examples) if semantic else None
    base = Settings()
    grid = [replace(base, label_c=c) for c in (8.0, 16.0, 32.0, 64.0)]
    grid += [replace(base, skill_c=c) for c in (4.0, 8.0, 32.0, 64.0)]
    print(f"{'label_c':>8} {'skill_c':>8}  macro-F1  constructive-P  skills-F1")
    for settings in grid:
        _, _, report = choose_thresholds(cross_validated(examples, settings, dense), settings)
        print(
            f"{settings.label_c:>8} {settings.skill_c:>8}  {report['cv_macro_f1']:.4f}    "
            f"{report['cv_constructive_precision']:.4f}          "
            f"{report['cv_skills_micro_f1']:.4f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    """Train and write a model (or, with --search, print the grid)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--search", action="store_true", help="print a hyperparameter grid")
    parser.add_argument(
        "--semantic", action="store_true", help="the semantic model (needs the semantic extra)"
    )
    parser.add_argument("--output", type=Path, help="where to write the model")
    args = parser.parse_args(argv)
    if args.search:
        search(args.semantic)
        return
    output = args.output or (SEMANTIC_PATH if args.semantic else MODEL_PATH)
    arrays, report = train(Settings(), semantic=args.semantic)
    np.savez_compressed(output, **arrays)
    size = output.stat().st_size
    print(
        f"wrote {output} ({size / 1024:.0f} KiB, {len(arrays['vocabulary'])} word features, "
        f"version {arrays['version']})"
    )
    for name, value in report.items():
        print(f"  {name}: {value:.4f}")
    chosen = dict(zip(arrays["setting_names"], arrays["setting_values"], strict=True))
    print(f"  constructive_weight: {chosen['constructive_weight']:.3f}")
    print(f"  skill_threshold: {chosen['skill_threshold']:.3f}")


if __name__ == "__main__":
    main()
