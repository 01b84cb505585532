"""The scalar statistics of randsample 0.x's fairness module, kept to check the array version.

This is the code that ``run_design`` used before the statistics were vectorized: one
:func:`scipy.stats.binomtest` call per unit, Holm with a Python sort, strata summed unit by
unit. The tests compare the new results with it on the same counts.
"""

from __future__ import annotations

import math
from fractions import Fraction

from scipy import stats


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, as the scalar implementation computed them."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def unit_test(count: int, runs: int, p: Fraction | float) -> tuple[float, float]:
    """(z, two-sided exact p-value) of one unit, one scalar binomtest call."""
    expected = runs * p
    if p in (0, 1):
        if count == expected:
            return 0.0, 1.0
        return math.copysign(math.inf, count - expected), 0.0
    pf = float(p)
    z = (count - runs * pf) / math.sqrt(runs * pf * (1 - pf))
    return z, float(stats.binomtest(count, runs, pf).pvalue)


def assess(
    counts: dict[str, int],
    stated: dict[str, Fraction | float],
    runs: int,
    strata: dict[str, str] | None,
    alpha: float,
) -> tuple[list[tuple[str, int, float, float, float, bool]], list[tuple[str, int, int, float]]]:
    """Per unit (unit, count, z, p, p_holm, flagged) and per stratum (label, units, df, chi)."""
    units = list(stated)
    tests = [unit_test(int(counts.get(u, 0)), runs, stated[u]) for u in units]
    family = [i for i, u in enumerate(units) if stated[u] not in (0, 1)]
    adjusted = [p for _, p in tests]
    for i, p_adj in zip(family, holm([tests[i][1] for i in family]), strict=True):
        adjusted[i] = p_adj
    rows = [
        (u, int(counts.get(u, 0)), z, p, adjusted[i], adjusted[i] <= alpha)
        for i, (u, (z, p)) in enumerate(zip(units, tests, strict=True))
    ]
    sums = []
    if strata is not None:
        for label in sorted(set(strata.values())):
            members = [r for r in rows if strata[r[0]] == label]
            inner = [r for r in members if stated[r[0]] not in (0, 1)]
            sums.append((label, len(members), len(inner), float(sum(r[2] ** 2 for r in inner))))
    return rows, sums
