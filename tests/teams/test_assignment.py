"""Inspector team assignment: rules, completeness, determinism, explanations, records."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Sequence
from itertools import combinations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import InvalidInputError, InvalidTypeError, RandsampleError, Seed
from randsample.core import ticket
from randsample.errors import InvalidIdentifierError, RecordFormatError, RecordIntegrityError
from randsample.records import AssignmentRecord
from randsample.teams import (
    Conflicts,
    Directory,
    ExcludedPair,
    InfeasibleAssignmentError,
    Inspector,
    Relation,
    Visit,
    assign_inspectors,
    check_feasibility,
    estimate_marginals,
    exclusion_reasons,
    input_digest,
    make_assignment_record,
    pair_ticket,
    target_marginals,
    verify_assignment,
    visit_order_key,
)
from randsample.teams._conflicts import _DepartmentIndex

SEED = Seed.from_bytes(bytes(range(16)))
OTHER_SEED = Seed.from_bytes(bytes(range(1, 17)))
DAY1, DAY2, DAY3 = (datetime.date(2026, 3, d) for d in (2, 3, 4))
STAMP = "2026-03-01T02:00:00Z"
DEPARTMENTS = ("食品", "药品")
CATEGORIES = {"食品": ("餐饮", "生产", "流通"), "药品": ("零售", "批发")}
REGIONS = ("north", "south", "east")
ENTERPRISES = ("E-1", "E-2", "E-3", "E-4")


def inspector(ident: str, department: str = "食品", **changes: object) -> Inspector:
    fields: dict[str, object] = {
        "categories": {"餐饮"},
        "home_region": "north",
        "capacity": 5,
        "days_off": frozenset(),
        "certified": True,
    }
    fields.update(changes)
    return Inspector(id=ident, department=department, **fields)  # type: ignore[arg-type]


def visit(ident: str, enterprise: str = "E-1", region: str = "south", **changes: object) -> Visit:
    departments = changes.pop("departments", ("食品",))
    items = changes.pop("items", {d: {CATEGORIES[d][0]} for d in departments})  # type: ignore[union-attr]
    return Visit(
        visit_id=ident,
        enterprise_id=enterprise,
        enterprise_region=region,
        date=changes.pop("date", DAY1),  # type: ignore[arg-type]
        departments=departments,  # type: ignore[arg-type]
        items=items,  # type: ignore[arg-type]
        **changes,  # type: ignore[arg-type]
    )


def directory_of(inspectors: Sequence[Inspector]) -> Directory:
    return Directory(inspectors, departments=DEPARTMENTS, categories=CATEGORIES)


# -- random small instances ------------------------------------------------------------------


@st.composite
def inspectors_st(draw: st.DrawFn, max_size: int = 8) -> list[Inspector]:
    count = draw(st.integers(4, max_size))
    out = []
    for k in range(count):
        department = DEPARTMENTS[k % 2] if k < 2 else draw(st.sampled_from(DEPARTMENTS))
        # Most inspectors hold every category of their department, so that feasible and
        # infeasible instances both come up often.
        every = set(CATEGORIES[department])
        some = st.sets(st.sampled_from(CATEGORIES[department]), min_size=1)
        cats = draw(st.just(every) | st.just(every) | some)
        out.append(
            Inspector(
                id=f"I-{k}",
                department=department,
                certified=True,
                categories=cats,
                home_region=draw(st.sampled_from(REGIONS)),
                capacity=draw(st.integers(1, 4)),
                days_off=draw(
                    st.just(set())
                    | st.just(set())
                    | st.sets(st.sampled_from((DAY1, DAY2, DAY3)), max_size=1)
                ),
            )
        )
    return out


@st.composite
def visits_st(draw: st.DrawFn, max_size: int = 6) -> list[Visit]:
    count = draw(st.integers(1, max_size))
    out = []
    for k in range(count):
        departments = draw(
            st.sampled_from([("食品",), ("药品",), ("食品", "药品"), ("药品", "食品")])
        )
        items = {
            d: {draw(st.sampled_from(CATEGORIES[d]))}
            | draw(st.sets(st.sampled_from(CATEGORIES[d]), max_size=1))
            for d in departments
        }
        out.append(
            Visit(
                visit_id=f"V-{k}",
                enterprise_id=draw(st.sampled_from(ENTERPRISES)),
                # west: no inspector lives there
                enterprise_region=draw(st.sampled_from((*REGIONS, "west", "west"))),
                date=draw(st.sampled_from((DAY1, DAY2, DAY3))),
                departments=departments,
                items=items,
                team_size=draw(st.integers(max(2, len(departments)), 3)),
                lead=draw(st.sampled_from(departments)),
            )
        )
    return out


@st.composite
def conflicts_st(draw: st.DrawFn, inspector_ids: Sequence[str]) -> Conflicts:
    ids = st.sampled_from(list(inspector_ids))
    pairs = st.tuples(ids, st.sampled_from(ENTERPRISES))
    kinds = st.sampled_from(["relative", "former-employer", "shareholder", "other"])
    return Conflicts(
        relations=[Relation(i, e, draw(kinds)) for i, e in draw(st.lists(pairs, max_size=3))],
        same_locality=draw(st.booleans()),
        history={
            e: draw(st.lists(st.sets(ids, max_size=2), max_size=2))
            for e in draw(st.sets(st.sampled_from(ENTERPRISES), max_size=1))
        },
        rotation=draw(st.integers(0, 2)),
        recusals={
            e: draw(st.sets(ids, max_size=1))
            for e in draw(st.sets(st.sampled_from(ENTERPRISES), max_size=1))
        },
        exclusions=[ExcludedPair(i, e, "rule 7") for i, e in draw(st.lists(pairs, max_size=1))],
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[Directory, list[Visit], Conflicts]:
    staff = draw(inspectors_st())
    return (
        directory_of(staff),
        draw(visits_st()),
        draw(conflicts_st([i.id for i in staff])),
    )


def brute_force_feasible(
    directory: Directory, visits: Sequence[Visit], conflicts: Conflicts
) -> bool:
    """Exhaustive search (memoized on remaining capacities), independent of flow theory."""
    for department in DEPARTMENTS:
        members = directory.members(department)
        jobs = tuple(
            (
                v.demand(department),
                tuple(
                    k
                    for k, m in enumerate(members)
                    if not exclusion_reasons(m, v, department, conflicts)
                ),
            )
            for v in visits
            if department in v.departments
        )
        if not _staffable(jobs, 0, tuple(m.capacity for m in members)):
            return False
    return True


@functools.cache
def _staffable(
    jobs: tuple[tuple[int, tuple[int, ...]], ...], index: int, left: tuple[int, ...]
) -> bool:
    # Try every team for visit `index` among inspectors with capacity left, then recurse.
    if index == len(jobs):
        return True
    need, eligible = jobs[index]
    for team in combinations([k for k in eligible if left[k] > 0], need):
        rest = list(left)
        for k in team:
            rest[k] -= 1
        if _staffable(jobs, index + 1, tuple(rest)):
            return True
    return False


def filled_slots(result) -> int:  # type: ignore[no-untyped-def]
    return sum(len(t.inspector_ids) for t in result.teams)


# -- the rules hold in every assignment ------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=300)
@given(instances(), st.binary(min_size=16, max_size=16).filter(lambda b: len(set(b)) >= 8))
def test_every_rule_holds_and_feasibility_matches_brute_force(instance, raw_seed) -> None:
    """Teams are complete, qualified, conflict-free, within capacity; found iff one exists."""
    directory, visits, conflicts = instance
    seed = Seed.from_bytes(raw_seed)
    exists = brute_force_feasible(directory, visits, conflicts)
    report = check_feasibility(directory, visits, conflicts=conflicts)
    assert exists == report.feasible
    # The minimum-cut bottlenecks account for every slot that cannot be filled.
    assert report.demand - report.assignable == sum(b.shortfall for b in report.bottlenecks)
    if not exists:
        with pytest.raises(InfeasibleAssignmentError):
            assign_inspectors(directory, visits, seed, conflicts=conflicts)
    result = assign_inspectors(directory, visits, seed, conflicts=conflicts, partial=True)
    assert exists == result.complete
    assert report.assignable == filled_slots(result)  # a largest partial assignment
    loads: dict[str, int] = {}
    by_id = {v.visit_id: v for v in visits}
    for team in result.teams:
        v = by_id[team.visit_id]
        assert len(set(team.inspector_ids)) == len(team.inspector_ids)  # nobody twice
        assert set(v.departments) == {d for d, _ in team.members}
        for department, ids in team.members:
            if exists:
                assert v.demand(department) == len(ids)
            assert len(ids) <= v.demand(department)
            for ident in ids:
                member = directory.get(ident)
                assert department == member.department
                assert () == exclusion_reasons(member, v, department, conflicts)
                assert v.items[department] <= member.categories
                loads[ident] = loads.get(ident, 0) + 1
    for entry in result.workload.loads:
        assert loads.get(entry.inspector_id, 0) == entry.load
        assert entry.load <= entry.capacity
    assert len(directory) == len(result.workload.loads)
    assert result.greedy_shortfall - result.repaired == sum(
        u.needed - u.assigned for u in result.unstaffed
    )


@settings(max_examples=200)
@given(instances())
def test_bulk_eligibility_equals_the_reference_definition(instance) -> None:
    """The numpy masks give exactly the inspectors exclusion_reasons finds eligible."""
    directory, visits, conflicts = instance
    for department in DEPARTMENTS:
        members = directory.members(department)
        bulk = _DepartmentIndex(members, conflicts.same_locality)
        for v in visits:
            if department not in v.departments:
                continue
            expected = [
                k
                for k, m in enumerate(members)
                if not exclusion_reasons(m, v, department, conflicts)
            ]
            assert expected == bulk.eligible(v, department, conflicts)


@settings(max_examples=100)
@given(instances(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(instance, rng) -> None:
    """Shuffling the visits or the directory changes nothing: only ids and tickets matter."""
    directory, visits, conflicts = instance
    first = assign_inspectors(directory, visits, SEED, conflicts=conflicts, partial=True)
    shuffled_visits = list(visits)
    rng.shuffle(shuffled_visits)
    staff = list(directory.inspectors)
    rng.shuffle(staff)
    second = assign_inspectors(
        directory_of(staff), shuffled_visits, SEED, conflicts=conflicts, partial=True
    )
    assert first.teams == second.teams
    assert first.input_digest == second.input_digest
    assert first.directory_digest == second.directory_digest


def test_same_seed_same_teams_other_seed_other_teams() -> None:
    """The assignment is a function of the seed (and the data)."""
    directory = directory_of([inspector(f"I-{k}", capacity=3) for k in range(8)])
    visits = [visit(f"V-{k}", enterprise=f"E-{k}") for k in range(6)]
    first = assign_inspectors(directory, visits, SEED)
    again = assign_inspectors(directory, visits, Seed.from_bytes(bytes(range(16))))
    other = assign_inspectors(directory, visits, OTHER_SEED)
    assert first.teams == again.teams
    assert first.teams != other.teams


# -- the specified algorithm -----------------------------------------------------------------


def test_slack_capacities_give_the_smallest_pair_tickets() -> None:
    """Without binding capacity a team is the c_pD eligible inspectors with the smallest tickets."""
    staff = [inspector(f"I-{k}", home_region="south" if k < 2 else "north") for k in range(7)]
    staff += [inspector(f"J-{k}", "药品", categories={"零售"}) for k in range(4)]
    directory = directory_of(staff)
    visits = [
        visit("V-1", region="south", departments=("食品", "药品"), team_size=3),
        visit("V-2", enterprise="E-2", region="east"),
    ]
    result = assign_inspectors(directory, visits, SEED, conflicts=Conflicts(same_locality=True))
    subkey = SEED.subkey("inspectors")
    assert not result.capacity_binding

    def smallest(visit_id: str, ids: list[str], count: int) -> tuple[str, ...]:
        ranked = sorted(ids, key=lambda i: (pair_ticket(subkey, visit_id, i), i.encode()))
        return tuple(sorted(ranked[:count]))

    food_eligible_v1 = [f"I-{k}" for k in range(2, 7)]  # I-0, I-1 live in the south
    assert smallest("V-1", food_eligible_v1, 2) == result.team("V-1").of("食品")
    assert smallest("V-1", [f"J-{k}" for k in range(4)], 1) == result.team("V-1").of("药品")
    assert smallest("V-2", [f"I-{k}" for k in range(7)], 2) == result.team("V-2").of("食品")


def test_pair_ticket_and_visit_order_bytes() -> None:
    """The tickets are the bytes docs/spec.md gives."""
    subkey = bytes(range(32))
    expected = hashlib.sha256(
        subkey + b"\x00\x00\x00\x03V-1" + b"\x00\x00\x00\x06" + "检查".encode()
    ).digest()
    assert expected == pair_ticket(subkey, "V-1", "检查")
    order_key = hashlib.sha256(b"randsample/v1/visit-order\x00" + subkey).digest()
    assert order_key == visit_order_key(subkey)
    assert hashlib.sha256(order_key + b"\x00\x00\x00\x03V-1").digest() == ticket(order_key, "V-1")


def test_greedy_order_and_repair_on_a_hand_worked_case() -> None:
    """A visit served late by the greedy pass is completed by moving an earlier visit."""
    # X is the only inspector qualified for 生产; with capacity 1 the greedy pass gives X to
    # whichever visit comes first. If that is V-easy, V-hard is short and the repair moves
    # V-easy to another inspector. Either way the result is complete.
    staff = [
        inspector("X", categories={"餐饮", "生产"}, capacity=1),
        inspector("Y", categories={"餐饮", "生产"}, capacity=1),
        inspector("Z", capacity=2),
        inspector("W", capacity=2),
    ]
    directory = directory_of(staff)
    visits = [
        visit("V-hard", items={"食品": {"生产"}}),
        visit("V-easy", enterprise="E-2"),
    ]
    repaired_somewhere = False
    for k in range(40):
        seed = Seed.from_bytes(hashlib.sha256(b"repair %d" % k).digest())
        result = assign_inspectors(directory, visits, seed)
        assert ("X", "Y") == result.team("V-hard").inspector_ids
        assert not {"X", "Y"} & set(result.team("V-easy").inspector_ids)
        repaired_somewhere |= result.repaired > 0
        assert result.greedy_shortfall == result.repaired
    assert repaired_somewhere


def test_joint_visit_composition() -> None:
    """One inspector per department, the remainder from the lead department."""
    staff = [inspector(f"I-{k}") for k in range(5)] + [
        inspector(f"J-{k}", "药品", categories={"零售"}) for k in range(5)
    ]
    v = visit("V-1", departments=("食品", "药品"), team_size=3, lead="药品")
    result = assign_inspectors(directory_of(staff), [v], SEED)
    team = result.team("V-1")
    assert 1 == len(team.of("食品"))
    assert 2 == len(team.of("药品"))
    assert 3 == len(team.inspector_ids)


def test_days_off_elsewhere_do_not_change_a_team() -> None:
    """With slack capacity, an inspector's days off on other dates leave a visit's team alone."""
    staff = [inspector(f"I-{k}") for k in range(6)]
    visits = [visit("V-1"), visit("V-2", enterprise="E-2", date=DAY2)]
    before = assign_inspectors(directory_of(staff), visits, SEED)
    staff[0] = attrs.evolve(staff[0], days_off={DAY2})
    staff[3] = attrs.evolve(staff[3], days_off={DAY3})
    after = assign_inspectors(directory_of(staff), visits, SEED)
    assert before.team("V-1") == after.team("V-1")


# -- conflicts -------------------------------------------------------------------------------


def test_every_kind_of_conflict_excludes() -> None:
    """Relations, same locality, rotation, recusals and user rules each keep one inspector off."""
    staff = [inspector(f"I-{k}", home_region="north") for k in range(7)]
    staff[1] = attrs.evolve(staff[1], home_region="south")
    conflicts = Conflicts(
        relations=[Relation("I-0", "E-1", "relative")],
        same_locality=True,
        history={"E-1": [{"I-6"}, {"I-2"}]},
        recusals={"E-1": {"I-3"}},
        exclusions=[ExcludedPair("I-4", "E-1", "audit 2025-17")],
    )
    v = visit("V-1", region="south")
    directory = directory_of(staff)
    reasons = {m.id: exclusion_reasons(m, v, "食品", conflicts) for m in directory.members("食品")}
    assert {
        "I-0": ("relative",),
        "I-1": ("same-locality",),
        "I-2": ("rotation",),
        "I-3": ("recusal-request",),
        "I-4": ("audit 2025-17",),
        "I-5": (),
        "I-6": (),  # rotation=1: only the last team counts
    } == reasons
    result = assign_inspectors(directory, [v], SEED, conflicts=conflicts)
    assert ("I-5", "I-6") == result.team("V-1").inspector_ids
    rotation_two = attrs.evolve(conflicts, rotation=2)
    with pytest.raises(InfeasibleAssignmentError):
        assign_inspectors(directory, [v], SEED, conflicts=rotation_two)
    no_locality = attrs.evolve(conflicts, same_locality=False)
    assert () == exclusion_reasons(staff[1], v, "食品", no_locality)


def test_same_locality_is_off_unless_switched_on() -> None:
    """The locality rule is an explicit opt-in: by default an officer may inspect at home."""
    local = inspector("I-0", home_region="south")
    v = visit("V-1", region="south")
    assert () == exclusion_reasons(local, v, "食品", Conflicts())
    assert ("same-locality",) == exclusion_reasons(local, v, "食品", Conflicts(same_locality=True))
    assert Conflicts().same_locality is False


def test_conflicts_naming_unknown_inspectors_are_refused() -> None:
    """A misspelt inspector id in a conflict would let the conflict through: refused."""
    directory = directory_of([inspector(f"I-{k}") for k in range(3)])
    conflicts = Conflicts(relations=[Relation("I-9", "E-1", "relative")])
    with pytest.raises(InvalidInputError) as info:
        assign_inspectors(directory, [visit("V-1")], SEED, conflicts=conflicts)
    assert ("conflicts", "I-9") == (info.value.field, info.value.value)


# -- explanations ----------------------------------------------------------------------------


def test_explanation_names_the_visit_department_and_reasons() -> None:
    """A short visit is named with its department, counts per reason and demand."""
    staff = [
        inspector("I-0", home_region="south"),
        inspector("I-1", home_region="south"),
        inspector("I-2"),
        inspector("I-3", days_off={DAY1}),
        inspector("I-4", days_off={DAY1}),
        inspector("I-5", categories={"生产"}),
        inspector("I-6"),
    ]
    conflicts = Conflicts(relations=[Relation("I-2", "E-12", "relative")], same_locality=True)
    visits = [visit("V-0012", enterprise="E-12", region="south"), visit("V-1", enterprise="E-1")]
    report = check_feasibility(directory_of(staff), visits, conflicts=conflicts)
    assert not report.feasible
    (shortage,) = report.visits
    assert ("V-0012", "食品", 2, 1) == (
        shortage.visit_id,
        shortage.department,
        shortage.needed,
        shortage.eligible,
    )
    assert (
        "visit V-0012 (enterprise E-12): department 食品 has 1 eligible inspector of 7 after "
        "1 not qualified for all its items, 2 unavailable on 2026-03-02 and 3 excluded for "
        "conflicts (2 same-locality, 1 relative); 2 needed"
    ) == str(shortage)
    with pytest.raises(InfeasibleAssignmentError) as info:
        assign_inspectors(directory_of(staff), visits, SEED, conflicts=conflicts)
    assert "V-0012" in str(info.value)
    assert ["V-0012"] == info.value.value
    assert report == info.value.report


def test_hall_bottleneck_from_the_minimum_cut() -> None:
    """Visits competing for too little capacity are named with the inspectors and totals."""
    staff = [
        inspector("A", categories={"生产"}, capacity=2),
        inspector("B", categories={"生产"}, capacity=1),
    ] + [inspector(f"I-{k}", capacity=9) for k in range(4)]
    hard = [visit(f"V-{k}", enterprise=f"E-{k}", items={"食品": {"生产"}}) for k in (3, 9, 12)]
    easy = [visit(f"V-{k}", enterprise=f"E-{k}") for k in (1, 2)]
    report = check_feasibility(directory_of(staff), hard + easy)
    assert 10 == report.demand
    assert 7 == report.assignable
    assert () == report.visits  # every visit alone has two eligible inspectors
    (bottleneck,) = report.bottlenecks
    assert ("食品", ("V-12", "V-3", "V-9"), 6, ("A", "B"), 3) == (
        bottleneck.department,
        bottleneck.visit_ids,
        bottleneck.demand,
        bottleneck.inspector_ids,
        bottleneck.capacity,
    )
    assert 3 == bottleneck.shortfall
    assert str(bottleneck).startswith(
        "visits V-12, V-3, V-9 need 6 inspector slots from department 食品, but their "
        "eligible inspectors can fill at most 3: A, B with capacity 3 in total"
    )


def test_department_without_capacity_and_partial_assignment() -> None:
    """Demand above a department's total capacity is reported; partial mode lists the gaps."""
    staff = [inspector("I-0", capacity=1), inspector("I-1", capacity=2)]
    staff += [inspector("J-0", "药品", categories={"零售"})]
    visits = [visit(f"V-{k}", enterprise=f"E-{k}") for k in range(3)]
    report = check_feasibility(directory_of(staff), visits)
    (balance,) = report.departments
    assert ("食品", 6, 3, 3) == (
        balance.department,
        balance.demand,
        balance.capacity,
        balance.assignable,
    )
    assert "department 食品: 6 inspector slots needed, total capacity 3" in str(report)
    result = assign_inspectors(directory_of(staff), visits, SEED, partial=True)
    assert not result.complete
    assert 3 == filled_slots(result)
    assert 6 - 3 == sum(u.needed - u.assigned for u in result.unstaffed)
    assert report == result.report


def test_department_with_no_inspectors() -> None:
    """A department of the plan with nobody in the directory is explained, not crashed on."""
    staff = [inspector(f"I-{k}") for k in range(3)]
    v = visit("V-1", departments=("药品",))
    report = check_feasibility(directory_of(staff), [v])
    assert "visit V-1 (enterprise E-1): department 药品 has no inspectors; 2 needed" == str(
        report.visits[0]
    )


# -- marginals -------------------------------------------------------------------------------


def test_target_marginals_and_capacity_flag() -> None:
    """Targets are c_pD / |E_pD|; the flag is set when someone is eligible beyond capacity."""
    staff = [inspector(f"I-{k}", capacity=2) for k in range(4)]
    one = [visit("V-1")]
    targets = target_marginals(directory_of(staff), one)
    assert {("V-1", f"I-{k}"): pytest.approx(0.5) for k in range(4)} == {
        key: float(value) for key, value in targets.probabilities.items()
    }
    assert not targets.capacity_binding
    three = [visit(f"V-{k}", enterprise=f"E-{k}") for k in range(3)]
    binding = target_marginals(directory_of(staff), three)
    assert binding.capacity_binding
    assert ("I-0", "I-1", "I-2", "I-3") == binding.binding_inspectors


def test_estimate_marginals_counts_every_run() -> None:
    """Each run contributes exactly the team size to the counts of each visit."""
    staff = [inspector(f"I-{k}") for k in range(5)]
    seeds = [Seed.from_bytes(hashlib.sha256(b"%d" % k).digest()) for k in range(50)]
    estimate = estimate_marginals(directory_of(staff), [visit("V-1")], seeds)
    assert 50 == estimate.runs
    assert 100 == sum(estimate.counts.values())
    assert 5 == len(estimate.counts)


# -- records and verification ----------------------------------------------------------------


def _recorded() -> tuple[Directory, list[Visit], Conflicts, AssignmentRecord]:
    staff = [inspector(f"I-{k}", capacity=2) for k in range(6)] + [
        inspector(f"J-{k}", "药品", categories={"零售"}) for k in range(3)
    ]
    directory = directory_of(staff)
    visits = [visit(f"V-{k}", enterprise=f"E-{k}") for k in range(4)]
    visits.append(visit("V-J", departments=("食品", "药品"), team_size=3))
    conflicts = Conflicts(relations=[Relation("I-0", "E-1", "shareholder")])
    result = assign_inspectors(directory, visits, SEED, conflicts=conflicts)
    record = make_assignment_record(
        result, authority="县市场监管局", assignment_id="2026-A1", timestamp=STAMP
    )
    return directory, visits, conflicts, record


def test_record_verifies_and_round_trips() -> None:
    """A sealed record re-derives exactly, also from its JSON text."""
    directory, visits, conflicts, record = _recorded()
    assert verify_assignment(record, directory, visits, conflicts=conflicts).ok
    assert verify_assignment(record.to_json(), directory, visits, conflicts=conflicts).ok
    loaded = AssignmentRecord.from_json(record.to_json())
    assert record.content == loaded.content
    assert "randsample.assignment-record/1" == record["record_format"]
    assert {"name": "team-assignment", "version": 1} == record["algorithm"]
    assert SEED.subkey("inspectors").hex() == record["subkey"]
    assert directory.digest() == record["directory"]["digest"]
    assert input_digest(visits, conflicts) == record["input"]["digest"]


def test_verification_names_what_differs() -> None:
    """Edited teams, other data or another seed are reported by field."""
    directory, visits, conflicts, record = _recorded()
    content = record.content
    content["teams"][0]["members"][0]["inspector_ids"] = ["I-4", "I-5"]
    edited = json.dumps(content, ensure_ascii=False)
    with pytest.raises(RecordIntegrityError):
        AssignmentRecord.from_json(edited)
    report = verify_assignment(edited, directory, visits, conflicts=conflicts)
    assert "record_digest" == report.fields[0]
    assert "teams['V-0']['食品']" in report.fields
    fewer = verify_assignment(record, directory, visits[1:], conflicts=conflicts)
    assert {"input.digest", "input.visits", "teams"} <= set(fewer.fields)
    other = verify_assignment(record, directory, visits, conflicts=Conflicts())
    assert "input.conflicts_digest" in other.fields
    staff = list(directory.inspectors)
    staff[0] = attrs.evolve(staff[0], capacity=3)
    changed = verify_assignment(record, directory_of(staff), visits, conflicts=conflicts)
    assert "directory.digest" in changed.fields
    content = record.content
    content["seed"] = OTHER_SEED.to_json()
    reseeded = verify_assignment(json.dumps(content), directory, visits, conflicts=conflicts)
    assert "subkey" in reseeded.fields
    content["seed"]["value"] = "abcd"  # well-formed hex (else malformed), too short to re-derive
    unseeded = verify_assignment(json.dumps(content), directory, visits[1:], conflicts=conflicts)
    assert {"seed", "input.digest", "teams"} <= set(unseeded.fields)


def test_chain_and_partial_records() -> None:
    """Records chain per authority; a partial assignment records its unstaffed visits."""
    directory, visits, conflicts, first = _recorded()
    short = [*visits, visit("V-X", enterprise="E-9", departments=("药品",), team_size=3)]
    short_directory = directory_of([i for i in directory.inspectors if i.id != "J-2"])
    partial = assign_inspectors(short_directory, short, SEED, conflicts=conflicts, partial=True)
    second = make_assignment_record(
        partial,
        authority="县市场监管局",
        assignment_id="2026-A2",
        timestamp="2026-03-02T02:00:00Z",
        previous=first,
    )
    assert first.record_digest == second["previous_record_digest"]
    assert second["unstaffed"]
    assert verify_assignment(second, short_directory, short, conflicts=conflicts, previous=first).ok
    with pytest.raises(InvalidInputError):
        make_assignment_record(
            partial, authority="other", assignment_id="x", timestamp=STAMP, previous=first
        )
    stale = verify_assignment(second, short_directory, short, conflicts=conflicts, previous=second)
    assert "previous_record_digest" in stale.fields


def test_malformed_records_are_refused() -> None:
    """Wrong format, algorithm, missing or extra fields raise RecordFormatError."""
    _, _, _, record = _recorded()
    for change in (
        {"record_format": "randsample.draw-record/1"},
        {"algorithm": {"name": "team-assignment", "version": 2}},
        {"extra": 1},
        {"teams": [{"visit_id": "V-1"}]},
    ):
        content = record.content | change
        with pytest.raises(RecordFormatError):
            AssignmentRecord(content)
    content = record.content
    del content["unstaffed"]
    with pytest.raises(RecordFormatError):
        AssignmentRecord(content)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (lambda: inspector("I-1", capacity=0), "inspector 'I-1'.capacity", 0),
        (lambda: inspector("I-1", capacity=-2), "inspector 'I-1'.capacity", -2),
        (lambda: inspector("I-1", certified=False), "inspector 'I-1'.certified", False),
        (lambda: inspector("I-1", categories=set()), "inspector 'I-1'.categories", frozenset()),
        (lambda: visit("V-1", team_size=1), "visit 'V-1'.team_size", 1),
        (
            lambda: visit("V-1", departments=("食品", "药品"), team_size=2, lead="工商"),
            "visit 'V-1'.lead",
            "工商",
        ),
        (
            lambda: directory_of([inspector("I-1"), inspector("I-1")]),
            "inspectors[1].id",
            "I-1",
        ),
        (
            lambda: directory_of([inspector("I-1", "工商")]),
            "inspector 'I-1'.department",
            "工商",
        ),
        (
            lambda: directory_of([inspector("I-1", categories={"烟草"})]),
            "inspector 'I-1'.categories",
            "烟草",
        ),
        (
            lambda: assign_inspectors(
                directory_of([inspector("I-1")]),
                [visit("V-1", items={"食品": {"烟草"}})],
                SEED,
            ),
            "visit 'V-1'.items['食品']",
            "烟草",
        ),
        (
            lambda: assign_inspectors(
                Directory([inspector("I-1")]),
                [visit("V-1", departments=("药品",))],
                SEED,
            ),
            "visit 'V-1'.departments",
            "药品",
        ),
        (
            lambda: assign_inspectors(
                directory_of([inspector("I-1")]), [visit("V-1"), visit("V-1")], SEED
            ),
            "visits[1].visit_id",
            "V-1",
        ),
        (lambda: Relation("I-1", "E-1", "friend"), "relation.kind", "friend"),  # type: ignore[arg-type]
        (lambda: Conflicts(rotation=-1), "conflicts.rotation", -1),
    ],
)
def test_bad_input_raises_typed_errors_naming_the_value(build, field, value) -> None:
    """Every refusal is an InvalidInputError naming the field and the value."""
    with pytest.raises(InvalidInputError) as info:
        build()
    assert (field, value) == (info.value.field, info.value.value)


def test_wrong_types_are_refused() -> None:
    """Booleans as capacities, datetimes as dates, strings as sets: InvalidTypeError."""
    with pytest.raises(InvalidTypeError):
        inspector("I-1", capacity=True)
    with pytest.raises(InvalidTypeError):
        inspector("I-1", categories="餐饮")
    with pytest.raises(InvalidTypeError):
        visit("V-1", date=datetime.datetime(2026, 3, 2, 9, 0))
    with pytest.raises(InvalidTypeError):
        assign_inspectors(directory_of([inspector("I-1")]), [visit("V-1")], "not a seed")  # type: ignore[arg-type]
    with pytest.raises(InvalidIdentifierError):
        inspector(" I-1")
    assert issubclass(InfeasibleAssignmentError, RandsampleError)


# -- an independent implementation written from docs/spec.md section 11 ----------------------


def _spec_eligible(member: Inspector, v: Visit, department: str, conflicts: Conflicts) -> bool:
    e = v.enterprise_id
    recent = conflicts.history.get(e, ())[-conflicts.rotation :] if conflicts.rotation else ()
    return not (
        not v.items[department] <= member.categories
        or v.date in member.days_off
        or (conflicts.same_locality and member.home_region == v.enterprise_region)
        or any(r.inspector_id == member.id and r.enterprise_id == e for r in conflicts.relations)
        or any(member.id in team for team in recent)
        or member.id in conflicts.recusals.get(e, ())
        or any(x.inspector_id == member.id and x.enterprise_id == e for x in conflicts.exclusions)
    )


def _lp(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def spec_teams(
    directory: Directory, visits: Sequence[Visit], conflicts: Conflicts, seed: Seed
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Greedy pass and breadth-first repair, step by step as the spec states them."""
    k = hashlib.sha256(
        b"randsample/v1/subkey\x00"
        + _lp("inspectors")
        + len(seed.value).to_bytes(4, "big")
        + seed.value
    ).digest()
    kv = hashlib.sha256(b"randsample/v1/visit-order\x00" + k).digest()
    order = sorted(
        visits,
        key=lambda v: (hashlib.sha256(kv + _lp(v.visit_id)).digest(), v.visit_id.encode()),
    )
    out: dict[str, dict[str, tuple[str, ...]]] = {v.visit_id: {} for v in visits}
    for department in DEPARTMENTS:
        members = {m.id: m for m in directory.inspectors if m.department == department}
        mine = [v.visit_id for v in order if department in v.departments]
        by_id = {v.visit_id: v for v in visits}
        need = {p: by_id[p].demand(department) for p in mine}
        pref = {
            p: sorted(
                (r for r in members if _spec_eligible(members[r], by_id[p], department, conflicts)),
                key=lambda r, p=p: (
                    hashlib.sha256(k + _lp(p) + _lp(r)).digest(),
                    r.encode(),
                ),
            )
            for p in mine
        }
        team: dict[str, list[str]] = {p: [] for p in mine}
        load = dict.fromkeys(members, 0)
        for p in mine:
            for r in pref[p]:
                if len(team[p]) < need[p] and load[r] < members[r].capacity:
                    team[p].append(r)
                    load[r] += 1
        for p in mine:
            while len(team[p]) < need[p]:
                queue, labelled, came_from, via = [p], {p}, {}, {}
                found = None
                while queue and found is None:
                    q = queue.pop(0)
                    for r in pref[q]:
                        if r in came_from or r in team[q]:
                            continue
                        came_from[r] = q
                        if load[r] < members[r].capacity:
                            found = r
                            break
                        for q2 in mine:  # visit order
                            if r in team[q2] and q2 not in labelled:
                                labelled.add(q2)
                                via[q2] = r
                                queue.append(q2)
                if found is None:
                    break
                load[found] += 1
                r = found
                while True:
                    q = came_from[r]
                    team[q].append(r)
                    if q == p:
                        break
                    team[q].remove(via[q])
                    r = via[q]
        for p in mine:
            out[p][department] = tuple(sorted(team[p]))
    return out


@pytest.mark.slow
@settings(max_examples=300)
@given(instances(), st.binary(min_size=16, max_size=16).filter(lambda b: len(set(b)) >= 8))
def test_library_follows_the_spec_text(instance, raw_seed) -> None:
    """An implementation written from the spec alone gives the same teams, repairs included."""
    directory, visits, conflicts = instance
    seed = Seed.from_bytes(raw_seed)
    result = assign_inspectors(directory, visits, seed, conflicts=conflicts, partial=True)
    assert spec_teams(directory, visits, conflicts, seed) == {
        t.visit_id: dict(t.members) for t in result.teams
    }


def test_spec_implementation_agrees_at_scale_with_binding_capacity() -> None:
    """40 visits competing for 12 inspectors: the greedy pass falls short and is repaired."""
    staff = [
        inspector(
            f"I-{k:02d}",
            categories={"餐饮", "生产"} if k < 4 else {"餐饮"},
            home_region=REGIONS[k % 3],
            capacity=7,
        )
        for k in range(12)
    ]
    visits = [
        visit(
            f"V-{k:03d}",
            enterprise=f"E-{k % 9}",
            region=REGIONS[k % 3] if k % 2 else "west",
            items={"食品": {"生产"} if k % 5 == 0 else {"餐饮"}},
        )
        for k in range(40)
    ]
    conflicts = Conflicts(relations=[Relation("I-01", "E-0", "relative")])
    directory = directory_of(staff)
    result = assign_inspectors(directory, visits, SEED, conflicts=conflicts)
    assert result.complete
    assert result.repaired > 0
    assert spec_teams(directory, visits, conflicts, SEED) == {
        t.visit_id: dict(t.members) for t in result.teams
    }
