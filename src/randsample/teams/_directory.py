"""The inspector directory: who may be drawn, qualified for what, with what capacity.

This is the input side of the second "random" of double-random supervision (which officers
inspect each visit); :mod:`randsample.teams` draws the teams.

**Directory** (执法检查人员名录库). An :class:`Inspector` belongs to one department, holds a
law-enforcement certificate, is qualified for a set of inspection *categories* (specialties),
lives in a *home region*, can serve at most ``capacity`` visits in the batch being assigned,
and may have days off. A :class:`Directory` refuses duplicate ids, departments outside the
plan's department set, inspectors without qualifications (no certificate, or no category) and
capacities below 1: each with a typed error naming the field and the value.

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
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .. import _validation as check
from ..core import canonical_json, check_id
from ..errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError
from ._common import _freeze_mapping, _frozen, _tupled, check_availability

__all__ = ["Directory", "Inspector"]

_DIRECTORY_FORMAT = "randsample.inspector-directory/1"


# -- the directory ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
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
    >>> Inspector(id="I-01", department="food", certified=True, categories={"catering"},
    ...           home_region="north", capacity=3).categories
    frozenset({'catering'})
    >>> Inspector(id="I-02", department="food", certified=True, categories={"catering"},
    ...           home_region="north", capacity=0)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: inspector 'I-02'.capacity: must be >= 1, got 0
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
        check.labels(self.categories, f"{where}.categories")
        if not self.categories:
            raise InvalidInputError(
                f"{where}.categories",
                self.categories,
                "must name at least one inspection category the officer is qualified for",
            )
        check_id(self.home_region, field=f"{where}.home_region")
        check_availability(self.capacity, self.days_off, where)

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
    >>> staff = [Inspector(id="I-01", department="food", certified=True, categories={"catering"},
    ...                    home_region="north", capacity=2),
    ...          Inspector(id="I-02", department="drugs", certified=True, categories={"pharmacy"},
    ...                    home_region="south", capacity=2)]
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
        departments = check.labels(self.departments, "departments") or frozenset(
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
            out[department] = check.labels(cats, f"categories[{department!r}]")
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

        >>> d = Directory([Inspector(id="I-01", department="food", certified=True,
        ...                          categories={"catering"}, home_region="north", capacity=2)])
        >>> len(d.digest())
        64
        """
        if self._digest is None:
            digest = hashlib.sha256(canonical_json(self.to_json())).hexdigest()
            object.__setattr__(self, "_digest", digest)
        assert self._digest is not None  # for mypy: set just above
        return self._digest
