"""Solvers for the seat-wise meta-game of a tournament: α-rank and fictitious play.

The meta-game has one population (player) per seat; seat ``k`` picks an archetype and gets a
payoff (its win rate) from a tensor ``payoffs[k]`` indexed by the archetype of every seat.

* :func:`alpha_rank` ranks strategy profiles by the stationary distribution of an evolutionary
  Markov chain (Omidshafiei et al., "α-Rank: Multi-Agent Evaluation by Evolution", 2019; the idea
  of OpenSpiel's ``egt/alpharank.py``, multi-population case): from a profile, one seat's
  monomorphic population is invaded by a mutant strategy, which takes over with the Fermi
  fixation probability of a population of ``m`` under selection intensity ``alpha``. The mass of
  each archetype in a seat is the marginal of that distribution. The stationary distribution is
  computed with the Grassmann-Taksar-Heyman algorithm, which subtracts nothing and so stays
  accurate when transition probabilities are as small as 1e-250.
* :func:`fictitious_play` looks for a Nash equilibrium: every seat plays a best response to the
  others' empirical mixtures. In two-player zero-sum games it converges; in general it need not,
  so the result carries its NashConv (the sum over seats of what a best deviation would gain),
  which is 0 at an exact equilibrium.

Pure numpy; deterministic (ties go to the lowest index).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

# exp(-690) is about 1e-300: fixation probabilities stay above the smallest float below this.
_MAX_EXPONENT = 600.0


def fixation_probability(u: float, m: int) -> float:
    """Probability that one mutant with fitness advantage ``u`` (already times alpha) takes over
    a population of ``m``: (1 - e^-u) / (1 - e^-mu), 1/m when neutral; written so that large
    negative ``u`` does not overflow."""
    if abs(u) < 1e-12:
        return 1.0 / m
    if u > 0:
        return -math.expm1(-u) / -math.expm1(-m * u)
    y = -u  # (e^y - 1) / (e^(my) - 1) = e^(-(m-1)y) (1 - e^-y) / (1 - e^-my)
    return math.exp(-(m - 1) * y) * -math.expm1(-y) / -math.expm1(-m * y)


def stationary_distribution(transitions: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible row-stochastic matrix (GTH state reduction)."""
    a = np.array(transitions, dtype=float)
    n = a.shape[0]
    for k in range(n - 1, 0, -1):
        s = a[k, :k].sum()
        if not s > 0:
            raise ValueError("the Markov chain is reducible (a state cannot be left)")
        a[:k, k] /= s
        a[:k, :k] += np.outer(a[:k, k], a[k, :k])
    pi = np.zeros(n)
    pi[0] = 1.0
    for j in range(1, n):
        pi[j] = pi[:j] @ a[:j, j]
    return pi / pi.sum()


@dataclass(frozen=True)
class AlphaRankResult:
    alpha: float
    population_size: int
    pi: np.ndarray                  # mass of every profile, shape = strategies per seat
    marginals: tuple[np.ndarray, ...]  # mass of each strategy, per seat
    converged: bool                 # the sweep over alpha settled (see alpha_rank_sweep)
    alphas: tuple[float, ...] = ()
    history: tuple[tuple[np.ndarray, ...], ...] = ()   # the marginals at each alpha of the sweep

    def top_profiles(self, n: int = 10) -> list[tuple[tuple[int, ...], float]]:
        flat = self.pi.ravel()
        order = sorted(range(flat.size), key=lambda i: (-flat[i], i))[:n]
        return [(tuple(int(x) for x in np.unravel_index(i, self.pi.shape)), float(flat[i]))
                for i in order]


def _check(payoffs) -> np.ndarray:
    p = np.asarray(payoffs, dtype=float)
    if p.ndim < 2 or p.shape[0] != p.ndim - 1:
        raise ValueError("payoffs must have shape (seats, strategies of seat 1, ..., of seat S)")
    if not np.all(np.isfinite(p)):
        raise ValueError("payoffs must be finite")
    return p


def alpha_rank(payoffs, alpha: float, m: int = 50) -> AlphaRankResult:
    """α-rank of a multi-population game at one selection intensity ``alpha``."""
    p = _check(payoffs)
    shape = p.shape[1:]
    n = int(np.prod(shape))
    if n == 1:
        pi = np.ones(shape)
        return AlphaRankResult(alpha, m, pi, tuple(np.ones(1) for _ in shape), True, (alpha,))
    eta = 1.0 / sum(a - 1 for a in shape)
    c = np.zeros((n, n))
    for i, prof in enumerate(itertools.product(*(range(a) for a in shape))):
        for k, size in enumerate(shape):
            here = p[(k, *prof)]
            for b in range(size):
                if b == prof[k]:
                    continue
                other = prof[:k] + (b,) + prof[k + 1:]
                j = int(np.ravel_multi_index(other, shape))
                c[i, j] = eta * fixation_probability(alpha * (p[(k, *other)] - here), m)
        c[i, i] = 1.0 - c[i].sum()
    pi = stationary_distribution(c).reshape(shape)
    marginals = tuple(pi.sum(axis=tuple(a for a in range(len(shape)) if a != k))
                      for k in range(len(shape)))
    return AlphaRankResult(alpha, m, pi, marginals, True, (alpha,))


def max_alpha(payoffs, m: int = 50) -> float:
    """The largest selection intensity whose fixation probabilities stay representable."""
    p = _check(payoffs)
    spread = max(float(p[k].max() - p[k].min()) for k in range(p.shape[0]))
    return _MAX_EXPONENT / ((m - 1) * spread) if spread > 0 else 1.0


def alpha_rank_sweep(payoffs, m: int = 50, start: float = 0.125, tol: float = 1e-3,
                     min_alpha: float = 2.0) -> AlphaRankResult:
    """α-rank at a rising selection intensity (doubling from ``start``) until every seat's
    marginal moves less than ``tol`` (not before ``min_alpha``: a sweep can look settled at low
    intensities and move later), or until the fixation probabilities would underflow; the
    result is the last one, ``converged`` says whether it settled."""
    p = _check(payoffs)
    top = max_alpha(p, m)
    alpha = min(start, top)
    prev = alpha_rank(p, alpha, m)
    alphas, history = [alpha], [prev.marginals]
    while alpha < top:
        alpha = min(alpha * 2.0, top)
        cur = alpha_rank(p, alpha, m)
        alphas.append(alpha)
        history.append(cur.marginals)
        moved = max(float(np.abs(a - b).max()) for a, b in zip(cur.marginals, prev.marginals))
        prev = cur
        if moved < tol and alpha >= min(min_alpha, top):
            return AlphaRankResult(cur.alpha, m, cur.pi, cur.marginals, True, tuple(alphas),
                                   tuple(history))
    return AlphaRankResult(prev.alpha, m, prev.pi, prev.marginals, False, tuple(alphas),
                           tuple(history))


# ---------------------------------------------------------------------- Nash


def expected_payoffs(payoffs, mixtures) -> list[np.ndarray]:
    """For every seat, the expected payoff of each of its pure strategies against the others'
    mixtures."""
    p = _check(payoffs)
    seats = p.shape[0]
    out = []
    for k in range(seats):
        t = p[k]
        # Contract the other seats' axes, last first, so the remaining axis is seat k's.
        for j in reversed(range(seats)):
            if j != k:
                t = np.tensordot(t, mixtures[j], axes=([j], [0]))
        out.append(t)
    return out


def nash_conv(payoffs, mixtures) -> float:
    """Sum over seats of the gain from the best pure deviation: 0 at a Nash equilibrium."""
    values = expected_payoffs(payoffs, mixtures)
    return float(sum(v.max() - v @ x for v, x in zip(values, mixtures)))


@dataclass(frozen=True)
class NashResult:
    mixtures: tuple[np.ndarray, ...]
    nash_conv: float
    iterations: int


def fictitious_play(payoffs, iterations: int = 20000, check_every: int = 50) -> NashResult:
    """Simultaneous fictitious play from uniform beliefs; returns the empirical mixtures with
    the lowest NashConv seen (checked every ``check_every`` iterations and at the end)."""
    p = _check(payoffs)
    shape = p.shape[1:]
    counts = [np.ones(a) for a in shape]
    best = None
    for it in range(1, iterations + 1):
        mixes = [c / c.sum() for c in counts]
        values = expected_payoffs(p, mixes)
        for k, v in enumerate(values):
            counts[k][int(np.argmax(v))] += 1.0
        if it % check_every == 0 or it == iterations:
            final = tuple(c / c.sum() for c in counts)
            conv = nash_conv(p, final)
            if best is None or conv < best.nash_conv - 1e-15:
                best = NashResult(final, conv, it)
    assert best is not None
    return best
