"""Timing a call in a test so that a loaded machine does not fail it, while superlinear time
still does (issue 20's hostile-text doors, and any other test of how a cost grows)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from debrief.errors import DebriefError

# A call over its bound is timed again on a quarter of its input: linear time grows about
# fourfold with four times the input, quadratic time sixteenfold.
GROWTH = 8


def timed(call: Callable[[], object]) -> float:
    """Seconds a call takes; the project's own errors (a refusal) are an answer too."""
    started = time.perf_counter()
    with contextlib.suppress(DebriefError):
        call()
    return time.perf_counter() - started


def assert_quick(what: str, door: Callable[[int], object], bound: float, size: int) -> None:
    """`door(n)` reads an input of n characters; at `size` it takes less than `bound` seconds.
    Over the bound it is timed again, since another job may have had the CPU (CI has seen a
    linear door take 3.2 s where a quiet machine takes 1.15 s), and on a quarter of the input.
    It fails when it is still over the bound and either ten times over (no accident) or GROWTH
    times as long as on the quarter. A linear door between its bound and ten times it passes:
    this is a test of how time grows, not of how long a door takes."""
    took = timed(lambda: door(size))
    if took < bound:
        return
    took = min(took, timed(lambda: door(size)))
    if took < bound:
        return
    quarter = timed(lambda: door(size // 4))
    assert took < 10 * bound and took < GROWTH * quarter, (
        f"{what} took {took:.2f} s at {size:,} characters and {quarter:.2f} s at {size // 4:,}"
    )
