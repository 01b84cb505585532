"""The public estimators: totals, means (rates) and ratios, overall, by stratum or by domain.

Each takes the draw (its :class:`~randsample.design.StratifiedSample`, its sealed
:class:`~randsample.records.DrawRecord` or a :class:`SampleDesign`) and the observed values of
the sampled units as a mapping ``unit id -> number`` (a 0/1 flag such as "violation found",
or an amount). Options shared by all three:

``by``
    None (the whole population), ``"stratum"`` (the design strata, e.g. credit classes) or a
    mapping ``unit id -> domain label`` for every sampled unit (industry, region, ...).
``domains``
    Labels that must have sampled units (an empty domain is an error, not a missing row).
``ci``, ``level``, ``df``
    ``"wald"`` (default), or for proportions ``"wilson"`` or ``"clopper-pearson"``; the
    confidence level; ``df=None`` uses the normal quantile for Wald (R's ``confint``
    default), ``df="design"`` Student t on each row's design degrees of freedom ``n - H``
    (R's ``degf``; for a domain, that of the domain's subset: its units minus the strata
    they fall in). The same df enter the Wilson and Clopper-Pearson adjustments.
``lonely``
    A stratum with a single sampled unit: ``"fail"`` (default), ``"certainty"``,
    ``"remove"`` or ``"adjust"`` (R's ``survey.lonely.psu``).
``unsampled``
    A stratum with eligible units but no sample: ``"fail"`` (default) or ``"exclude"`` (the
    estimates then describe the other strata only, and say so in ``notes``).
``nonresponse``
    ``"fail"`` (default: every sampled unit needs a value) or ``"reweight"`` (stratified SRSWOR
    only): units without a value are dropped and each stratum's respondents are treated as
    a simple random sample of its ``M_h`` units (weights ``M_h / r_h``, fpc
    ``1 - r_h / M_h``), the response-homogeneity-group model with strata as groups (Särndal
    et al. 1992, §15.6.2). Unbiased only if units respond at random within strata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._estimators import Request, Source, run
from ._results import Estimates

__all__ = ["estimate_mean", "estimate_ratio", "estimate_total"]


def estimate_total(
    design: Source,
    values: Mapping[str, object],
    *,
    by: str | Mapping[str, str] | None = None,
    domains: Sequence[str] | None = None,
    ci: str = "wald",
    level: float = 0.95,
    df: str | None = None,
    lonely: str = "fail",
    unsampled: str = "fail",
    nonresponse: str = "fail",
    name: str = "value",
) -> Estimates:
    """Estimate the population total ``sum y`` (Horvitz-Thompson), with SE and interval.

    For 0/1 flags this is the estimated number of units with the flag (e.g. violators). Under
    stratified SRSWOR the variance is the exact unbiased estimator with fpc; under πps the
    with-replacement approximation. See the module docstring for the options.

    >>> result = estimate_total(_example_sample(), _example_flags(), name="violation")
    >>> row = result[None]
    >>> row.estimate, row.exact, round(row.standard_error, 4)
    (10.0, Fraction(10, 1), 2.9032)
    """
    request = Request(
        "total",
        "horvitz-thompson",
        by,
        domains,
        ci,
        level,
        df,
        lonely,
        unsampled,
        nonresponse,
        name,
    )
    return run(request, design, values, None)


def estimate_mean(
    design: Source,
    values: Mapping[str, object],
    *,
    estimator: str = "hajek",
    by: str | Mapping[str, str] | None = None,
    domains: Sequence[str] | None = None,
    ci: str = "wald",
    level: float = 0.95,
    df: str | None = None,
    lonely: str = "fail",
    unsampled: str = "fail",
    nonresponse: str = "fail",
    name: str = "value",
) -> Estimates:
    """Estimate a population mean; for 0/1 flags, a proportion such as a violation rate.

    ``estimator="hajek"`` (default) divides the Horvitz-Thompson total by the estimated size
    ``N^ = sum 1/pi`` (R's ``svymean``; the only choice for domains);
    ``estimator="horvitz-thompson"`` divides by the known size (``sum M_h``, or ``M_h`` with
    ``by="stratum"``). Under stratified SRSWOR the two agree overall and by stratum.
    ``ci="wilson"`` or ``"clopper-pearson"`` give intervals for proportions at the
    Korn-Graubard effective sample size (R's ``svyciprop``).

    >>> rates = estimate_mean(_example_sample(), _example_flags(), by="stratum", ci="wilson",
    ...                       name="violation")
    >>> [(r.domain, r.exact, round(r.standard_error, 4)) for r in rates]
    [('A', Fraction(1, 4), 0.1268), ('D', Fraction(1, 2), 0.1414)]
    >>> overall = estimate_mean(_example_sample(), _example_flags())[None]
    >>> overall.exact, round(overall.standard_error, 4), round(overall.deff, 3)
    (Fraction(1, 3), 0.0968, 1.027)
    """
    from ._variance import check_option

    check_option("estimator", estimator, ("hajek", "horvitz-thompson"))
    request = Request(
        "mean", estimator, by, domains, ci, level, df, lonely, unsampled, nonresponse, name
    )
    return run(request, design, values, None)


def estimate_ratio(
    design: Source,
    numerator: Mapping[str, object],
    denominator: Mapping[str, object],
    *,
    by: str | Mapping[str, str] | None = None,
    domains: Sequence[str] | None = None,
    ci: str = "wald",
    level: float = 0.95,
    df: str | None = None,
    lonely: str = "fail",
    unsampled: str = "fail",
    nonresponse: str = "fail",
    name: str = "ratio",
) -> Estimates:
    """Estimate the ratio of two population totals ``R = Y / X`` (R's ``svyratio``).

    E.g. violations per inspected product line, or fines per 10,000 yuan of turnover. The
    variance is the linearization ``z_k = w_k (y_k - R x_k) / X^`` under the design. Only
    Wald intervals.

    >>> lines = {unit: 2 for unit in _example_flags()}  # every unit: 2 product lines
    >>> ratio = estimate_ratio(_example_sample(), _example_flags(), lines)[None]
    >>> ratio.exact, round(ratio.standard_error, 4)
    (Fraction(1, 6), 0.0484)
    """
    request = Request(
        "ratio", "ratio", by, domains, ci, level, df, lonely, unsampled, nonresponse, name
    )
    return run(request, design, numerator, denominator)


def _example_sample() -> object:
    """Return a small stratified SRSWOR draw for the examples: A 8 of 20, D 6 of 10."""
    from ..core import Seed
    from ..design import draw_stratified
    from ..population import Population

    pop = Population.from_columns(
        [f"a{i:02d}" for i in range(20)] + [f"d{i:02d}" for i in range(10)],
        strata=["A"] * 20 + ["D"] * 10,
    )
    return draw_stratified(pop, {"A": 8, "D": 6}, Seed.from_bytes(bytes(range(16))))


def _example_flags() -> dict[str, int]:
    """Return violation flags for the example sample: 2 of 8 in class A, 3 of 6 in D."""
    sample = _example_sample()
    ids = sample.ids  # type: ignore[attr-defined]  # a StratifiedSample
    a = [u for u in ids if u.startswith("a")]
    d = [u for u in ids if u.startswith("d")]
    return {u: int(i < 2) for i, u in enumerate(a)} | {u: int(i < 3) for i, u in enumerate(d)}


def _example() -> Estimates:
    """Return the example's violation rate by class (for the result class's doctests)."""
    return estimate_mean(
        _example_sample(),  # type: ignore[arg-type]  # a StratifiedSample
        _example_flags(),
        by="stratum",
        ci="wilson",
        name="violation",
    )
