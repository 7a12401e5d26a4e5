"""The default triage model at run time: a linear model read from `data/model.npz` with NumPy.

Trained at build time with scikit-learn (`python -m debrief.triage.train`); here only its
vocabularies, IDF weights and coefficients are used, so classifying needs neither scikit-learn
nor SciPy, and a process that classifies one statement starts in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from debrief.triage.features import both_views

MODEL_FILE = "model.npz"


@dataclass(frozen=True, slots=True)
class Rows:
    """Sparse TF-IDF rows: (row of each entry, feature index, l2-normalised value)."""

    rows: Any
    columns: Any
    values: Any

    def of(self, i: int, starts: Any) -> tuple[Any, Any]:
        """The (columns, values) of row `i`, given where each row starts."""
        return self.columns[starts[i] : starts[i + 1]], self.values[starts[i] : starts[i + 1]]


class FeatureView:
    """One way of reading a statement: its vocabulary and IDF weights (the triage models' and
    the sub-skill model's)."""

    def __init__(self, vocabulary: Any, idf: Any) -> None:
        self.terms = [str(term) for term in vocabulary]
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.idf = idf

    def rows(self, analysed: list[list[str]], np: Any) -> Rows:
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        for row, found in enumerate(analysed):
            seen: dict[int, int] = {}
            for feature in found:
                column = self.index.get(feature)
                if column is not None:
                    seen[column] = seen.get(column, 0) + 1
            rows.extend([row] * len(seen))
            columns.extend(seen)
            counts.extend(seen.values())
        row_ids = np.asarray(rows, dtype=np.int64)
        column_ids = np.asarray(columns, dtype=np.int64)
        values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[column_ids]
        norms = np.sqrt(np.bincount(row_ids, weights=values**2, minlength=len(analysed)))
        return Rows(row_ids, column_ids, values / np.where(norms > 0, norms, 1.0)[row_ids])


def logits(coef: Any, bias: Any, sparse: Rows, n: int, np: Any) -> Any:
    """The linear scores of `n` sparse rows: rows × coefficients + bias."""
    out = np.zeros((n, coef.shape[1]))
    if len(sparse.rows):
        # Rows are contiguous and in order: sum each row's weighted coefficients at once.
        starts = np.flatnonzero(np.r_[True, sparse.rows[1:] != sparse.rows[:-1]])
        weighted = coef[sparse.columns] * sparse.values[:, None].astype(coef.dtype)
        out[sparse.rows[starts]] = np.add.reduceat(weighted, starts, axis=0)
    return out + bias


@dataclass(frozen=True, slots=True)
class Scored:
    """What the model says about one statement, with the features it read (for explanations)."""

    label_probabilities: dict[str, float]
    skill_probabilities: dict[str, float]
    label_features: tuple[Any, Any]
    skill_features: tuple[Any, Any]


class LinearModel:
    """Multinomial logistic regression for the label and one-vs-rest logistic regressions for
    skill areas, on sublinear TF-IDF of the features in `debrief.triage.features` (and, for the
    semantic backend's model, sentence embeddings beside them)."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        import numpy as np

        self._np = np
        self.label_view = FeatureView(arrays["vocabulary"], arrays["idf"])
        self.skill_view = FeatureView(
            arrays.get("skill_vocabulary", arrays["vocabulary"]),
            arrays.get("skill_idf", arrays["idf"]),
        )
        self.labels = [str(x) for x in arrays["labels"]]
        self.label_coef = arrays["label_coef"]  # (label vocabulary, labels)
        self.label_bias = arrays["label_bias"]
        self.skills = [str(x) for x in arrays["skills"]]
        self.skill_coef = arrays["skill_coef"]  # (skill vocabulary, skills)
        self.skill_bias = arrays["skill_bias"]
        self.version = str(arrays["version"])
        self.label_dense = arrays.get("label_dense")
        self.skill_dense = arrays.get("skill_dense")
        self.dense_weight = float(arrays["dense_weight"]) if "dense_weight" in arrays else 0.0
        self.settings = {
            str(k): float(v)
            for k, v in zip(arrays["setting_names"], arrays["setting_values"], strict=True)
        }

    @property
    def vocabulary(self) -> list[str]:
        """The label model's features."""
        return self.label_view.terms

    @classmethod
    def from_file(cls, path: Any) -> LinearModel:
        """Load a model written by the training script."""
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            return cls({name: data[name] for name in data.files})

    def _logits(self, coef: Any, bias: Any, sparse: Rows, n: int) -> Any:
        return logits(coef, bias, sparse, n, self._np)

    def score(self, texts: list[str], dense: Any = None) -> list[Scored]:
        """Label and skill probabilities for each text, with the features behind them.

        `dense` holds one sentence embedding per text, for a model trained with them.
        """
        np = self._np
        n = len(texts)
        if n == 0:
            return []
        views = [both_views(text) for text in texts]
        label_rows = self.label_view.rows([label for label, _ in views], np)
        skill_rows = self.skill_view.rows([skill for _, skill in views], np)
        label_logits = self._logits(self.label_coef, self.label_bias, label_rows, n)
        skill_logits = self._logits(self.skill_coef, self.skill_bias, skill_rows, n)
        if self.label_dense is not None and self.skill_dense is not None:
            if dense is None:
                raise ValueError("this model needs sentence embeddings")
            embedded = np.asarray(dense, dtype=np.float64) * self.dense_weight
            label_logits += embedded @ self.label_dense
            skill_logits += embedded @ self.skill_dense
        label_logits -= label_logits.max(axis=1, keepdims=True)
        label_p = np.exp(label_logits)
        label_p /= label_p.sum(axis=1, keepdims=True)
        skill_p = 1.0 / (1.0 + np.exp(-skill_logits))
        label_starts = np.searchsorted(label_rows.rows, np.arange(n + 1))
        skill_starts = np.searchsorted(skill_rows.rows, np.arange(n + 1))
        return [
            Scored(
                label_probabilities=dict(zip(self.labels, label_p[i].tolist(), strict=True)),
                skill_probabilities=dict(zip(self.skills, skill_p[i].tolist(), strict=True)),
                label_features=label_rows.of(i, label_starts),
                skill_features=skill_rows.of(i, skill_starts),
            )
            for i in range(n)
        ]

    def label_cues(self, scored: Scored, label: str, top: int = 2) -> list[str]:
        """The features of a statement that pushed it most towards `label`."""
        coef = self.label_coef[:, self.labels.index(label)]
        return self._cues(coef, scored.label_features, self.label_view.terms, top)

    def skill_cues(self, scored: Scored, skill: str, top: int = 2) -> list[str]:
        """The features of a statement that pushed it most towards skill area `skill`."""
        coef = self.skill_coef[:, self.skills.index(skill)]
        return self._cues(coef, scored.skill_features, self.skill_view.terms, top)

    @staticmethod
    def _cues(coef: Any, present: tuple[Any, Any], terms: list[str], top: int) -> list[str]:
        columns, values = present
        if len(columns) == 0:
            return []
        contributions = coef[columns] * values
        order = contributions.argsort()[::-1][:top]
        return [terms[columns[j]] for j in order if contributions[j] > 0]


@cache
def default_model() -> LinearModel:
    """The model shipped with the package."""
    resource = resources.files("debrief.triage.data").joinpath(MODEL_FILE)
    with resources.as_file(resource) as path:
        return LinearModel.from_file(path)
