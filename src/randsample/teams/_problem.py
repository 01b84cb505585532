"""Inputs of team assignment: validation, per-department problems, tickets and digests.

The byte layouts (pair tickets, visit order, input digest) are in ``docs/spec.md`` section 11.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .. import _validation as check
from ..core import canonical_json, check_id, lp
from ..errors import (
    InvalidIdentifierError,
    InvalidInputError,
    InvalidTypeError,
)
from ._conflicts import Conflicts, _DepartmentIndex
from ._directory import Directory
from ._visit import Visit

__all__ = [
    "input_digest",
    "pair_ticket",
    "visit_order_key",
]

_INPUT_FORMAT = "randsample.assignment-input/1"
_VISIT_ORDER_TAG = b"randsample/v1/visit-order\x00"


# -- tickets ---------------------------------------------------------------------------------


def pair_ticket(subkey: bytes, visit_id: str, inspector_id: str) -> bytes:
    """Return ``SHA-256(subkey || lp(UTF-8(visit_id)) || lp(UTF-8(inspector_id)))``.

    A visit's eligible inspectors sorted by this ticket are in a uniformly random order that
    depends on nothing but the sub-key and the two ids.

    >>> pair_ticket(bytes(32), "V-1", "I-1").hex()[:16]
    '7af48e2abafbdd36'
    """
    check.subkey(subkey)
    check_id(visit_id, field="visit_id")
    check_id(inspector_id, field="inspector_id")
    return hashlib.sha256(
        subkey + lp(visit_id.encode("utf-8")) + lp(inspector_id.encode("utf-8"))
    ).digest()


def visit_order_key(subkey: bytes) -> bytes:
    """Return the key whose tickets order the visits.

    The key is ``SHA-256("randsample/v1/visit-order" || 0x00 || subkey)``. A derived key
    (rather than the sub-key itself) keeps visit tickets apart from any other ticket computed
    on the ``inspectors`` sub-key.

    >>> visit_order_key(bytes(32)).hex()[:16]
    'e903bc30c8930166'
    """
    check.subkey(subkey)
    return hashlib.sha256(_VISIT_ORDER_TAG + subkey).digest()


def input_digest(visits: Sequence[Visit], conflicts: Conflicts) -> str:
    """Return the digest of the visits and conflicts: SHA-256 of a canonical JSON.

    The JSON is ``{"conflicts_digest": conflicts.digest(), "format":
    "randsample.assignment-input/1", "visits": [Visit.to_json() ... sorted by visit_id]}``,
    with every list inside sorted, so the order in which visits are passed does not matter.
    The conflicts enter through their own digest (:meth:`Conflicts.digest`), which can be
    published while the conflict data stay confidential.

    >>> input_digest([], Conflicts())[:16]
    '5aa06e593cf05177'
    """
    content = {
        "conflicts_digest": conflicts.digest(),
        "format": _INPUT_FORMAT,
        "visits": [v.to_json() for v in sorted(visits, key=lambda v: v.visit_id)],
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


# -- the problem, seed-independent -----------------------------------------------------------


@attrs.frozen(eq=False)
class _DepartmentProblem:
    """One department's b-matching problem; inspectors by local index (id order)."""

    department: str
    inspector_ids: tuple[str, ...]
    capacities: list[int]
    visits: list[int]  # global visit indices, input order
    demand: list[int]  # c_pD, aligned with visits
    eligible: list[list[int]]  # local inspector indices, ascending, aligned with visits

    @property
    def total_demand(self) -> int:
        return sum(self.demand)


@attrs.frozen(eq=False)
class _Problem:
    directory: Directory
    visits: tuple[Visit, ...]
    conflicts: Conflicts
    departments: dict[str, _DepartmentProblem]


def _check_inputs(directory: object, conflicts: object) -> tuple[Directory, Conflicts]:
    """Check the directory and conflicts arguments (None means no declared conflicts)."""
    if not isinstance(directory, Directory):
        raise InvalidTypeError("directory", directory, "a Directory")
    if conflicts is None:
        conflicts = Conflicts()
    if not isinstance(conflicts, Conflicts):
        raise InvalidTypeError("conflicts", conflicts, "a Conflicts")
    return directory, conflicts


def _prepare(directory: object, visits: object, conflicts: object) -> _Problem:
    directory, conflicts = _check_inputs(directory, conflicts)
    batch = _check_visits(directory, visits)
    for inspector_id in sorted(conflicts.named_inspectors()):
        # A misspelt id in a conflict declaration would silently let the conflict through.
        if inspector_id not in directory:
            raise InvalidInputError(
                "conflicts", inspector_id, "names an inspector who is not in the directory"
            )
    departments: dict[str, _DepartmentProblem] = {}
    for department in sorted({d for v in batch for d in v.departments}):
        members = directory.members(department)
        bulk = _DepartmentIndex(members, conflicts.same_locality)
        taking_part = [p for p, v in enumerate(batch) if department in v.departments]
        departments[department] = _DepartmentProblem(
            department=department,
            inspector_ids=tuple(m.id for m in members),
            capacities=[m.capacity for m in members],
            visits=taking_part,
            demand=[batch[p].demand(department) for p in taking_part],
            eligible=[bulk.eligible(batch[p], department, conflicts) for p in taking_part],
        )
    return _Problem(directory, batch, conflicts, departments)


def _check_visits(directory: Directory, visits: object) -> tuple[Visit, ...]:
    if isinstance(visits, (str, bytes, Mapping)) or not isinstance(visits, Iterable):
        raise InvalidTypeError("visits", visits, "a sequence of Visit")
    batch = tuple(visits)
    seen: dict[str, int] = {}
    for index, visit in enumerate(batch):
        if not isinstance(visit, Visit):
            raise InvalidTypeError(f"visits[{index}]", visit, "a Visit")
        if visit.visit_id in seen:
            raise InvalidIdentifierError(
                f"visits[{index}].visit_id",
                visit.visit_id,
                f"duplicate of visits[{seen[visit.visit_id]}].visit_id",
            )
        seen[visit.visit_id] = index
        for department in visit.departments:
            if department not in directory.departments:
                raise InvalidInputError(
                    f"visit {visit.visit_id!r}.departments",
                    department,
                    f"is not a department of the directory {sorted(directory.departments)}",
                )
            _check_categories(directory, department, visit.items[department], visit.visit_id)
    return batch


def _check_categories(
    directory: Directory, department: str, categories: frozenset[str], visit_id: str
) -> None:
    # A visit's items of a department must be inspection categories it has officers for.
    for category in sorted(categories):
        if category not in directory.categories[department]:
            raise InvalidInputError(
                f"visit {visit_id!r}.items[{department!r}]",
                category,
                f"is not an inspection category of department {department!r}",
            )
