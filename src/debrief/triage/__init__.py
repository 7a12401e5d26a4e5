"""Feedback triage: from pasted text to labelled, explained statements.

`segment` splits e-mails and notes into statements; `rules` decides the unambiguous ones;
`linear` (the default, NumPy only) or `semantic` (an optional extra) classifies the rest;
`classify` puts them together with the user's own labels; `backend` says what a backend is,
and `registry` knows them by name (built in, or registered by other packages); `evaluate`
measures it all against
the labelled corpus in `data/corpus/`; `train` (build time, scikit-learn) writes the model.
"""

from __future__ import annotations

from debrief.triage.registry import ENV_VAR, BackendUnavailable, backends, get_backend

__all__ = ["ENV_VAR", "BackendUnavailable", "backends", "get_backend"]
