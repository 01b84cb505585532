"""What the departments drew, and the visits it merges into.

**Visits.** :func:`merge_drawn_units` gives every enterprise drawn in a period exactly one
:class:`MergedVisit` carrying every department and item that drew it. An enterprise drawn only for
off-site items (written review, data sharing, online monitoring, video) gets no visit: it is
listed as an off-site check (a :class:`MergedVisit` with ``on_site`` false and an ``R-`` id).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs

from ..core import check_id
from ..design import Sizes, StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["DepartmentDraw", "DrawnUnit", "MergedVisit", "merge_drawn_units"]


@attrs.frozen
class DepartmentDraw:
    """One department's part of a task in a period: its sizes, flags and sample.

    In the coordinated mode every department draws its own sample. In a declared joint task
    only the initiator draws; each cooperating department inspects the initiator's list, so
    its entry carries the initiator's sample and ``drawn_by`` names the initiator (only
    entries with ``drawn_by`` None are draws to seal and count as draws).
    ``uses_credit_risk`` is the credit-risk flag (:func:`~randsample.joint.credit_risk_based`
    on the sizes under the plan's classes, unless the task declared it:
    ``declared_credit_risk``). ``nominal_rates`` are the design's rates per stratum when they
    are not those of ``sizes`` (a declared task's annual rates; its sizes are a period's share).
    """

    task_id: str
    department: str
    scope: str
    sizes: Sizes
    uses_credit_risk: bool
    on_site: bool
    sample: StratifiedSample
    declared_credit_risk: bool | None = None
    drawn_by: str | None = None
    nominal_rates: tuple[tuple[str, Fraction], ...] = ()

    @property
    def is_draw(self) -> bool:
        """Whether this entry is a draw of its own (not a cooperating department's share)."""
        return self.drawn_by is None


@attrs.frozen
class DrawnUnit:
    """One enterprise drawn by one department under one merged task (a row of a visit)."""

    task_id: str
    department: str
    lead: str
    scope: str
    stratum: str
    enterprise: str
    rank: int
    items: tuple[str, ...]
    on_site_items: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        # Structural checks only: draw_joint makes these by the thousand from labels that are
        # already checked; a hand-made assignment of the wrong shape is caught here.
        for name in ("task_id", "department", "lead", "scope", "stratum", "enterprise"):
            if not isinstance(getattr(self, name), str):
                raise InvalidTypeError(f"assignment.{name}", getattr(self, name), "a str")
        if isinstance(self.rank, bool) or not isinstance(self.rank, int) or self.rank < 1:
            raise InvalidInputError("assignment.rank", self.rank, "must be an int >= 1")
        for name in ("items", "on_site_items"):
            if not isinstance(getattr(self, name), tuple):
                raise InvalidTypeError(f"assignment.{name}", getattr(self, name), "a tuple")
        if not self.items or not set(self.on_site_items) <= set(self.items):
            raise InvalidInputError(
                "assignment.on_site_items", self.on_site_items, f"must be among {self.items}"
            )


@attrs.frozen
class MergedVisit:
    """Everything one enterprise undergoes in a period: one visit, or one off-site check.

    ``on_site`` is true when some department drew it for an on-site item; the visit then
    carries the off-site items of every department too (they ride along).
    """

    visit_id: str
    period: str
    enterprise: str
    on_site: bool
    drawn_units: tuple[DrawnUnit, ...]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.drawn_units, tuple) or not self.drawn_units:
            raise InvalidInputError(
                f"visit {self.visit_id!r}.drawn_units",
                self.drawn_units,
                "must be a non-empty tuple",
            )
        for a in self.drawn_units:
            if not isinstance(a, DrawnUnit) or a.enterprise != self.enterprise:
                raise InvalidInputError(
                    f"visit {self.visit_id!r}.drawn_units", a, f"must be of {self.enterprise!r}"
                )

    @property
    def departments(self) -> tuple[str, ...]:
        """Return the departments that drew the enterprise, by code."""
        return tuple(sorted({a.department for a in self.drawn_units}))

    @property
    def items(self) -> tuple[str, ...]:
        """Return every item to inspect, on-site or not."""
        return tuple(sorted({item for a in self.drawn_units for item in a.items}))

    def items_by_department(self) -> dict[str, tuple[str, ...]]:
        """Return each department's items on this visit (from all its draws of the enterprise).

        With :meth:`MergedPlan.item <randsample.joint.MergedPlan.item>` this gives the
        inspection categories per department that staffing a visit needs.
        """
        out: dict[str, set[str]] = {}
        for a in self.drawn_units:
            out.setdefault(a.department, set()).update(a.items)
        return {department: tuple(sorted(items)) for department, items in sorted(out.items())}

    @property
    def lead(self) -> str:
        """Return the department that leads the visit; always one of :attr:`departments`.

        The declared lead of the first task (in (scope, stratum) order) that needs the
        enterprise on site, if that department drew the enterprise; otherwise (the lead's
        sample in the stratum is smaller than another department's, so it does not contain
        every visited enterprise) the first department by code among those drawing it on site.
        """
        acting = [a for a in self.drawn_units if a.on_site_items] or list(self.drawn_units)
        present = {a.department for a in acting}
        for a in acting:
            if a.lead in present:
                return a.lead
        return min(present)


def _order_key(assignment: DrawnUnit) -> tuple[str, str, str, str]:
    return (assignment.scope, assignment.stratum, assignment.task_id, assignment.department)


def merge_drawn_units(
    period: str, drawn_units: Iterable[DrawnUnit]
) -> tuple[tuple[MergedVisit, ...], tuple[MergedVisit, ...]]:
    """Give every enterprise exactly one visit (or off-site check) carrying all its draws.

    Returns ``(visits, off_site_checks)``, each numbered ``V-<period>-000001``... (``R-`` for
    off-site checks) in the order of (scope, stratum, id) of each enterprise's first draw. The
    result depends only on the *set* of drawn_units: their order and repeats do not matter,
    so merging the drawn_units of merged visits again gives the same visits.

    >>> a = DrawnUnit("joint/Q4/x", "SAMR", "SAMR", "x", "A", "e1", 1, ("F-01",), ("F-01",))
    >>> b = DrawnUnit("joint/Q4/x", "HEALTH", "SAMR", "x", "A", "e1", 1, ("H-02",), ())
    >>> visits, off_site = merge_drawn_units("Q4", [a, b, a])
    >>> [(v.visit_id, v.enterprise, v.departments, v.items) for v in visits], off_site
    ([('V-Q4-000001', 'e1', ('HEALTH', 'SAMR'), ('F-01', 'H-02'))], ())
    """
    check_id(period, field="period")
    unique: dict[tuple[str, str, str], DrawnUnit] = {}
    for index, assignment in enumerate(drawn_units):
        if not isinstance(assignment, DrawnUnit):
            raise InvalidTypeError(f"drawn_units[{index}]", assignment, "an DrawnUnit")
        key = (assignment.task_id, assignment.department, assignment.enterprise)
        if unique.setdefault(key, assignment) != assignment:
            raise InvalidInputError(
                f"drawn_units[{index}]",
                assignment,
                f"contradicts an earlier assignment of {key} ({unique[key]})",
            )
    by_enterprise: dict[str, list[DrawnUnit]] = {}
    for assignment in unique.values():
        by_enterprise.setdefault(assignment.enterprise, []).append(assignment)
    grouped = sorted(
        (
            ((*min(_order_key(a)[:2] for a in group), enterprise), sorted(group, key=_order_key))
            for enterprise, group in by_enterprise.items()
        ),
        key=lambda entry: entry[0],
    )
    out: dict[bool, list[MergedVisit]] = {True: [], False: []}
    for (_, _, enterprise), group in grouped:
        on_site = any(a.on_site_items for a in group)
        listed = out[on_site]
        number = f"{'V' if on_site else 'R'}-{period}-{len(listed) + 1:06d}"
        listed.append(MergedVisit(number, period, enterprise, on_site, tuple(group)))
    return tuple(out[True]), tuple(out[False])
