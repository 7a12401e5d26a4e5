"""Pass rates with honest uncertainty: Beta-Binomial posteriors and their credible intervals.

A rate of k successes in n trials gets the posterior Beta(k + a, n - k + b) under a Beta(a, b)
prior; Jeffreys' Beta(½, ½) is the default because it is uninformative and its equal-tailed
interval behaves well at 0/n and n/n, where a small search spends most of its time. Quantiles
come from `scipy.special.betaincinv`, the function behind `scipy.stats.beta.ppf`, which imports
in half the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from debrief.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

LEVEL = 0.90  # every interval in debrief is a 90% credible interval
WIDE = 0.30  # an interval wider than this carries a small-sample warning


@dataclass(frozen=True, slots=True)
class Prior:
    """A Beta(a, b) prior on a rate."""

    a: float
    b: float
    name: str

    def __str__(self) -> str:
        return self.name


JEFFREYS = Prior(0.5, 0.5, "Jeffreys Beta(0.5, 0.5)")
UNIFORM = Prior(1.0, 1.0, "uniform Beta(1, 1)")


def parse_prior(text: str | Prior) -> Prior:
    """A prior from 'jeffreys', 'uniform' or 'A,B' (two positive numbers)."""
    if isinstance(text, Prior):
        return text
    key = text.strip().lower()
    if key == "jeffreys":
        return JEFFREYS
    if key == "uniform":
        return UNIFORM
    parts = [p for p in re.split(r"[,/\s]+", key) if p]
    try:
        a, b = (float(parts[0]), float(parts[1])) if len(parts) == 2 else (0.0, 0.0)
    except ValueError:
        a = b = 0.0
    if not (0 < a < float("inf") and 0 < b < float("inf")):
        raise InvalidInput("prior", f"'{text}' is not 'jeffreys', 'uniform' or 'A,B' with A, B > 0")
    return Prior(a, b, f"Beta({a:g}, {b:g})")


@dataclass(frozen=True, slots=True)
class Rate:
    """`passed` of `total` decided cases, with the posterior mean and a 90% credible interval;
    `small_sample` when the interval is too wide to lean on (wider than 30 points)."""

    passed: int
    total: int
    mean: float
    low: float
    high: float
    small_sample: bool
    prior: Prior

    @property
    def observed(self) -> float | None:
        """The raw share passed/total (None with no data)."""
        return self.passed / self.total if self.total else None

    @property
    def width(self) -> float:
        """How wide the interval is, in rate units (0.3 is 30 points)."""
        return self.high - self.low

    def overlaps(self, other: Rate) -> bool:
        """Whether the two intervals overlap."""
        return self.low <= other.high and other.low <= self.high

    def posterior(self) -> tuple[float, float]:
        """The posterior's Beta parameters."""
        return (self.passed + self.prior.a, self.total - self.passed + self.prior.b)


def pass_rate_interval(
    passed: int, total: int, *, prior: Prior = JEFFREYS, level: float = LEVEL
) -> Rate:
    """The posterior of a rate after `passed` successes in `total` trials, with its interval."""
    from scipy.special import betaincinv

    if total < 0 or not 0 <= passed <= total:
        raise ValueError(f"cannot have {passed} passed of {total}")
    a, b = passed + prior.a, total - passed + prior.b
    tail = (1 - level) / 2
    low, high = betaincinv(a, b, [tail, 1 - tail])
    low, high = float(low), float(high)
    return Rate(passed, total, a / (a + b), low, high, high - low > WIDE, prior)


def sample_rates(rates: list[Rate], draws: int, rng: np.random.Generator) -> np.ndarray:
    """Draws from each rate's posterior: an array of shape (len(rates), draws)."""
    import numpy as np

    if not rates:
        return np.ones((0, draws))
    a = np.array([r.posterior()[0] for r in rates])[:, None]
    b = np.array([r.posterior()[1] for r in rates])[:, None]
    return rng.beta(a, b, size=(len(rates), draws))


def chance_highest(rates: list[Rate], index: int, *, draws: int = 20_000, seed: int = 0) -> float:
    """The posterior probability that rates[index] is the highest of them all (with two rates,
    the probability that the first is higher than the second)."""
    return _chance_highest(tuple(rate.posterior() for rate in rates), index, draws, seed)


@lru_cache(maxsize=4096)
def _chance_highest(
    posteriors: tuple[tuple[float, float], ...], index: int, draws: int, seed: int
) -> float:
    # A pure function of the posteriors and the seed, kept: after a write, most of the groups
    # an analysis compares have the same counts as before, and their draws need not be made
    # again (20,000 draws each are most of a rebuild's cost).
    import numpy as np

    rng = np.random.default_rng(seed)
    a = np.array([p[0] for p in posteriors])[:, None]
    b = np.array([p[1] for p in posteriors])[:, None]
    samples = rng.beta(a, b, size=(len(posteriors), draws))
    return float((samples.argmax(axis=0) == index).mean())
