"""What team-assignment version 2 staffs: visits with per-department minimums, and experts.

Each department taking part in a visit inspects under its own authority, so it sends at least
``minimum`` certified officers of its own (default 2, the general rule: 行政处罚法 Art. 42); the
initiating department also supplies the team leader (组长). **Experts** (技术专家) are a separate
pool: a visit may ask for some, qualified for given categories; they join the team but never
count towards a department's minimum, never lead and never inspect alone (they are only ever
added to a team of officers). **Locality**: a visit may declare the enterprise's business
location (``location``, e.g. its street or township as registered for the business premises);
the same-locality conflict rule, when switched on, compares it with officers' and experts'
home regions. Characters 3-8 of a credit code are the registering authority's division, not
where the business is: never use them as a location.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Any

import attrs

from .. import _validation as check
from ..core import canonical_json
from ..errors import InvalidIdentifierError, InvalidInputError
from ._common import _freeze_mapping, _frozen, _tupled, check_availability

__all__ = ["DEFAULT_MINIMUM", "EXPERTS", "Expert", "ExpertPool", "TeamVisit"]

#: Officers each participating department sends to a visit unless the visit says otherwise.
DEFAULT_MINIMUM = 2
#: How reports and explanations name the expert pool (never a department label: labels
#: cannot contain the parentheses' meaning here, and a department so named is refused).
EXPERTS = "(experts)"
_POOL_FORMAT = "randsample.expert-pool/1"


@attrs.frozen(kw_only=True)
class Expert:
    """A technical expert of the expert pool (not a law-enforcement officer).

    >>> Expert(id="X-01", categories={"特种设备"}, home_region="城关镇", capacity=4).capacity
    4
    """

    id: str = attrs.field()
    categories: frozenset[str] = attrs.field(converter=_frozen)
    home_region: str = attrs.field()
    capacity: int = attrs.field()
    days_off: frozenset[datetime.date] = attrs.field(default=frozenset(), converter=_frozen)

    def __attrs_post_init__(self) -> None:
        check.label(self.id, "expert.id")
        where = f"expert {self.id!r}"
        if not check.labels(self.categories, f"{where}.categories"):
            raise InvalidInputError(f"{where}.categories", set(), "must name at least one")
        check.label(self.home_region, f"{where}.home_region")
        check_availability(self.capacity, self.days_off, where)

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form used by the pool digest."""
        return {
            "capacity": self.capacity,
            "categories": sorted(self.categories),
            "days_off": sorted(day.isoformat() for day in self.days_off),
            "home_region": self.home_region,
            "id": self.id,
        }


@attrs.frozen
class ExpertPool:
    """The expert pool: validated, ids unique, sorted by id (may be empty).

    >>> pool = ExpertPool([Expert(id="X-01", categories={"特种设备"}, home_region="城关镇",
    ...                           capacity=4)])
    >>> len(pool), pool.digest()[:16]
    (1, '9399a2cf32ca46e6')
    """

    experts: tuple[Expert, ...] = attrs.field(default=(), converter=_tupled)

    def __attrs_post_init__(self) -> None:
        items = check.sequence(self.experts, "experts", what="a sequence of Expert")
        seen: dict[str, int] = {}
        for index, expert in enumerate(items):
            check.instance(expert, f"experts[{index}]", Expert)
            if expert.id in seen:
                raise InvalidIdentifierError(
                    f"experts[{index}].id", expert.id, f"duplicate of experts[{seen[expert.id]}]"
                )
            seen[expert.id] = index
        object.__setattr__(self, "experts", tuple(sorted(items, key=lambda e: e.id)))

    def __len__(self) -> int:
        return len(self.experts)

    def ids(self) -> frozenset[str]:
        """Return every expert's id."""
        return frozenset(e.id for e in self.experts)

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form hashed by :meth:`digest`."""
        return {"format": _POOL_FORMAT, "experts": [e.to_json() for e in self.experts]}

    def digest(self) -> str:
        """Return ``hex(SHA-256(canonical JSON of to_json()))`` (docs/spec.md section 19)."""
        return hashlib.sha256(canonical_json(self.to_json())).hexdigest()


def _lead_default(visit: TeamVisit) -> str:
    departments = visit.departments
    if isinstance(departments, tuple) and departments and isinstance(departments[0], str):
        return departments[0]
    return ""  # the validator reports the departments themselves


def _minimums(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


@attrs.frozen(kw_only=True)
class TeamVisit:
    """One visit to staff under team-assignment v2.

    Parameters
    ----------
    visit_id, enterprise_id : str
        The visit (unique in a batch) and the enterprise.
    date : datetime.date
        The day of the visit.
    departments : sequence of str
        The participating departments, each once; the initiating department first by default.
    items : mapping of str to set of str
        For each participating department, the categories it inspects (non-empty).
    lead : str
        The initiating department: it supplies the team leader (default: the first listed).
    minimums : mapping of str to int
        Officers per department, at least 2; departments not listed send ``DEFAULT_MINIMUM``.
    experts : int
        Experts to add (default 0).
    expert_categories : set of str
        Categories every expert on the visit must hold (default: none required).
    location : str or None
        The enterprise's declared business location, for the opt-in same-locality rule.

    Examples
    --------
    >>> v = TeamVisit(visit_id="V-1", enterprise_id="E-1", date=datetime.date(2026, 3, 2),
    ...               departments=["SAMR", "HEALTH"], items={"SAMR": {"食品安全"},
    ...               "HEALTH": {"卫生"}}, minimums={"SAMR": 3}, experts=1)
    >>> v.lead, v.minimum("SAMR"), v.minimum("HEALTH")
    ('SAMR', 3, 2)
    """

    visit_id: str = attrs.field()
    enterprise_id: str = attrs.field()
    date: datetime.date = attrs.field()
    departments: tuple[str, ...] = attrs.field(converter=_tupled)
    items: Mapping[str, frozenset[str]] = attrs.field(converter=_freeze_mapping, hash=False)
    lead: str = attrs.field(default=attrs.Factory(_lead_default, takes_self=True))
    minimums: Mapping[str, int] = attrs.field(factory=dict, converter=_minimums, hash=False)
    experts: int = attrs.field(default=0)
    expert_categories: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    location: str | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        check.label(self.visit_id, "visit.visit_id")
        where = f"visit {self.visit_id!r}"
        check.label(self.enterprise_id, f"{where}.enterprise_id")
        check.date(self.date, f"{where}.date")
        departments = check.sequence(self.departments, f"{where}.departments", item=check.label)
        if not departments or len(set(departments)) != len(departments):
            raise InvalidInputError(
                f"{where}.departments", departments, "must name each department once, at least one"
            )
        if EXPERTS in departments:
            raise InvalidInputError(f"{where}.departments", EXPERTS, "is the expert pool's name")
        items = check.mapping(self.items, f"{where}.items", key=check.label)
        if set(items) != set(departments):
            raise InvalidInputError(
                f"{where}.items",
                sorted(items),
                f"must have exactly the visit's departments {sorted(departments)} as keys",
            )
        for department in departments:
            if not check.labels(items[department], f"{where}.items[{department!r}]"):
                raise InvalidInputError(f"{where}.items[{department!r}]", set(), "is empty")
        if self.lead not in departments:
            raise InvalidInputError(f"{where}.lead", self.lead, f"is not one of {departments}")
        minimums = check.mapping(self.minimums, f"{where}.minimums", key=check.label)
        for department, minimum in minimums.items():
            if department not in departments:
                raise InvalidInputError(
                    f"{where}.minimums", department, "is not a department of the visit"
                )
            check.integer(minimum, f"{where}.minimums[{department!r}]", minimum=DEFAULT_MINIMUM)
        check.integer(self.experts, f"{where}.experts", minimum=0)
        check.labels(self.expert_categories, f"{where}.expert_categories")
        if self.expert_categories and not self.experts:
            raise InvalidInputError(
                f"{where}.expert_categories", sorted(self.expert_categories), "needs experts > 0"
            )
        if self.location is not None:
            check.label(self.location, f"{where}.location")

    def minimum(self, department: str) -> int:
        """Return how many officers ``department`` sends (0 if it takes no part)."""
        if department not in self.departments:
            return 0
        return int(self.minimums.get(department, DEFAULT_MINIMUM))

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form used by the v2 input digest (lists sorted)."""
        return {
            "date": self.date.isoformat(),
            "departments": sorted(self.departments),
            "enterprise_id": self.enterprise_id,
            "expert_categories": sorted(self.expert_categories),
            "experts": self.experts,
            "items": [
                {"department": d, "categories": sorted(self.items[d])}
                for d in sorted(self.departments)
            ],
            "lead": self.lead,
            "location": self.location,
            "minimums": [
                {"department": d, "minimum": self.minimum(d)} for d in sorted(self.departments)
            ],
            "visit_id": self.visit_id,
        }
