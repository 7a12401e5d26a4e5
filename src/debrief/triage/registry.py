"""Triage backends by name: the built-in `linear` and `semantic`, and any a package registers
under the `debrief.triage_backends` entry point group.

A backend is named by a class (or factory) that builds it with no arguments. It may say why it
cannot run here without being built (a `why_unavailable()` static or class method returning a
reason, or None), so listing backends never loads a model. The backend is chosen in one place,
`get_backend`: the name given, else $DEBRIEF_TRIAGE_BACKEND, else `linear`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from debrief.errors import DebriefError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from debrief.triage.backend import Backend

ENTRY_POINTS = "debrief.triage_backends"
ENV_VAR = "DEBRIEF_TRIAGE_BACKEND"
DEFAULT = "linear"
BUILT_IN = {
    "linear": "debrief.triage.classify:LinearBackend",
    "semantic": "debrief.triage.semantic:SemanticBackend",
}


class BackendUnavailable(DebriefError):
    """The chosen triage backend is unknown or cannot run here (an optional extra is missing)."""


@dataclass(frozen=True, slots=True)
class BackendEntry:
    """A backend the registry knows, before it is built."""

    name: str
    origin: str  # "built in", or the distribution that registered it
    target: str  # "module:attribute" of its class or factory
    summary: str
    why_not: str | None  # None when it can run here

    @property
    def available(self) -> bool:
        """Whether it can run here."""
        return self.why_not is None


def _load(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


def _entry(name: str, origin: str, target: str) -> BackendEntry:
    # Another package's code may fail in any way while it loads or looks around: that makes
    # its backend unavailable, with the reason, never a traceback.
    try:
        factory = _load(target)
    except Exception as error:
        return BackendEntry(name, origin, target, "", f"cannot load {target}: {error}")
    summary = ((getattr(factory, "__doc__", None) or "").strip().splitlines() or [""])[0]
    probe: Callable[[], str | None] | None = getattr(factory, "why_unavailable", None)
    try:
        why = probe() if probe is not None else None
    except Exception as error:
        why = f"cannot tell whether it can run: {error}"
    return BackendEntry(name, origin, target, summary, why)


def registered() -> dict[str, tuple[str, str]]:
    """Every backend name with (origin, target): the built-ins, then entry points (a name the
    built-ins use is theirs)."""
    found = {name: ("built in", target) for name, target in BUILT_IN.items()}
    for point in _entry_points():
        key = point.name.strip().lower()
        if key not in found:
            origin = point.dist.name if point.dist is not None else "an entry point"
            found[key] = (origin, point.value)
    return found


@cache
def _entry_points() -> tuple[EntryPoint, ...]:
    from importlib import metadata

    return tuple(metadata.entry_points(group=ENTRY_POINTS))


def backends() -> list[BackendEntry]:
    """Every backend known here, with whether it can run and why not."""
    return [_entry(name, origin, target) for name, (origin, target) in registered().items()]


def chosen_name(name: str | None = None) -> str:
    """The backend a caller means: `name`, else $DEBRIEF_TRIAGE_BACKEND, else the default."""
    return (name or os.environ.get(ENV_VAR) or DEFAULT).strip().lower()


def get_backend(name: str | None = None) -> Backend:
    """The backend called `name`, else the one $DEBRIEF_TRIAGE_BACKEND names, else linear;
    BackendUnavailable says why when it is unknown or cannot run here."""
    chosen = chosen_name(name)
    known = registered()
    if chosen not in known:
        raise BackendUnavailable(
            f"unknown triage backend {chosen!r} (choose one of: {', '.join(known)})"
        )
    entry = _entry(chosen, *known[chosen])
    if entry.why_not is not None:
        raise BackendUnavailable(f"the {chosen} triage backend cannot run here: {entry.why_not}")
    backend: Backend = _load(entry.target)()
    return backend
