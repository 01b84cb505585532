"""Confidence intervals: Wald (normal or t), and for proportions Wilson and Clopper-Pearson.

* ``"wald"``: ``estimate ± q * SE`` with ``q`` the standard normal quantile (``df=None``, what
  R's ``confint`` does for ``svymean``/``svytotal``/``svyratio``/``svyby`` by default) or the
  Student t quantile on the design degrees of freedom (``df="design"``, ``n - H``, R's
  ``degf``).
* ``"clopper-pearson"``: Korn & Graubard (1998): the exact binomial (beta) interval evaluated
  at the *effective sample size* ``n* = p (1 - p) / v``, adjusted for the design degrees of
  freedom, ``n* (t_{n-1} / t_{df})^2`` (``t_m`` the ``(1 - level)/2`` quantile of Student t on
  ``m`` df). This is R's ``svyciprop(method = "beta")``.
* ``"wilson"``: the Wilson (1927) score interval at the same degrees-of-freedom-adjusted
  effective sample size, with the normal quantile (Kott & Carr 1997; Dean & Pagano 2015).
  R ``survey`` 4.1 has no Wilson method; the R reference script computes it from ``svymean``
  and ``degf`` with the same formula.

When the estimated variance is 0 the effective sample size is undefined (R returns NaN).
Here, for ``p = 0`` or ``p = 1`` it is taken as ``n`` (a design effect of 1, the convention of
Korn & Graubard 1998), so that a class without violations still gets a non-degenerate upper
bound; for ``0 < p < 1`` the interval is the point ``[p, p]``. With ``df < 1`` a t quantile
does not exist and the bounds are NaN.
"""

from __future__ import annotations

import math

__all__ = ["CI_METHODS", "interval"]

CI_METHODS = ("wald", "wilson", "clopper-pearson")


def _t(level: float, df: float) -> float:
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    return float(stats.t.ppf((1 - level) / 2, df))


def effective_size(p: float, v: float, n: int, df: int, level: float) -> float:
    """Korn-Graubard effective sample size, degrees-of-freedom adjusted (R's ``beta``)."""
    if v > 0:
        base = p * (1 - p) / v
    elif p in (0.0, 1.0):
        base = float(n)
    else:
        return math.inf
    if n < 2 or df < 1:
        return math.nan
    return base * (_t(level, n - 1) / _t(level, df)) ** 2


def _wilson(p: float, size: float, z: float) -> tuple[float, float]:
    if math.isinf(size):
        return p, p
    z2 = z * z
    centre = (p + z2 / (2 * size)) / (1 + z2 / size)
    half = z * math.sqrt(p * (1 - p) / size + z2 / (4 * size * size)) / (1 + z2 / size)
    return max(0.0, centre - half), min(1.0, centre + half)


def _clopper_pearson(p: float, size: float, level: float) -> tuple[float, float]:
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    if math.isinf(size):
        return p, p
    alpha = 1 - level
    x = size * p
    lower = 0.0 if x <= 0 else float(stats.beta.ppf(alpha / 2, x, size - x + 1))
    upper = 1.0 if x >= size else float(stats.beta.ppf(1 - alpha / 2, x + 1, size - x))
    return lower, upper


def interval(
    method: str,
    estimate: float,
    v: float,
    *,
    n: int,
    df: int,
    level: float,
    t_df: int | None,
) -> tuple[float, float, float | None]:
    """Return ``(lower, upper, n*)``; ``n*`` is the effective size (None for Wald)."""
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    if method == "wald":
        if t_df is None:
            q = float(stats.norm.ppf(1 - (1 - level) / 2))
        elif t_df < 1:
            return math.nan, math.nan, None
        else:
            q = -_t(level, t_df)
        half = q * math.sqrt(v)
        return estimate - half, estimate + half, None
    size = effective_size(estimate, v, n, df, level)
    if math.isnan(size):
        return math.nan, math.nan, size
    if method == "wilson":
        z = float(stats.norm.ppf(1 - (1 - level) / 2))
        return (*_wilson(estimate, size, z), size)
    return (*_clopper_pearson(estimate, size, level), size)
