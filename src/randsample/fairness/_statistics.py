"""The statistics of the fairness benchmark, over arrays: exact binomial tests, Holm, strata.

Per unit with ``0 < pi < 1``: the standardized deviation ``z = (k - R pi) / sqrt(R pi (1 - pi))``
and the two-sided exact binomial p-value exactly as :func:`scipy.stats.binomtest` defines it:
the probability of the outcomes no more likely than the observed one, with scipy's relative
tolerance ``1 + 1e-7`` on "no more likely", found by scipy's binary search on the other side of
the mode. :func:`binomtest_pvalues` runs that same search for every (count, runs, p) at once,
each step one :data:`scipy.stats.binom` call over an array, after collapsing the units that
share a (count, runs, p): in a stratified equal-probability design a million units have only a
few hundred distinct ones. The p-values are bit-for-bit those of scalar ``binomtest`` (same
floating-point operations on the same values; tested on random inputs).

Units with ``pi`` in {0, 1} are checked exactly and stay out of the Holm family. Per stratum,
the sum of squared ``z`` is referred to chi-square (a diagnostic; see :mod:`randsample.fairness`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ._checks import (
    Progress,
    check_alpha,
    check_progress,
    check_runs,
    check_stated,
    check_strata,
)
from ._result import FairnessResult, Probability, StratumResult, UnitTable

__all__ = ["assess", "assess_counts", "binomtest_pvalues", "holm", "steps_for_tests"]

#: scipy's relative tolerance on "no more likely than the observed outcome".
_RERR = 1 + 1e-7
#: Units per progress step of the testing phase.
TEST_BLOCK = 1 << 16


def steps_for_tests(units: int) -> int:
    """Return the number of progress steps the testing phase of ``units`` units reports."""
    return -(-units // TEST_BLOCK) + 1


def _search(
    pmf: Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]],
    d: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Run scipy's ``_binary_search_for_binom_tst`` on every element at once.

    ``pmf(index, x)`` is the searched function of the elements ``index`` at the points ``x``;
    its values increase from ``lo`` to ``hi``. Returns, per element, scipy's answer.
    """
    lo, hi = lo.copy(), hi.copy()
    result = np.full(d.shape, np.nan)
    active = lo < hi
    while active.any():
        index = np.flatnonzero(active)
        mid = lo[index] + (hi[index] - lo[index]) // 2
        value = pmf(index, mid)
        below, above = value < d[index], value > d[index]
        lo[index[below]] = mid[below] + 1
        hi[index[above]] = mid[above] - 1
        hit = ~(below | above)
        result[index[hit]] = mid[hit]
        active[index[hit]] = False
        active[index] &= lo[index] < hi[index]
    rest = np.flatnonzero(np.isnan(result))
    if rest.size:
        last = lo[rest]
        result[rest] = np.where(pmf(rest, last) <= d[rest], last, last - 1)
    return result


def _pvalues_distinct(
    k: NDArray[np.float64], n: NDArray[np.float64], p: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Two-sided exact p-values of distinct (k, n, p), as scipy's ``binomtest`` computes them."""
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    out = np.ones(k.shape)
    d = stats.binom.pmf(k, n, p)
    expected = p * n
    low = np.flatnonzero(k < expected)  # the other tail lies above the mode
    if low.size:
        kl, nl, pl, dl = k[low], n[low], p[low], d[low]
        ix = _search(
            lambda i, x: -stats.binom.pmf(x, nl[i], pl[i]), -dl * _RERR, np.ceil(pl * nl), nl
        )
        y = nl - ix + (dl * _RERR == stats.binom.pmf(ix, nl, pl))
        out[low] = stats.binom.cdf(kl, nl, pl) + stats.binom.sf(nl - y, nl, pl)
    high = np.flatnonzero(k > expected)  # the other tail lies below the mode
    if high.size:
        kh, nh, ph, dh = k[high], n[high], p[high], d[high]
        ix = _search(
            lambda i, x: stats.binom.pmf(x, nh[i], ph[i]),
            dh * _RERR,
            np.zeros(high.size),
            np.floor(ph * nh),
        )
        y = ix + 1
        out[high] = stats.binom.cdf(y - 1, nh, ph) + stats.binom.sf(kh - 1, nh, ph)
    return np.minimum(1.0, out)


def binomtest_pvalues(
    k: ArrayLike,
    n: ArrayLike,
    p: ArrayLike,
    *,
    parts: int = 1,
    step: Callable[[], None] | None = None,
) -> NDArray[np.float64]:
    """Return ``scipy.stats.binomtest(k, n, p).pvalue`` for every element, over arrays.

    Two-sided. The inputs broadcast together; ``k`` and ``n`` are integers with
    ``0 <= k <= n``, ``0 < p < 1`` (not checked here). Equal (k, n, p) triples are computed
    once. The work is split into ``parts`` blocks and ``step()`` is called after each.

    >>> [f"{p:.3g}" for p in binomtest_pvalues([30, 50, 70], 100, 0.5)]
    ['7.85e-05', '1', '7.85e-05']
    """
    kk, nn, pp = np.broadcast_arrays(
        np.asarray(k, np.float64), np.asarray(n, np.float64), np.asarray(p, np.float64)
    )
    flat = np.stack([kk.ravel(), nn.ravel(), pp.ravel()])
    order = np.lexsort(flat)  # by p, then n, then k
    ordered = flat[:, order]
    new = np.ones(ordered.shape[1], bool)
    new[1:] = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
    distinct = ordered[:, new]
    slot = np.empty(order.size, np.intp)
    slot[order] = np.cumsum(new) - 1
    values = np.empty(distinct.shape[1])
    for block in np.array_split(np.arange(distinct.shape[1]), max(1, parts)):
        if block.size:
            values[block] = _pvalues_distinct(*distinct[:, block])
        if step is not None:
            step()
    return values[slot].reshape(kk.shape)


def holm(p_values: Sequence[float] | NDArray[np.float64]) -> list[float]:
    """Return Holm's step-down adjusted p-values (same order as given).

    Rejecting every hypothesis whose adjusted p-value is <= alpha controls the family-wise
    error rate at alpha, whatever the dependence between the tests. Ties keep their order.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    try:
        values = np.asarray(p_values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidTypeError("p_values", p_values, "a sequence of p-values") from exc
    if values.ndim != 1:
        raise InvalidTypeError("p_values", p_values, "a one-dimensional sequence of p-values")
    bad = np.flatnonzero(~((values >= 0) & (values <= 1)))
    if bad.size:
        i = int(bad[0])
        raise InvalidInputError(f"p_values[{i}]", float(values[i]), "must be in [0, 1]")
    return _holm(values).tolist()  # type: ignore[no-any-return]  # list of floats


def _holm(p: NDArray[np.float64]) -> NDArray[np.float64]:
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
    return adjusted


def assess(
    units: Sequence[str],
    stated: Sequence[Probability],
    counts: NDArray[np.int64],
    *,
    runs: int,
    strata: Mapping[str, str] | None,
    alpha: float,
    seed_label: str | None,
    step: Callable[[], None] | None = None,
) -> FairnessResult:
    """Compute the result from checked arrays: ``counts[i]`` runs included ``units[i]``.

    Calls ``step()`` :func:`steps_for_tests` times (after each block of tests, then at the end).
    """
    size = len(units)
    pf = np.fromiter((float(p) for p in stated), np.float64, size)
    degenerate = np.fromiter((p in (0, 1) for p in stated), np.bool_, size)
    inner = np.flatnonzero(~degenerate)
    edge = np.flatnonzero(degenerate)

    z = np.empty(size)
    p_value = np.empty(size)
    k_in, p_in = counts[inner], pf[inner]
    z[inner] = (k_in - runs * p_in) / np.sqrt(runs * p_in * (1 - p_in))
    p_value[inner] = binomtest_pvalues(k_in, runs, p_in, parts=steps_for_tests(size) - 1, step=step)
    deviation = counts[edge] - runs * pf[edge]  # 0 exactly when the count is R pi
    z[edge] = np.where(deviation == 0, 0.0, np.copysign(np.inf, deviation))
    p_value[edge] = np.where(deviation == 0, 1.0, 0.0)
    p_holm = p_value.copy()
    p_holm[inner] = _holm(p_value[inner])

    labels = None if strata is None else tuple(strata[u] for u in units)
    table = UnitTable(
        ids=tuple(units),
        strata=labels,
        stated=tuple(stated),
        stated_float=pf,
        count=counts,
        z=z,
        p_value=p_value,
        p_holm=p_holm,
        flagged=p_holm <= alpha,
    )
    result = FairnessResult(runs, alpha, seed_label, _stratum_results(labels, z, degenerate), table)
    if step is not None:
        step()
    return result


def _stratum_results(
    labels: tuple[str, ...] | None, z: NDArray[np.float64], degenerate: NDArray[np.bool_]
) -> tuple[StratumResult, ...]:
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    if labels is None:
        return ()
    names = sorted(set(labels))
    position = {label: i for i, label in enumerate(names)}
    codes = np.fromiter((position[s] for s in labels), np.intp, len(labels))
    units = np.bincount(codes, minlength=len(names))
    inner = ~degenerate
    df = np.bincount(codes[inner], minlength=len(names))
    # bincount adds in unit order, as a running sum over the stratum's units would
    chi = np.bincount(codes[inner], weights=z[inner] ** 2, minlength=len(names))
    p = stats.chi2.sf(chi, np.maximum(df, 1))
    return tuple(
        StratumResult(name, int(units[i]), int(df[i]), float(chi[i]), float(p[i]))
        if df[i]
        else StratumResult(name, int(units[i]), 0, 0.0, math.nan)
        for i, name in enumerate(names)
    )


def assess_counts(
    counts: Mapping[str, int],
    stated: Mapping[str, Probability],
    *,
    runs: int,
    strata: Mapping[str, str] | None = None,
    alpha: float = 0.01,
    seed_label: str | None = None,
    progress: Progress | None = None,
) -> FairnessResult:
    """Compare inclusion ``counts`` over ``runs`` independent draws with ``stated``.

    The statistics part of :func:`run_design`, for counts gathered elsewhere. Units missing
    from ``counts`` were never included. ``progress(done, total)`` is called as the tests
    proceed (quiet when None).

    Parameters
    ----------
    counts
        Unit id -> number of runs that included it (0 <= count <= runs).
    stated
        Every unit with its stated inclusion probability (Fraction or float in [0, 1]).
    runs
        The number of independent draws the counts come from.
    strata
        Optional unit -> stratum label, for the per-stratum sums of squares.
    alpha
        Family-wise significance level of the per-unit Holm tests, in (0, 1).
    seed_label
        The label of the runs' seeds, shown in the summary (None if unknown).
    progress
        Optional callback ``progress(done, total)``.

    Returns
    -------
    FairnessResult

    >>> from fractions import Fraction
    >>> r = assess_counts({"sure": 50, "never": 0, "half": 22}, runs=50,
    ...                   stated={"sure": 1, "never": 0, "half": Fraction(1, 2)})
    >>> r.passed, round(r.max_abs_z, 3)
    (True, 0.849)
    >>> assess_counts({"sure": 49}, {"sure": 1}, runs=50).flagged
    ('sure',)
    """
    checked = check_stated(stated)
    runs = check_runs(runs)
    alpha = check_alpha(alpha)
    strata = check_strata(strata, checked)
    progress = check_progress(progress)
    if not isinstance(counts, Mapping):
        raise InvalidTypeError("counts", counts, "a mapping from unit id to inclusion count")
    units = list(checked)
    position = {unit: i for i, unit in enumerate(units)}
    array = np.zeros(len(units), np.int64)
    for unit, k in counts.items():
        if unit not in position:
            raise InvalidInputError("counts", unit, "names a unit that is not in stated")
        array[position[unit]] = check.integer(k, f"counts[{unit!r}]", minimum=0, maximum=runs)
    total = steps_for_tests(len(units))
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    return assess(
        units,
        list(checked.values()),
        array,
        runs=runs,
        strata=strata,
        alpha=alpha,
        seed_label=seed_label,
        step=step,
    )
