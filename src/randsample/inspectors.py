"""The inspector directory, the visits to staff, and who may not inspect whom.

This is the input side of the second "random" of double-random supervision (which officers
inspect each visit); :mod:`randsample.assignment` draws the teams.

**Directory** (执法检查人员名录库). An :class:`Inspector` belongs to one department, holds a
law-enforcement certificate, is qualified for a set of inspection *categories* (specialties),
lives in a *home region*, can serve at most ``capacity`` visits in the batch being assigned,
and may have days off. A :class:`Directory` refuses duplicate ids, departments outside the
plan's department set, inspectors without qualifications (no certificate, or no category) and
capacities below 1: each with a typed error naming the field and the value.

**Visits.** A :class:`Visit` is one on-site visit of one enterprise on one date by one or more
departments, with each department's inspection categories on it (``items``), a team size
(at least 2, the general law-enforcement rule) and a lead department. A plain list of visits
is all :func:`randsample.assignment.assign_inspectors` needs.

**Team composition** (the modelling choice that makes completeness exact). Each participating
department ``D`` of visit ``p`` supplies ``c_pD`` inspectors: one each, plus the remainder
``team_size - len(departments)`` from the lead department. *A department's members on a
visit must each be qualified for all of that department's items on it.* An inspector of ``D``
is **eligible** for ``p`` when he or she is qualified for every category of ``D``'s items on
``p``, is not off on ``p``'s date, and has no conflict with ``p``'s enterprise (certification
is checked when the directory is built). Every inspector belongs to exactly one department,
so each department is an independent bipartite b-matching problem.

**Conflicts** (回避), all combinable, all data (so that a verifier needs nothing but data):

* declared relations between an inspector and an enterprise (:class:`Relation`, of kind
  ``former-employer``, ``relative``, ``shareholder`` or ``other``);
* the attribute rule *same locality*: an inspector whose ``home_region`` equals the visit's
  ``enterprise_region`` (on by default; ``Conflicts(same_locality=False)`` turns it off);
* rotation: an inspector who was on one of the enterprise's last ``rotation`` teams
  (``history`` maps an enterprise to its past teams, oldest first);
* recusal requests: ``recusals`` maps an enterprise to inspector ids who asked to recuse;
* user rules given as data: :class:`ExcludedPair` (inspector, enterprise, reason).

Every exclusion has a reason string, used by the explanations of an infeasible assignment.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from .encoding import canonical_json
from .errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError
from .identifiers import check_id

__all__ = [
    "CONFLICT_ORDER",
    "DEFAULT_TEAM_SIZE",
    "NOT_QUALIFIED",
    "RECUSAL",
    "RELATION_KINDS",
    "ROTATION",
    "SAME_LOCALITY",
    "UNAVAILABLE",
    "Conflicts",
    "Directory",
    "ExcludedPair",
    "Inspector",
    "Relation",
    "RelationKind",
    "Visit",
    "exclusion_reasons",
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


# -- conflicts -------------------------------------------------------------------------------


@attrs.frozen
class Relation:
    """A declared relation: ``inspector_id`` may not inspect ``enterprise_id``.

    >>> Relation("I-01", "E-1", "relative").kind
    'relative'
    """

    inspector_id: str = attrs.field()
    enterprise_id: str = attrs.field()
    kind: RelationKind = attrs.field()

    def __attrs_post_init__(self) -> None:
        check_id(self.inspector_id, field="relation.inspector_id")
        check_id(self.enterprise_id, field="relation.enterprise_id")
        if self.kind not in RELATION_KINDS:
            raise InvalidInputError("relation.kind", self.kind, f"must be one of {RELATION_KINDS}")


@attrs.frozen
class ExcludedPair:
    """A user rule given as data: ``inspector_id`` may not inspect ``enterprise_id``.

    ``reason`` (a label) is what explanations show, e.g. ``"audit finding 2025-17"``.
    """

    inspector_id: str = attrs.field()
    enterprise_id: str = attrs.field()
    reason: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        check_id(self.inspector_id, field="exclusion.inspector_id")
        check_id(self.enterprise_id, field="exclusion.enterprise_id")
        check_id(self.reason, field="exclusion.reason")


def _freeze_history(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return MappingProxyType(
        {
            key: tuple(_frozen(team) for team in teams) if isinstance(teams, Iterable) else teams
            for key, teams in value.items()
        }
    )


@attrs.frozen
class Conflicts:
    """Every rule that keeps an inspector off an enterprise's visit; all combinable.

    Parameters
    ----------
    relations : iterable of Relation
        Declared relations (former employer, relative, shareholder, other).
    same_locality : bool
        Exclude inspectors whose ``home_region`` equals the enterprise's region (default on).
    history : mapping of str to sequence of sets of str
        Each enterprise's past inspection teams, oldest first (ids of former staff allowed).
    rotation : int
        Exclude the members of the enterprise's last ``rotation`` teams in ``history``
        (default 1; 0 turns rotation off).
    recusals : mapping of str to set of str
        For each enterprise, inspectors who requested recusal.
    exclusions : iterable of ExcludedPair
        User rules given as data.

    Examples
    --------
    >>> c = Conflicts(relations=[Relation("I-01", "E-1", "relative")],
    ...               history={"E-2": [{"I-01", "I-02"}, {"I-03"}]})
    >>> sorted(c.declared("E-1").items()), sorted(c.declared("E-2"))
    ([('I-01', ('relative',))], ['I-03'])
    """

    relations: frozenset[Relation] = attrs.field(default=frozenset(), converter=_frozen)
    same_locality: bool = attrs.field(default=True)
    history: Mapping[str, tuple[frozenset[str], ...]] = attrs.field(
        factory=dict, converter=_freeze_history, hash=False
    )
    rotation: int = attrs.field(default=1)
    recusals: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_freeze_mapping, hash=False
    )
    exclusions: frozenset[ExcludedPair] = attrs.field(default=frozenset(), converter=_frozen)
    _declared: dict[str, dict[str, tuple[str, ...]]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _digest: str | None = attrs.field(init=False, default=None, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        for name, kind in (("relations", Relation), ("exclusions", ExcludedPair)):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                raise InvalidTypeError(
                    f"conflicts.{name}", value, f"an iterable of {kind.__name__}"
                )
            for item in value:
                if not isinstance(item, kind):
                    raise InvalidTypeError(f"conflicts.{name}", item, f"a {kind.__name__}")
        if not isinstance(self.same_locality, bool):
            raise InvalidTypeError("conflicts.same_locality", self.same_locality, "a bool")
        _check_int("conflicts.rotation", self.rotation, 0)
        if not isinstance(self.history, Mapping):
            raise InvalidTypeError("conflicts.history", self.history, "a mapping")
        for enterprise, teams in self.history.items():
            check_id(enterprise, field="conflicts.history")
            if not isinstance(teams, tuple):
                raise InvalidTypeError(
                    f"conflicts.history[{enterprise!r}]", teams, "a sequence of teams"
                )
            for team in teams:
                _check_labels(f"conflicts.history[{enterprise!r}]", team)
        if not isinstance(self.recusals, Mapping):
            raise InvalidTypeError("conflicts.recusals", self.recusals, "a mapping")
        for enterprise, ids in self.recusals.items():
            check_id(enterprise, field="conflicts.recusals")
            _check_labels(f"conflicts.recusals[{enterprise!r}]", ids)
        object.__setattr__(self, "_declared", self._index())

    def _index(self) -> dict[str, dict[str, tuple[str, ...]]]:
        # enterprise -> inspector -> reasons, in attribution order; same-locality is an
        # attribute rule and is applied per visit, not stored here.
        found: dict[str, dict[str, list[str]]] = {}

        def add(enterprise: str, inspector: str, reason: str) -> None:
            found.setdefault(enterprise, {}).setdefault(inspector, []).append(reason)

        for relation in self.relations:
            add(relation.enterprise_id, relation.inspector_id, relation.kind)
        if self.rotation:
            for enterprise, teams in self.history.items():
                for team in teams[-self.rotation :]:
                    for inspector in team:
                        add(enterprise, inspector, ROTATION)
        for enterprise, ids in self.recusals.items():
            for inspector in ids:
                add(enterprise, inspector, RECUSAL)
        for pair in self.exclusions:
            add(pair.enterprise_id, pair.inspector_id, pair.reason)
        rank = {reason: index for index, reason in enumerate(CONFLICT_ORDER)}
        return {
            enterprise: {
                inspector: tuple(sorted(set(reasons), key=lambda r: (rank.get(r, len(rank)), r)))
                for inspector, reasons in by_inspector.items()
            }
            for enterprise, by_inspector in found.items()
        }

    def declared(self, enterprise_id: str) -> Mapping[str, tuple[str, ...]]:
        """Return inspector id -> reasons for every data rule naming ``enterprise_id``.

        Covers relations, rotation, recusals and user rules; not the same-locality rule, which
        depends on the inspector's and the visit's regions.
        """
        return MappingProxyType(self._declared.get(enterprise_id, {}))

    def named_inspectors(self) -> frozenset[str]:
        """Return the inspector ids named by relations, recusals and user rules.

        (Ids in ``history`` may be former staff and are not included.)
        """
        named = {r.inspector_id for r in self.relations}
        named |= {p.inspector_id for p in self.exclusions}
        for ids in self.recusals.values():
            named |= ids
        return frozenset(named)

    def to_json(self) -> dict[str, Any]:
        """Return the canonical JSON form used by the input digest (lists sorted).

        ``history`` keeps each enterprise's teams in their given (chronological) order.
        """
        return {
            "exclusions": sorted(
                (p.inspector_id, p.enterprise_id, p.reason) for p in self.exclusions
            ),
            "history": [
                {"enterprise_id": e, "teams": [sorted(team) for team in self.history[e]]}
                for e in sorted(self.history)
            ],
            "recusals": [
                {"enterprise_id": e, "inspector_ids": sorted(self.recusals[e])}
                for e in sorted(self.recusals)
            ],
            "relations": sorted((r.inspector_id, r.enterprise_id, r.kind) for r in self.relations),
            "rotation": self.rotation,
            "same_locality": self.same_locality,
        }

    def digest(self) -> str:
        """Return ``hex(SHA-256(canonical JSON of to_json()))``, computed once.

        The conflicts are often confidential (relatives, shareholdings): an authority can
        publish this digest and let auditors check the data against it.

        >>> Conflicts().digest()[:16]
        'df8abac5f60a715d'
        """
        if self._digest is None:
            digest = hashlib.sha256(canonical_json(self.to_json())).hexdigest()
            object.__setattr__(self, "_digest", digest)
        assert self._digest is not None  # for mypy: set just above
        return self._digest


def exclusion_reasons(
    inspector: Inspector, visit: Visit, department: str, conflicts: Conflicts
) -> tuple[str, ...]:
    """Return every reason ``inspector`` cannot serve ``department`` on ``visit``.

    The reasons come in attribution order: ``not-qualified``, ``unavailable``, then the
    conflict reasons of :data:`CONFLICT_ORDER`, then user-rule reasons. An empty tuple means
    eligible. This is the reference definition; :mod:`randsample.assignment` computes the
    same sets in bulk (a property test holds the two equal).

    >>> insp = Inspector("I-01", "food", True, {"catering"}, "north", 2)
    >>> visit = Visit("V-1", "E-1", "north", datetime.date(2026, 3, 2), ["food"],
    ...               {"food": {"catering"}})
    >>> exclusion_reasons(insp, visit, "food", Conflicts())
    ('same-locality',)
    """
    if inspector.department != department:
        raise InvalidInputError(
            "department", department, f"is not the department of inspector {inspector.id!r}"
        )
    reasons: list[str] = []
    if not visit.items.get(department, frozenset()) <= inspector.categories:
        reasons.append(NOT_QUALIFIED)
    if visit.date in inspector.days_off:
        reasons.append(UNAVAILABLE)
    declared = conflicts.declared(visit.enterprise_id).get(inspector.id, ())
    same = conflicts.same_locality and inspector.home_region == visit.enterprise_region
    # Merge the same-locality rule into the declared reasons at its place in the order.
    merged: list[str] = [r for r in declared if r in RELATION_KINDS]
    if same:
        merged.append(SAME_LOCALITY)
    merged.extend(r for r in declared if r not in RELATION_KINDS)
    reasons.extend(merged)
    return tuple(reasons)


# -- bulk eligibility (used by the assignment algorithm) -------------------------------------


class _DepartmentIndex:
    """Bulk eligibility for one department: numpy masks cached per category set, date, region.

    Local index ``i`` is the ``i``-th member of the department in id order.
    """

    def __init__(self, members: tuple[Inspector, ...], same_locality: bool) -> None:
        self.members = members
        self.position = {m.id: i for i, m in enumerate(members)}
        self.count = len(members)
        cats = sorted({c for m in members for c in m.categories})
        self.column = {c: j for j, c in enumerate(cats)}
        self.holds = np.zeros((self.count, len(cats)), dtype=bool)
        for i, member in enumerate(members):
            self.holds[i, [self.column[c] for c in member.categories]] = True
        self.off: dict[datetime.date, list[int]] = {}
        for i, member in enumerate(members):
            for day in member.days_off:
                self.off.setdefault(day, []).append(i)
        self.regions = np.array([m.home_region for m in members], dtype=object)
        self.same_locality = same_locality
        self._qualified: dict[frozenset[str], npt.NDArray[np.bool_]] = {}
        self._available: dict[datetime.date, npt.NDArray[np.bool_]] = {}
        self._local: dict[str, npt.NDArray[np.bool_]] = {}

    def qualified(self, needed: frozenset[str]) -> npt.NDArray[np.bool_]:
        mask = self._qualified.get(needed)
        if mask is None:
            if any(c not in self.column for c in needed):
                mask = np.zeros(self.count, dtype=bool)  # nobody holds that category
            else:
                mask = np.asarray(
                    self.holds[:, [self.column[c] for c in needed]].all(axis=1), dtype=bool
                )
            self._qualified[needed] = mask
        return mask

    def available(self, day: datetime.date) -> npt.NDArray[np.bool_]:
        mask = self._available.get(day)
        if mask is None:
            mask = np.ones(self.count, dtype=bool)
            mask[self.off.get(day, [])] = False
            self._available[day] = mask
        return mask

    def not_local(self, region: str) -> npt.NDArray[np.bool_]:
        mask = self._local.get(region)
        if mask is None:
            mask = (
                np.asarray(self.regions != region, dtype=bool)
                if self.same_locality
                else np.ones(self.count, dtype=bool)
            )
            self._local[region] = mask
        return mask

    def eligible(self, visit: Visit, department: str, conflicts: Conflicts) -> list[int]:
        """Return the local indices of the eligible members, ascending."""
        mask = (
            self.qualified(visit.items[department])
            & self.available(visit.date)
            & self.not_local(visit.enterprise_region)
        )
        declared = conflicts.declared(visit.enterprise_id)
        if declared:
            hit = [self.position[i] for i in declared if i in self.position]
            if hit:
                mask = mask.copy()
                mask[hit] = False
        out: list[int] = np.flatnonzero(mask).tolist()
        return out
