"""Team-assignment v2: per-department minimums, a leader, experts, adjustments, the bridge."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import InvalidInputError, InvalidTypeError, Seed
from randsample.errors import InvalidIdentifierError
from randsample.examples import small_team_inputs, small_year
from randsample.joint import draw_period
from randsample.teams import (
    EXPERTS,
    Conflicts,
    Directory,
    Expert,
    ExpertPool,
    InfeasibleAssignmentError,
    Inspector,
    Relation,
    TeamRecord,
    TeamVisit,
    adjusted_teams,
    assign_teams,
    make_team_record,
    pair_ticket,
    record_adjustment,
    team_visits_from_joint,
    verify_adjustments,
    verify_team_record,
)
from tests.strategies import seeds

SEED = Seed.from_hex("6a09e667f3bcc908b2fb1367ea4a6fe5")
DAY = datetime.date(2026, 3, 2)
TOWNS = ("城关镇", "东关街道", "西湖乡")


def officer(ident: str, department: str = "SAMR", **fields: Any) -> Inspector:
    values: dict[str, Any] = {
        "certified": True,
        "categories": {"食品"},
        "home_region": "城关镇",
        "capacity": 5,
    }
    return Inspector(id=ident, department=department, **(values | fields))


def visit(visit_id: str, departments: tuple[str, ...] = ("SAMR",), **fields: Any) -> TeamVisit:
    items = {d: {"食品"} for d in departments}
    values: dict[str, Any] = {"enterprise_id": f"E-{visit_id}", "date": DAY, "items": items}
    return TeamVisit(visit_id=visit_id, departments=departments, **(values | fields))


# -- properties ------------------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[Directory, ExpertPool, list[TeamVisit], Conflicts]:
    """Small random v2 instances that pass the up-front checks (feasible or not)."""
    sizes = {d: draw(st.integers(2, 5)) for d in ("D0", "D1", "D2")}
    staff = [
        officer(
            f"{d}-{k}",
            d,
            categories=draw(st.sampled_from([{"c1"}, {"c2"}, {"c1", "c2"}])),
            home_region=draw(st.sampled_from(TOWNS)),
            capacity=draw(st.integers(1, 4)),
            days_off=draw(st.sampled_from([set(), {DAY}])),
        )
        for d, n in sizes.items()
        for k in range(n)
    ]
    pool = ExpertPool(
        [
            Expert(
                id=f"X-{k}",
                categories={"p"},
                home_region=draw(st.sampled_from(TOWNS)),
                capacity=draw(st.integers(1, 3)),
            )
            for k in range(draw(st.integers(0, 3)))
        ]
    )
    visits = []
    for n in range(draw(st.integers(1, 6))):
        departments = tuple(
            draw(st.lists(st.sampled_from(sorted(sizes)), min_size=1, max_size=2, unique=True))
        )
        minimums = {d: draw(st.integers(2, min(3, sizes[d]))) for d in departments}
        visits.append(
            TeamVisit(
                visit_id=f"V-{n}",
                enterprise_id=f"E-{n}",
                date=draw(st.sampled_from([DAY, DAY + datetime.timedelta(days=1)])),
                departments=departments,
                items={d: draw(st.sampled_from([{"c1"}, {"c2"}])) for d in departments},
                lead=draw(st.sampled_from(departments)),
                minimums=minimums,
                experts=draw(st.integers(0, min(1, len(pool)))),
                location=draw(st.sampled_from(TOWNS)),
            )
        )
    conflicts = Conflicts(same_locality=draw(st.booleans()))
    categories = dict.fromkeys(sizes, frozenset({"c1", "c2"}))
    return Directory(staff, categories=categories), pool, visits, conflicts


@settings(max_examples=60, deadline=None)
@given(instances(), seeds)
def test_property_teams_meet_minimums_with_a_leader_and_experts_apart(instance, seed):
    """Every team has every department's minimum (or is listed short), a leader from the
    initiating department's members, experts never among the officers; capacities hold and
    every member is eligible."""
    directory, pool, visits, conflicts = instance
    result = assign_teams(directory, visits, seed, experts=pool, conflicts=conflicts, partial=True)
    short = {(s.visit_id, s.department) for s in result.shortfalls}
    expert_ids = pool.ids()
    load: Counter[str] = Counter()
    for v in visits:
        team = result.team(v.visit_id)
        for department in v.departments:
            members = team.of(department)
            assert len(members) == v.minimum(department) or (v.visit_id, department) in short
            assert all(directory.get(m).department == department for m in members)
            for m in members:
                member = directory.get(m)
                assert v.items[department] <= member.categories
                assert v.date not in member.days_off
                assert not (conflicts.same_locality and member.home_region == v.location)
        lead_team = team.of(v.lead)
        assert (team.leader in lead_team) if lead_team else team.leader is None
        assert not set(team.officers) & expert_ids
        assert set(team.experts) <= expert_ids
        assert len(team.experts) == v.experts or (v.visit_id, None) in short
        load.update(team.officers)
        load.update(team.experts)
    capacity = {i.id: i.capacity for i in directory.inspectors} | {
        e.id: e.capacity for e in pool.experts
    }
    assert all(load[m] <= capacity[m] for m in load)
    if result.complete:
        assert all(
            len(result.team(v.visit_id).of(d)) == v.minimum(d)
            for v in visits
            for d in v.departments
        )


def test_slack_gives_the_smallest_tickets_and_the_leader_the_smallest_of_the_lead():
    """With slack capacities each department's officers are its smallest pair tickets, and
    the leader is the initiating department's eligible officer with the smallest ticket."""
    staff = [officer(f"S-{k}") for k in range(6)] + [officer(f"H-{k}", "HEALTH") for k in range(4)]
    visits = [visit("V-1", ("HEALTH", "SAMR"), minimums={"SAMR": 3})]
    result = assign_teams(Directory(staff), visits, SEED)
    subkey = SEED.subkey("inspectors")

    def ranked(ids: list[str]) -> list[str]:
        return sorted(ids, key=lambda i: (pair_ticket(subkey, "V-1", i), i.encode()))

    team = result.team("V-1")
    assert tuple(sorted(ranked([f"S-{k}" for k in range(6)])[:3])) == team.of("SAMR")
    lead = ranked([f"H-{k}" for k in range(4)])
    assert tuple(sorted(lead[:2])) == team.of("HEALTH")
    assert lead[0] == team.leader  # HEALTH initiates (listed first)
    assert not result.capacity_binding
    assert "V-1" in result.summary()


# -- typed errors before any draw ------------------------------------------------------------


def test_a_cooperating_department_without_officers_is_named():
    """A department taking part in a visit with no officer in the directory is refused."""
    directory = Directory([officer("S-1"), officer("S-2")], departments={"SAMR", "FIRE"})
    with pytest.raises(InvalidInputError) as info:
        assign_teams(directory, [visit("V-1", ("SAMR", "FIRE"))], SEED)
    assert "department 'FIRE'" == info.value.field
    assert "has no officers" in str(info.value)


def test_a_minimum_no_department_can_meet_is_named():
    """A minimum larger than the department's officers is refused, naming the department."""
    directory = Directory([officer(f"S-{k}") for k in range(3)])
    with pytest.raises(InvalidInputError) as info:
        assign_teams(directory, [visit("V-1", minimums={"SAMR": 4})], SEED)
    assert "visit 'V-1'.minimums['SAMR']" == info.value.field
    assert "has only 3 officers" in str(info.value)
    with pytest.raises(InvalidInputError, match=r"minimums\['SAMR'\]: must be >= 2"):
        visit("V-2", minimums={"SAMR": 1})


def test_other_refusals():
    """Experts beyond the pool, the locality rule without a location, clashing ids."""
    directory = Directory([officer(f"S-{k}") for k in range(3)])
    with pytest.raises(InvalidInputError, match="the expert pool has 0 experts"):
        assign_teams(directory, [visit("V-1", experts=1)], SEED)
    with pytest.raises(InvalidInputError, match=r"visit 'V-1'\.location: is needed"):
        assign_teams(directory, [visit("V-1")], SEED, conflicts=Conflicts(same_locality=True))
    clash = ExpertPool([Expert(id="S-1", categories={"p"}, home_region="城关镇", capacity=1)])
    with pytest.raises(InvalidIdentifierError, match="also an officer"):
        assign_teams(directory, [visit("V-1")], SEED, experts=clash)
    unknown = Conflicts(relations=[Relation("Q-9", "E-V-1", "relative")])
    with pytest.raises(InvalidInputError, match="names nobody"):
        assign_teams(directory, [visit("V-1")], SEED, conflicts=unknown)
    with pytest.raises(InvalidInputError, match="needs experts > 0"):
        visit("V-1", expert_categories={"p"})
    with pytest.raises(InvalidInputError, match="expert pool's name"):
        visit("V-1", (EXPERTS,))
    with pytest.raises(InvalidTypeError, match="seed"):
        assign_teams(directory, [visit("V-1")], "seed")  # type: ignore[arg-type]


def test_infeasible_teams_are_explained_per_department_and_pool():
    """Too few eligible experts or officers: the report names the visit and the pool."""
    staff = [officer(f"S-{k}", home_region=TOWNS[k % 3]) for k in range(3)]
    pool = ExpertPool([Expert(id="X-1", categories={"p"}, home_region="城关镇", capacity=1)])
    visits = [
        visit("V-1", experts=1, expert_categories={"p"}, location="城关镇"),
        visit("V-2", experts=1, location="东关街道"),
    ]
    with pytest.raises(InfeasibleAssignmentError) as info:
        assign_teams(
            Directory(staff), visits, SEED, experts=pool, conflicts=Conflicts(same_locality=True)
        )
    text = str(info.value)
    assert "visit V-1 (enterprise E-V-1): department (experts) has 0 eligible" in text
    assert "1 same-locality" in text
    partial = assign_teams(
        Directory(staff),
        visits,
        SEED,
        experts=pool,
        partial=True,
        conflicts=Conflicts(same_locality=True),
    )
    assert [("V-1", None, 1, 0)] == [
        (s.visit_id, s.department, s.needed, s.assigned) for s in partial.shortfalls
    ]


# -- records and adjustments -----------------------------------------------------------------


@pytest.fixture(scope="module")
def sealed() -> dict[str, Any]:
    directory, experts, visits = small_team_inputs()
    directory = Directory([attrs.evolve(i, capacity=3) for i in directory.inspectors])
    teams = assign_teams(directory, visits, SEED, experts=experts)
    record = make_team_record(
        teams, authority="县市场监管局", assignment_id="T-1", timestamp="2026-03-01T02:00:00Z"
    )
    return {
        "directory": directory,
        "experts": experts,
        "visits": visits,
        "teams": teams,
        "record": record,
    }


def test_a_tampered_team_record_names_the_visit(sealed):
    """A changed leader (resealed) is reported by visit and part; read_record reads it."""
    from randsample.records import read_record, seal

    content = sealed["record"].content
    team = next(t for t in content["teams"] if t["visit_id"] == "V-1")
    actual = sealed["teams"].team("V-1")
    team["leader"] = next(m for m in actual.of("SAMR") if m != actual.leader)
    forged = read_record(sealed["record"].__class__(seal(content)).to_json())
    report = verify_team_record(
        forged, sealed["directory"], sealed["visits"], experts=sealed["experts"]
    )
    assert ("teams['V-1'].leader",) == report.fields


def test_adjustments_follow_the_rule_and_chain(sealed):
    """A dropped officer is replaced by the next eligible one with capacity; a second
    adjustment on the same visit never brings the first one back; both verify."""
    directory, experts, visits = sealed["directory"], sealed["experts"], sealed["visits"]
    record, teams = sealed["record"], sealed["teams"]
    common = {"experts": experts, "reason": "病假", "recorded_by": "科长"}
    first_out = teams.team("V-3").of("SAMR")[0]
    first = record_adjustment(
        record,
        directory,
        visits,
        visit_id="V-3",
        dropped=first_out,
        timestamp="2026-03-02T01:00:00Z",
        previous=record,
        **common,
    )
    replacement = first["replacement"]["id"]
    second = record_adjustment(
        record,
        directory,
        visits,
        visit_id="V-3",
        dropped=replacement,
        timestamp="2026-03-02T02:00:00Z",
        previous=first,
        earlier=[first],
        **common,
    )
    assert first_out != second["replacement"]["id"]
    report = verify_adjustments(
        record, directory, visits, [first, second], experts=experts, previous=record
    )
    assert report.ok, str(report)
    (team,) = [t for t in adjusted_teams(record, [first, second]) if t.visit_id == "V-3"]
    assert second["replacement"]["id"] in team.of("SAMR")
    assert first_out not in team.of("SAMR")
    with pytest.raises(InvalidInputError, match="not on the current team"):
        record_adjustment(
            record,
            directory,
            visits,
            visit_id="V-3",
            dropped=first_out,
            timestamp="2026-03-02T03:00:00Z",
            previous=second,
            earlier=[first, second],
            **common,
        )


def test_an_adjustment_without_a_free_replacement_is_refused():
    """When every other eligible member is busy, no record is made."""
    staff = [officer("S-1", capacity=1), officer("S-2", capacity=1), officer("S-3", capacity=1)]
    visits = [visit("V-1"), visit("V-2", minimums={"SAMR": 2})]
    directory = Directory([*staff, officer("S-4", capacity=1)])
    teams = assign_teams(directory, visits, SEED)
    record = make_team_record(
        teams, authority="a", assignment_id="t", timestamp="2026-03-01T02:00:00Z"
    )
    with pytest.raises(InvalidInputError, match="cannot be replaced"):
        record_adjustment(
            record,
            directory,
            visits,
            visit_id="V-1",
            dropped=teams.team("V-1").of("SAMR")[0],
            reason="ill",
            recorded_by="chief",
            timestamp="2026-03-02T01:00:00Z",
            previous=record,
        )
    with pytest.raises(InvalidInputError, match="does not verify"):
        record_adjustment(
            record,
            directory,
            visits[:1],
            visit_id="V-1",
            dropped="S-1",
            reason="ill",
            recorded_by="chief",
            timestamp="2026-03-02T01:00:00Z",
            previous=record,
        )


# -- the bridge from a declared draw ---------------------------------------------------------


def test_team_visits_from_a_declared_joint_draw():
    """Every on-site visit becomes a TeamVisit: departments, initiator as lead, minimum 2 each
    (or as given), experts and locations as given."""
    plan, sizing, seed, scopes = small_year()
    draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing, as_of=DAY)
    first = draw.visits[0].visit_id
    visits = team_visits_from_joint(
        draw,
        plan,
        date=DAY,
        location={v.enterprise: "城关镇" for v in draw.visits},
        minimums={"SAMR": 3},
        experts={first: 1},
        expert_categories={first: frozenset({"特种设备"})},
    )
    assert [v.visit_id for v in draw.visits if v.on_site] == [v.visit_id for v in visits]
    joint = next(v for v in visits if len(v.departments) == 2)
    assert ("SAMR", 3, 2) == (joint.lead, joint.minimum("SAMR"), joint.minimum("HEALTH"))
    assert (1, "城关镇") == (visits[0].experts, visits[0].location)
    assert "食品安全" in joint.items["SAMR"]
    assert frozenset({"卫生"}) == joint.items["HEALTH"]
    with pytest.raises(InvalidInputError, match="has no location"):
        team_visits_from_joint(draw, plan, date=DAY, location={})
    with pytest.raises(InvalidInputError, match="minimum"):
        team_visits_from_joint(draw, plan, date=DAY, minimum=1)
    with pytest.raises(InvalidTypeError, match="plan"):
        team_visits_from_joint(draw, draw, date=DAY)  # type: ignore[arg-type]


def test_visits_round_trip_their_canonical_form():
    """to_json writes every department's minimum (2 when not given) and sorted lists."""
    v = visit(
        "V-1",
        ("SAMR", "HEALTH"),
        minimums={"HEALTH": 3},
        experts=2,
        expert_categories={"b", "a"},
        location="城关镇",
    )
    data = v.to_json()
    assert [{"department": "HEALTH", "minimum": 3}, {"department": "SAMR", "minimum": 2}] == (
        data["minimums"]
    )
    assert (["a", "b"], "城关镇", "SAMR") == (data["expert_categories"], data["location"], v.lead)
    assert attrs.evolve(v, location=None).to_json()["location"] is None


def test_team_record_checks_name_every_changed_input(sealed):
    """Another expert pool, another algorithm version, a forged adjustment target: each is a
    finding or a typed error naming the field."""
    from randsample.errors import RecordFormatError
    from randsample.records import seal

    directory, experts, visits = sealed["directory"], sealed["experts"], sealed["visits"]
    record = sealed["record"]
    fewer = ExpertPool(experts.experts[:1])
    report = verify_team_record(record, directory, visits, experts=fewer)
    assert {"experts.digest", "experts.experts"} <= set(report.fields)
    content = record.content
    content["algorithm"]["version"] = 1
    with pytest.raises(RecordFormatError, match="algorithm"):
        TeamRecord(seal(content))
    unusable = verify_team_record(record, directory, [*visits, visits[0]], experts=experts)
    assert "input" in unusable.fields
    bad = verify_adjustments(record, directory, visits[:1], [], experts=experts)
    assert "adjustments" in bad.fields
    other = make_team_record(sealed["teams"], authority="县市场监管局", assignment_id="T-2",
                             timestamp="2026-03-01T02:00:00Z")  # fmt: skip
    change = record_adjustment(other, directory, visits, visit_id="V-2",
                               dropped=sealed["teams"].team("V-2").of("SAMR")[0], reason="ill",
                               recorded_by="chief", timestamp="2026-03-02T01:00:00Z",
                               previous=other, experts=experts)  # fmt: skip
    mismatch = verify_adjustments(record, directory, visits, [change], experts=experts)
    assert ("adjustments[0].assignment_record_digest",) == mismatch.fields
    with pytest.raises(InvalidInputError, match="adjusts another team record"):
        record_adjustment(record, directory, visits, visit_id="V-2", dropped="SAMR-0",
                          reason="ill", recorded_by="chief", timestamp="2026-03-02T01:00:00Z",
                          previous=record, experts=experts, earlier=[change])  # fmt: skip


def test_the_bridge_takes_dates_and_locations_per_visit():
    """A date per visit and a location function; a missing date is named."""
    plan, sizing, seed, scopes = small_year()
    draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing, as_of=DAY)
    dates = {v.visit_id: DAY + datetime.timedelta(days=i) for i, v in enumerate(draw.visits)}
    visits = team_visits_from_joint(draw, plan, date=dates, location=lambda e: "城关镇")
    assert [dates[v.visit_id] for v in visits] == [v.date for v in visits]
    assert {"城关镇"} == {v.location for v in visits}
    with pytest.raises(InvalidInputError, match="has no date"):
        team_visits_from_joint(draw, plan, date={})
    with pytest.raises(InvalidTypeError, match="location"):
        team_visits_from_joint(draw, plan, date=DAY, location=3)  # type: ignore[arg-type]


@pytest.mark.slow
def test_v2_officers_and_leaders_are_uniform_with_slack():
    """Over 400 seeds with slack capacities each eligible officer of a department is on the
    visit with probability minimum / eligible, and each officer of the initiating department
    leads with probability 1 / eligible (binomial tolerance of about four standard errors)."""
    import hashlib

    staff = [officer(f"S-{k}", capacity=9) for k in range(6)]
    staff += [officer(f"H-{k}", "HEALTH", capacity=9) for k in range(4)]
    directory = Directory(staff)
    visits = [visit("V-1", ("HEALTH", "SAMR"), minimums={"SAMR": 3})]
    runs = 400
    on, led = Counter[str](), Counter[str]()
    for i in range(runs):
        seed = Seed.from_bytes(hashlib.sha256(b"v2 %d" % i).digest())
        team = assign_teams(directory, visits, seed).team("V-1")
        on.update(team.officers)
        led[team.leader or ""] += 1
    for ident, share in [(f"S-{k}", 3 / 6) for k in range(6)] + [
        (f"H-{k}", 2 / 4) for k in range(4)
    ]:
        tolerance = 4 * (share * (1 - share) / runs) ** 0.5
        assert abs(on[ident] / runs - share) < tolerance, ident
    for k in range(4):
        assert abs(led[f"H-{k}"] / runs - 1 / 4) < 4 * (3 / 16 / runs) ** 0.5
