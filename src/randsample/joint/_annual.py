"""Annual control: allocating a year's count over periods, class bands, per-enterprise caps.

**Allocation rule** (:func:`allocate_over_periods`). A task's annual count of a stratum is
split over the task's periods by the **Sainte-Laguë (Webster) divisor method**, by highest
averages: units are given one at a time, each to the period with the largest
``weight_k / (2 s_k + 1)`` (``s_k`` its units so far, exact rational comparison), ties to the
earlier period. The counts add up to the annual count exactly. A divisor method is used
because it is *house-monotone*: raising the annual count never lowers any period's count
(largest-remainder (Hamilton) rounding can, the Alabama paradox, as soon as the weights differ)
and Webster's is the unbiased divisor method. With equal weights (the default) it gives every
period ``floor(n / P)`` and one more to the first ``n mod P`` periods: the year's count is
front-loaded by at most one unit per period, never behind the pro-rata target.

**Bands** (:class:`Band`): per credit class, the share of the class's enterprises (of the
year's base directory) randomly inspected in the year must lie in ``[minimum, maximum]``, and
an enterprise of the class may be randomly inspected at most ``per_enterprise`` times.
Tasks over key items only (重点) carry no ratio cap and do not count towards the share. The
plan's ``annual_cap`` bounds every enterprise's random inspections (国办发〔2024〕54号).
Counting: one inspection per enterprise per period in which it is visited or checked off-site
(a joint visit by three departments is one inspection); complaint-driven checks are not draws
and do not count.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from .. import _validation as check
from .._text import Column, Tabular, percent
from ..errors import InvalidInputError
from ._draw import JointDraw

__all__ = [
    "AnnualCapError",
    "AnnualReport",
    "Band",
    "BandConflictError",
    "ClassStanding",
    "EnterpriseCount",
    "allocate_over_periods",
]


def allocate_over_periods(total: int, weights: Sequence[int]) -> tuple[int, ...]:
    """Split ``total`` over periods of the given weights (Sainte-Laguë; see the module doc).

    >>> allocate_over_periods(13, [1] * 12)
    (2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    >>> allocate_over_periods(10, [31, 28, 31])
    (4, 3, 3)
    >>> sum(allocate_over_periods(1001, [22, 19, 21, 22, 20, 21, 23, 22, 21, 19, 21, 22]))
    1001
    """
    total = check.integer(total, "total", minimum=0)
    weights = check.sequence(weights, "weights", item=check.integer)
    if not weights:
        raise InvalidInputError("weights", [], "must have one weight per period")
    for index, weight in enumerate(weights):
        check.integer(weight, f"weights[{index}]", minimum=1)
    if len(set(weights)) == 1:  # equal weights: the closed form of the same procedure
        share, extra = divmod(total, len(weights))
        return tuple(share + (k < extra) for k in range(len(weights)))
    # Heap of (-priority, k): the largest w_k / (2 s_k + 1) first, ties to the smaller k.
    counts = [0] * len(weights)
    heap = [(-Fraction(w), k) for k, w in enumerate(weights)]
    heapq.heapify(heap)
    for _ in range(total):
        _, k = heapq.heappop(heap)
        counts[k] += 1
        heapq.heappush(heap, (-Fraction(weights[k], 2 * counts[k] + 1), k))
    return tuple(counts)


def _rate(value: object) -> Fraction:
    return check.rate(value, "band")


@attrs.frozen
class Band:
    """A credit class's annual band: share of the class inspected, and visits per enterprise.

    >>> Band("B", "5%", "20%", per_enterprise=1).describe()
    'B: 5.00%-20.00% of the class a year, at most 1 per enterprise'
    """

    credit_class: str
    minimum: Fraction = attrs.field(default=Fraction(0), converter=_rate)
    maximum: Fraction = attrs.field(default=Fraction(1), converter=_rate)
    per_enterprise: int | None = None

    def __attrs_post_init__(self) -> None:
        check.label(self.credit_class, "band.credit_class")
        if self.maximum < self.minimum:
            raise InvalidInputError(
                f"band[{self.credit_class!r}].maximum",
                str(self.maximum),
                f"is below the minimum {self.minimum}",
            )
        if self.per_enterprise is not None:
            check.integer(
                self.per_enterprise, f"band[{self.credit_class!r}].per_enterprise", minimum=1
            )

    def describe(self) -> str:
        """Return the band in one line."""
        text = f"{self.credit_class}: {percent(self.minimum)}-{percent(self.maximum)}"
        text += " of the class a year"
        if self.per_enterprise is not None:
            text += f", at most {self.per_enterprise} per enterprise"
        return text


class AnnualCapError(InvalidInputError):
    """A draw would break a hard annual cap (a class's band maximum, or an enterprise's cap).

    Raised before anything is returned, so before any record can be sealed. ``field`` names
    the class (``"band[A]"``) or the enterprise (``"annual_cap[<id>]"``).
    """


class BandConflictError(InvalidInputError):
    """The plan's rates contradict its bands (``field`` names the class and the task)."""


@attrs.frozen
class ClassStanding:
    """One credit class over the year so far: base size, inspected share, band and status.

    ``enterprises`` counts the class's enterprises randomly inspected by non-key tasks (the
    share's numerator); ``inspections`` every random inspection of the class's enterprises,
    key tasks included (one per enterprise and period).
    """

    credit_class: str
    base: int
    enterprises: int
    inspections: int
    band: Band | None

    @property
    def ratio(self) -> Fraction:
        """Enterprises randomly inspected (by non-key tasks) / enterprises of the class."""
        return Fraction(self.enterprises, self.base) if self.base else Fraction(0)

    @property
    def status(self) -> str:
        """``"above band"`` (a hard cap broken), ``"below band"``, ``"in band"`` or ``""``."""
        if self.band is None:
            return ""
        if self.ratio > self.band.maximum:
            return "above band"
        return "below band" if self.ratio < self.band.minimum else "in band"


@attrs.frozen
class EnterpriseCount:
    """An enterprise's random inspections in the year against its cap."""

    enterprise: str
    credit_class: str | None
    inspections: int
    cap: int


@attrs.frozen(eq=False)
class AnnualReport(Tabular):
    """The year so far: per class the share inspected against its band, and the caps.

    ``at_cap`` lists the enterprises at or over their cap (over it: ``over_cap``); ``ok`` is
    false when a hard cap is broken (a class above its band's maximum, an enterprise over
    its cap). A class below its band's minimum is reported, not an error: the year may not be
    over.

    >>> import datetime
    >>> from randsample.examples import small_year
    >>> from randsample.joint import annual_check, draw_period
    >>> plan, sizing, seed, scopes = small_year()
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing,
    ...                    as_of=datetime.date(2026, 1, 10))
    >>> report = annual_check(plan, sizing, [draw])
    >>> report, [(c.credit_class, c.enterprises, c.base) for c in report.classes][:2]
    (AnnualReport(periods=1, inspected=3, over_cap=0, ok=True), [('A', 2, 120), ('B', 1, 30)])
    """

    periods: tuple[str, ...]
    classes: tuple[ClassStanding, ...]
    at_cap: tuple[EnterpriseCount, ...]
    annual_cap: int | None
    inspected: int

    def __repr__(self) -> str:
        return (
            f"AnnualReport(periods={len(self.periods)}, inspected={self.inspected}, "
            f"over_cap={len(self.over_cap)}, ok={self.ok})"
        )

    @property
    def over_cap(self) -> tuple[EnterpriseCount, ...]:
        """Enterprises inspected more often than their cap allows."""
        return tuple(e for e in self.at_cap if e.inspections > e.cap)

    @property
    def ok(self) -> bool:
        """Whether every hard cap holds."""
        return not self.over_cap and all(c.status != "above band" for c in self.classes)

    def _title(self) -> list[str]:
        span = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "no periods"
        cap = "none" if self.annual_cap is None else str(self.annual_cap)
        return [
            f"annual check {span}: {self.inspected:,} enterprises randomly inspected; "
            f"per-enterprise cap {cap}; {len(self.at_cap)} at their cap, "
            f"{len(self.over_cap)} over it"
        ]

    def _columns(self) -> list[Column]:
        return [
            Column("credit_class", "class", align="<"),
            Column("base", "enterprises"),
            Column("enterprises", "inspected (non-key)"),
            Column("ratio", "share", percent),
            Column("inspections", "inspections (all)"),
            Column("band", "band", align="<"),
            Column("status", "status", align="<"),
        ]

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "credit_class": c.credit_class,
                "base": c.base,
                "enterprises": c.enterprises,
                "ratio": c.ratio,
                "inspections": c.inspections,
                "band": ""
                if c.band is None
                else f"{percent(c.band.minimum, 0)}-{percent(c.band.maximum, 0)}",
                "status": c.status,
            }
            for c in self.classes
        ]


def annual_report(
    draws: Sequence[JointDraw],
    *,
    class_of: Mapping[str, str | None],
    class_totals: Mapping[str, int],
    bands: Mapping[str, Band],
    annual_cap: int | None,
    key_tasks: frozenset[str],
) -> AnnualReport:
    """Count the year's random inspections (see the module doc) and compare with the caps."""
    counts: dict[str, int] = {}
    in_share: set[str] = set()
    for draw in draws:
        for visit in (*draw.visits, *draw.off_site_checks):
            counts[visit.enterprise] = counts.get(visit.enterprise, 0) + 1
            if any(unit.task_id not in key_tasks for unit in visit.drawn_units):
                in_share.add(visit.enterprise)
    per_class: dict[str, list[int]] = {h: [0, 0] for h in class_totals}
    at_cap: list[EnterpriseCount] = []
    for enterprise, count in counts.items():
        label = class_of.get(enterprise)
        key = "(none)" if label is None else label
        entry = per_class.setdefault(key, [0, 0])
        entry[0] += enterprise in in_share
        entry[1] += count
        caps = [annual_cap] if annual_cap is not None else []
        band = bands.get(key)
        if band is not None and band.per_enterprise is not None:
            caps.append(band.per_enterprise)
        if caps and count >= min(caps):
            at_cap.append(EnterpriseCount(enterprise, label, count, min(caps)))
    classes = tuple(
        ClassStanding(h, class_totals.get(h, 0), entry[0], entry[1], bands.get(h))
        for h, entry in per_class.items()
    )
    return AnnualReport(
        periods=tuple(d.period for d in draws),
        classes=classes,
        at_cap=tuple(sorted(at_cap, key=lambda e: (-e.inspections, e.enterprise))),
        annual_cap=annual_cap,
        inspected=len(counts),
    )


def raise_if_broken(report: AnnualReport, period: str) -> None:
    """Raise :class:`AnnualCapError` naming the class or enterprise of the first broken cap."""
    for standing in report.classes:
        if standing.status == "above band" and standing.band is not None:
            raise AnnualCapError(
                f"band[{standing.credit_class}]",
                f"{standing.enterprises}/{standing.base}",
                f"the draw of {period} would inspect {percent(standing.ratio)} of class "
                f"{standing.credit_class} this year, above its band maximum "
                f"{percent(standing.band.maximum)}",
            )
    over = report.over_cap
    if over:
        first = min(over, key=lambda e: e.enterprise)
        more = f" ({len(over) - 1} more enterprises over their cap)" if len(over) > 1 else ""
        raise AnnualCapError(
            f"annual_cap[{first.enterprise}]",
            first.inspections,
            f"the draw of {period} would inspect enterprise {first.enterprise} (class "
            f"{first.credit_class}) {first.inspections} times this year, above its cap "
            f"{first.cap}{more}; add an exclusion rule with window 'year'",
        )
