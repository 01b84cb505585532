"""Design-based variance of linear statistics, stratum by stratum (vectorized with numpy).

Every estimator here is (or is linearized to) a weighted sum ``sum_k z_k`` over the sampled
units, with ``z_k`` the unit's weighted value (for a total) or its linearized value (for a
Hájek mean or a ratio). Its variance is estimated per *variance stratum* ``g``::

    v = sum_g  f_g * n_g / (n_g - 1) * sum_{k in g} (z_k - mean_g(z))^2

* ``stratified-srswor``: ``g`` is the design stratum, ``f_g = 1 - n_h / M_h`` (finite-population
  correction). For totals this is the exact unbiased variance estimator of stratified simple
  random sampling without replacement (Cochran 1977, §5.3-5.4; Särndal, Swensson & Wretman
  1992, §3.7); take-all strata (``n_h = M_h``) contribute 0.
* ``stratified-pips-systematic``: the Sen-Yates-Grundy estimator needs ``pi_kl > 0`` for every
  pair, which randomized systematic sampling does not guarantee (design.systematic_joint_
  inclusion), and a record does not hold the ``pi`` of the unsampled units that ``pi_kl`` depends
  on. The variance is therefore the **with-replacement (Hansen-Hurwitz) approximation** within
  each stratum (Särndal et al. 1992, §2.9 and §4.6; Wolter 2007, §2.4.5): ``f_g = 1`` and ``g``
  is a stratum's non-certainty units; certainty units (``pi = 1``) are left out (they contribute
  no variance). This is what R's ``survey`` computes for ``svydesign(ids = ~1, strata = ...,
  probs = ~pi)`` without ``fpc`` or ``pps``, with certainty units in strata of their own and
  ``options(survey.lonely.psu = "certainty")``. It is usually conservative (it ignores the
  gain from sampling without replacement).

A variance stratum with one unit (``n_g = 1``, not take-all) has no within-stratum variance
estimate. R calls it a lonely PSU; ``lonely`` says what to do, with R's names:
``"fail"`` (default) raises an error naming the stratum; ``"certainty"`` and ``"remove"`` make
it contribute 0 (R treats both so for single-stage designs); ``"adjust"`` uses ``f_g z_k^2``,
i.e. the unit's linearized value centred at 0 (the overall mean of the linearized values for
means and ratios) instead of the stratum mean, as R's ``"adjust"`` does.

Domains (subpopulations) are not subset analyses: a domain's ``z_k`` is 0 for sampled units
outside it, and the sums above run over *all* ``n_g`` units of each variance stratum.
Arithmetic is float64 (two-pass: cell means first, then squared deviations).
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from ..design import ALGORITHM as SRSWOR_ALGORITHM
from ..errors import InvalidInputError
from ._frame import SampleDesign

__all__ = ["LONELY", "NONRESPONSE", "UNSAMPLED", "Frame", "prepare", "variance", "weighted_sum"]

LONELY = ("fail", "certainty", "remove", "adjust")
UNSAMPLED = ("fail", "exclude")
NONRESPONSE = ("fail", "reweight")

SRSWOR_VARIANCE = (
    "stratified SRSWOR, exact unbiased with finite-population correction "
    "(Särndal et al. 1992 §3.7; Cochran 1977 ch. 5)"
)
PIPS_VARIANCE = (
    "with-replacement (Hansen-Hurwitz) approximation within strata, certainty units "
    "excluded; as R survey svydesign(probs=~pi) without fpc"
)


def weighted_sum(
    codes: npt.NDArray[np.intp], weights: npt.NDArray[np.float64], count: int
) -> npt.NDArray[np.float64]:
    """Sum ``weights`` by code (``np.bincount`` with weights, typed as float64)."""
    return np.asarray(np.bincount(codes, weights, minlength=count), dtype=np.float64)


def check_option(field: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise naming the option."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(field, value, f"expected one of {', '.join(allowed)}")
    return value


@attrs.frozen(eq=False)
class Frame:
    """The units that enter an estimate, their weights and their variance strata."""

    design: SampleDesign
    #: Units used (in an included stratum and observed).
    used: npt.NDArray[np.bool_]
    #: Design weight 1/pi (after a nonresponse adjustment), 0 for unused units.
    weight: npt.NDArray[np.float64]
    #: Variance stratum of each unit; -1 for certainty and unused units.
    group: npt.NDArray[np.intp]
    group_size: npt.NDArray[np.int64]
    #: Multiplier of the centred sum of squares: f n/(n-1); f for an adjusted lonely unit.
    group_scale: npt.NDArray[np.float64]
    #: Groups whose single unit is used uncentred (lonely="adjust").
    group_uncentred: npt.NDArray[np.bool_]
    #: Exact SRSWOR weight M_h / n_h per design stratum (None for πps).
    stratum_weight: tuple[Fraction, ...] | None
    #: Eligible units of the included strata (the known population size).
    population: int
    excluded: tuple[str, ...]
    lonely: tuple[str, ...]
    variance_method: str


def _lonely_error(design: SampleDesign, h: int) -> InvalidInputError:
    label = design.strata[h]
    what = (
        f"one sampled unit of {design.eligible[h]} eligible"
        if design.algorithm == SRSWOR_ALGORITHM
        else "one sampled unit with pi < 1"
    )
    return InvalidInputError(
        f"design.strata[{label!r}]",
        "n_h = 1",
        f"has {what}, so its variance cannot be estimated; pass lonely='certainty', "
        "'remove' or 'adjust' (R: options(survey.lonely.psu=...))",
    )


def _included(
    design: SampleDesign, respondents: npt.NDArray[np.int64], unsampled: str
) -> tuple[npt.NDArray[np.bool_], list[str]]:
    """Strata that enter the estimate; strata without values fail or are excluded."""
    included = np.ones(len(design.strata), dtype=np.bool_)
    excluded = []
    for h, label in enumerate(design.strata):
        if design.eligible[h] == 0:
            included[h] = False
        elif respondents[h] == 0:
            why = "no sample" if design.sample_sizes[h] == 0 else "no unit with a value"
            if unsampled == "fail":
                raise InvalidInputError(
                    f"design.strata[{label!r}]",
                    f"M_h = {design.eligible[h]}",
                    f"has {why}: no design-based estimate covers its units; pass "
                    "unsampled='exclude' to estimate for the other strata only",
                )
            included[h] = False
            excluded.append(label)
    if not included.any():
        raise InvalidInputError("design", design, "has no stratum with sampled units to estimate")
    return included, excluded


def _scales(
    design: SampleDesign,
    sizes: npt.NDArray[np.int64],
    fpc: npt.NDArray[np.float64],
    included: npt.NDArray[np.bool_],
    lonely: str,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], list[str]]:
    """Per variance stratum: f n/(n-1), and what to do with a single unit."""
    scale = np.zeros(len(sizes), dtype=np.float64)
    uncentred = np.zeros(len(sizes), dtype=np.bool_)
    lonely_strata = []
    for h, (n, f) in enumerate(zip(sizes.tolist(), fpc.tolist(), strict=True)):
        if n >= 2:
            scale[h] = f * n / (n - 1)
        elif n == 1 and f > 0 and included[h]:
            if lonely == "fail":
                raise _lonely_error(design, h)
            lonely_strata.append(design.strata[h])
            if lonely == "adjust":
                scale[h] = f
                uncentred[h] = True
    return scale, uncentred, lonely_strata


def prepare(
    design: SampleDesign,
    observed: npt.NDArray[np.bool_],
    *,
    lonely: str,
    unsampled: str,
    nonresponse: str,
) -> Frame:
    """Return the estimation frame: weights, variance strata, lonely and excluded strata."""
    check_option("lonely", lonely, LONELY)
    check_option("unsampled", unsampled, UNSAMPLED)
    check_option("nonresponse", nonresponse, NONRESPONSE)
    srswor = design.algorithm == SRSWOR_ALGORITHM
    if nonresponse == "reweight" and not srswor:
        raise InvalidInputError(
            "nonresponse",
            nonresponse,
            f"is supported for stratified-srswor only, not {design.algorithm}",
        )
    codes = design.unit_strata
    strata = len(design.strata)
    respondents = np.bincount(codes[observed], minlength=strata).astype(np.int64)
    included, excluded = _included(design, respondents, unsampled)
    used = observed & included[codes]
    eligible = np.array(design.eligible, dtype=np.float64)
    exact: tuple[Fraction, ...] | None = None
    if srswor:
        # The respondents (all sampled units unless nonresponse="reweight") of each stratum.
        sizes = respondents
        safe = np.maximum(sizes, 1)
        weight = np.where(used, (eligible / safe)[codes], 0.0)
        fpc = np.where(sizes > 0, 1.0 - sizes / np.maximum(eligible, 1.0), 0.0)
        group = np.where(used, codes, -1)
        exact = tuple(
            Fraction(m, r) if r else Fraction(0)
            for m, r in zip(design.eligible, sizes.tolist(), strict=True)
        )
        method = SRSWOR_VARIANCE
    else:
        pi = design.pi
        weight = np.where(used, 1.0 / pi, 0.0)
        random = used & (pi < 1.0)
        group = np.where(random, codes, -1)
        sizes = np.bincount(codes[random], minlength=strata).astype(np.int64)
        fpc = np.where(sizes > 0, 1.0, 0.0)
        method = PIPS_VARIANCE
    scale, uncentred, lonely_strata = _scales(design, sizes, fpc, included, lonely)
    return Frame(
        design=design,
        used=used,
        weight=weight,
        group=group.astype(np.intp),
        group_size=sizes,
        group_scale=scale,
        group_uncentred=uncentred,
        stratum_weight=exact,
        population=int(sum(m for m, ok in zip(design.eligible, included, strict=True) if ok)),
        excluded=tuple(excluded),
        lonely=tuple(lonely_strata),
        variance_method=method,
    )


def variance(
    frame: Frame, z: npt.NDArray[np.float64], domain: npt.NDArray[np.intp], domains: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Return per domain the estimated variance of ``sum z`` and the degrees of freedom.

    ``z`` holds each unit's linearized value for its own domain ``domain[k]`` (the values of
    the other domains are 0 for that unit). Degrees of freedom follow R's ``degf``: per
    variance stratum touching the domain, its domain units minus one.
    """
    member = frame.group >= 0
    g = frame.group[member]
    d = domain[member]
    zz = z[member]
    groups = len(frame.group_size)
    cell = g * domains + d
    cells = groups * domains
    s1 = weighted_sum(cell, zz, cells).reshape(groups, domains)
    count = np.bincount(cell, minlength=cells).reshape(groups, domains)
    size = frame.group_size.astype(np.float64)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(size > 0, s1 / np.maximum(size, 1.0), 0.0)
    dev = zz - mean.ravel()[cell]
    ss = weighted_sum(cell, dev * dev, cells).reshape(groups, domains)
    ss += (size - count) * mean * mean  # the group's units outside the domain have z = 0
    if frame.group_uncentred.any():
        s2 = weighted_sum(cell, zz * zz, cells).reshape(groups, domains)
        ss = np.where(frame.group_uncentred[:, None], s2, ss)
    v = (frame.group_scale[:, None] * ss).sum(axis=0)
    df = np.where(count > 0, count - 1, 0).sum(axis=0).astype(np.int64)
    return v, df
