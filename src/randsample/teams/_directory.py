"""The inspector directory, the visits to staff, and who may not inspect whom.

This is the input side of the second "random" of double-random supervision (which officers
inspect each visit); :mod:`randsample.teams` draws the teams.

**Directory** (执法检查人员名录库). An :class:`Inspector` belongs to one department, holds a
law-enforcement certificate, is qualified for a set of inspection *categories* (specialties),
lives in a *home region*, can serve at most ``capacity`` visits in the batch being assigned,
and may have days off. A :class:`Directory` refuses duplicate ids, departments outside the
plan's department set, inspectors without qualifications (no certificate, or no category) and
capacities below 1: each with a typed error naming the field and the value.

**Visits.** A :class:`Visit` is one on-site visit of one enterprise on one date by one or more
departments, with each department's inspection categories on it (``items``), a team size
(at least 2, the general law-enforcement rule) and a lead department. A plain list of visits
is all :func:`randsample.teams.assign_inspectors` needs.

**Team composition** (the modelling choice that makes completeness exact). Each participating
department ``D`` of visit ``p`` supplies ``c_pD`` inspectors: one each, plus the remainder
``team_size - len(departments)`` from the lead department. *A department's members on a
visit must each be qualified for all of that department's items on it.* An inspector of ``D``
is **eligible** for ``p`` when he or she is qualified for every category of ``D``'s items on
``p``, is not off on ``p``'s date, and has no conflict with ``p``'s enterprise (certification
is checked when the directory is built). Every inspector belongs to exactly one department,
so each department is an independent bipartite b-matching problem.

Who may not inspect whom is described in :mod:`randsample.teams`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, get_args

import attrs

from ..core import canonical_json, check_id
from ..errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError

__all__ = [
    "CONFLICT_ORDER",
    "DEFAULT_TEAM_SIZE",
    "NOT_QUALIFIED",
    "RECUSAL",
    "RELATION_KINDS",
    "ROTATION",
    "SAME_LOCALITY",
    "UNAVAILABLE",
    "Directory",
    "Inspector",
    "RelationKind",
    "Visit",
]

#: The kinds of declared relation between an inspector and an enterprise.
RelationKind = Literal["former-employer", "relative", "shareholder", "other"]
RELATION_KINDS: tuple[RelationKind, ...] = get_args(RelationKind)

#: Reason codes, in the order in which an excluded inspector is attributed to one of them in
#: explanations (an inspector excluded for several reasons is counted once, under the first).
NOT_QUALIFIED = "not-qualified"
UNAVAILABLE = "unavailable"
SAME_LOCALITY = "same-locality"
ROTATION = "rotation"
RECUSAL = "recusal-request"
#: Conflict reasons in attribution order; user rules (:class:`ExcludedPair`) come after these,
#: under their own reason strings, sorted.
CONFLICT_ORDER: tuple[str, ...] = (*RELATION_KINDS, SAME_LOCALITY, ROTATION, RECUSAL)

#: The general law-enforcement rule: at least two officers per visit.
DEFAULT_TEAM_SIZE = 2

_DIRECTORY_FORMAT = "randsample.inspector-directory/1"


# -- small converters and checks -------------------------------------------------------------
# Converters only change the container (so that a list or set is accepted); the validators,
# which know the record's id, refuse wrong types with a message naming the field.


def _frozen(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # left for the validator to refuse with the field's name
    return frozenset(value)


def _tupled(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _check_labels(field: str, value: object) -> frozenset[str]:
    if not isinstance(value, frozenset):
        raise InvalidTypeError(field, value, "a set of labels")
    for label in sorted(value, key=str):
        check_id(label, field=field)
    return value


def _check_int(field: str, value: object, minimum: int) -> int:
    # bool is an int subclass; True would silently become a capacity of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "an integer")
    if value < minimum:
        raise InvalidInputError(field, value, f"must be at least {minimum}")
    return value


def _check_date(field: str, value: object) -> datetime.date:
    # A datetime is a date subclass; its time of day would be silently ignored.
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidTypeError(field, value, "a datetime.date")
    return value


def _freeze_mapping(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return MappingProxyType({key: _frozen(item) for key, item in value.items()})


# -- the directory ---------------------------------------------------------------------------


@attrs.frozen
class Inspector:
    """One law-enforcement officer of the inspector directory.

    Parameters
    ----------
    id : str
        The officer's identifier (section 1 of ``docs/spec.md``).
    department : str
        The one department the officer belongs to.
    certified : bool
        Holds a law-enforcement certificate; an uncertified officer is refused.
    categories : frozenset of str
        The inspection categories (specialties) the officer is qualified for; at least one.
    home_region : str
        Where the officer lives or is based (for the same-locality conflict rule).
    capacity : int
        The most visits the officer can serve in the batch being assigned; at least 1.
    days_off : frozenset of datetime.date
        Dates on which the officer is unavailable.

    Examples
    --------
    >>> Inspector("I-01", "food", True, {"catering"}, "north", 3).categories
    frozenset({'catering'})
    >>> Inspector("I-02", "food", True, {"catering"}, "north", 0)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: inspector 'I-02'.capacity: must be at least 1, got 0
    """

    id: str = attrs.field()
    department: str = attrs.field()
    certified: bool = attrs.field()
    categories: frozenset[str] = attrs.field(converter=_frozen)
    home_region: str = attrs.field()
    capacity: int = attrs.field()
    days_off: frozenset[datetime.date] = attrs.field(default=frozenset(), converter=_frozen)

    def __attrs_post_init__(self) -> None:
        check_id(self.id, field="inspector.id")
        where = f"inspector {self.id!r}"
        check_id(self.department, field=f"{where}.department")
        if not isinstance(self.certified, bool):
            raise InvalidTypeError(f"{where}.certified", self.certified, "a bool")
        if not self.certified:
            raise InvalidInputError(
                f"{where}.certified",
                self.certified,
                "an officer without a law-enforcement certificate cannot inspect",
            )
        _check_labels(f"{where}.categories", self.categories)
        if not self.categories:
            raise InvalidInputError(
                f"{where}.categories",
                self.categories,
                "must name at least one inspection category the officer is qualified for",
            )
        check_id(self.home_region, field=f"{where}.home_region")
        _check_int(f"{where}.capacity", self.capacity, 1)
        if not isinstance(self.days_off, frozenset):
            raise InvalidTypeError(f"{where}.days_off", self.days_off, "a set of dates")
        for day in self.days_off:
            _check_date(f"{where}.days_off", day)

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form used by the directory digest."""
        return {
            "capacity": self.capacity,
            "categories": sorted(self.categories),
            "certified": self.certified,
            "days_off": sorted(day.isoformat() for day in self.days_off),
            "department": self.department,
            "home_region": self.home_region,
            "id": self.id,
        }


def _inspector_tuple(value: Any) -> Any:
    return _tupled(value)


@attrs.frozen
class Directory:
    """The inspector directory: validated, indexed by id and by department.

    Parameters
    ----------
    inspectors : iterable of Inspector
        Every officer; ids must be unique. Their order does not matter anywhere.
    departments : iterable of str, optional
        The plan's department set. An inspector of another department is refused. Empty (the
        default) means the departments of the listed inspectors.
    categories : mapping of str to iterable of str, optional
        The inspection item list: each department's categories. An inspector (or later a
        visit) naming another category of that department is refused. Empty (the default)
        means the categories the department's inspectors hold.

    Examples
    --------
    >>> staff = [Inspector("I-01", "food", True, {"catering"}, "north", 2),
    ...          Inspector("I-02", "drugs", True, {"pharmacy"}, "south", 2)]
    >>> directory = Directory(staff, departments={"food", "drugs"})
    >>> [i.id for i in directory.members("food")]
    ['I-01']
    >>> Directory(staff, departments={"food"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: inspector 'I-02'.department: is not a department ...
    """

    inspectors: tuple[Inspector, ...] = attrs.field(converter=_inspector_tuple)
    departments: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    categories: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_freeze_mapping, hash=False
    )
    _by_id: dict[str, Inspector] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _members: dict[str, tuple[Inspector, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _digest: str | None = attrs.field(init=False, default=None, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.inspectors, tuple):
            raise InvalidTypeError("inspectors", self.inspectors, "an iterable of Inspector")
        if not self.inspectors:
            raise InvalidInputError("inspectors", [], "must list at least one inspector")
        by_id: dict[str, Inspector] = {}
        position: dict[str, int] = {}
        for index, inspector in enumerate(self.inspectors):
            if not isinstance(inspector, Inspector):
                raise InvalidTypeError(f"inspectors[{index}]", inspector, "an Inspector")
            if inspector.id in by_id:
                raise InvalidIdentifierError(
                    f"inspectors[{index}].id",
                    inspector.id,
                    f"duplicate of inspectors[{position[inspector.id]}].id",
                )
            by_id[inspector.id] = inspector
            position[inspector.id] = index
        departments = _check_labels("departments", self.departments) or frozenset(
            i.department for i in self.inspectors
        )
        for inspector in self.inspectors:
            if inspector.department not in departments:
                raise InvalidInputError(
                    f"inspector {inspector.id!r}.department",
                    inspector.department,
                    f"is not a department of the plan {sorted(departments)}",
                )
        categories = self._item_list(departments)
        for inspector in self.inspectors:
            unknown = sorted(inspector.categories - categories[inspector.department])
            if unknown:
                raise InvalidInputError(
                    f"inspector {inspector.id!r}.categories",
                    unknown[0],
                    f"is not an inspection category of department {inspector.department!r}",
                )
        members: dict[str, list[Inspector]] = {d: [] for d in departments}
        for inspector in sorted(self.inspectors, key=lambda i: i.id):
            members[inspector.department].append(inspector)
        object.__setattr__(self, "departments", departments)
        object.__setattr__(self, "categories", MappingProxyType(categories))
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_members", {d: tuple(m) for d, m in members.items()})

    def _item_list(self, departments: frozenset[str]) -> dict[str, frozenset[str]]:
        if not isinstance(self.categories, Mapping):
            raise InvalidTypeError("categories", self.categories, "a mapping department -> set")
        if not self.categories:
            held: dict[str, frozenset[str]] = {d: frozenset() for d in departments}
            for inspector in self.inspectors:
                held[inspector.department] |= inspector.categories
            return held
        out: dict[str, frozenset[str]] = {}
        for department, cats in self.categories.items():
            if department not in departments:
                raise InvalidInputError(
                    "categories",
                    department,
                    f"is not a department of the plan {sorted(departments)}",
                )
            out[department] = _check_labels(f"categories[{department!r}]", cats)
        return {d: out.get(d, frozenset()) for d in departments}

    def __len__(self) -> int:
        return len(self.inspectors)

    def __contains__(self, inspector_id: object) -> bool:
        return inspector_id in self._by_id

    def get(self, inspector_id: str) -> Inspector:
        """Return the inspector with this id; :class:`InvalidInputError` if there is none."""
        try:
            return self._by_id[inspector_id]
        except KeyError:
            raise InvalidInputError(
                "inspector_id", inspector_id, "is not in the inspector directory"
            ) from None

    def members(self, department: str) -> tuple[Inspector, ...]:
        """Return the inspectors of ``department``, sorted by id (empty if it has none)."""
        return self._members.get(department, ())

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form hashed by :meth:`digest` (all lists sorted).

        Department and category labels may be non-ASCII, so they are values, never keys.
        """
        return {
            "format": _DIRECTORY_FORMAT,
            "departments": [
                {"department": d, "categories": sorted(self.categories[d])}
                for d in sorted(self.departments)
            ],
            "inspectors": [i.to_json() for i in sorted(self.inspectors, key=lambda i: i.id)],
        }

    def digest(self) -> str:
        """Return ``hex(SHA-256(canonical JSON of to_json()))``: what an assignment record pins.

        Computed once per directory (it is immutable).

        >>> d = Directory([Inspector("I-01", "food", True, {"catering"}, "north", 2)])
        >>> len(d.digest())
        64
        """
        if self._digest is None:
            digest = hashlib.sha256(canonical_json(self.to_json())).hexdigest()
            object.__setattr__(self, "_digest", digest)
        assert self._digest is not None  # for mypy: set just above
        return self._digest


# -- visits ----------------------------------------------------------------------------------


def _lead_default(visit: Visit) -> str:
    departments = visit.departments
    if isinstance(departments, tuple) and departments and isinstance(departments[0], str):
        return departments[0]
    return ""  # the validator reports the departments themselves


@attrs.frozen
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
    >>> v = Visit("V-1", "E-1", "north", datetime.date(2026, 3, 2), ("food", "drugs"),
    ...           {"food": {"catering"}, "drugs": {"pharmacy"}}, team_size=3)
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
        _check_date(f"{where}.date", self.date)
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
            cats = _check_labels(f"{where}.items[{department!r}]", self.items[department])
            if not cats:
                raise InvalidInputError(
                    f"{where}.items[{department!r}]", cats, "must name at least one category"
                )
        _check_int(f"{where}.team_size", self.team_size, DEFAULT_TEAM_SIZE)
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
