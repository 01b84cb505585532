"""Conflicts of interest and eligibility: who may not inspect whom, and why.

**Conflicts** (回避), all combinable, all data (so that a verifier needs nothing but data):

* declared relations between an inspector and an enterprise (:class:`Relation`, of kind
  ``former-employer``, ``relative``, ``shareholder`` or ``other``);
* the attribute rule *same locality*: an inspector whose ``home_region`` equals the visit's
  declared business location (``enterprise_region`` in version 1, ``location`` in version 2).
  It is **off unless switched on** (``Conflicts(same_locality=True)``): no national rule
  requires it, and it is only meaningful over a declared business-location field (characters
  3-8 of a credit code are the registering authority's division, not where the business is);
* rotation: an inspector who was on one of the enterprise's last ``rotation`` teams
  (``history`` maps an enterprise to its past teams, oldest first);
* recusal requests: ``recusals`` maps an enterprise to inspector ids who asked to recuse;
* user rules given as data: :class:`ExcludedPair` (inspector, enterprise, reason).

Every exclusion has a reason string, used by the explanations of an infeasible assignment.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..core import canonical_json, check_id
from ..errors import InvalidInputError, InvalidTypeError
from ._common import (
    CONFLICT_ORDER,
    NOT_QUALIFIED,
    RECUSAL,
    RELATION_KINDS,
    ROTATION,
    SAME_LOCALITY,
    UNAVAILABLE,
    RelationKind,
    _freeze_mapping,
    _frozen,
)
from ._directory import Inspector
from ._visit import Visit

__all__ = [
    "Conflicts",
    "ExcludedPair",
    "Relation",
    "exclusion_reasons",
]


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
        Exclude inspectors whose ``home_region`` equals the enterprise's declared business
        location (default off: an explicit, opt-in rule).
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
    same_locality: bool = attrs.field(default=False)
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
        check.integer(self.rotation, "conflicts.rotation", minimum=0)
        if not isinstance(self.history, Mapping):
            raise InvalidTypeError("conflicts.history", self.history, "a mapping")
        for enterprise, teams in self.history.items():
            check_id(enterprise, field="conflicts.history")
            if not isinstance(teams, tuple):
                raise InvalidTypeError(
                    f"conflicts.history[{enterprise!r}]", teams, "a sequence of teams"
                )
            for team in teams:
                check.labels(team, f"conflicts.history[{enterprise!r}]")
        if not isinstance(self.recusals, Mapping):
            raise InvalidTypeError("conflicts.recusals", self.recusals, "a mapping")
        for enterprise, ids in self.recusals.items():
            check_id(enterprise, field="conflicts.recusals")
            check.labels(ids, f"conflicts.recusals[{enterprise!r}]")
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
        'a6e7bab8375f3f7b'
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
    eligible. This is the reference definition; :mod:`randsample.teams` computes the
    same sets in bulk (a property test holds the two equal).

    >>> insp = Inspector(id="I-01", department="food", certified=True, categories={"catering"},
    ...                  home_region="north", capacity=2)
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="north",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> exclusion_reasons(insp, visit, "food", Conflicts(same_locality=True))
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


class _Member(Protocol):
    """What eligibility reads of an officer or an expert."""

    @property
    def id(self) -> str: ...  # pragma: no cover - a protocol
    @property
    def categories(self) -> frozenset[str]: ...  # pragma: no cover
    @property
    def days_off(self) -> frozenset[datetime.date]: ...  # pragma: no cover
    @property
    def home_region(self) -> str: ...  # pragma: no cover
    @property
    def capacity(self) -> int: ...  # pragma: no cover


class _DepartmentIndex:
    """Bulk eligibility for one department: numpy masks cached per category set, date, region.

    Local index ``i`` is the ``i``-th member of the department in id order.
    """

    def __init__(self, members: Sequence[_Member], same_locality: bool) -> None:
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
        return self.eligible_for(
            visit.items[department],
            visit.date,
            visit.enterprise_region,
            visit.enterprise_id,
            conflicts,
        )

    def eligible_for(
        self,
        needed: frozenset[str],
        day: datetime.date,
        region: str | None,
        enterprise_id: str,
        conflicts: Conflicts,
    ) -> list[int]:
        """Return the eligible members' local indices for these needs, ascending.

        ``region`` None means the visit declares no location (the locality rule is then
        never applied; team-assignment v2 refuses it when the rule is on).
        """
        mask = self.qualified(needed) & self.available(day)
        if region is not None:
            mask = mask & self.not_local(region)
        declared = conflicts.declared(enterprise_id)
        if declared:
            hit = [self.position[i] for i in declared if i in self.position]
            if hit:
                mask = mask.copy()
                mask[hit] = False
        out: list[int] = np.flatnonzero(mask).tolist()
        return out
