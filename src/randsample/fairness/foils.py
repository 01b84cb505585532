"""Deliberately biased samplers, kept only as foils for the fairness benchmark.

**Do not use these to draw a sample.** They are the usual library calls for weighted sampling
without replacement, and they are wrong twice over:

* *not verifiable*: their random streams belong to numpy and pandas, which may change them
  between versions, so nobody can re-run a published draw from its seed;
* *not πps*: they pick one unit at a time in proportion to the remaining weights (successive
  sampling), which gives large units less than their stated chance ``n w / sum(w)`` and small
  units more (for weights 7, 17, 41, 61, 83, 91 and ``n = 3``: about .096 ... .787 instead of
  .07 ... .91).

They exist so that :func:`randsample.fairness.run_design` can be shown to catch such samplers
(tests and benchmarks). A verifiable πps draw is :func:`randsample.draw_stratified_pips`.

>>> from randsample.design import exact_inclusion_probabilities
>>> from randsample.fairness import run_design
>>> stated = dict(zip("abc", exact_inclusion_probabilities([1, 2, 6], 2)))
>>> run_design(numpy_weighted_choice("abc", [1, 2, 6], 2), stated, runs=500).passed
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs
import numpy as np

from .. import _validation as check
from ..core import Seed, check_ids
from ..errors import InvalidInputError, SampleSizeError

__all__ = [
    "NumpyWeightedChoice",
    "PandasWeightedSample",
    "numpy_weighted_choice",
    "pandas_weighted_sample",
]


def _check_weighted(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> tuple[tuple[str, ...], tuple[float, ...], int]:
    id_list = tuple(check_ids(ids))
    w = tuple(float(x) for x in weights)
    if len(w) != len(id_list):
        raise InvalidInputError(
            "weights", len(w), f"must have one weight per id ({len(id_list)} ids)"
        )
    for index, x in enumerate(w):
        if not (math.isfinite(x) and x >= 0):
            raise InvalidInputError(f"weights[{index}]", x, "must be finite and >= 0")
    n = check.integer(n, "n")
    positive = sum(1 for x in w if x > 0)
    if not 0 <= n <= positive:
        raise SampleSizeError("n", int(n), f"must be between 0 and the {positive} positive weights")
    return id_list, w, int(n)


@attrs.frozen
class NumpyWeightedChoice:
    """``numpy.random.default_rng(seed).choice(size=n, replace=False, p=w/sum(w))``: BIASED.

    NOT verifiable (numpy may change the stream between versions) and NOT πps: numpy draws
    one unit at a time proportionally to the remaining weights (successive sampling), so the
    inclusion probabilities are not ``n w / sum(w)``. A benchmark foil, not a design; made by
    :func:`numpy_weighted_choice`.
    """

    ids: tuple[str, ...]
    weights: tuple[float, ...]
    n: int

    def __call__(self, seed: Seed) -> tuple[str, ...]:
        """Draw with a Generator seeded by the seed's bytes (no global random state)."""
        rng = np.random.default_rng(int.from_bytes(seed.value, "big"))
        w = np.asarray(self.weights)
        chosen = rng.choice(len(self.ids), size=self.n, replace=False, p=w / w.sum())
        return tuple(self.ids[i] for i in chosen.tolist())


@attrs.frozen
class PandasWeightedSample:
    """``DataFrame.sample(n=n, weights=w, random_state=<first 4 seed bytes>)``: BIASED.

    NOT verifiable and NOT πps, for the same reason as :class:`NumpyWeightedChoice`
    (pandas passes the weights to numpy's legacy ``RandomState.choice``). A benchmark foil;
    made by :func:`pandas_weighted_sample`.
    """

    ids: tuple[str, ...]
    weights: tuple[float, ...]
    n: int

    def __call__(self, seed: Seed) -> tuple[str, ...]:
        """Draw with ``random_state`` = the seed's first 4 bytes as an integer."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pandas_weighted_sample needs pandas: pip install pandas") from exc
        frame = pd.DataFrame({"id": list(self.ids), "w": list(self.weights)})
        sample = frame.sample(
            n=self.n, weights="w", random_state=int.from_bytes(seed.value[:4], "big")
        )
        return tuple(str(x) for x in sample["id"].tolist())


def numpy_weighted_choice(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> NumpyWeightedChoice:
    """Return a draw callable using numpy's weighted choice without replacement (BIASED).

    Not verifiable, not πps: see :class:`NumpyWeightedChoice`. Picklable.

    >>> from randsample.fairness import run_seed
    >>> draw = numpy_weighted_choice(["a", "b", "c"], [1, 1, 2], 2)
    >>> len(draw(run_seed("x", 0)))
    2
    """
    return NumpyWeightedChoice(*_check_weighted(ids, weights, n))


def pandas_weighted_sample(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> PandasWeightedSample:
    """Return a draw callable using pandas' ``DataFrame.sample(weights=...)`` (BIASED).

    Not verifiable, not πps: see :class:`PandasWeightedSample`. Picklable; needs pandas.

    >>> draw = pandas_weighted_sample(["a", "b", "c"], [1, 1, 2], 2)
    >>> draw.n
    2
    """
    return PandasWeightedSample(*_check_weighted(ids, weights, n))
