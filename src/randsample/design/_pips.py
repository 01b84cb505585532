"""Unequal-probability (πps) stratified sampling: randomized systematic selection on tickets.

Algorithm ``stratified-pips-systematic`` v1. Within each stratum, the eligible units' weights
(a size measure: e.g. a risk score raised by complaints and alerts) give the capped inclusion
probabilities ``pi_k`` of :func:`randsample.inclusion_probabilities` for the stratum's sample
size ``n_h``; units that reach 1 are certainty (take-all) units and units of weight 0 are never
selected. The units are put in ticket order (a random order fixed by the seed) and selected by
systematic sampling on the cumulated ``pi_k`` with a random start ``u_h`` in [0, 1): unit
``k`` is selected when an integer ``j`` has ``C_{k-1} <= u_h + j < C_k``.

This is randomized systematic πps sampling (Madow 1949; Goodman & Kish 1950; Hartley & Rao
1962; Tillé 2006, ch. 7): the sample size is exactly ``n_h`` and the first-order inclusion
probabilities are exactly the stated ``pi_k``, computed and compared in integer arithmetic.
Second-order probabilities are not all equal and some can be 0 (with weights 1, 1, 2, 2, 2 and
``n_h = 2`` the two weight-1 units are never selected together; see
:func:`randsample.design.systematic_joint_inclusion`); the record does not state them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..core import PURPOSE_ENTERPRISES, Seed, lp
from ..errors import InvalidInputError, SampleSizeError
from ..population import Population
from ._srswor import StratifiedSample, draw_by_rule

__all__ = ["PIPS_ALGORITHM", "draw_stratified_pips", "pips_select", "systematic_start"]

PIPS_ALGORITHM = "stratified-pips-systematic"
_START_TAG = b"randsample/v1/systematic-start\x00"
_START_SCALE = 2**256
#: A πps stratum rule: (label, weights in ticket order, size, subkey) -> (position, pi) pairs.
WeightRule = Callable[[str, npt.NDArray[np.float64], int, bytes], list[tuple[int, Fraction]]]


def systematic_start(subkey: bytes, stratum: str) -> Fraction:
    """Return the random start ``u_h = SHA-256(tag || subkey || lp(stratum)) / 2**256``.

    >>> 0 <= systematic_start(bytes(32), "A") < 1
    True
    """
    digest = hashlib.sha256(_START_TAG + subkey + lp(stratum.encode("utf-8"))).digest()
    return Fraction(int.from_bytes(digest, "big"), _START_SCALE)


def systematic_select(pik: list[Fraction], start: Fraction) -> list[int]:
    """Return the positions selected by systematic sampling on ``pik`` (in the given order).

    The number of points ``start + j`` in ``[C_{k-1}, C_k)`` is
    ``ceil(C_k - start) - ceil(C_{k-1} - start)``; with every ``pi_k <= 1`` it is 0 or 1.
    All arithmetic is on integers over one common denominator.

    >>> systematic_select([Fraction(1, 2)] * 4, Fraction(1, 4))
    [0, 2]
    """
    denominator = math.lcm(start.denominator, *(p.denominator for p in pik))
    offset = start.numerator * (denominator // start.denominator)
    chosen = []
    cumulative = 0
    previous_count = -((offset - cumulative) // denominator)  # ceil((0 - start) * D / D)
    for position, p in enumerate(pik):
        cumulative += p.numerator * (denominator // p.denominator)
        count = -((offset - cumulative) // denominator)  # ceil((C_k - start))
        if count != previous_count:
            chosen.append(position)
        previous_count = count
    return chosen


class _Scaled(NamedTuple):
    """Integers ``X_k = high_k * 2**split + low_k`` proportional to the weights, exactly.

    ``low`` is None when ``high`` holds ``X`` itself: int64 (narrow) or Python integers
    (numpy object, the exact fallback). Otherwise ``high`` and ``low`` are int64 limbs.
    """

    high: npt.NDArray[np.generic]
    low: npt.NDArray[np.int64] | None
    split: int

    def ints(self, rows: npt.NDArray[np.intp] | list[int]) -> list[int]:
        """Return ``X_k`` for the given rows as Python integers."""
        if self.low is None:
            return list(self.high[rows].tolist())
        highs, lows = self.high[rows].tolist(), self.low[rows].tolist()
        return [(h << self.split) + lo for h, lo in zip(highs, lows, strict=True)]


def _scaled(weights: npt.NDArray[np.float64]) -> _Scaled:
    """Return integers ``X`` proportional to ``weights`` exactly (see :class:`_Scaled`).

    Every binary64 value is ``odd * 2**f``; with ``E = max(0, -min f)``, ``X = odd << (f + E)``
    are integers and ``x = X / 2**E`` exactly. ``X`` is int64 when it fits with room for the
    sums below; else two int64 limbs when the limbs' sums fit (two-decimal weights such as
    12.35 have 53-bit odd parts over a ~2**66 range: they land here); else Python integers.
    Every representation holds the same exact integers: the choice changes speed only.
    """
    positive = weights > 0
    mantissa, exponent = np.frexp(np.where(positive, weights, 1.0))
    whole = (mantissa * 2.0**53).astype(np.int64)  # exact: 53-bit significands
    low = whole & -whole  # the lowest set bit, a power of two
    zeros = np.log2(low.astype(np.float64)).astype(np.int64)  # exact for powers of two
    odd = np.where(positive, whole >> zeros, 0)
    power = exponent.astype(np.int64) - 53 + zeros
    shift = -int(power[positive].min()) if positive.any() else 0
    shift = max(shift, 0)
    power = np.where(positive, power + shift, 0)  # X = odd << power, power >= 0
    bits = int(
        ((np.log2(np.maximum(odd, 1).astype(np.float64)) + 1).astype(np.int64) + power).max()
    )
    # bits may overstate the bit length by 1 (log2 rounding up below a power of two): safe.
    count = len(weights).bit_length()  # n < 2**count
    # Narrow: K_j < (n + 1) * n * 2**bits <= 2**(2 count + bits) must stay below 2**63.
    if bits <= 62 - 2 * count:
        return _Scaled(odd << power, None, 0)
    # Limbs: low < 2**split with split = 53 - count, so sums of low stay below 2**53 (exact
    # in float64); high < 2**(bits - split) <= 2**(63 - count), so sums of high fit int64.
    split = 53 - count
    if bits <= 116 - 2 * count:
        below = np.maximum(split - power, 0)  # the bits of odd that go to the low limb
        above = np.maximum(power - split, 0)
        high = (odd >> below) << above
        low = (odd & ((1 << below) - 1)) << np.minimum(power, split)
        return _Scaled(high, low, split)
    # Python integers, built by numpy's object loops (no Python-level loop per unit).
    return _Scaled(odd.astype(object) << power.astype(object), None, 0)


def pips_select(
    weights: npt.NDArray[np.float64], size: int, start: int
) -> list[tuple[int, Fraction]]:
    """Return systematic πps selections (positions in the given order) with their exact pi.

    Sections 5b.4-6 of the spec in integer arithmetic over arrays: with the capped
    probabilities ``pi_k = share * X_k / T`` (``X`` the exactly scaled weights, ``T`` their sum
    outside the certainty set, ``share = n - |S|``), ``C_j * T = K_j = share * cumX_j +
    T * cumS_j`` and, for ``u = start / 2**256``, ``ceil(C_j - u) = ceil((K_j - W) / T)`` with
    ``W = floor(start * T / 2**256)``. A unit is selected when that integer steps up. The
    result equals :func:`exact_inclusion_probabilities` followed by :func:`systematic_select`.

    >>> from randsample.design import exact_inclusion_probabilities
    >>> w = np.array([1, 2, 3, 4, 5, 20, 30, 50], dtype=float)
    >>> start = systematic_start(bytes(32), "A")
    >>> expected = systematic_select(exact_inclusion_probabilities(w, 4), start)
    >>> [k for k, _ in pips_select(w, 4, start.numerator * 2**256 // start.denominator)] == expected
    True
    """
    positions, probabilities = _select(weights, _scaled(weights), size, start)
    return list(zip(positions, probabilities, strict=True))


def _select(
    weights: npt.NDArray[np.float64], scaled: _Scaled, size: int, start: int
) -> tuple[list[int], list[Fraction]]:
    # pips_select on given scaled weights (any representation of the same integers), as two
    # lists: the positions and their probabilities.
    n = len(weights)
    if size + 1 < n:  # the size + 1 largest weights, largest first (only they can reach 1)
        top = np.argpartition(-weights, size)[: size + 1]
        top = top[np.argsort(-weights[top], kind="stable")]
    else:
        top = np.argsort(-weights, kind="stable")
    rest = int(scaled.high.sum())
    if scaled.low is not None:
        rest = (rest << scaled.split) + int(scaled.low.sum())
    certain, rest = _capped(scaled, top, size, rest)
    share = size - certain
    in_s = np.zeros(n, dtype=bool)
    in_s[top[:certain]] = True
    total = rest if rest > 0 else 1  # T = 0 only when share = 0: then only S counts
    steps = _steps(scaled, in_s, share, total, (start * total) >> 256)
    chosen = np.flatnonzero(np.diff(steps, prepend=0) > 0).tolist()
    # pi_k = share * X_k / T, one Fraction per distinct weight: risk scores repeat, and
    # reducing a Fraction (a gcd of large integers) is most of the cost per selected unit.
    # Equal weights have equal X_k: the float is the key, X_k is built once per key.
    keys = weights[chosen].tolist()
    sure = in_s[chosen].tolist()
    first: dict[float, int] = {}
    for k, w, s in zip(chosen, keys, sure, strict=True):
        if not s:
            first.setdefault(w, k)
    values = scaled.ints(list(first.values()))
    exact = {w: Fraction(share * x, total) for w, x in zip(first, values, strict=True)}
    one = Fraction(1)
    return chosen, [one if s else exact[w] for w, s in zip(keys, sure, strict=True)]


def _capped(scaled: _Scaled, top: npt.NDArray[np.intp], size: int, rest: int) -> tuple[int, int]:
    """Cap iteratively (5b.4) over ``top`` (the largest units, largest first): ``(|S|, R)``.

    All units reaching 1 join ``S`` at once. Their ``X_k`` are built as the loop reaches them
    (in growing chunks): without certainty units, only the largest is looked at.
    """
    values: list[int] = []
    certain = 0
    while True:
        share = size - certain
        newly = 0
        while rest > 0 and certain + newly < len(top):
            if certain + newly == len(values):
                values += scaled.ints(top[len(values) : 2 * len(values) + 8])
            if share * values[certain + newly] < rest:
                break
            newly += 1
        if not newly:
            return certain, rest
        rest -= sum(values[certain : certain + newly])
        certain += newly


def _steps(
    scaled: _Scaled, in_s: npt.NDArray[np.bool_], share: int, total: int, w_cut: int
) -> npt.NDArray[np.int64]:
    """Return ``ceil((K_j - W) / T)`` for every ``j`` (see :func:`pips_select`), exactly."""
    certain = np.cumsum(in_s, dtype=np.intp)
    high = np.cumsum(np.where(in_s, 0, scaled.high))  # cumX_j, or its high limb
    if scaled.low is not None:
        low = np.cumsum(np.where(in_s, 0, scaled.low))
        split = scaled.split
        # cumX_j rounded at most twice (the high limb's sum is below 2**63, the low limb's
        # below 2**53, exact): relative error below 2 * 2**-53 + 2**-106. Never overflows:
        # cumX_j <= T < 2**116.
        approx = high.astype(np.float64) * 2.0**split + low.astype(np.float64)
        y = share * approx / float(total) - w_cut / total
        return _screened(
            y,
            lambda j: (int(high[j]) << split) + int(low[j]),
            certain,
            share=share,
            total=total,
            w_cut=w_cut,
        )
    if high.dtype != object:
        k_values = share * high + total * certain
        return np.asarray(-((w_cut - k_values) // total), dtype=np.int64)
    if total < 2**1000:  # cumX_j rounded once (correctly: Python's int to float)
        y = share * high.astype(np.float64) / float(total) - w_cut / total
        if np.all(np.isfinite(y)):
            return _screened(
                y, lambda j: int(high[j]), certain, share=share, total=total, w_cut=w_cut
            )
    k_values = share * high + total * certain.astype(object)
    return np.asarray(-((w_cut - k_values) // total), dtype=np.int64)


def _screened(
    y: npt.NDArray[np.float64],
    exact: Callable[[int], int],
    certain: npt.NDArray[np.intp],
    *,
    share: int,
    total: int,
    w_cut: int,
) -> npt.NDArray[np.int64]:
    # ceil((K_j - W) / T) = cumS_j + ceil(y_j), y_j = (share * cumX_j - W) / T, screened in
    # float64: with cumX_j rounded at most twice, y has absolute error below
    # (6 share + 3) 2**-53, so a ceiling more than delta from an integer is exact; the few
    # values within delta of an integer are computed exactly from exact(j) = cumX_j.
    delta = (8 * share + 8) * 2.0**-53
    ceiling = np.ceil(y)
    near = (ceiling - y < delta) | (y - (ceiling - 1) < delta)
    steps = ceiling.astype(np.int64) + certain
    for j in np.flatnonzero(near).tolist():
        k_value = share * exact(j) + total * int(certain[j])
        steps[j] = -((w_cut - k_value) // total)
    return steps


def draw_stratified_pips(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
) -> StratifiedSample:
    """Draw ``sizes[h]`` units per stratum with probability proportional to the weights.

    The population must have weights. Each selected unit's inclusion probability is exact;
    certainty units (``pi = 1``) are always selected and units of weight 0 never are.

    >>> pop = Population.from_columns(
    ...     [f"e{i}" for i in range(8)], strata="A", weights=[1, 2, 3, 4, 5, 20, 30, 50])
    >>> sample = draw_stratified_pips(pop, {"A": 4}, Seed.from_bytes(bytes(range(16))))
    >>> sorted((u.id, str(u.inclusion_probability)) for u in sample.selection)
    [('e2', '1/5'), ('e5', '1'), ('e6', '1'), ('e7', '1')]
    """
    return draw_by_weights(
        population, sizes, seed, purpose=purpose, algorithm=PIPS_ALGORITHM, rule=systematic_rule
    )


def systematic_rule(
    label: str, weights: npt.NDArray[np.float64], size: int, subkey: bytes
) -> list[tuple[int, Fraction]]:
    """Select one stratum by systematic πps (spec 5b); ``weights`` are in ticket order.

    >>> systematic_rule("A", np.array([1.0, 1.0, 2.0]), 2, bytes(32))
    [(1, Fraction(1, 2)), (2, Fraction(1, 1))]
    """
    return list(zip(*_systematic_columns(label, weights, size, subkey), strict=True))


def _systematic_columns(
    label: str, weights: npt.NDArray[np.float64], size: int, subkey: bytes
) -> tuple[list[int], list[Fraction]]:
    # systematic_rule as two lists (positions, probabilities).
    start = systematic_start(subkey, label)
    at = start.numerator * (_START_SCALE // start.denominator)  # U, the 256-bit integer
    return _select(weights, _scaled(weights), size, at)


def draw_by_weights(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str,
    algorithm: str,
    rule: WeightRule,
) -> StratifiedSample:
    """:func:`draw_by_rule` for the πps designs: the per-stratum part both of them share.

    The population must have weights; a stratum of size 0 selects nothing, and a size above
    the stratum's eligible units of weight > 0 fails. Otherwise ``rule(label, weights, size,
    subkey)`` gets the stratum's eligible units' weights in ticket order and returns the
    selected ``(position in weights, inclusion probability)`` pairs.
    """
    check.instance(population, "population", Population)  # before reading its weights
    if population.weights is None:
        raise InvalidInputError(
            "population.weights", None, "a πps design needs a weight (size measure) per unit"
        )
    weights: npt.NDArray[np.float64] = population.weights

    def by_stratum(
        label: str, members: npt.NDArray[np.intp], size: int, subkey: bytes
    ) -> tuple[npt.NDArray[np.intp], list[Fraction]]:
        stratum = weights[members]
        if not _feasible(label, stratum, size):
            return members[:0], []
        if rule is systematic_rule:  # the same selection as two lists: no pair per unit
            positions, probabilities = _systematic_columns(label, stratum, size, subkey)
        else:
            chosen = rule(label, stratum, size, subkey)
            positions, probabilities = [k for k, _ in chosen], [pi for _, pi in chosen]
        # Columns (rows, one pi per row), as the selection stores them: no (row, pi) pairs,
        # which are tens of thousands of objects for the cyclic garbage collector.
        return members[positions], probabilities

    return draw_by_rule(
        population, sizes, seed, purpose=purpose, algorithm=algorithm, rule=by_stratum
    )


def select_by_weights(
    rule: WeightRule, label: str, weights: npt.NDArray[np.float64], size: int, subkey: bytes
) -> list[tuple[int, Fraction]]:
    """Run a πps ``rule`` on one stratum's eligible units (their weights in ticket order).

    A size of 0 selects nothing; a size above the units of weight > 0 is
    :class:`~randsample.errors.SampleSizeError`. One rule for the in-memory draws and the
    partitioned one.
    """
    return rule(label, weights, size, subkey) if _feasible(label, weights, size) else []


def _feasible(label: str, weights: npt.NDArray[np.float64], size: int) -> bool:
    # False for a size of 0; SampleSizeError for a size above the units of weight > 0.
    if size == 0:
        return False
    positive = int(np.count_nonzero(weights > 0))
    if size > positive:
        raise SampleSizeError(
            f"sizes[{label!r}]",
            size,
            f"exceeds the {positive} eligible units of stratum {label!r} with weight > 0",
        )
    return True
