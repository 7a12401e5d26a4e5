"""Build-time training of the sub-skill model: `python -m debrief.themes.train [--search]`.

Reads the statements of `data/subskill_corpus/` (never the labelled sets under tests/data), fits
a multinomial logistic regression over every sub-skill and "none" on sublinear TF-IDF of
`subskill_features` with scikit-learn, picks the threshold below which a statement is given no
sub-skill and the temperature that makes its probabilities honest by cross-validation on the
same corpus, and writes `data/subskills.npz` for the NumPy
scorer in `debrief.themes.subskills`. Needs the dev extra (scikit-learn). `--search` prints a
cross-validated grid of settings (and the development set's accuracy when asked with `--dev`)
instead of writing anything; the held-out test part is read only by the benchmark.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from debrief.themes.subskills import (
    MODEL_FILE,
    NONE,
    Labelled,
    SubSkillModel,
    load_subskills,
    measure,
    read_labelled,
    subskill_features,
)

DATA = Path(__file__).with_name("data")
CORPUS = DATA / "subskill_corpus"
MODEL_PATH = DATA / MODEL_FILE
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 13))


@dataclass(frozen=True)
class Settings:
    """Hyperparameters of one training run."""

    c: float = 16.0
    min_df: int = 1


def training_examples() -> list[Labelled]:
    """Every statement of the training corpus, in file order."""
    examples: list[Labelled] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        examples.extend(read_labelled(path.read_text("utf-8")))
    return examples


def definitions() -> list[Labelled]:
    """Each sub-skill's name, what it covers, and its cue phrases of two or more words, as
    statements about it. The corpus's writers described what happened rather than naming the
    topic, so without these a statement that simply names it ("your window functions were
    slow") has little to go on."""
    found = []
    for subskill in load_subskills().all:
        phrases = [cue.rstrip("*") for cue in subskill.cues if " " in cue.strip()]
        for text in (subskill.name, subskill.about, *phrases):
            found.append(Labelled(text, subskill.id, subskill.area))
    return found


def fit(
    examples: Sequence[Labelled], settings: Settings, threshold: float, temperature: float = 1.0
) -> dict[str, Any]:
    """Fit the model; return the arrays `SubSkillModel` reads."""
    vectorizer = TfidfVectorizer(
        analyzer=subskill_features,
        sublinear_tf=True,
        min_df=settings.min_df,
        norm="l2",
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform([e.text for e in examples])
    classes = [s.id for s in load_subskills().all] + [NONE]
    model = LogisticRegression(C=settings.c, max_iter=5000)
    model.fit(matrix, np.array([e.subskill for e in examples]))
    learnt = list(model.classes_)
    coef = np.zeros((matrix.shape[1], len(classes)))
    bias = np.full(len(classes), -30.0)  # a class with no training statement is never said
    for k, name in enumerate(classes):
        if name in learnt:
            coef[:, k] = model.coef_[learnt.index(name)]
            bias[k] = model.intercept_[learnt.index(name)]
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    return {
        "vocabulary": np.array(vocabulary),
        "idf": vectorizer.idf_.astype(np.float64),
        "classes": np.array(classes),
        # Half precision is plenty for weights a sum of a few dozen features reads, and halves
        # what the package carries; the scorer widens them when it loads.
        "coef": coef.astype(np.float16),
        "bias": bias,
        "threshold": np.float64(threshold),
        "temperature": np.float64(temperature),
        "list_version": np.int64(load_subskills().version),
        "c": np.float64(settings.c),
        "min_df": np.int64(settings.min_df),
    }


def cross_validated(
    examples: Sequence[Labelled], settings: Settings, folds: int = 5
) -> list[tuple[Labelled, Any]]:
    """Each example with its class probabilities from a model that did not see it (trained on
    the other folds and the definitions)."""
    labels = [e.subskill for e in examples]
    out: list[tuple[Labelled, Any]] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    for train_index, test_index in splitter.split(np.zeros(len(labels)), labels):
        seen = [examples[i] for i in train_index] + definitions()
        model = SubSkillModel(fit(seen, settings, 0.0))
        held = [examples[i] for i in test_index]
        rows = model.probabilities([e.text for e in held])
        out.extend((example, (model, row)) for example, row in zip(held, rows, strict=True))
    return out


def fit_temperature(scored: Sequence[tuple[Labelled, Any]]) -> float:
    """The temperature that makes the cross-validated probabilities honest (least log loss):
    regularised logistic regression over many classes spreads its probability thin, so that a
    statement it places right gets 0.3, which would read as a guess."""
    logs = np.array([np.log(np.maximum(row, 1e-12)) for _, (_, row) in scored])
    truth = np.array([model.classes.index(e.subskill) for e, (model, _) in scored])

    def loss(temperature: float) -> float:
        scaled = logs / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_p = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(truth)), truth].mean())

    return min((round(0.05 * i, 2) for i in range(2, 41)), key=loss)


def tempered(row: Any, temperature: float) -> Any:
    """Probabilities sharpened (or softened) by a temperature."""
    scaled = np.log(np.maximum(row, 1e-12)) / temperature
    scaled = np.exp(scaled - scaled.max())
    return scaled / scaled.sum()


def accuracy_at(
    scored: Sequence[tuple[Labelled, Any]], threshold: float, temperature: float = 1.0
) -> float:
    """The cross-validated accuracy when statements under `threshold` get no sub-skill."""
    right = 0
    for example, (model, raw) in scored:
        row = tempered(raw, temperature)
        column = int(row.argmax())
        said = model.classes[column] if row[column] >= threshold else NONE
        right += said == example.subskill
    return right / len(scored)


def choose_threshold(
    scored: Sequence[tuple[Labelled, Any]], temperature: float
) -> tuple[float, float]:
    """The threshold with the best cross-validated accuracy (the lower one on a tie)."""
    best = max(THRESHOLDS, key=lambda t: (accuracy_at(scored, t, temperature), -t))
    return best, accuracy_at(scored, best, temperature)


def calibrate(examples: Sequence[Labelled], settings: Settings) -> tuple[float, float, float]:
    """Temperature, threshold and the cross-validated accuracy they give."""
    scored = cross_validated(examples, settings)
    temperature = fit_temperature(scored)
    threshold, accuracy = choose_threshold(scored, temperature)
    return temperature, threshold, accuracy


def search(dev: Path | None) -> None:
    """Print cross-validated accuracy (and the development set's) for a grid of settings."""
    examples = training_examples()
    development = read_labelled(dev.read_text("utf-8")) if dev else []
    print(f"{len(examples)} training statements; development set: {len(development)}")
    for c in (2.0, 4.0, 8.0, 16.0, 32.0):
        for min_df in (1, 2):
            settings = Settings(c=c, min_df=min_df)
            temperature, threshold, cv = calibrate(examples, settings)
            line = (
                f"C={c:<5} min_df={min_df} temperature={temperature:.2f} "
                f"threshold={threshold:.2f} cross-validated={cv:.3f}"
            )
            if development:
                model = SubSkillModel(
                    fit(examples + definitions(), settings, threshold, temperature)
                )
                result = measure(development, model)
                line += f" dev={result.rate:.3f} dev-in-area={result.area_rate:.3f}"
            print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Train and write the model, or search settings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="print a grid, write nothing")
    parser.add_argument("--dev", type=Path, help="a development set to print accuracy on")
    args = parser.parse_args(argv)
    if args.search:
        search(args.dev)
        return
    settings = Settings()
    examples = training_examples()
    temperature, threshold, cv = calibrate(examples, settings)
    arrays = fit(examples + definitions(), settings, threshold, temperature)
    np.savez_compressed(MODEL_PATH, **arrays)
    print(
        f"wrote {MODEL_PATH}: {len(examples)} statements and {len(definitions())} from the list, "
        f"{len(arrays['vocabulary'])} features, "
        f"temperature {temperature:.2f}, threshold {threshold:.2f}, "
        f"cross-validated accuracy {cv:.3f}"
    )


if __name__ == "__main__":
    main()
