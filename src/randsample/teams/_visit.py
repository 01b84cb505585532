"""Visits to staff: one enterprise, one date, the departments and their inspection items.

A :class:`Visit` is one on-site visit of one enterprise on one date by one or more
departments, with each department's inspection categories on it (``items``), a team size
(at least 2, the general law-enforcement rule) and a lead department. A plain list of visits
is all :func:`randsample.teams.assign_inspectors` needs.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from .. import _validation as check
from ..core import check_id
from ..errors import InvalidInputError, InvalidTypeError
from ._common import DEFAULT_TEAM_SIZE, _freeze_mapping, _tupled

__all__ = ["Visit"]


def _lead_default(visit: Visit) -> str:
    departments = visit.departments
    if isinstance(departments, tuple) and departments and isinstance(departments[0], str):
        return departments[0]
    return ""  # the validator reports the departments themselves


@attrs.frozen(kw_only=True)
class Visit:
    """One on-site visit to staff: an enterprise, a date, the departments and their items.

    Parameters
    ----------
    visit_id : str
        Unique within a batch of visits.
    enterprise_id, enterprise_region : str
        The enterprise visited, and its region (for the same-locality rule).
    date : datetime.date
        The day of the visit (for days off).
    departments : tuple of str
        The participating departments, each once; one for an internal visit.
    items : mapping of str to frozenset of str
        For each participating department (and no other), the non-empty set of inspection
        categories it inspects on this visit.
    team_size : int
        At least 2 and at least the number of departments (default 2).
    lead : str
        The lead department, one of ``departments`` (default: the first listed). It supplies
        the members beyond one per department.

    Examples
    --------
    >>> v = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="north",
    ...           date=datetime.date(2026,3,2), departments=("food", "drugs"),
    ...           items={"food": {"catering"}, "drugs": {"pharmacy"}}, team_size=3)
    >>> v.lead, v.demand("food"), v.demand("drugs")
    ('food', 2, 1)
    """

    visit_id: str = attrs.field()
    enterprise_id: str = attrs.field()
    enterprise_region: str = attrs.field()
    date: datetime.date = attrs.field()
    departments: tuple[str, ...] = attrs.field(converter=_tupled)
    items: Mapping[str, frozenset[str]] = attrs.field(converter=_freeze_mapping, hash=False)
    team_size: int = attrs.field(default=DEFAULT_TEAM_SIZE)
    lead: str = attrs.field(default=attrs.Factory(_lead_default, takes_self=True))

    def __attrs_post_init__(self) -> None:
        check_id(self.visit_id, field="visit.visit_id")
        where = f"visit {self.visit_id!r}"
        check_id(self.enterprise_id, field=f"{where}.enterprise_id")
        check_id(self.enterprise_region, field=f"{where}.enterprise_region")
        check.date(self.date, f"{where}.date")
        if not isinstance(self.departments, tuple):
            raise InvalidTypeError(f"{where}.departments", self.departments, "a tuple of labels")
        if not self.departments:
            raise InvalidInputError(f"{where}.departments", (), "must name at least one")
        for department in self.departments:
            check_id(department, field=f"{where}.departments")
        if len(set(self.departments)) != len(self.departments):
            raise InvalidInputError(
                f"{where}.departments", self.departments, "must name each department once"
            )
        if not isinstance(self.items, Mapping):
            raise InvalidTypeError(f"{where}.items", self.items, "a mapping department -> set")
        if set(self.items) != set(self.departments):
            raise InvalidInputError(
                f"{where}.items",
                sorted(self.items, key=str),
                f"must have exactly the visit's departments {sorted(self.departments)} as keys",
            )
        for department in self.departments:
            cats = check.labels(self.items[department], f"{where}.items[{department!r}]")
            if not cats:
                raise InvalidInputError(
                    f"{where}.items[{department!r}]", cats, "must name at least one category"
                )
        check.integer(self.team_size, f"{where}.team_size", minimum=DEFAULT_TEAM_SIZE)
        if self.team_size < len(self.departments):
            raise InvalidInputError(
                f"{where}.team_size",
                self.team_size,
                f"must be at least the number of departments ({len(self.departments)})",
            )
        if self.lead not in self.departments:
            raise InvalidInputError(
                f"{where}.lead", self.lead, f"is not one of the departments {self.departments}"
            )

    def demand(self, department: str) -> int:
        """Return ``c_pD``: how many inspectors ``department`` supplies (0 if not taking part).

        One per department, and the remainder ``team_size - len(departments)`` from the lead.
        """
        if department not in self.departments:
            return 0
        extra = self.team_size - len(self.departments) if department == self.lead else 0
        return 1 + extra

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form used by the input digest (lists sorted)."""
        return {
            "date": self.date.isoformat(),
            "departments": sorted(self.departments),
            "enterprise_id": self.enterprise_id,
            "enterprise_region": self.enterprise_region,
            "items": [
                {"department": d, "categories": sorted(self.items[d])}
                for d in sorted(self.departments)
            ],
            "lead": self.lead,
            "team_size": self.team_size,
            "visit_id": self.visit_id,
        }
