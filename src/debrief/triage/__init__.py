"""Feedback triage: from pasted text to labelled, explained statements.

`segment` splits e-mails and notes into statements; `rules` decides the unambiguous ones;
`linear` (the default, NumPy only) or `semantic` (an optional extra) classifies the rest;
`classify` puts them together with the user's own labels; `evaluate` measures it all against
the labelled corpus in `data/corpus/`; `train` (build time, scikit-learn) writes the model.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from debrief.errors import DebriefError

if TYPE_CHECKING:
    from debrief.triage.classify import Backend

BACKENDS = ("linear", "semantic")
ENV_VAR = "DEBRIEF_TRIAGE_BACKEND"


class BackendUnavailable(DebriefError):
    """The chosen triage backend cannot run here (an optional extra is missing)."""


def get_backend(name: str | None = None) -> Backend:
    """The backend called `name`, else the one $DEBRIEF_TRIAGE_BACKEND names, else linear."""
    chosen = (name or os.environ.get(ENV_VAR) or "linear").strip().lower()
    if chosen == "linear":
        from debrief.triage.classify import LinearBackend

        return LinearBackend()
    if chosen == "semantic":
        from debrief.triage.semantic import SemanticBackend

        return SemanticBackend()
    raise BackendUnavailable(
        f"unknown triage backend {chosen!r} (choose one of: {', '.join(BACKENDS)})"
    )
