"""The standalone verifier agrees with the library on every record kind the spec defines.

Golden vectors of every kind (draws of the three designs, replacements, team assignments,
salted draws, result records, notices, receipts) verify in both; random populations, salted
draws, receipts and team assignments made by the library verify in the standalone verifier,
whose own selection equals the library's. Disagreements are bugs in the spec or in one of the
two implementations (docs/design.md, D8).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from randsample import draw_stratified, make_record
from randsample.design import draw_stratified_pips, draw_stratified_sampford
from randsample.errors import RandsampleError
from randsample.files import read_conflicts, read_directory, read_population_csv, read_visits
from randsample.records import _standalone_verify as sv
from randsample.records import verify
from randsample.results import (
    draw_salted,
    make_notice,
    make_receipts,
    make_salted_record,
    verify_receipt,
)
from randsample.teams import assign_inspectors, make_assignment_record, verify_assignment
from tests.strategies import feasible_sizes, populations, seeds
from tests.teams.test_assignment import instances
from tests.teams.test_assignment_v2 import instances as instances_v2

DATA = Path(__file__).parents[1] / "data"
DRAW = DATA / "golden_draw"
TEAMS = DATA / "golden_assignment"
PUBLICATION = DATA / "golden_publication"
STAMP = "2026-11-27T02:00:00Z"
SECRET = bytes.fromhex(
    json.loads((PUBLICATION / "commitment_vectors.json").read_text(encoding="utf-8"))[
        "authority_secret"
    ]
)


def load(path: Path) -> Any:
    """A JSON file as the standalone verifier parses it."""
    return sv.parse_json(path.read_text(encoding="utf-8"), str(path), "record", ascii_keys=True)


def rows_of(population: Any) -> list[sv.Row]:
    """A library Population as in-memory rows of the standalone verifier."""
    weights = None if population.weights is None else population.weights.tolist()
    return [
        (uid, stratum, eligible, None if weights is None else weights[k])
        for k, (uid, stratum, eligible) in enumerate(
            zip(
                population.ids.tolist(),
                population.strata.tolist(),
                population.eligible.tolist(),
                strict=True,
            )
        )
    ]


# ---------------------------------------------------------------- golden vectors
@pytest.mark.parametrize("name", ["record1.json", "record_pips.json", "record_sampford.json"])
def test_golden_draws_of_every_design_verify(name: str) -> None:
    """The golden srswor, systematic πps and Sampford draws verify from the population file."""
    population = sv.PopulationFile(str(DRAW / "population.csv"))
    assert [] == sv.verify_draw(load(DRAW / name), population)


def test_golden_replacements_verify_with_their_draw() -> None:
    """Both golden replacement records re-derive (rank n_h + k in ticket order, section 10)."""
    population = sv.PopulationFile(str(DRAW / "population.csv"))
    replacements = [load(DRAW / "replacement1.json"), load(DRAW / "replacement2.json")]
    assert [] == sv.verify_draw(load(DRAW / "record1.json"), population, None, replacements)


def test_a_replacement_out_of_rule_is_reported() -> None:
    """A replacement naming the wrong unit is a ``replacements[i].replacement`` difference."""
    replacement = load(DRAW / "replacement1.json")
    replacement["replacement"]["id"] = "G0001"
    replacement["record_digest"] = sv.record_digest(replacement)
    population = sv.PopulationFile(str(DRAW / "population.csv"))
    found = sv.verify_draw(load(DRAW / "record1.json"), population, None, [replacement])
    assert ["replacements[0].replacement"] == [field for field, _ in found]
    assert ["replacement-wrong"] == sv.causes_of(sv.check_code(f) for f, _ in found)


def golden_teams() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The golden directory, visits and conflicts, read as ``randsample assign`` reads them."""
    directory = sv.read_directory(load(TEAMS / "directory.json"))
    visits = sv.read_visits(sv.parse_json((TEAMS / "visits.json").read_text("utf-8")), directory)
    conflicts = sv.read_conflicts(
        sv.parse_json((TEAMS / "conflicts.json").read_text("utf-8")), directory
    )
    return directory, visits, conflicts


def test_golden_assignments_verify() -> None:
    """The partial golden assignment (an unstaffed department) and the complete one, chained
    to it, re-derive; a changed conflicts file is a difference of the input digest."""
    directory, visits, conflicts = golden_teams()
    partial = load(TEAMS / "record_partial.json")
    complete = load(TEAMS / "record_complete.json")
    assert [] == sv.verify_assignment(partial, directory, visits, conflicts)
    assert [] == sv.verify_assignment(complete, directory, visits[:7], conflicts, partial)
    relaxed = dict(conflicts, same_locality=False)
    fields = {field for field, _ in sv.verify_assignment(partial, directory, visits, relaxed)}
    assert {"input.digest", "input.conflicts_digest"} <= fields


def test_golden_publication_verifies() -> None:
    """The salted draw (with the authority secret), the result records, the notice (public
    and auditor checks) and the three receipts verify."""
    population = sv.PopulationFile(str(PUBLICATION / "population.csv"))
    salted = load(PUBLICATION / "salted_record.json")
    assert [] == sv.verify_draw(salted, population, secret=SECRET)
    results = load(PUBLICATION / "results.json")
    assert [] == sv.verify_results(results, previous=salted)
    notice = load(PUBLICATION / "notice.json")
    assert [] == sv.verify_notice(notice, previous=results[-1])
    population = sv.PopulationFile(str(PUBLICATION / "population.csv"))
    assert [] == sv.verify_notice(notice, salted, population, SECRET)
    for kind in ("selected", "not_selected", "ineligible"):
        assert [] == sv.verify_receipt(load(PUBLICATION / f"receipt_{kind}.json"), notice)


def test_commitment_vectors() -> None:
    """Salts, buckets, leaf hashes, version-2 tickets and the commitment of spec 14."""
    vectors = json.loads((PUBLICATION / "commitment_vectors.json").read_text(encoding="utf-8"))
    secret, buckets = bytes.fromhex(vectors["authority_secret"]), vectors["buckets"]
    key = bytes.fromhex(vectors["subkey"])
    for unit in vectors["units"]:
        salt = sv.unit_salt(secret, unit["id"])
        weight = float.fromhex(unit["weight"]) if unit["weight"] is not None else None
        leaf = sv.leaf_hash(
            salt, unit["id"], unit["stratum"], unit["eligible"], sv._weight_bytes(weight)
        )
        assert (unit["salt"], unit["bucket"]) == (salt.hex(), sv.unit_bucket(unit["id"], buckets))
        assert (unit["leaf_hash"], unit["ticket"]) == (
            leaf.hex(),
            sv.ticket2(key, salt, unit["id"]).hex(),
        )
    rows = sv.read_population_csv(PUBLICATION / "population.csv")
    scan = sv.SaltedScan({}, secret, buckets).run(sv._RowsPopulation(rows).rows(), key)
    assert vectors["commitment"] == scan.commitment(len(rows))


def test_sampford_vectors() -> None:
    """Steps 6-8 of spec 12 alone: positions, trials and blocks of every vector."""
    from fractions import Fraction

    for case in json.loads((DATA / "sampford_vectors.json").read_text(encoding="utf-8")):
        pik = [Fraction(p) for p in case["pik"]]
        expected = (case["selected"], case["trials"], case["blocks"])
        assert expected == sv.sampford_rounds(pik, bytes.fromhex(case["subkey"]), case["label"])


# ---------------------------------------------------------------- random draws
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_draws_of_every_design_agree(data: st.DataObject) -> None:
    """Random weighted populations: the library's srswor, systematic and Sampford draws
    verify in the standalone verifier, whose own selection is the library's."""
    population = data.draw(populations(with_weights=True))
    sizes = dict(data.draw(feasible_sizes(population)))
    seed = data.draw(seeds)
    design = data.draw(st.sampled_from(["srswor", "systematic", "sampford"]))
    draw = {"srswor": draw_stratified, "systematic": draw_stratified_pips}.get(
        design, draw_stratified_sampford
    )
    if design == "sampford":  # keep the rejective rounds short: n' small against |L|
        sizes = {h: min(n, 2) for h, n in sizes.items()}
    try:
        sample = draw(population, sizes, seed)
    except RandsampleError:
        assume(False)  # too few positive weights: the library refuses, nothing to compare
        raise
    record = make_record(sample, authority="a", draw_id="d", timestamp=STAMP).content
    rows = rows_of(population)
    algorithm = record["algorithm"]["name"]
    assert record["selection"] == sv.select(rows, sizes, seed.subkey("enterprises"), algorithm)
    assert [] == sv.verify_draw(record, rows)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_salted_draws_notices_and_receipts_agree(data: st.DataObject) -> None:
    """Random salted draws: the record verifies with the secret, the notice publicly and for
    the auditor, and every unit's receipt in both verifiers."""
    from randsample.joint import Department, InspectionItem

    population = data.draw(populations(with_weights=data.draw(st.booleans())))
    sizes = data.draw(feasible_sizes(population))
    seed = data.draw(seeds)
    buckets = data.draw(st.sampled_from([1, 2, 3, 8]))
    secret = bytes(range(7, 39))
    sample = draw_salted(population, sizes, seed, secret, buckets=buckets)
    record = make_salted_record(sample, authority="局", draw_id="d", timestamp=STAMP)
    notice = make_notice(
        record,
        notice_id="n",
        task_id="t",
        period="2026-03",
        departments=[Department("SAMR", "市场监管局")],
        items=[InspectionItem("SAMR", "F-01", "条例", "公示信息", "on-site")],
        timestamp=STAMP,
    )
    content, public = record.content, json.loads(notice.to_json())
    rows = rows_of(population)
    assert [] == sv.verify_draw(content, rows, secret=secret)
    assert [] == sv.verify_notice(public, content, sv._RowsPopulation(rows), secret)
    for receipt in make_receipts(sample, population, secret, notice):
        assert verify_receipt(receipt, notice).ok
        assert [] == sv.verify_receipt(json.loads(receipt.to_json()), public)


def _directory_file(directory: Any) -> dict[str, Any]:
    return {
        "inspectors": [
            {
                "id": r.id,
                "department": r.department,
                "certified": True,
                "categories": sorted(r.categories),
                "home_region": r.home_region,
                "capacity": r.capacity,
                "days_off": sorted(d.isoformat() for d in r.days_off),
            }
            for r in directory.inspectors
        ]
    }


def _visits_file(visits: Any) -> dict[str, Any]:
    return {
        "visits": [
            {
                "visit_id": v.visit_id,
                "enterprise_id": v.enterprise_id,
                "enterprise_region": v.enterprise_region,
                "date": v.date.isoformat(),
                "departments": list(v.departments),
                "items": {d: sorted(c) for d, c in v.items.items()},
                "team_size": v.team_size,
                "lead": v.lead,
            }
            for v in visits
        ]
    }


def _conflicts_file(conflicts: Any) -> dict[str, Any]:
    return {
        "relations": [[r.inspector_id, r.enterprise_id, r.kind] for r in conflicts.relations],
        "same_locality": conflicts.same_locality,
        "history": {e: [sorted(t) for t in teams] for e, teams in conflicts.history.items()},
        "rotation": conflicts.rotation,
        "recusals": {e: sorted(ids) for e, ids in conflicts.recusals.items()},
        "exclusions": [[x.inspector_id, x.enterprise_id, x.reason] for x in conflicts.exclusions],
    }


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), seeds)
def test_random_assignments_agree(tmp_path_factory: Any, instance: Any, seed: Any) -> None:
    """Random directories, visits and conflicts written in the files ``randsample assign``
    reads: the library's (partial) assignment record verifies in the standalone verifier,
    with the same digests and teams."""
    folder = tmp_path_factory.mktemp("teams")
    texts = {
        "directory.json": _directory_file(instance[0]),
        "visits.json": _visits_file(instance[1]),
        "conflicts.json": _conflicts_file(instance[2]),
    }
    for name, value in texts.items():
        (folder / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    try:
        directory = read_directory(folder / "directory.json")
        visits = read_visits(folder / "visits.json")
        conflicts = read_conflicts(folder / "conflicts.json")
        assignment = assign_inspectors(directory, visits, seed, conflicts=conflicts, partial=True)
    except RandsampleError:
        assume(False)  # e.g. an item no inspector of the department holds: both refuse
        raise
    record = make_assignment_record(assignment, authority="局", assignment_id="a", timestamp=STAMP)
    assert verify_assignment(record, directory, visits, conflicts=conflicts).ok
    mine = sv.read_directory(texts["directory.json"])
    found = sv.verify_assignment(
        record.content,
        mine,
        sv.read_visits(texts["visits.json"], mine),
        sv.read_conflicts(texts["conflicts.json"], mine),
    )
    assert [] == found


def test_library_and_standalone_verify_the_same_golden_records() -> None:
    """The library verifies the golden draws too (the two implementations, one answer)."""
    population = read_population_csv(DRAW / "population.csv")
    for name in ("record1.json", "record_pips.json", "record_sampford.json"):
        assert verify((DRAW / name).read_text(encoding="utf-8"), population).ok


# ---------------------------------------------------------------- teams, version 2 (19, 20)
TEAMS2 = DATA / "golden_assignment_v2"


def golden_teams2(visits: int | None = None) -> dict[str, Any]:
    """The golden v2 inputs, read by the standalone verifier's readers."""
    raw = {
        n: sv.parse_json((TEAMS2 / f"{n}.json").read_text(encoding="utf-8"), n, "input")
        for n in ("directory", "experts", "visits", "conflicts")
    }
    if visits is not None:
        raw["visits"] = {"visits": raw["visits"]["visits"][:visits]}
    directory = sv.read_directory(raw["directory"])
    experts = sv.read_experts(raw["experts"], directory)
    return {
        "directory": directory,
        "experts": experts,
        "visits": sv.read_visits2(raw["visits"], directory, experts),
        "conflicts": sv.read_conflicts(raw["conflicts"], directory, experts=experts),
    }


def test_golden_teams_v2_and_adjustments_verify() -> None:
    """The partial and complete v2 team records re-derive (leaders, experts, the repair step,
    an unstaffed department), and both adjustments of the complete one (a leader who drops
    out, then an expert)."""
    partial, complete = load(TEAMS2 / "record_partial.json"), load(TEAMS2 / "record_complete.json")
    every = golden_teams2()
    assert [] == sv.verify_assignment2(
        partial, every["directory"], every["experts"], every["visits"], every["conflicts"]
    )
    seven = golden_teams2(visits=7)
    adjustments = [load(TEAMS2 / f"adjustment{k}.json") for k in (1, 2)]
    found = sv.verify_assignment2(
        complete,
        seven["directory"],
        seven["experts"],
        seven["visits"],
        seven["conflicts"],
        previous=partial,
        adjustments=adjustments,
    )
    assert [] == found
    adjustments[1]["replacement"]["position"] += 1
    adjustments[1]["record_digest"] = sv.record_digest(adjustments[1])
    found = sv.verify_assignment2(
        complete,
        *(seven[k] for k in ("directory", "experts", "visits", "conflicts")),
        adjustments=adjustments,
    )
    assert ["adjustments[1].replacement"] == [field for field, _ in found]
    assert ["adjustment-wrong"] == sv.causes_of(sv.check_code(f) for f, _ in found)


def _teams2_files(instance: Any) -> dict[str, Any]:
    directory, pool, visits, conflicts = instance
    return {
        "directory": {
            "inspectors": [
                {
                    "id": r.id,
                    "department": r.department,
                    "certified": True,
                    "categories": sorted(r.categories),
                    "home_region": r.home_region,
                    "capacity": r.capacity,
                    "days_off": sorted(d.isoformat() for d in r.days_off),
                }
                for r in directory.inspectors
            ]
        },
        "experts": {
            "experts": [
                {
                    "id": e.id,
                    "categories": sorted(e.categories),
                    "home_region": e.home_region,
                    "capacity": e.capacity,
                    "days_off": sorted(d.isoformat() for d in e.days_off),
                }
                for e in pool.experts
            ]
        },
        "visits": {
            "visits": [
                {
                    "visit_id": v.visit_id,
                    "enterprise_id": v.enterprise_id,
                    "date": v.date.isoformat(),
                    "departments": list(v.departments),
                    "items": {d: sorted(c) for d, c in v.items.items()},
                    "lead": v.lead,
                    "minimums": dict(v.minimums),
                    "experts": v.experts,
                    "expert_categories": sorted(v.expert_categories),
                    "location": v.location,
                }
                for v in visits
            ]
        },
        "conflicts": {"same_locality": conflicts.same_locality},
    }


def _library_teams2(files: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    """The library's objects for the same files (as randsample reads such inputs)."""
    import datetime

    from randsample.teams import Conflicts, Directory, Expert, ExpertPool, Inspector, TeamVisit

    day = datetime.date.fromisoformat
    directory = Directory(
        [
            Inspector(**{**i, "days_off": {day(d) for d in i["days_off"]}})
            for i in files["directory"]["inspectors"]
        ]
    )
    pool = ExpertPool(
        [
            Expert(**{**e, "days_off": {day(d) for d in e["days_off"]}})
            for e in files["experts"]["experts"]
        ]
    )
    visits = [
        TeamVisit(
            **{**v, "date": day(v["date"]), "items": {d: set(c) for d, c in v["items"].items()}}
        )
        for v in files["visits"]["visits"]
    ]
    return directory, pool, visits, Conflicts(**files["conflicts"])


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_teams_v2_and_adjustments_agree(data: st.DataObject) -> None:
    """Random v2 instances written as files: the library's team record (partial when need
    be) and an adjustment of a random member re-derive in the standalone verifier."""
    from randsample.teams import assign_teams, make_team_record, record_adjustment

    files = _teams2_files(data.draw(instances_v2()))
    seed = data.draw(seeds)
    directory, pool, visits, conflicts = _library_teams2(files)
    try:
        result = assign_teams(
            directory, visits, seed, experts=pool, conflicts=conflicts, partial=True
        )
    except RandsampleError:
        assume(False)
        raise
    record = make_team_record(result, authority="局", assignment_id="t", timestamp=STAMP)
    adjustments = []
    team = data.draw(st.sampled_from(record["teams"]))
    members = [r for m in team["members"] for r in m["inspector_ids"]] + team["experts"]
    if members:
        with contextlib.suppress(RandsampleError):  # no free replacement: nothing to check
            adjustments.append(
                record_adjustment(
                    record,
                    directory,
                    visits,
                    visit_id=team["visit_id"],
                    dropped=data.draw(st.sampled_from(members)),
                    reason="病假",
                    recorded_by="科长",
                    timestamp=STAMP,
                    previous=record,
                    experts=pool,
                    conflicts=conflicts,
                )
            )
    mine = sv.read_directory(files["directory"])
    experts = sv.read_experts(files["experts"], mine)
    found = sv.verify_assignment2(
        json.loads(record.to_json()),
        mine,
        experts,
        sv.read_visits2(files["visits"], mine, experts),
        sv.read_conflicts(files["conflicts"], mine, experts=experts),
        adjustments=[json.loads(a.to_json()) for a in adjustments],
    )
    assert [] == found


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_replacements_agree(data: st.DataObject) -> None:
    """Random draws and a random chain of replacements made by the library (each of a unit
    in the current sample, with the reason codes of spec 13.4) re-derive in the standalone
    verifier."""
    from randsample.records import record_replacement

    population = data.draw(populations())
    sizes = data.draw(feasible_sizes(population))
    seed = data.draw(seeds)
    record = make_record(
        draw_stratified(population, sizes, seed), authority="a", draw_id="d", timestamp=STAMP
    )
    current = [entry["id"] for entry in record["selection"]]
    replacements: list[Any] = []
    for _ in range(data.draw(st.integers(0, 3))):
        if not current:
            break
        gone = data.draw(st.sampled_from(current))
        try:
            made = record_replacement(
                record,
                population,
                unit_id=gone,
                reason="outside-scope",
                recorded_by="科长",
                timestamp=STAMP,
                previous=replacements[-1] if replacements else record,
                earlier=replacements,
            )
        except RandsampleError:
            break  # the stratum has no unit left: the library refuses
        replacements.append(made)
        current.remove(gone)
        current.append(made["replacement"]["id"])
    found = sv.verify_draw(
        record.content, rows_of(population), replacements=[r.content for r in replacements]
    )
    assert [] == found
