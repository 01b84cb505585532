"""The record kinds: draw, replacement and assignment records, each a closed structure.

Each kind is a :class:`~randsample.records.SealedRecord` with its ``record_format`` and its
schema (``docs/spec.md`` sections 6.2, 10 and 11.6). Reading checks the structure only; what
the values mean (the seed re-derives, the selection is what the algorithm gives) is checked by
the verifiers.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ..design import DESIGNS
from ..errors import RecordFormatError
from ._schema import Schema
from ._seal import SealedRecord
from ._values import check_assignment_values, check_draw_values, check_replacement_values

__all__ = [
    "ASSIGNMENT_FORMAT",
    "DRAW_FORMAT",
    "REPLACEMENT_FORMAT",
    "TEAM_ASSIGNMENT",
    "TEAM_ASSIGNMENT_VERSION",
    "AssignmentRecord",
    "DrawRecord",
    "ReplacementRecord",
]

DRAW_FORMAT = "randsample.draw-record/1"
REPLACEMENT_FORMAT = "randsample.replacement-record/1"
ASSIGNMENT_FORMAT = "randsample.assignment-record/1"
#: The inspector-team algorithm an assignment record names (spec section 11).
TEAM_ASSIGNMENT = "team-assignment"
TEAM_ASSIGNMENT_VERSION = 1

NULLABLE_STR = (str, type(None))
#: The seed as published (spec section 6.2): everything needed to re-derive it.
SEED_SCHEMA: Schema = {
    "commitment": NULLABLE_STR,
    "key": NULLABLE_STR,
    "low_entropy_allowed": bool,
    "secret": NULLABLE_STR,
    "sources": [{"name": str, "values": [str]}],
    "value": str,
}
ALGORITHM_SCHEMA: Schema = {"name": str, "version": int}
LIBRARY_SCHEMA: Schema = {"name": str, "version": str}


def _check_algorithm(content: dict[str, Any], known: dict[str, int]) -> None:
    algorithm = content["algorithm"]
    if known.get(algorithm["name"]) != algorithm["version"]:
        runs = [{"name": name, "version": version} for name, version in known.items()]
        raise RecordFormatError("algorithm", algorithm, f"unsupported; this version runs {runs}")


@attrs.frozen(eq=False)
class DrawKind(SealedRecord):
    """What every draw record kind has (spec 6.2; 14.5 is "as a draw record"): ids, label."""

    @property
    def selected_ids(self) -> tuple[str, ...]:
        """The selected ids, in record order (stratum, then rank)."""
        return tuple(entry["id"] for entry in self._content["selection"])

    @property
    def label(self) -> str:
        """The record's identifier within its authority (``draw_id``)."""
        return str(self._content["draw_id"])


@attrs.frozen(eq=False)
class DrawRecord(DrawKind):
    """A sealed draw record (spec section 6).

    Build with :func:`~randsample.make_record`; load with :func:`~randsample.read_record` or
    :meth:`from_json`.
    """

    FORMAT: ClassVar[str] = DRAW_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "algorithm": ALGORITHM_SCHEMA,
        "library": LIBRARY_SCHEMA,
        "authority": str,
        "draw_id": str,
        "timestamp": str,
        "previous_record_digest": NULLABLE_STR,
        "seed": SEED_SCHEMA,
        "purpose": str,
        "subkey": str,
        "population": {"digest": str, "units": int, "eligible": int},
        "design": {"strata": [{"stratum": str, "units": int, "eligible": int, "sample_size": int}]},
        "selection": [
            {"id": str, "stratum": str, "rank": int, "ticket": str, "inclusion_probability": str}
        ],
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        _check_algorithm(content, {name: entry.version for name, entry in DESIGNS.items()})
        check_draw_values(content, columns=self._columns)


@attrs.frozen(eq=False)
class ReplacementRecord(SealedRecord):
    """A sealed record of one replacement (spec section 10).

    Build with :func:`~randsample.records.record_replacement`.
    """

    FORMAT: ClassVar[str] = REPLACEMENT_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "authority": str,
        "timestamp": str,
        "previous_record_digest": str,
        "draw_record_digest": str,
        "stratum": str,
        "replaced": {"id": str, "reason": str, "recorded_by": str},
        "replacement": {"id": str, "rank": int, "ticket": str, "reach_probability": str},
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        check_replacement_values(content)

    @property
    def label(self) -> str:
        """What the record is about: the replaced unit."""
        return f"replacement of {self._content['replaced']['id']}"


@attrs.frozen(eq=False)
class AssignmentRecord(SealedRecord):
    """A sealed inspector-team assignment record (spec section 11.6).

    Build with :func:`~randsample.teams.make_assignment_record`.
    """

    FORMAT: ClassVar[str] = ASSIGNMENT_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "algorithm": ALGORITHM_SCHEMA,
        "library": LIBRARY_SCHEMA,
        "authority": str,
        "assignment_id": str,
        "timestamp": str,
        "previous_record_digest": NULLABLE_STR,
        "seed": SEED_SCHEMA,
        "purpose": str,
        "subkey": str,
        "directory": {"digest": str, "inspectors": int},
        "input": {"digest": str, "visits": int, "conflicts_digest": str},
        "teams": [{"visit_id": str, "members": [{"department": str, "inspector_ids": [str]}]}],
        "unstaffed": [{"visit_id": str, "department": str, "needed": int, "assigned": int}],
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        _check_algorithm(content, {TEAM_ASSIGNMENT: TEAM_ASSIGNMENT_VERSION})
        check_assignment_values(content)

    @property
    def teams(self) -> dict[str, dict[str, list[str]]]:
        """Visit id -> department -> inspector ids, as recorded."""
        return {
            t["visit_id"]: {m["department"]: list(m["inspector_ids"]) for m in t["members"]}
            for t in self._content["teams"]
        }

    @property
    def label(self) -> str:
        """The record's identifier within its authority (``assignment_id``)."""
        return str(self._content["assignment_id"])
