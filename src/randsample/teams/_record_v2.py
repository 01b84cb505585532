"""Team records, version 2: sealed, chained, and re-derived by :func:`verify_team_record`.

Format ``randsample.assignment-record/2`` (``docs/spec.md`` section 19.6) names algorithm
``team-assignment`` version 2 and adds to version 1's record the expert pool's digest, each
team's leader and experts, and unstaffed entries of the expert pool (``department`` null).
Defining the record kind registers it, so :func:`~randsample.records.read_record` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import attrs

from .._version import __version__
from ..core import PURPOSE_INSPECTORS, Seed, check_id
from ..errors import InvalidTypeError, RandsampleError, RecordFormatError
from ..records import (
    AssignmentRecord,
    Discrepancy,
    Findings,
    SealedRecord,
    VerificationReport,
    chain_link,
    check_chain,
    check_seal,
    check_seed,
    format_timestamp,
    load,
    seal,
)
from ._assign_v2 import ALGORITHM_VERSION_2, TeamAssignment, _result
from ._common import compare_inputs, team_differences
from ._conflicts import Conflicts
from ._directory import Directory
from ._feasibility import _max_flow
from ._problem_v2 import _explain_v2, _prepare_v2, _Prepared, input_digest_v2
from ._solve import ALGORITHM
from ._staffing import ExpertPool, TeamVisit

__all__ = ["TEAM_RECORD_FORMAT", "TeamRecord", "make_team_record", "verify_team_record"]

#: The record format of team-assignment version 2.
TEAM_RECORD_FORMAT = "randsample.assignment-record/2"


@attrs.frozen(eq=False)
class TeamRecord(SealedRecord):
    """A sealed team-assignment v2 record (spec section 19.6).

    Build with :func:`make_team_record`; :func:`~randsample.records.read_record` reads it.
    """

    FORMAT: ClassVar[str] = TEAM_RECORD_FORMAT
    SCHEMA: ClassVar[Mapping[str, Any]] = {
        "record_format": str,
        "algorithm": {"name": str, "version": int},
        "library": {"name": str, "version": str},
        "authority": str,
        "assignment_id": str,
        "timestamp": str,
        "previous_record_digest": (str, type(None)),
        "seed": AssignmentRecord.SCHEMA["seed"],
        "purpose": str,
        "subkey": str,
        "directory": {"digest": str, "inspectors": int},
        "experts": {"digest": str, "experts": int},
        "input": {"digest": str, "visits": int, "conflicts_digest": str},
        "teams": [
            {
                "visit_id": str,
                "leader": (str, type(None)),
                "members": [{"department": str, "inspector_ids": [str]}],
                "experts": [str],
            }
        ],
        "unstaffed": [
            {"visit_id": str, "department": (str, type(None)), "needed": int, "assigned": int}
        ],
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        algorithm = content["algorithm"]
        wanted = {"name": ALGORITHM, "version": ALGORITHM_VERSION_2}
        if algorithm != wanted:
            raise RecordFormatError(
                "algorithm", algorithm, f"unsupported; this format runs {wanted}"
            )

    @property
    def label(self) -> str:
        """The record's identifier within its authority (``assignment_id``)."""
        return str(self._content["assignment_id"])

    @property
    def teams(self) -> dict[str, dict[str, Any]]:
        """Visit id -> ``{"leader", "members": {department: ids}, "experts": ids}``."""
        return {
            t["visit_id"]: {
                "leader": t["leader"],
                "members": {m["department"]: list(m["inspector_ids"]) for m in t["members"]},
                "experts": list(t["experts"]),
            }
            for t in self._content["teams"]
        }


def _teams_json(assignment: TeamAssignment) -> list[dict[str, Any]]:
    return [
        {
            "visit_id": team.visit_id,
            "leader": team.leader,
            "members": [
                {"department": department, "inspector_ids": list(ids)}
                for department, ids in team.members
            ],
            "experts": list(team.experts),
        }
        for team in assignment.teams
    ]


def _unstaffed_json(assignment: TeamAssignment) -> list[dict[str, Any]]:
    return [
        {
            "visit_id": s.visit_id,
            "department": s.department,
            "needed": s.needed,
            "assigned": s.assigned,
        }
        for s in assignment.shortfalls
    ]


def make_team_record(
    assignment: TeamAssignment,
    *,
    authority: str,
    assignment_id: str,
    timestamp: datetime | str,
    previous: SealedRecord | None = None,
) -> TeamRecord:
    """Seal ``assignment`` (team-assignment v2) into a record chained to ``previous``.

    >>> from randsample import Seed
    >>> from randsample.examples import small_team_inputs
    >>> from randsample.teams import assign_teams
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
    >>> record = make_team_record(teams, authority="县市场监管局", assignment_id="T-2026-03",
    ...                           timestamp="2026-03-01T02:00:00Z")
    >>> record["algorithm"], record.teams["V-1"]["leader"] == teams.team("V-1").leader
    ({'name': 'team-assignment', 'version': 2}, True)
    """
    check_id(authority, field="authority")
    check_id(assignment_id, field="assignment_id")
    if not isinstance(assignment, TeamAssignment):
        raise InvalidTypeError("assignment", assignment, "a TeamAssignment (see assign_teams)")
    stamp = format_timestamp(timestamp)
    content: dict[str, Any] = {
        "record_format": TEAM_RECORD_FORMAT,
        "algorithm": {"name": ALGORITHM, "version": ALGORITHM_VERSION_2},
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "assignment_id": assignment_id,
        "timestamp": stamp,
        "previous_record_digest": chain_link(previous, authority=authority, timestamp=stamp),
        "seed": assignment.seed.to_json(),
        "purpose": PURPOSE_INSPECTORS,
        "subkey": assignment.subkey.hex(),
        "directory": {
            "digest": assignment.directory_digest,
            "inspectors": assignment.directory_size,
        },
        "experts": {"digest": assignment.experts_digest, "experts": assignment.experts_size},
        "input": {
            "digest": assignment.input_digest,
            "visits": assignment.visit_count,
            "conflicts_digest": assignment.conflicts_digest,
        },
        "teams": _teams_json(assignment),
        "unstaffed": _unstaffed_json(assignment),
        "record_digest": "0" * 64,
    }
    return TeamRecord(seal(content))


def rerun(prepared: _Prepared, seed: Seed) -> TeamAssignment:
    """Return the assignment exactly as ``assign_teams(..., partial=True)`` makes it."""
    flows = {name: _max_flow(dp) for name, dp in prepared.pools.items()}
    report = None
    if any(flows[n].value < dp.total_demand for n, dp in prepared.pools.items()):
        report = _explain_v2(prepared, flows)
    return _result(prepared, seed, seed.subkey(PURPOSE_INSPECTORS), report)


def load_team_record(record: TeamRecord | str | bytes, field: str = "record") -> TeamRecord:
    """Return ``record`` as a :class:`TeamRecord` (parsing its JSON text if needed)."""
    loaded = load(record, field=field)
    if not isinstance(loaded, TeamRecord):
        raise InvalidTypeError(field, loaded, "a TeamRecord or its JSON text")
    return loaded


def verify_team_record(
    record: TeamRecord | str | bytes,
    directory: Directory,
    visits: Sequence[TeamVisit],
    *,
    experts: ExpertPool | None = None,
    conflicts: Conflicts | None = None,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Re-derive a v2 team record from the data and report every difference by field.

    Checks the seal, the seed and sub-key, the directory, expert pool and input digests and
    counts, then re-runs the algorithm (partial mode) and compares every team (leader,
    officers per department, experts) and the unstaffed list; with ``previous``, the chain.

    >>> from randsample import Seed
    >>> from randsample.examples import small_team_inputs
    >>> from randsample.teams import assign_teams
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
    >>> record = make_team_record(teams, authority="县市场监管局", assignment_id="T-2026-03",
    ...                           timestamp="2026-03-01T02:00:00Z")
    >>> verify_team_record(record, directory, visits, experts=experts).ok
    True
    >>> verify_team_record(record, directory, visits[:2], experts=experts).fields[:2]
    ('input.digest', 'input.visits')
    """
    record = load_team_record(record)
    findings = Findings()
    check_seal(record, findings)
    seed = check_seed(record, findings, purpose=PURPOSE_INSPECTORS)
    try:
        prepared = _prepare_v2(directory, visits, conflicts, experts)
    except RandsampleError as exc:
        findings.add("input", f"the visits, directory, experts or conflicts are not usable: {exc}")
        prepared = None
    if prepared is not None:
        digests = {
            "directory": {
                "digest": prepared.directory.digest(),
                "inspectors": len(prepared.directory),
            },
            "experts": {"digest": prepared.experts.digest(), "experts": len(prepared.experts)},
            "input": {
                "digest": _digest(prepared),
                "visits": len(prepared.visits),
                "conflicts_digest": prepared.conflicts.digest(),
            },
        }
        compare_inputs(record, digests, findings)
        if seed is None:
            findings.add("teams", "cannot be re-derived without the seed")
        else:
            findings.listed(_differences(record, rerun(prepared, seed)), "teams")
    check_chain(record, None if previous is None else load(previous, field="previous"), findings)
    return findings.report(record.record_digest)


def _digest(prepared: _Prepared) -> str:
    return input_digest_v2(prepared.visits, prepared.conflicts)


def _differences(record: TeamRecord, redone: TeamAssignment) -> list[Discrepancy]:
    stored = record.teams
    expected = {
        t.visit_id: {
            "leader": t.leader,
            "members": {d: list(ids) for d, ids in t.members},
            "experts": list(t.experts),
        }
        for t in redone.teams
    }

    def parts(visit_id: str, was: dict[str, Any], now: dict[str, Any]) -> list[Discrepancy]:
        return [
            Discrepancy(
                f"teams[{visit_id!r}].{part}", f"record says {was[part]}, re-derived {now[part]}"
            )
            for part in ("leader", "members", "experts")
            if was[part] != now[part]
        ]

    return team_differences(
        record, stored, expected, parts, (_teams_json(redone), _unstaffed_json(redone))
    )
