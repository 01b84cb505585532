"""Unequal-probability (πps) stratified sampling by Sampford's rejective method.

Algorithm ``stratified-pips-sampford`` v1 (docs/spec.md §12). Within each stratum the eligible
units get the capped πps inclusion probabilities ``pi_k`` of
:func:`randsample.design.exact_inclusion_probabilities` (as in ``stratified-pips-systematic``);
certainty units (``pi_k = 1``) are taken whole and units of weight 0 are never selected. The
other ``n'`` units are drawn by **Sampford's (1967) rejective procedure** (Tillé 2006, §7.6):
draw one unit with probability ``pi_k / n'``, then ``n' - 1`` units with replacement with
probabilities proportional to ``lambda_k = pi_k / (1 - pi_k)``; keep the sample if all ``n'``
units are distinct, otherwise start again. The accepted sample has the Sampford design

    p(s) ∝ (n' - sum_{k in s} pi_k) * prod_{k in s} lambda_k,

whose first-order inclusion probabilities are *exactly* ``pi_k`` and whose second-order
inclusion probabilities ``pi_kl`` are all positive (for ``n' >= 2``: every pair has a
positive-probability sample containing it), so the Sen-Yates-Grundy variance estimator is
unbiased; :func:`randsample.design.sampford_joint_inclusion` computes them exactly.

Everything is integer arithmetic on one stream (:class:`randsample.core.RandomStream`, spec
§9) per stratum with label ``"sampford/" + stratum``:

* the ``n'`` units with ``0 < pi_k < 1`` are listed in **ticket order** (spec §3), which depends
  only on the seed and the ids, so the sample does not depend on row order;
* with ``D`` the least common denominator of their ``pi_k`` and ``a_k = pi_k D`` (integers,
  ``sum a_k = n' D``), a draw with probability ``pi_k / n'`` is ``r = below(n' D)`` and the unit
  whose cumulative interval ``[A_{k-1}, A_k)`` holds ``r``;
* a draw with probability ``∝ lambda_k`` is made by rejection from the previous one, so no
  huge common denominator is needed: draw ``k`` with probability ``pi_k / n'``, then accept it
  when ``below(D - a_k) < D - a_max`` (probability ``(1 - pi_max) / (1 - pi_k)``);
* ``below(m)`` is the stream's ``randbelow`` widened to any ``m`` (several blocks at once when
  ``m > 2**256``).

The number of *trials* (draws of ``r``, accepted or not) in one stratum is bounded by
:data:`SAMPFORD_MAX_TRIALS`; a stratum that reaches it fails with a
:class:`~randsample.errors.SampleSizeError` naming the stratum. It never falls back to another
design. The rejective method accepts a round with probability roughly
``exp(-n'^2 / (2 N'))`` for near-equal ``pi`` (a birthday problem), so it suits strata whose
sample is small against the square root of their size; for large sampling fractions choose
``stratified-pips-systematic`` (or equal probabilities) explicitly.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..core import PURPOSE_ENTERPRISES, RandomStream, Seed
from ..errors import InvalidInputError, SampleSizeError
from ..population import Population
from ._pips import draw_by_weights
from ._probabilities import exact_inclusion_probabilities
from ._srswor import StratifiedSample

__all__ = [
    "SAMPFORD_ALGORITHM",
    "SAMPFORD_MAX_TRIALS",
    "draw_stratified_sampford",
    "sampford_rounds",
]

SAMPFORD_ALGORITHM = "stratified-pips-sampford"
#: Most trials (draws of a candidate unit) one stratum may use; part of algorithm v1.
SAMPFORD_MAX_TRIALS = 2**20
_BLOCK = 2**256


def _below(stream: RandomStream, m: int) -> int:
    """Uniform integer in ``[0, m)``: ``randbelow`` for ``m <= 2**256``, else ``k`` blocks.

    With ``k = max(1, ceil(bitlength(m - 1) / 256))`` blocks ``B_1..B_k`` read as one
    ``256 k``-bit big-endian integer ``B``, accept when ``B < m * floor(2**(256 k) / m)`` and
    return ``B mod m``; otherwise take ``k`` fresh blocks.
    """
    words = max(1, -(-(m - 1).bit_length() // 256))
    if words == 1:
        return stream.randbelow(m)
    space = _BLOCK**words
    limit = m * (space // m)
    while True:
        value = 0
        for _ in range(words):
            value = value * _BLOCK + stream.randbelow(_BLOCK)  # a whole raw block
        if value < limit:
            return value % m


def sampford_rounds(
    pik: list[Fraction], stream: RandomStream, *, max_trials: int = SAMPFORD_MAX_TRIALS
) -> tuple[list[int] | None, int]:
    """Run Sampford's rejective rounds (spec §12, steps 6-8) on one stratum's list.

    ``pik`` are the probabilities of the units with ``0 < pi < 1`` in their fixed order
    (ticket order in a draw); they must sum to an integer ``n' >= 1``. Returns the accepted
    positions (ascending), or None when ``max_trials`` trials gave no accepted round, and the
    number of trials used.

    >>> stream = RandomStream(bytes(32), "sampford/A")
    >>> sampford_rounds([Fraction(1, 2), Fraction(1, 4), Fraction(3, 4), Fraction(1, 2)], stream)
    ([0, 2], 6)
    """
    size = sum(pik, Fraction(0))
    if size.denominator != 1 or size < 1 or not all(0 < p < 1 for p in pik):
        raise InvalidInputError("pik", [str(p) for p in pik], "must be in (0, 1), sum >= 1 whole")
    n = int(size)
    denominator = math.lcm(*(p.denominator for p in pik))
    scaled = [p.numerator * (denominator // p.denominator) for p in pik]
    ends = list(itertools.accumulate(scaled))
    slack_min = denominator - max(scaled)  # D - a_max
    total = n * denominator
    trials = 0
    while True:
        chosen: set[int] = set()
        first = True
        while len(chosen) < n:
            if trials == max_trials:
                return None, trials
            trials += 1
            k = bisect.bisect_right(ends, _below(stream, total))
            if not first and _below(stream, denominator - scaled[k]) >= slack_min:
                continue  # candidate rejected: the next trial draws another
            first = False
            if k in chosen:
                break  # a repeat: the round is rejected
            chosen.add(k)
        else:
            return sorted(chosen), trials


def draw_stratified_sampford(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
) -> StratifiedSample:
    """Draw ``sizes[h]`` units per stratum with πps probabilities by Sampford's method.

    The population must have weights. Each selected unit's inclusion probability is exactly the
    capped πps probability; certainty units (``pi = 1``) are always selected and units of
    weight 0 never are. All joint inclusion probabilities of two units with ``pi > 0`` are
    positive. A stratum whose rejective procedure needs more than
    :data:`SAMPFORD_MAX_TRIALS` trials raises :class:`~randsample.errors.SampleSizeError`.

    >>> pop = Population.from_columns(
    ...     [f"e{i}" for i in range(8)], strata="A", weights=[1, 2, 3, 4, 5, 20, 30, 50])
    >>> sample = draw_stratified_sampford(pop, {"A": 4}, Seed.from_bytes(bytes(range(16))))
    >>> sorted((u.id, str(u.inclusion_probability)) for u in sample.selection)
    [('e4', '1/3'), ('e5', '1'), ('e6', '1'), ('e7', '1')]
    """
    return draw_by_weights(
        population, sizes, seed, purpose=purpose, algorithm=SAMPFORD_ALGORITHM, rule=sampford_rule
    )


def sampford_rule(
    label: str, weights: npt.NDArray[np.float64], size: int, subkey: bytes
) -> list[tuple[int, Fraction]]:
    """Select one stratum by Sampford's rejective method (spec 12); ``weights`` in ticket order."""
    pik = exact_inclusion_probabilities(weights.tolist(), size)
    chosen = {k for k, p in enumerate(pik) if p == 1}
    random = [k for k, p in enumerate(pik) if 0 < p < 1]
    if random:
        stream = RandomStream(subkey, "sampford/" + label)
        picked, _ = sampford_rounds(
            [pik[k] for k in random], stream, max_trials=SAMPFORD_MAX_TRIALS
        )
        if picked is None:
            raise SampleSizeError(
                f"sizes[{label!r}]",
                size,
                f"Sampford's rejective method accepted no sample of stratum {label!r} in "
                f"{SAMPFORD_MAX_TRIALS} trials ({sum(pik[k] for k in random)} units drawn "
                f"from {len(random)} with pi < 1): the sample is too large for this design; "
                "choose another design (e.g. stratified-pips-systematic) explicitly",
            )
        chosen.update(random[i] for i in picked)
    return [(k, pik[k]) for k in sorted(chosen)]
