"""Team adjustments: an officer or expert drops out after the draw, and who replaces them.

When a drawn member cannot serve (illness, a conflict of interest found after the draw), the
team is not redrawn. The replacement is drawn by the same verifiable rule (``docs/spec.md``
section 20): the next member of the same pool (the department, or the expert pool) in the
visit's pair-ticket order who is eligible, not on the team, has not dropped out of this visit,
and has spare capacity given the teams as adjusted so far. If the initiating department's
member changes, the leader is again its team member with the smallest pair ticket.

Each adjustment is its own sealed record (format ``randsample.team-adjustment-record/1``),
chained to the authority's previous record and pointing at the v2 team record, with the reason
and who recorded it; :func:`verify_adjustments` re-derives every one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import attrs

from ..core import PURPOSE_INSPECTORS, Seed, check_id
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ..records import (
    Findings,
    SealedRecord,
    VerificationReport,
    chain_link,
    check_chain,
    check_seal,
    format_timestamp,
    load,
    seal,
)
from ._assign_v2 import StaffedTeam
from ._conflicts import Conflicts
from ._directory import Directory
from ._problem import pair_ticket
from ._problem_v2 import _prepare_v2, _Prepared
from ._record_v2 import TeamRecord, load_team_record, verify_team_record
from ._staffing import EXPERTS, ExpertPool, TeamVisit

__all__ = [
    "ADJUSTMENT_FORMAT",
    "AdjustmentRecord",
    "adjusted_teams",
    "record_adjustment",
    "verify_adjustments",
]

#: The record format of a team adjustment.
ADJUSTMENT_FORMAT = "randsample.team-adjustment-record/1"


@attrs.frozen(eq=False)
class AdjustmentRecord(SealedRecord):
    """A sealed record of one team adjustment (spec section 20).

    Build with :func:`record_adjustment`; :func:`~randsample.records.read_record` reads it.
    """

    FORMAT: ClassVar[str] = ADJUSTMENT_FORMAT
    SCHEMA: ClassVar[Mapping[str, Any]] = {
        "record_format": str,
        "authority": str,
        "timestamp": str,
        "previous_record_digest": str,
        "assignment_record_digest": str,
        "visit_id": str,
        "department": (str, type(None)),
        "dropped": {"id": str, "reason": str, "recorded_by": str},
        "replacement": {"id": str, "ticket": str, "position": int},
        "leader": (str, type(None)),
        "record_digest": str,
    }

    @property
    def label(self) -> str:
        """What the record is about: the member who dropped out, and the visit."""
        return f"adjustment of {self._content['visit_id']}: {self._content['dropped']['id']} out"


@attrs.frozen
class _State:
    teams: dict[str, dict[str, list[str]]]  # visit -> pool -> ids
    leaders: dict[str, str | None]
    barred: dict[str, set[str]]  # visit -> everyone who dropped out of it


def _state(record: TeamRecord, earlier: Sequence[AdjustmentRecord]) -> _State:
    teams: dict[str, dict[str, list[str]]] = {}
    leaders: dict[str, str | None] = {}
    for visit_id, team in record.teams.items():
        pools = {d: list(ids) for d, ids in team["members"].items()}
        pools[EXPERTS] = list(team["experts"])
        teams[visit_id] = pools
        leaders[visit_id] = team["leader"]
    barred: dict[str, set[str]] = {}
    for adjustment in earlier:
        visit_id = adjustment["visit_id"]
        pool = adjustment["department"] or EXPERTS
        dropped, added = adjustment["dropped"]["id"], adjustment["replacement"]["id"]
        members = teams.get(visit_id, {}).get(pool, [])
        teams.setdefault(visit_id, {})[pool] = [m for m in members if m != dropped] + [added]
        leaders[visit_id] = adjustment["leader"]
        barred.setdefault(visit_id, set()).add(dropped)
    return _State(teams, leaders, barred)


def _pool_of(prepared: _Prepared, member: str) -> str:
    if member in prepared.experts.ids():
        return EXPERTS
    if member in prepared.directory:
        return prepared.directory.get(member).department
    raise InvalidInputError("dropped", member, "is neither an officer nor an expert")


def _derive(
    prepared: _Prepared, seed: Seed, state: _State, visit_id: str, dropped: str
) -> dict[str, Any]:
    """Return the adjustment's derived fields: department, replacement, leader."""
    positions = {v.visit_id: p for p, v in enumerate(prepared.visits)}
    if visit_id not in positions:
        raise InvalidInputError("visit_id", visit_id, "is not a visit of the assignment")
    p, visit = positions[visit_id], prepared.visits[positions[visit_id]]
    pool = _pool_of(prepared, dropped)
    team = state.teams.get(visit_id, {}).get(pool, [])
    if dropped not in team:
        raise InvalidInputError(
            "dropped", dropped, f"is not on the current team of visit {visit_id!r}"
        )
    dp = prepared.pools[pool]
    j = dp.visits.index(p)
    ids = dp.inspector_ids
    subkey = seed.subkey(PURPOSE_INSPECTORS)
    tickets = {r: pair_ticket(subkey, visit_id, ids[r]) for r in dp.eligible[j]}
    order = sorted(dp.eligible[j], key=lambda r: (tickets[r], ids[r].encode("utf-8")))
    staying = [m for m in team if m != dropped]
    barred = state.barred.get(visit_id, set()) | {dropped}
    loads: dict[str, int] = {}
    for other, pools in state.teams.items():
        for member in pools.get(pool, []):
            if not (other == visit_id and member == dropped):
                loads[member] = loads.get(member, 0) + 1
    position, r, candidate = 0, -1, ""
    for number, local in enumerate(order, start=1):
        if ids[local] in staying or ids[local] in barred:
            continue
        if loads.get(ids[local], 0) < dp.capacities[local]:
            position, r, candidate = number, local, ids[local]
            break
    if not candidate:
        raise InvalidInputError(
            "dropped",
            dropped,
            f"cannot be replaced on visit {visit_id!r}: no other eligible member of "
            f"{pool} has spare capacity",
        )
    leader = state.leaders.get(visit_id)
    if pool == visit.lead:
        after = {*staying, candidate}
        leader = next(ids[q] for q in order if ids[q] in after)
    return {
        "department": None if pool == EXPERTS else pool,
        "replacement": {"id": candidate, "ticket": tickets[r].hex(), "position": position},
        "leader": leader,
    }


def record_adjustment(
    record: TeamRecord | str | bytes,
    directory: Directory,
    visits: Sequence[TeamVisit],
    *,
    visit_id: str,
    dropped: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    experts: ExpertPool | None = None,
    conflicts: Conflicts | None = None,
    earlier: Sequence[AdjustmentRecord] = (),
) -> AdjustmentRecord:
    """Replace ``dropped`` on ``visit_id`` by the next eligible member (module doc); seal it.

    ``earlier`` are this team record's adjustments so far, in order; ``previous`` is the
    authority's latest record (the chain). The team record must verify against the data.

    >>> from randsample import Seed
    >>> from randsample.examples import small_team_inputs
    >>> from randsample.teams import assign_teams, make_team_record
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
    >>> record = make_team_record(teams, authority="县市场监管局", assignment_id="T-2026-03",
    ...                           timestamp="2026-03-01T02:00:00Z")
    >>> leader = teams.team("V-1").leader
    >>> change = record_adjustment(record, directory, visits, visit_id="V-1", dropped=leader,
    ...                            reason="病假", recorded_by="科长", experts=experts,
    ...                            timestamp="2026-03-02T01:00:00Z", previous=record)
    >>> change["replacement"]["id"] not in teams.team("V-1").of("SAMR"), change["leader"] != leader
    (True, True)
    """
    record = load_team_record(record)
    for field, value in (("reason", reason), ("recorded_by", recorded_by)):
        check_id(value, field=field)
    check_id(visit_id, field="visit_id")
    check_id(dropped, field="dropped")
    report = verify_team_record(record, directory, visits, experts=experts, conflicts=conflicts)
    if not report.ok:
        raise InvalidInputError(
            "record", record.record_digest, f"does not verify against the data: {report}"
        )
    for index, adjustment in enumerate(earlier):
        if not isinstance(adjustment, AdjustmentRecord):
            raise InvalidTypeError(f"earlier[{index}]", adjustment, "an AdjustmentRecord")
        if adjustment["assignment_record_digest"] != record.record_digest:
            raise InvalidInputError(
                f"earlier[{index}]", adjustment.record_digest, "adjusts another team record"
            )
    prepared = _prepare_v2(directory, visits, conflicts, experts)
    derived = _derive(
        prepared, Seed.from_json(record["seed"]), _state(record, earlier), visit_id, dropped
    )
    stamp = format_timestamp(timestamp)
    if stamp < record["timestamp"]:
        raise InvalidInputError("timestamp", stamp, "is earlier than the team record")
    content: dict[str, Any] = {
        "record_format": ADJUSTMENT_FORMAT,
        "authority": record["authority"],
        "timestamp": stamp,
        "previous_record_digest": chain_link(
            previous, authority=record["authority"], timestamp=stamp
        ),
        "assignment_record_digest": record.record_digest,
        "visit_id": visit_id,
        "department": derived["department"],
        "dropped": {"id": dropped, "reason": reason, "recorded_by": recorded_by},
        "replacement": derived["replacement"],
        "leader": derived["leader"],
        "record_digest": "0" * 64,
    }
    return AdjustmentRecord(seal(content))


def adjusted_teams(
    record: TeamRecord | str | bytes, adjustments: Sequence[AdjustmentRecord]
) -> tuple[StaffedTeam, ...]:
    """Return the teams of ``record`` with ``adjustments`` applied in order (not verified).

    >>> from randsample import Seed
    >>> from randsample.examples import small_team_inputs
    >>> from randsample.teams import assign_teams, make_team_record
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
    >>> record = make_team_record(teams, authority="a", assignment_id="t",
    ...                           timestamp="2026-03-01T02:00:00Z")
    >>> adjusted_teams(record, [])[0] == teams.team("V-1")
    True
    """
    record = load_team_record(record)
    state = _state(record, adjustments)
    return tuple(
        StaffedTeam(
            visit_id,
            state.leaders.get(visit_id),
            tuple(sorted((d, tuple(sorted(ids))) for d, ids in pools.items() if d != EXPERTS)),
            tuple(sorted(pools.get(EXPERTS, []))),
        )
        for visit_id, pools in sorted(state.teams.items())
    )


def verify_adjustments(
    record: TeamRecord | str | bytes,
    directory: Directory,
    visits: Sequence[TeamVisit],
    adjustments: Sequence[AdjustmentRecord | str | bytes],
    *,
    experts: ExpertPool | None = None,
    conflicts: Conflicts | None = None,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Verify the team record, then re-derive every adjustment in order and compare.

    Checks each adjustment's seal, that it points at this team record, that it links to the
    adjustment before it (the first to ``previous``, when given), that the member who dropped
    out was on the team at that point, and that the department, replacement and leader are
    what the rule gives.

    >>> from randsample import Seed
    >>> from randsample.examples import small_team_inputs
    >>> from randsample.teams import assign_teams, make_team_record
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
    >>> record = make_team_record(teams, authority="a", assignment_id="t",
    ...                           timestamp="2026-03-01T02:00:00Z")
    >>> change = record_adjustment(record, directory, visits, visit_id="V-1",
    ...                            dropped=teams.team("V-1").experts[0], reason="ill",
    ...                            recorded_by="chief", timestamp="2026-03-02T01:00:00Z",
    ...                            previous=record, experts=experts)
    >>> verify_adjustments(record, directory, visits, [change], experts=experts).ok
    True
    """
    record = load_team_record(record)
    findings = Findings()
    findings.extend(
        verify_team_record(
            record, directory, visits, experts=experts, conflicts=conflicts
        ).discrepancies
    )
    if findings:
        findings.add("adjustments", "cannot be checked: the team record does not verify")
        return findings.report(record.record_digest)
    loaded: list[AdjustmentRecord] = []
    for index, item in enumerate(adjustments):
        adjustment = load(item, field=f"adjustments[{index}]")
        if not isinstance(adjustment, AdjustmentRecord):
            raise InvalidTypeError(f"adjustments[{index}]", adjustment, "an AdjustmentRecord")
        loaded.append(adjustment)
    prepared = _prepare_v2(directory, visits, conflicts, experts)
    seed = Seed.from_json(record["seed"])
    before = None if previous is None else load(previous, field="previous")
    for index, adjustment in enumerate(loaded):
        where = f"adjustments[{index}]"
        check_seal(adjustment, findings.under(where))
        if adjustment["assignment_record_digest"] != record.record_digest:
            findings.add(f"{where}.assignment_record_digest", "points at another team record")
            continue
        check_chain(adjustment, loaded[index - 1] if index else before, findings.under(where))
        try:
            derived = _derive(
                prepared,
                seed,
                _state(record, loaded[:index]),
                adjustment["visit_id"],
                adjustment["dropped"]["id"],
            )
        except RandsampleError as exc:
            findings.add(f"{where}.dropped", str(exc))
            continue
        for name, value in derived.items():
            if adjustment[name] != value:
                findings.add(
                    f"{where}.{name}", f"record says {adjustment[name]!r}, re-derived {value!r}"
                )
    return findings.report(record.record_digest)
