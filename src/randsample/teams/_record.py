"""Assignment records: sealed, chained, and re-derived by :func:`verify_assignment`.

Format ``randsample.assignment-record/1`` (``docs/spec.md`` section 11.6): the seed, the
sub-key, the digests of the directory and of the visits and conflicts, every team, and the
unstaffed visits; verification re-runs the algorithm from data only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .._version import __version__
from ..core import PURPOSE_INSPECTORS, Seed, check_id
from ..errors import InvalidTypeError, RandsampleError
from ..records import (
    ASSIGNMENT_FORMAT,
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
from ._assignment import Assignment
from ._common import compare_inputs, team_differences
from ._conflicts import Conflicts
from ._directory import Directory
from ._feasibility import _explain, _flows
from ._matching import _solve
from ._problem import _check_inputs, _prepare, _Problem, input_digest
from ._solve import ALGORITHM, ALGORITHM_VERSION, _result
from ._visit import Visit

__all__ = ["make_assignment_record", "verify_assignment"]


def _teams_json(assignment: Assignment) -> list[dict[str, Any]]:
    return [
        {
            "visit_id": team.visit_id,
            "members": [
                {"department": department, "inspector_ids": list(ids)}
                for department, ids in team.members
            ],
        }
        for team in assignment.teams
    ]


def _unstaffed_json(assignment: Assignment) -> list[dict[str, Any]]:
    return [
        {
            "visit_id": u.visit_id,
            "department": u.department,
            "needed": u.needed,
            "assigned": u.assigned,
        }
        for u in assignment.unstaffed
    ]


def make_assignment_record(
    assignment: Assignment,
    *,
    authority: str,
    assignment_id: str,
    timestamp: datetime | str,
    previous: SealedRecord | None = None,
) -> AssignmentRecord:
    """Seal ``assignment`` into a record chained to the authority's ``previous`` record.

    ``previous`` may be any sealed record of the same authority (a draw record, a replacement
    record or an earlier assignment record). The timestamp is passed in (no clock is read).
    """
    check_id(authority, field="authority")
    check_id(assignment_id, field="assignment_id")
    if not isinstance(assignment, Assignment):
        raise InvalidTypeError("assignment", assignment, "an Assignment")
    stamp = format_timestamp(timestamp)
    previous_digest = chain_link(previous, authority=authority, timestamp=stamp)
    content: dict[str, Any] = {
        "record_format": ASSIGNMENT_FORMAT,
        "algorithm": {"name": ALGORITHM, "version": ALGORITHM_VERSION},
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "assignment_id": assignment_id,
        "timestamp": stamp,
        "previous_record_digest": previous_digest,
        "seed": assignment.seed.to_json(),
        "purpose": PURPOSE_INSPECTORS,
        "subkey": assignment.subkey.hex(),
        "directory": {
            "digest": assignment.directory_digest,
            "inspectors": assignment.directory_size,
        },
        "input": {
            "digest": assignment.input_digest,
            "visits": assignment.visit_count,
            "conflicts_digest": assignment.conflicts_digest,
        },
        "teams": _teams_json(assignment),
        "unstaffed": _unstaffed_json(assignment),
        "record_digest": "0" * 64,
    }
    return AssignmentRecord(seal(content))


def verify_assignment(
    record: AssignmentRecord | str | bytes,
    directory: Directory,
    visits: Sequence[Visit],
    *,
    conflicts: Conflicts | None = None,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Re-derive an assignment record from the data and report every difference by field.

    Checks the seal, the seed (re-derived from its sources) and the sub-key, the directory and
    input digests and counts, then re-runs the algorithm (in partial mode, so that a recorded
    partial assignment can be checked too) and compares every visit's team and the unstaffed
    list; with ``previous`` (a record of any kind), the chain link.
    """
    loaded = load(record)
    if not isinstance(loaded, AssignmentRecord):
        raise InvalidTypeError("record", loaded, "an AssignmentRecord or its JSON text")
    record = loaded
    directory, conflicts = _check_inputs(directory, conflicts)
    findings = Findings()
    check_seal(record, findings)
    seed = check_seed(record, findings, purpose=PURPOSE_INSPECTORS)
    try:
        problem = _prepare(directory, visits, conflicts)
    except RandsampleError as exc:
        findings.add("input", f"the visits, directory or conflicts are not usable: {exc}")
        problem = None
    if problem is not None and seed is not None:
        redone = _rerun(problem, seed)
        _compare_inputs(record, redone, findings)
        findings.listed(_team_differences(record, redone), "teams")
    elif problem is not None:
        _compare_inputs(record, problem, findings)
        findings.add("teams", "cannot be re-derived without the seed")
    check_chain(record, None if previous is None else load(previous, field="previous"), findings)
    return findings.report(record.record_digest)


def _compare_inputs(
    record: AssignmentRecord, redone: Assignment | _Problem, findings: Findings
) -> None:
    if isinstance(redone, Assignment):
        directory_digest, conflicts_digest = redone.directory_digest, redone.conflicts_digest
        digest, sizes = redone.input_digest, (redone.directory_size, redone.visit_count)
    else:  # no seed, so no re-run: the digests straight from the data
        directory_digest, conflicts_digest = redone.directory.digest(), redone.conflicts.digest()
        digest = input_digest(redone.visits, redone.conflicts)
        sizes = (len(redone.directory), len(redone.visits))
    actual = {
        "directory": {"digest": directory_digest, "inspectors": sizes[0]},
        "input": {"digest": digest, "visits": sizes[1], "conflicts_digest": conflicts_digest},
    }
    compare_inputs(record, actual, findings)


def _team_differences(record: AssignmentRecord, redone: Assignment) -> list[Discrepancy]:
    def departments(
        visit_id: str, was_all: dict[str, list[str]], now_all: dict[str, list[str]]
    ) -> list[Discrepancy]:
        return [
            Discrepancy(
                f"teams[{visit_id!r}][{department!r}]",
                f"record says {was_all.get(department)}, re-derived {now_all.get(department)}",
            )
            for department in sorted(set(was_all) | set(now_all))
            if was_all.get(department) != now_all.get(department)
        ]

    expected = {t.visit_id: {d: list(ids) for d, ids in t.members} for t in redone.teams}
    return team_differences(
        record,
        record.teams,
        expected,
        departments,
        (_teams_json(redone), _unstaffed_json(redone)),
    )


def _rerun(problem: _Problem, seed: Seed) -> Assignment:
    # The selection exactly as assign_inspectors(partial=True) makes it.
    flows = _flows(problem)
    report = None
    if any(flows[d].value < dp.total_demand for d, dp in problem.departments.items()):
        report = _explain(problem, flows)
    subkey = seed.subkey(PURPOSE_INSPECTORS)
    return _result(
        problem, seed, subkey=subkey, solutions=_solve(problem, subkey), flows=flows, report=report
    )
