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
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..core import PURPOSE_ENTERPRISES, Seed, lp
from ..errors import InvalidInputError, SampleSizeError
from ..population import Population
from ._probabilities import exact_inclusion_probabilities
from ._srswor import StratifiedSample, draw_by_rule

__all__ = ["PIPS_ALGORITHM", "draw_stratified_pips", "systematic_start"]

PIPS_ALGORITHM = "stratified-pips-systematic"
_START_TAG = b"randsample/v1/systematic-start\x00"
_START_SCALE = 2**256


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
    if population.weights is None:
        raise InvalidInputError(
            "population.weights", None, "a πps design needs a weight (size measure) per unit"
        )
    weights: npt.NDArray[np.float64] = population.weights

    def rule(
        label: str, members: npt.NDArray[np.intp], size: int, subkey: bytes
    ) -> list[tuple[int, Fraction]]:
        if size == 0:
            return []
        stratum_weights = weights[members].tolist()
        positive = sum(1 for w in stratum_weights if w > 0)
        if size > positive:
            raise SampleSizeError(
                f"sizes[{label!r}]",
                size,
                f"exceeds the {positive} eligible units of stratum {label!r} with weight > 0",
            )
        pik = exact_inclusion_probabilities(stratum_weights, size)
        chosen = systematic_select(pik, systematic_start(subkey, label))
        return [(int(members[k]), pik[k]) for k in chosen]

    return draw_by_rule(
        population, sizes, seed, purpose=purpose, algorithm=PIPS_ALGORITHM, rule=rule
    )
