"""Assignment records: sealed, chained, and re-derived by :func:`verify_assignment`.

Format ``randsample.assignment-record/1`` (``docs/spec.md`` section 11.6): the seed, the
sub-key, the digests of the directory and of the visits and conflicts, every team, and the
unstaffed visits; verification re-runs the algorithm from data only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from .._version import __version__
from ..core import PURPOSE_INSPECTORS, Seed, canonical_json, check_id
from ..errors import (
    InvalidInputError,
    InvalidTypeError,
    RandsampleError,
    RecordFormatError,
)
from ..records import Discrepancy, SealedRecord, VerificationReport, chain_discrepancies, chain_link
from ..records._seal import check_fields, compute_digest, format_timestamp
from ..records._verify import MAX_LISTED
from ._conflicts import Conflicts
from ._directory import Directory, Visit
from ._feasibility import (
    _explain,
    _flows,
)
from ._problem import (
    _prepare,
    _Problem,
    input_digest,
)
from ._solve import (
    ALGORITHM,
    ALGORITHM_VERSION,
    Assignment,
    _result,
    _solve,
)

__all__ = [
    "ASSIGNMENT_FORMAT",
    "AssignmentRecord",
    "make_assignment_record",
    "verify_assignment",
]

ASSIGNMENT_FORMAT = "randsample.assignment-record/1"


_Differ = Callable[[str, str], None]

_FIELDS: dict[str, tuple[type, ...]] = {
    "record_format": (str,),
    "algorithm": (dict,),
    "library": (dict,),
    "authority": (str,),
    "assignment_id": (str,),
    "timestamp": (str,),
    "previous_record_digest": (str, type(None)),
    "seed": (dict,),
    "purpose": (str,),
    "subkey": (str,),
    "directory": (dict,),
    "input": (dict,),
    "teams": (list,),
    "unstaffed": (list,),
    "record_digest": (str,),
}


def _require(field: str, obj: object, schema: Mapping[str, type]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise RecordFormatError(field, obj, "expected an object")
    if set(obj) != set(schema):
        raise RecordFormatError(field, sorted(obj), f"expected exactly the fields {sorted(schema)}")
    for name, kind in schema.items():
        value = obj[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise RecordFormatError(f"{field}.{name}", value, f"expected {kind.__name__}")
    return obj


@attrs.frozen(eq=False)
class AssignmentRecord(SealedRecord):
    """A sealed assignment record. Build with :func:`make_assignment_record`."""

    @staticmethod
    def _check(content: object) -> None:
        check_fields(content, _FIELDS, "an assignment record")
        assert isinstance(content, dict)  # checked just above; narrows the type
        if content["record_format"] != ASSIGNMENT_FORMAT:
            raise RecordFormatError(
                "record_format", content["record_format"], f"expected {ASSIGNMENT_FORMAT!r}"
            )
        expected = {"name": ALGORITHM, "version": ALGORITHM_VERSION}
        if content["algorithm"] != expected:
            raise RecordFormatError("algorithm", content["algorithm"], f"expected {expected}")
        _require("directory", content["directory"], {"digest": str, "inspectors": int})
        _require("input", content["input"], {"digest": str, "visits": int, "conflicts_digest": str})
        for index, team in enumerate(content["teams"]):
            _require(f"teams[{index}]", team, {"visit_id": str, "members": list})
            for k, entry in enumerate(team["members"]):
                _require(
                    f"teams[{index}].members[{k}]",
                    entry,
                    {"department": str, "inspector_ids": list},
                )
        for index, entry in enumerate(content["unstaffed"]):
            _require(
                f"unstaffed[{index}]",
                entry,
                {"visit_id": str, "department": str, "needed": int, "assigned": int},
            )
        try:  # every value must be canonically encodable (no floats, no lone surrogates)
            canonical_json(content)
        except (InvalidInputError, InvalidTypeError) as exc:
            raise RecordFormatError(exc.field, exc.value, "cannot be encoded canonically") from None

    @property
    def teams(self) -> dict[str, dict[str, list[str]]]:
        """Visit id -> department -> inspector ids, as recorded."""
        return {
            t["visit_id"]: {m["department"]: list(m["inspector_ids"]) for m in t["members"]}
            for t in self._content["teams"]
        }


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
    content["record_digest"] = compute_digest(content)
    return AssignmentRecord(content)


def verify_assignment(
    record: AssignmentRecord | str | bytes,
    directory: Directory,
    visits: Sequence[Visit],
    conflicts: Conflicts | None = None,
    *,
    previous: SealedRecord | None = None,
) -> VerificationReport:
    """Re-derive an assignment record from the data and report every difference by field.

    Checks the seal, the seed (re-derived from its sources) and the sub-key, the directory and
    input digests and counts, then re-runs the algorithm (in partial mode, so that a recorded
    partial assignment can be checked too) and compares every visit's team and the unstaffed
    list; with ``previous``, the chain link.
    """
    if isinstance(record, (str, bytes)):
        record = AssignmentRecord.from_json(record, check_digest=False)
    if not isinstance(record, AssignmentRecord):
        raise InvalidTypeError("record", record, "an AssignmentRecord or its JSON text")
    found: list[Discrepancy] = []

    def differ(field: str, message: str) -> None:
        found.append(Discrepancy(field, message))

    computed = record.computed_digest()
    if computed != record.record_digest:
        differ(
            "record_digest",
            f"record says {record.record_digest}, its content hashes to {computed}: "
            "the record was edited after it was sealed",
        )
    if not isinstance(directory, Directory):
        raise InvalidTypeError("directory", directory, "a Directory")
    if conflicts is None:
        conflicts = Conflicts()
    if not isinstance(conflicts, Conflicts):
        raise InvalidTypeError("conflicts", conflicts, "a Conflicts")
    seed = _check_seed(record, differ)
    try:
        problem = _prepare(directory, visits, conflicts)
    except RandsampleError as exc:
        differ("input", f"the visits, directory or conflicts are not usable: {exc}")
        problem = None
    if problem is not None and seed is not None:
        redone = _rerun(problem, seed)
        _compare_inputs(record, redone, differ)
        _compare_teams(record, redone, differ)
    elif problem is not None:
        _compare_inputs(record, problem, differ)
        differ("teams", "cannot be re-derived without the seed")
    if previous is not None:
        _check_chain(record, previous, differ)
    return VerificationReport(record.record_digest, tuple(found))


def _check_seed(record: AssignmentRecord, differ: _Differ) -> Seed | None:
    stored = record["seed"]
    try:
        seed = Seed.from_json(stored)
    except RandsampleError as exc:
        differ("seed", f"cannot be re-derived: {exc}")
        return None
    for name, actual in (
        ("value", seed.value.hex()),
        ("key", seed.key),
        ("commitment", seed.commitment),
        ("low_entropy_allowed", seed.low_entropy_allowed),
    ):
        if stored.get(name) != actual:
            differ(f"seed.{name}", f"record says {stored.get(name)!r}, re-derived {actual!r}")
    if record["purpose"] != PURPOSE_INSPECTORS:
        differ("purpose", f"record says {record['purpose']!r}, expected {PURPOSE_INSPECTORS!r}")
    subkey = seed.subkey(PURPOSE_INSPECTORS).hex()
    if record["subkey"] != subkey:
        differ("subkey", f"record says {record['subkey']}, re-derived {subkey}")
    return seed


def _compare_inputs(
    record: AssignmentRecord, redone: Assignment | _Problem, differ: _Differ
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
    for field, values in actual.items():
        stored = record[field]
        for name, value in values.items():
            if stored[name] != value:
                differ(f"{field}.{name}", f"record says {stored[name]!r}, the data give {value!r}")


def _compare_teams(record: AssignmentRecord, redone: Assignment, differ: _Differ) -> None:
    problems = _team_differences(record, redone)
    for difference in problems[:MAX_LISTED]:
        differ(difference.field, difference.message)
    if len(problems) > MAX_LISTED:
        differ("teams", f"... and {len(problems) - MAX_LISTED} more differences")


def _team_differences(record: AssignmentRecord, redone: Assignment) -> list[Discrepancy]:
    stored_teams = record.teams
    expected = {t.visit_id: {d: list(ids) for d, ids in t.members} for t in redone.teams}
    problems: list[Discrepancy] = []
    for visit_id in sorted(set(stored_teams) | set(expected)):
        if visit_id not in expected:
            problems.append(Discrepancy("teams", f"visit {visit_id!r} is not among the visits"))
        elif visit_id not in stored_teams:
            problems.append(Discrepancy("teams", f"visit {visit_id!r} is missing from the record"))
        elif stored_teams[visit_id] != expected[visit_id]:
            was_all, now_all = stored_teams[visit_id], expected[visit_id]
            for department in sorted(set(was_all) | set(now_all)):
                was, now = was_all.get(department), now_all.get(department)
                if was != now:
                    problems.append(
                        Discrepancy(
                            f"teams[{visit_id!r}][{department!r}]",
                            f"record says {was}, re-derived {now}",
                        )
                    )
    if not problems and record["teams"] != _teams_json(redone):
        problems.append(Discrepancy("teams", "entries are not in canonical order"))
    if record["unstaffed"] != _unstaffed_json(redone):
        problems.append(
            Discrepancy(
                "unstaffed",
                f"record says {record['unstaffed']}, re-derived {_unstaffed_json(redone)}",
            )
        )
    return problems


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


def _check_chain(record: AssignmentRecord, previous: SealedRecord, differ: _Differ) -> None:
    if not isinstance(previous, SealedRecord):
        raise InvalidTypeError("previous", previous, "a sealed record")
    for problem in chain_discrepancies(record, previous):
        differ(problem.field, problem.message)
