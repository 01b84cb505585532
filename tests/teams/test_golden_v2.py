"""Golden vectors of team-assignment v2 and team adjustments (docs/spec.md sections 19-20).

What they prove: the frozen records verify, re-derive byte for byte (but for the informative
library version), are read back by ``read_record`` as their kinds, and an independent
stdlib-only reading of the spec (``spec_v2.py``) reproduces every team, leader, digest and
adjustment. What they do not prove: the fairness of the selection (test_assignment_v2.py).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from randsample.records import read_record
from randsample.teams import (
    AdjustmentRecord,
    TeamRecord,
    assign_teams,
    make_team_record,
    record_adjustment,
    verify_adjustments,
    verify_team_record,
)
from tests.teams import spec_v2

DATA = Path(__file__).resolve().parents[1] / "data"
FOLDER = DATA / "golden_assignment_v2"


def _generator() -> Any:
    path = DATA / "generate_golden_v2.py"
    spec = importlib.util.spec_from_file_location("generate_golden_v2", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    loaded = _generator().load(FOLDER)
    for name in ("record_partial", "record_complete", "adjustment1", "adjustment2"):
        loaded[name] = read_record((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _raw(visits_limit: int | None = None) -> dict[str, Any]:
    data = {
        name: json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("directory", "experts", "visits", "conflicts")
    }
    visits = data["visits"]["visits"]
    return {
        "directory": data["directory"],
        "experts": data["experts"]["experts"],
        "visits": visits if visits_limit is None else visits[:visits_limit],
        "conflicts": data["conflicts"],
    }


def test_read_record_dispatches_the_new_kinds(golden):
    """read_record reads a v2 team record and an adjustment record as their own kinds."""
    assert isinstance(golden["record_partial"], TeamRecord)
    assert isinstance(golden["adjustment1"], AdjustmentRecord)
    assert {"name": "team-assignment", "version": 2} == golden["record_partial"]["algorithm"]


def test_golden_records_verify(golden):
    """Both team records verify from the input files, chained; the adjustments re-derive."""
    common = {"experts": golden["experts"], "conflicts": golden["conflicts"]}
    visits = golden["visits"]
    partial, complete = golden["record_partial"], golden["record_complete"]
    assert partial["unstaffed"] == [
        {"visit_id": "V-007", "department": "消防", "needed": 2, "assigned": 1}
    ]
    assert verify_team_record(partial, golden["directory"], visits, **common).ok
    assert verify_team_record(
        complete, golden["directory"], visits[:-1], previous=partial, **common
    ).ok
    report = verify_adjustments(
        complete,
        golden["directory"],
        visits[:-1],
        [golden["adjustment1"], golden["adjustment2"]],
        previous=complete,
        **common,
    )
    assert report.ok, str(report)


def test_golden_records_reproduce_bit_for_bit(golden):
    """Re-running the algorithm and the adjustment rule gives the frozen records exactly."""
    common = {"experts": golden["experts"], "conflicts": golden["conflicts"]}
    directory, visits, seed = golden["directory"], golden["visits"], golden["seed"]
    partial = make_team_record(
        assign_teams(directory, visits, seed, partial=True, **common),
        authority="golden authority",
        assignment_id="golden-teams-v2-partial",
        timestamp="2026-03-01T02:00:00Z",
    )
    complete = make_team_record(
        assign_teams(directory, visits[:-1], seed, **common),
        authority="golden authority",
        assignment_id="golden-teams-v2",
        timestamp="2026-03-01T03:00:00Z",
        previous=partial,
    )
    first = record_adjustment(
        complete,
        directory,
        visits[:-1],
        visit_id="V-000",
        dropped=golden["adjustment1"]["dropped"]["id"],
        reason="病假 (sick leave)",
        recorded_by="科长 01",
        timestamp="2026-03-01T05:00:00Z",
        previous=complete,
        **common,
    )
    second = record_adjustment(
        complete,
        directory,
        visits[:-1],
        visit_id="V-003",
        dropped=golden["adjustment2"]["dropped"]["id"],
        reason="conflict of interest found after the draw",
        recorded_by="科长 01",
        timestamp="2026-03-01T06:00:00Z",
        previous=first,
        earlier=[first],
        **common,
    )
    for name, again in (
        ("record_partial", partial),
        ("record_complete", complete),
        ("adjustment1", first),
        ("adjustment2", second),
    ):
        expected, actual = golden[name].content, again.content
        for content in (expected, actual):  # the library version is informative, not frozen
            content.pop("library", None)
            content.pop("record_digest")
            content.pop("previous_record_digest")  # links to a record whose library differs
        assert expected == actual, name


def test_the_vectors_exercise_what_the_spec_says(golden):
    """The leader changes in adjustment 1, adjustment 2 replaces an expert, repair runs."""
    first, second = golden["adjustment1"], golden["adjustment2"]
    before = golden["record_complete"].teams["V-000"]["leader"]
    assert first["dropped"]["id"] == before != first["leader"]
    assert second["department"] is None
    from randsample.teams._assign_v2 import _solve_v2
    from randsample.teams._problem_v2 import _prepare_v2

    prepared = _prepare_v2(
        golden["directory"], golden["visits"][:-1], golden["conflicts"], golden["experts"]
    )
    solved = _solve_v2(prepared, golden["seed"].subkey("inspectors"))
    assert any(solution.repaired for solution, _ in solved.values())


def test_an_independent_stdlib_reading_of_the_spec_reproduces_the_vectors(golden):
    """spec_v2.py, written from docs/spec.md 12-13 alone, gives the same digests and teams."""
    seed_hex = golden["record_partial"]["seed"]["value"]
    for name, limit in (("record_partial", None), ("record_complete", -1)):
        record = golden[name]
        raw = _raw(limit)
        found = spec_v2.digests(raw)
        assert record["directory"]["digest"] == found["directory"]
        assert record["experts"]["digest"] == found["experts"]
        assert record["input"]["conflicts_digest"] == found["conflicts"]
        assert record["input"]["digest"] == found["input"]
        assert record["subkey"] == spec_v2.subkey(seed_hex).hex()
        selected = spec_v2.select(raw, seed_hex)
        assert record.teams == selected["teams"], name
        assert [
            (u["visit_id"], u["department"] or spec_v2.EXPERTS, u["needed"], u["assigned"])
            for u in record["unstaffed"]
        ] == selected["unstaffed"]
    adjustments = [golden["adjustment1"].content, golden["adjustment2"].content]
    derived = spec_v2.adjust(_raw(-1), seed_hex, golden["record_complete"].content, adjustments)
    for adjustment, expected in zip(adjustments, derived, strict=True):
        assert {k: adjustment[k] for k in expected} == expected


def test_a_tampered_adjustment_is_named(golden):
    """Changing the replacement of an adjustment (and resealing) is reported by field."""
    from randsample.records import seal

    content = golden["adjustment2"].content
    content["replacement"]["id"] = "专家-1"
    forged = AdjustmentRecord(seal(content))
    report = verify_adjustments(
        golden["record_complete"],
        golden["directory"],
        golden["visits"][:-1],
        [golden["adjustment1"], forged],
        experts=golden["experts"],
        conflicts=golden["conflicts"],
    )
    assert ("adjustments[1].replacement",) == report.fields
