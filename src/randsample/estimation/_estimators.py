"""Design-based estimators: Horvitz-Thompson totals and means, Hájek means, ratios, domains.

With design weights ``w_k = 1 / pi_k`` over the sampled units ``s`` (Särndal, Swensson &
Wretman 1992, ch. 2, 5 and 10; Cochran 1977, ch. 5):

* **Horvitz-Thompson total** ``Y^ = sum_s w_k y_k``; unbiased. Linear: ``z_k = w_k y_k``.
* **Horvitz-Thompson mean** ``Y^ / N`` with the *known* number ``N = sum M_h`` of eligible
  units (or ``M_h`` for a stratum); unbiased. ``z_k = w_k y_k / N``.
* **Hájek mean** ``Y^ / N^`` with ``N^ = sum_s w_k``: for 0/1 values the violation rate. For
  stratified SRSWOR over whole strata ``N^ = N`` and it equals the Horvitz-Thompson mean; in
  domains and under πps it is the usual (ratio) estimator, approximately unbiased. Linearized:
  ``z_k = w_k (y_k - mean) / N^`` (Särndal et al. 1992, §5.7).
* **Ratio** ``R^ = Y^ / X^`` (R's ``svyratio``). ``z_k = w_k (y_k - R^ x_k) / X^``.
* **Domains** (industry, region, ...; Särndal et al. 1992, §10.3): the same estimators applied
  to ``d_k y_k`` (and ``d_k`` for ``N^_d``, ``d_k x_k`` for ``X^_d``), with ``d_k`` the domain
  indicator, so the variance keeps every unit of each stratum (a domain is not a sub-design).

Variances: :mod:`randsample.estimation._variance` (exact for SRSWOR totals and HT means; the
linearization is approximate for Hájek means and ratios; the with-replacement approximation
for πps). Intervals: :mod:`randsample.estimation._intervals`. Floats (float64) for estimates
and variances; ``exact`` gives the point estimate as a ``Fraction`` when the values are
integers (0/1 flags included) and the design is stratified SRSWOR (its weights ``M_h/n_h`` are
few and short; πps weights have unrelated long denominators, so no exact value is given).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..design import StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError
from ..records import DrawRecord
from ._frame import Observed, SampleDesign, read_labels, read_values, sample_design
from ._intervals import CI_METHODS, interval
from ._results import DomainEstimate, Estimates
from ._variance import Frame, check_option, prepare, variance, weighted_sum

__all__ = ["Request", "run"]

Source = StratifiedSample | DrawRecord | SampleDesign
By = str | Mapping[str, str] | None


def _check_level(level: object) -> float:
    level = check.real(level, "level")
    if not 0 < level < 1:
        raise InvalidInputError("level", level, "must be strictly between 0 and 1")
    return float(level)


def _domains(
    design: SampleDesign, frame: Frame, by: object, domains: Sequence[str] | None
) -> tuple[str | None, list[str | None], npt.NDArray[np.intp]]:
    """Return (kind, labels, per-unit domain code) for the used units."""
    used = frame.used
    if by is None:
        if domains is not None:
            raise InvalidInputError("domains", domains, "needs by= (domain labels)")
        return None, [None], np.zeros(len(design.ids), dtype=np.intp)
    if by == "stratum":
        present = np.bincount(design.unit_strata[used], minlength=len(design.strata)) > 0
        labels: list[str] = [h for h, ok in zip(design.strata, present, strict=True) if ok]
        remap = np.cumsum(present) - 1
        codes = remap[design.unit_strata].astype(np.intp)
        kind = "stratum"
    elif isinstance(by, str):
        raise InvalidInputError("by", by, "expected None, 'stratum' or a mapping id -> label")
    else:
        unit_labels = read_labels(design, by, field="by")
        distinct, inverse = np.unique(np.array(unit_labels, dtype=object), return_inverse=True)
        present = np.bincount(inverse[used], minlength=len(distinct)) > 0
        labels = [str(h) for h, ok in zip(distinct.tolist(), present, strict=True) if ok]
        codes = (np.cumsum(present) - 1)[inverse].astype(np.intp)
        kind = "domain"
    if domains is not None:
        if isinstance(domains, str) or not isinstance(domains, Sequence):
            raise InvalidTypeError("domains", domains, "a sequence of domain labels")
        for label in domains:
            if label not in labels:
                raise InvalidInputError(
                    "domains",
                    label,
                    "is an empty domain: no sampled unit with a value belongs to it",
                )
    return kind, list(labels), codes


def _cell_sums(
    values: Observed, used: npt.NDArray[np.bool_], cell: npt.NDArray[np.intp], cells: int
) -> list[int]:
    """Integer sums of the values per cell, exactly (float sums only while they are exact)."""
    assert values.integers is not None  # the caller checked
    y = values.values[used]
    if y.size == 0 or float(np.abs(y).max()) * y.size < 2.0**53:
        return [int(v) for v in weighted_sum(cell, y, cells).tolist()]
    sums = [0] * cells
    for k, c in zip(np.flatnonzero(used).tolist(), cell.tolist(), strict=True):
        sums[c] += values.integers[k]
    return sums


def _exact(
    frame: Frame,
    observed: Observed,
    other: Observed | None,
    codes: npt.NDArray[np.intp],
    count: int,
) -> tuple[list[Fraction], list[Fraction], list[Fraction]] | None:
    """Exact (sum w y, sum w x, sum w) per domain, for SRSWOR weights and integer values.

    The weights ``M_h / n_h`` are constant within a stratum, so the sums are taken per
    (stratum, domain) cell as integers and weighted once per cell.
    """
    if frame.stratum_weight is None or observed.integers is None:
        return None
    if other is not None and other.integers is None:
        return None
    used = frame.used
    strata = len(frame.stratum_weight)
    cell = (frame.design.unit_strata[used] * count + codes[used]).astype(np.intp)
    cells = strata * count
    sums_y = _cell_sums(observed, used, cell, cells)
    sums_x = _cell_sums(other, used, cell, cells) if other is not None else [0] * cells
    sizes = np.bincount(cell, minlength=cells).tolist()
    ys = [Fraction(0)] * count
    xs = [Fraction(0)] * count
    ns = [Fraction(0)] * count
    for c, size in enumerate(sizes):
        if size:
            h, d = divmod(c, count)
            weight = frame.stratum_weight[h]
            ys[d] += weight * sums_y[c]
            xs[d] += weight * sums_x[c]
            ns[d] += weight * size
    return ys, xs, ns


@attrs.frozen
class Request:
    """What the caller asked for: the statistic and every option, checked."""

    statistic: str
    estimator: str
    by: object
    domains: Sequence[str] | None
    ci: str
    level: float
    df: str | None
    lonely: str
    unsampled: str
    nonresponse: str
    name: str

    def __attrs_post_init__(self) -> None:
        check_option("ci", self.ci, CI_METHODS)
        _check_level(self.level)
        if self.df is not None and self.df != "design":
            raise InvalidInputError(
                "df", self.df, "expected None (normal quantile) or 'design' (t, n - H)"
            )
        if not isinstance(self.name, str):
            raise InvalidTypeError("name", self.name, "a str")


def _observations(
    request: Request, design: SampleDesign, values: object, denominator: object | None
) -> tuple[Observed, Observed | None]:
    missing_ok = request.nonresponse == "reweight"
    field = "numerator" if request.statistic == "ratio" else "values"
    y_obs = read_values(design, values, field=field, allow_missing=missing_ok)
    if denominator is None:
        return y_obs, None
    x_obs = read_values(design, denominator, field="denominator", allow_missing=missing_ok)
    differ = np.flatnonzero(x_obs.observed != y_obs.observed)
    if differ.size:
        unit = design.ids[int(differ[0])]
        raise InvalidInputError(
            f"denominator[{unit!r}]",
            "missing on one side",
            "numerator and denominator must have values for the same units",
        )
    return y_obs, x_obs


def _point(
    request: Request,
    frame: Frame,
    y: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64] | None,
    domain: tuple[str | None, list[str | None], npt.NDArray[np.intp]],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return per domain (estimate, domain size) and per unit the linearized value z."""
    kind, labels, codes = domain
    count = len(labels)
    w = frame.weight
    size = weighted_sum(codes, w, count)
    total = weighted_sum(codes, w * y, count)
    if request.statistic == "total":
        return total, size, w * y
    if request.estimator == "horvitz-thompson":
        if kind == "domain":
            raise InvalidInputError(
                "estimator",
                request.estimator,
                "needs each domain's known size; the sizes of domains other than strata are "
                "unknown: use estimator='hajek'",
            )
        design = frame.design
        known = (
            np.array([frame.population], dtype=np.float64)
            if kind is None
            else np.array([design.eligible[design.strata.index(h)] for h in labels], float)
        )
        return total / known, known, w * y / known[codes]
    if request.statistic == "mean":
        mean = total / size
        return mean, size, w * (y - mean[codes]) / size[codes]
    assert x is not None  # a ratio always has a denominator
    xtotal = weighted_sum(codes, w * x, count)
    zero = np.flatnonzero(xtotal == 0)
    if zero.size:
        raise InvalidInputError(
            "denominator", labels[int(zero[0])], "has an estimated total of 0 in this domain"
        )
    ratio = total / xtotal
    return ratio, size, w * (y - ratio[codes] * x) / xtotal[codes]


def _exact_value(
    request: Request,
    sums: tuple[list[Fraction], list[Fraction], list[Fraction]] | None,
    d: int,
    known: float,
) -> Fraction | None:
    if sums is None:
        return None
    ys, xs, ns = sums
    if request.statistic == "total":
        return ys[d]
    if request.statistic == "ratio":
        return ys[d] / xs[d] if xs[d] else None
    if request.estimator == "horvitz-thompson":
        return ys[d] / Fraction(int(known))
    return ys[d] / ns[d]


def run(request: Request, source: object, values: object, denominator: object | None) -> Estimates:
    """Estimate what ``request`` asks from the draw ``source`` and the observed values."""
    design = sample_design(source)  # type: ignore[arg-type]  # checked inside
    y_obs, x_obs = _observations(request, design, values, denominator)
    frame = prepare(
        design,
        y_obs.observed,
        lonely=request.lonely,
        unsampled=request.unsampled,
        nonresponse=request.nonresponse,
    )
    domain = _domains(design, frame, request.by, request.domains)
    kind, labels, codes = domain
    count = len(labels)
    used = frame.used
    y = np.where(used, y_obs.values, 0.0)
    x = None if x_obs is None else np.where(used, x_obs.values, 0.0)
    est, size, z = _point(request, frame, y, x, domain)
    v, dfs = variance(frame, np.where(used, z, 0.0), codes, count)
    if request.ci != "wald" and (
        request.statistic != "mean" or not np.isin(y_obs.values[used], (0.0, 1.0)).all()
    ):
        raise InvalidInputError(
            "ci", request.ci, "is for proportions: a mean of 0/1 values (use ci='wald' otherwise)"
        )
    n_d = np.bincount(codes[used], minlength=count)
    deff = _deff(request.statistic, frame, y=y, codes=codes, pop_d=size, n_d=n_d, v=v)
    sums = _exact(frame, y_obs, x_obs, codes, count)
    rows = []
    for d in range(count):
        low, high, ci_size = interval(
            request.ci,
            float(est[d]),
            float(v[d]),
            n=int(n_d[d]),
            df=int(dfs[d]),
            level=request.level,
            t_df=int(dfs[d]) if request.df == "design" else None,
        )
        rows.append(
            DomainEstimate(
                domain=labels[d],
                estimate=float(est[d]),
                standard_error=math.sqrt(max(float(v[d]), 0.0)),
                ci_lower=low,
                ci_upper=high,
                sample_size=int(n_d[d]),
                population=float(size[d]),
                df=int(dfs[d]),
                deff=deff[d],
                ci_sample_size=ci_size,
                exact=_exact_value(request, sums, d, float(size[d])),
            )
        )
    return Estimates(
        statistic=request.statistic,
        estimator=request.estimator,
        name=request.name,
        by=kind,
        rows=tuple(rows),
        ci_method=_ci_name(request.ci, request.df),
        level=float(request.level),
        variance_method=frame.variance_method,
        design=design.algorithm,
        notes=_notes(frame, request.lonely, y_obs),
    )


def _deff(
    statistic: str,
    frame: Frame,
    *,
    y: npt.NDArray[np.float64],
    codes: npt.NDArray[np.intp],
    pop_d: npt.NDArray[np.float64],
    n_d: npt.NDArray[np.int64],
    v: npt.NDArray[np.float64],
) -> list[float | None]:
    """Kish's deff against SRSWOR of the same n (R's ``deff = TRUE``); None for ratios."""
    count = len(pop_d)
    if statistic == "ratio":
        return [None] * count
    w = frame.weight
    nhat = weighted_sum(codes, w, count)
    mean = weighted_sum(codes, w * y, count) / np.where(nhat > 0, nhat, 1.0)
    spread = weighted_sum(codes, w * (y - mean[codes]) ** 2, count)
    out: list[float | None] = []
    for d in range(count):
        n = int(n_d[d])
        big = float(pop_d[d])
        if n < 2 or big <= n:
            out.append(None)
            continue
        s2 = n / (n - 1) * float(spread[d]) / float(nhat[d])
        srs = s2 * (big - n) / (big * n) * (big * big if statistic == "total" else 1.0)
        out.append(float(v[d]) / srs if srs > 0 else None)
    return out


def _ci_name(ci: str, df: str | None) -> str:
    if ci == "wald":
        return "wald (normal quantile)" if df is None else "wald (t quantile, design df)"
    return f"{ci} (Korn-Graubard effective n, design df)"


def _notes(frame: Frame, lonely: str, observed: Observed) -> tuple[str, ...]:
    notes = []
    if frame.lonely:
        notes.append(f"strata with one sampled unit, lonely={lonely!r}: {list(frame.lonely)}")
    if frame.excluded:
        notes.append(f"strata without sampled values, excluded: {list(frame.excluded)}")
    missing = int((~observed.observed).sum())
    if missing:
        notes.append(
            f"{missing} sampled unit(s) without a value; respondents reweighted within strata"
        )
    return tuple(notes)
