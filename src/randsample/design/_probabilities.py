"""Inclusion probabilities proportional to size, with iterative capping at 1.

For a size measure ``x`` (e.g. a risk score raised by complaints and alerts) and a sample size
``n``, the textbook first-order inclusion probabilities of a fixed-size πps design are
``pi_k = n x_k / sum(x)``; every unit that would get ``pi_k >= 1`` is made a certainty unit
(``pi_k = 1``) and the remaining size is spread again over the others, until no probability
exceeds 1 (Tillé 2006, §2.10; Särndal et al. 1992, §3.6). This is what R's
``sampling::inclusionprobabilities`` computes, except that negative sizes are an error here
instead of being shifted to zero with a warning.

The computation is exact (rational arithmetic on the binary64 inputs); the result is returned
as ``Fraction`` values or rounded once to float64.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..errors import SampleSizeError

__all__ = ["exact_inclusion_probabilities", "inclusion_probabilities"]


def _check_sizes(sizes: Sequence[float] | npt.NDArray[np.floating]) -> list[Fraction]:
    values = sizes.tolist() if isinstance(sizes, np.ndarray) else list(sizes)
    exact = []
    for index, value in enumerate(values):
        check.real(value, f"sizes[{index}]", minimum=0)  # a size measure: finite and >= 0
        exact.append(Fraction(value))
    return exact


def exact_inclusion_probabilities(
    sizes: Sequence[float] | npt.NDArray[np.floating], n: int
) -> list[Fraction]:
    """Return the capped πps inclusion probabilities as exact fractions (they sum to ``n``).

    >>> [str(p) for p in exact_inclusion_probabilities([1, 2, 3, 4, 5, 20, 30, 50], 4)]
    ['1/15', '2/15', '1/5', '4/15', '1/3', '1', '1', '1']
    """
    exact = _check_sizes(sizes)
    n = check.integer(n, "n")
    positive = sum(1 for x in exact if x > 0)
    if not 0 <= n <= positive:
        raise SampleSizeError(
            "n", int(n), f"must be between 0 and the {positive} units with a positive size"
        )
    certain = [False] * len(exact)
    while True:
        rest = sum(x for x, c in zip(exact, certain, strict=True) if not c)
        share = n - sum(certain)
        pik = [
            Fraction(1) if c else (share * x / rest if rest else Fraction(0))
            for x, c in zip(exact, certain, strict=True)
        ]
        newly = [not c and p >= 1 for p, c in zip(pik, certain, strict=True)]
        if not any(newly):
            return pik
        certain = [c or m for c, m in zip(certain, newly, strict=True)]


def inclusion_probabilities(
    sizes: Sequence[float] | npt.NDArray[np.floating], n: int
) -> npt.NDArray[np.float64]:
    """Return the capped πps inclusion probabilities as float64 (each exact value rounded once).

    Equals R's ``sampling::inclusionprobabilities(sizes, n)`` for non-negative sizes.

    >>> inclusion_probabilities([1, 2, 3, 4, 5, 20, 30, 50], 4).round(6).tolist()
    [0.066667, 0.133333, 0.2, 0.266667, 0.333333, 1.0, 1.0, 1.0]
    """
    return np.array([float(p) for p in exact_inclusion_probabilities(sizes, n)], dtype=np.float64)
