"""Edge cases of the standalone verifier, rule by rule: each input the spec refuses is refused
(cannot verify), each difference it defines is reported under its field.

The records here are the golden ones with one thing changed; a changed record is re-sealed
when the point is a rule rather than the seal.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from randsample.records import _standalone_verify as sv

DATA = Path(__file__).parents[1] / "data"
DRAW = DATA / "golden_draw"
TEAMS = DATA / "golden_assignment"
TEAMS2 = DATA / "golden_assignment_v2"
PUBLICATION = DATA / "golden_publication"
VECTORS = DATA / "verdicts"


def load(path: Path) -> Any:
    """A golden JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """The record re-sealed after an edit."""
    record["record_digest"] = sv.record_digest(record)
    return record


def fields(found: list[tuple[str, str]]) -> set[str]:
    """The fields of a list of differences."""
    return {field for field, _ in found}


# ---------------------------------------------------------------- results (spec 13)
RESULTS = load(PUBLICATION / "results.json")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"category": "bogus"}, "category"),
        ({"category": "no-problem"}, "subtypes"),
        ({"methods": []}, "methods: at least one"),
        ({"methods": ["on-site", "bogus"]}, "not in the vocabulary"),
        ({"follow_ups": ["none", "refer-case"]}, "none only alone"),
        ({"officers": ["王伟", "李娜"]}, "sorted by code point"),
        ({"officers": ["王伟"], "leader": "王伟"}, "at least two"),
        ({"leader": "张三"}, "leader: not one of the officers"),
        ({"inspection_start": "2026-03-05"}, "inspection_start is after"),
        ({"date": "2026-03-01"}, "date is before"),
        ({"date": "2026-02-30"}, "must be YYYY-MM-DD"),
        ({"state": "not-entered"}, "not a snapshot's state"),
    ],
)
def test_result_content_rules(change: dict[str, Any], problem: str) -> None:
    """Each content rule of spec 13.1-13.2 broken in the first result record is reported
    under ``records[0].result``."""
    records = copy.deepcopy(RESULTS)
    records[0]["result"].update(change)
    sealed(records[0])
    found = sv.verify_results(records)
    assert any(f == "records[0].result" and problem in m for f, m in found), found


def test_result_moves_and_links() -> None:
    """An illegal move, a changed content after approval, an earlier date and a wrong link
    to the previous snapshot are each reported; with the draw record, the draw link and the
    drawn enterprise are checked (replacements applied)."""
    records = copy.deepcopy(RESULTS)
    records[4]["result"]["state"] = "closed"  # approved may only move to published
    records[5]["result"]["category"] = "corrected"  # content changed after approval
    records[3]["result"]["date"] = "2026-03-05"
    records[1]["previous_result_digest"] = "1" * 64
    for record in records:
        sealed(record)
    found = fields(sv.verify_results(records))
    assert {"records[4].result.state", "records[5].result", "records[1].previous_result_digest"}
    assert {"records[4].result.state", "records[5].result"} <= found
    assert "records[1].previous_result_digest" in found
    draw = load(PUBLICATION / "salted_record.json")
    other = copy.deepcopy(RESULTS)
    for record in other:
        record["draw_record_digest"] = sv.record_digest(draw)
        record["result"]["enterprise_id"] = "not-drawn"
        sealed(record)
    replacement = {"replaced": {"id": "x"}, "replacement": {"id": "y"}}
    found = fields(sv.verify_results(other, draw, [replacement]))
    assert "records[0].result.enterprise_id" in found


def test_malformed_result_records() -> None:
    """A result record that breaks its format is refused."""
    record = copy.deepcopy(RESULTS[0])
    record["result"]["officers"] = [1]
    with pytest.raises(sv.CannotVerify):
        sv.verify_results([record])
    with pytest.raises(sv.CannotVerify):
        sv.verify_results([])
    record = copy.deepcopy(RESULTS[0])
    record["result"]["note"] = " x"
    with pytest.raises(sv.CannotVerify):
        sv.verify_results([record])


# ---------------------------------------------------------------- notices and receipts (14)
NOTICE = load(PUBLICATION / "notice.json")
SALTED = load(PUBLICATION / "salted_record.json")


def edited_notice(edit: Any) -> dict[str, Any]:
    """The golden notice with ``edit`` applied, re-sealed."""
    notice = copy.deepcopy(NOTICE)
    edit(notice)
    return sealed(notice)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda n: n["strata"].reverse(), "strata"),
        (lambda n: n["strata"][0].update(sample_size=99), "strata['A'].sample_size"),
        (lambda n: n["strata"][0].update(threshold=None), "strata['A'].threshold"),
        (lambda n: n["drawn"].reverse(), "drawn"),
        (lambda n: n["population_commitment"].update(units=3), "strata"),
        (
            lambda n: n["drawn"][0]["results"][0].update(department="X"),
            "drawn['91350100M00000000'].results",
        ),
        (
            lambda n: n["drawn"][0]["results"][0].update(category="bogus"),
            "drawn['91350100M00000000'].results",
        ),
    ],
)
def test_notice_public_checks(edit: Any, field: str) -> None:
    """The checks anyone can make on a notice alone (spec 14.6) each name their field."""
    assert field in fields(sv.verify_notice(edited_notice(edit)))


def test_notice_against_its_salted_record() -> None:
    """The auditor's checks: the record's digest, its seed, purpose, sub-key, algorithm,
    commitment, strata and drawn ids must be the notice's."""
    record = copy.deepcopy(SALTED)
    record["purpose"] = "other"
    record["population"]["commitment"]["root"] = "2" * 64
    record["design"]["strata"][0]["sample_size"] = 1
    record["selection"] = record["selection"][1:]
    found = fields(sv.verify_notice(NOTICE, sealed(record)))
    assert {"draw_record_digest", "purpose", "population_commitment", "strata", "drawn"} <= found
    with pytest.raises(sv.CannotVerify):
        sv.verify_notice(NOTICE, load(DRAW / "record1.json"))


RECEIPT = load(PUBLICATION / "receipt_selected.json")


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda r: r["proof"].update(leaf_index=99), "proof"),
        (lambda r: r["proof"].update(path=r["proof"]["path"][:1]), "proof"),
        (lambda r: r["proof"].update(top_path=[]), "proof"),
        (lambda r: r["proof"].update(bucket=7), "proof.bucket"),
        (lambda r: r["unit"].update(stratum="Z"), "threshold"),
        (lambda r: r.update(ticket="0" * 64), "ticket"),
    ],
)
def test_receipt_checks(edit: Any, field: str) -> None:
    """Each step of spec 14.7 that fails is reported under its field."""
    receipt = copy.deepcopy(RECEIPT)
    edit(receipt)
    assert field in fields(sv.verify_receipt(receipt, NOTICE))


def test_malformed_notices_and_receipts() -> None:
    """Notices and receipts that break their formats are refused."""
    for edit in (
        lambda r: r.update(selected=1),
        lambda r: r["unit"].update(weight="zz"),
        lambda r: r["unit"].update(salt="00"),
        lambda r: r["proof"].update(leaf_index=-1),
        lambda r: r["proof"].update(path="x"),
    ):
        receipt = copy.deepcopy(RECEIPT)
        edit(receipt)
        with pytest.raises(sv.CannotVerify):
            sv.verify_receipt(receipt, NOTICE)
    for edit in (
        lambda n: n["population_commitment"].update(version=3),
        lambda n: n["population_commitment"].update(buckets=0),
        lambda n: n["population_commitment"].update(units=-1),
        lambda n: n["drawn"][0]["results"][0].update(subtypes=[1]),
    ):
        with pytest.raises(sv.CannotVerify):
            sv.verify_notice(edited_notice(edit))
    with pytest.raises(sv.CannotVerify):
        sv.verify_receipt(RECEIPT, load(DRAW / "record1.json"))


def test_audit_root_follows_rfc_9162() -> None:
    """An index beyond the tree, a path too long or too short: no root."""
    leaf = b"\x00" * 32
    assert sv.audit_root(leaf, 1, 1, []) is None
    assert sv.audit_root(leaf, 0, 1, [leaf]) is None
    assert sv.audit_root(leaf, 0, 2, []) is None
    assert leaf == sv.audit_root(leaf, 0, 1, [])


# ---------------------------------------------------------------- announcements (15)
ANNOUNCED = json.loads(load(VECTORS / "ok-announced.json")["announcement"])
RECORD1 = load(DRAW / "record1.json")


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda a: a.update(authority="别的局"), "announcement.authority"),
        (lambda a: a["announces"].update(id="other"), "announcement.announces.id"),
        (lambda a: a.update(timestamp="2026-11-28T00:00:00Z"), "announcement.timestamp"),
        (lambda a: a["population"].update(units=1), "announcement.population.units"),
        (
            lambda a: a["population"]["commitment"].update(value="3" * 64),
            "announcement.population.commitment",
        ),
        (lambda a: a["design"]["strata"].pop(), "announcement.design.strata"),
        (lambda a: a["sources"][0].update(values=5), "announcement.sources[0].values"),
        (lambda a: a["sources"].reverse(), "announcement.sources"),
        (lambda a: a["sources"][0].update(date="2026-11-20"), "announcement.sources[0].date"),
        (lambda a: a.update(commitment="4" * 64), "announcement.commitment"),
        (lambda a: a.update(weak_secret_allowed=True), "announcement.weak_secret_allowed"),
    ],
)
def test_announcement_checks(edit: Any, field: str) -> None:
    """Each check of spec 15.4 that fails names ``announcement.<field>``; the draw is then
    not publicly random."""
    announcement = copy.deepcopy(ANNOUNCED)
    edit(announcement)
    sv.read_announcement(sealed(announcement))
    found = sv.verify_draw(
        RECORD1, sv.PopulationFile(str(DRAW / "population.csv")), announcement=announcement
    )
    assert field in fields(found)
    assert [] == [
        code for code, _ in sv._notes(RECORD1, announcement, found) if code == "publicly-random"
    ]


def test_an_edited_announcement_breaks_its_seal() -> None:
    """An announcement changed after sealing is reported under announcement.record_digest."""
    announcement = copy.deepcopy(ANNOUNCED)
    announcement["timestamp"] = "2026-11-21T02:00:00Z"
    found = sv.verify_draw(
        RECORD1, sv.PopulationFile(str(DRAW / "population.csv")), announcement=announcement
    )
    assert {"announcement.record_digest"} == fields(found)


@pytest.mark.parametrize(
    "edit",
    [
        lambda a: a["announces"].update(record_format="randsample.replacement-record/1"),
        lambda a: a["population"]["commitment"].update(scheme="merkle/9"),
        lambda a: a.update(inputs={"x": 1}),
        lambda a: a.update(sources=[]),
        lambda a: a["sources"].append(dict(a["sources"][0])),
        lambda a: a["sources"][0].update(date="2026-02-30"),
        lambda a: a["sources"][0].update(values=0),
        lambda a: a.update(commitment=None, weak_secret_allowed=True),
        lambda a: a.update(record_format="x"),
    ],
)
def test_malformed_announcements(edit: Any) -> None:
    """An announcement that breaks 15.1 or 16.2 is refused."""
    announcement = copy.deepcopy(ANNOUNCED)
    edit(announcement)
    with pytest.raises(sv.CannotVerify):
        sv.read_announcement(announcement)


def test_an_announced_assignment() -> None:
    """An assignment record against an announcement of its inputs (15.4 step 5) and of
    another assignment id."""
    record = load(TEAMS / "record_partial.json")
    announcement = {
        "record_format": sv.ANNOUNCEMENT_FORMAT,
        "library": {"name": "randsample", "version": "0.1.0"},
        "authority": record["authority"],
        "timestamp": "2026-02-01T00:00:00Z",
        "previous_record_digest": None,
        "announces": {
            "record_format": record["record_format"],
            "id": "another",
            "algorithm": record["algorithm"],
            "purpose": "inspectors",
        },
        "population": None,
        "design": None,
        "inputs": {
            "directory_digest": record["directory"]["digest"],
            "input_digest": "5" * 64,
            "conflicts_digest": record["input"]["conflicts_digest"],
        },
        "sources": [
            {"name": s["name"], "date": "2026-02-02", "values": len(s["values"])}
            for s in record["seed"]["sources"]
        ],
        "commitment": record["seed"]["commitment"],
        "weak_secret_allowed": False,
    }
    sv.read_announcement(sealed(announcement))
    directory = sv.read_directory(load(TEAMS / "directory.json"))
    found = sv.verify_assignment(
        record,
        directory,
        sv.read_visits(load(TEAMS / "visits.json"), directory),
        sv.read_conflicts(load(TEAMS / "conflicts.json"), directory),
        announcement=announcement,
    )
    assert {"announcement.announces.id", "announcement.inputs.input_digest"} == fields(found)


# ---------------------------------------------------------------- assignment inputs (11, 19)
DIRECTORY = load(TEAMS / "directory.json")
VISITS = load(TEAMS / "visits.json")


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["inspectors"][0].update(certified=False),
        lambda d: d["inspectors"][0].update(capacity=0),
        lambda d: d["inspectors"][0].update(days_off=["2026-02-30"]),
        lambda d: d["inspectors"][1].update(id="F-00"),
        lambda d: d.update(departments=["食品"]),
        lambda d: d.update(inspectors="x"),
        lambda d: d["inspectors"][0].update(extra=1),
        lambda d: d["inspectors"][0].pop("capacity"),
        lambda d: d["inspectors"][0].update(categories=[]),
        lambda d: d["inspectors"][0].update(categories=" x"),
    ],
)
def test_malformed_directories(edit: Any) -> None:
    """A directory that breaks 11.1 (as ``randsample assign`` reads it) is refused."""
    directory = copy.deepcopy(DIRECTORY)
    edit(directory)
    with pytest.raises(sv.CannotVerify):
        sv.read_directory(directory)


@pytest.mark.parametrize(
    "edit",
    [
        lambda v: v["visits"][0].update(date="2026-13-01"),
        lambda v: v["visits"][1].update(visit_id="V-000"),
        lambda v: v["visits"][0].update(items={"食品": ["餐饮"]}),
        lambda v: v["visits"][0].update(team_size=1),
        lambda v: v["visits"][0].update(lead="药品x"),
        lambda v: v["visits"][1].update(departments=["化妆品"], items={"化妆品": ["x"]}),
        lambda v: v.update(visits={}),
    ],
)
def test_malformed_visits(edit: Any) -> None:
    """Visits that break 11.1 are refused."""
    visits = copy.deepcopy(VISITS)
    edit(visits)
    with pytest.raises(sv.CannotVerify):
        sv.read_visits(visits, sv.read_directory(DIRECTORY))


@pytest.mark.parametrize(
    "conflicts",
    [
        {"relations": "x"},
        {"relations": [["F-00", "E-1"]]},
        {"relations": [["nobody", "E-1", "relative"]]},
        {"relations": [["F-00", "E-1", "enemy"]]},
        {"history": []},
        {"history": {"E-1": "x"}},
        {"history": {" E": []}},
        {"recusals": {"E-1": ["nobody"]}},
        {"rotation": -1},
        {"same_locality": "yes"},
        {"unknown": 1},
    ],
)
def test_malformed_conflicts(conflicts: dict[str, Any]) -> None:
    """Conflicts that break 11.1 are refused."""
    with pytest.raises(sv.CannotVerify):
        sv.read_conflicts(conflicts, sv.read_directory(DIRECTORY))


def test_assignment_differences() -> None:
    """Extra, missing and unsorted visits and departments of an assignment record."""
    record = load(TEAMS / "record_partial.json")
    record["teams"][0]["visit_id"] = "V-999"
    record["teams"][1]["members"].append({"department": "药品", "inspector_ids": []})
    record["teams"][2], record["teams"][3] = record["teams"][3], record["teams"][2]
    record["unstaffed"] = []
    directory = sv.read_directory(DIRECTORY)
    found = sv.verify_assignment(
        sealed(record),
        directory,
        sv.read_visits(VISITS, directory),
        sv.read_conflicts(load(TEAMS / "conflicts.json"), directory),
    )
    assert {"teams", "teams['V-001']", "unstaffed"} <= fields(found)


def inputs2(visits: int = 7) -> dict[str, Any]:
    """The golden v2 inputs as JSON values."""
    values = {n: load(TEAMS2 / f"{n}.json") for n in ("directory", "experts", "visits")}
    values["visits"]["visits"] = values["visits"]["visits"][:visits]
    values["conflicts"] = load(TEAMS2 / "conflicts.json")
    return values


def verify2(record: dict[str, Any], values: dict[str, Any], **options: Any) -> Any:
    """The standalone verification of a v2 record on JSON input values."""
    directory = sv.read_directory(values["directory"])
    experts = sv.read_experts(values["experts"], directory)
    return sv.verify_assignment2(
        record,
        directory,
        experts,
        sv.read_visits2(values["visits"], directory, experts),
        sv.read_conflicts(values["conflicts"], directory, experts=experts),
        **options,
    )


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("experts", lambda e: e["experts"][0].update(capacity=0)),
        ("experts", lambda e: e["experts"][0].update(days_off=["x"])),
        ("experts", lambda e: e["experts"][1].update(id=e["experts"][0]["id"])),
        ("experts", lambda e: e.update(experts={})),
        ("visits", lambda v: v["visits"][0].update(departments=["(experts)"])),
        ("visits", lambda v: v["visits"][0].update(minimums={"食品": 1})),
        ("visits", lambda v: v["visits"][0].update(minimums={"消防": 2})),
        ("visits", lambda v: v["visits"][0].update(experts=-1)),
        ("visits", lambda v: v["visits"][1].update(expert_categories=["x"])),
        ("visits", lambda v: v["visits"][0].update(location=" x")),
        ("visits", lambda v: v["visits"][0].update(lead="消防")),
        ("visits", lambda v: v["visits"][0].update(date="x")),
        ("visits", lambda v: v["visits"][0].update(items={})),
        ("visits", lambda v: v.update(visits={})),
    ],
)
def test_malformed_v2_inputs(name: str, edit: Any) -> None:
    """An input file that breaks a rule of its own (spec 19.1) is refused (malformed)."""
    values = inputs2()
    edit(values[name])
    with pytest.raises(sv.CannotVerify):
        verify2(load(TEAMS2 / "record_complete.json"), values)


UNUSABLE_V2 = [
    ("experts", lambda e: e["experts"][0].update(id="F-00")),
    (
        "visits",
        lambda v: v["visits"][0].update(departments=["无人"], items={"无人": ["x"]}, lead="无人"),
    ),
    ("visits", lambda v: v["visits"][0].update(minimums={"食品": 99})),
    ("visits", lambda v: v["visits"][0].update(experts=99)),
    ("visits", lambda v: v["visits"][0]["items"].update({"食品": ["火箭"]})),
    ("visits", lambda v: v["visits"][1].update(visit_id="V-000")),
    ("visits", lambda v: v["visits"][0].update(location=None)),  # the locality rule is on
    ("conflicts", lambda c: c["relations"].append(["nobody", "E-1", "relative"])),
    ("conflicts", lambda c: c.update(recusals={"E-1": ["nobody"]})),
]


@pytest.mark.parametrize(("name", "edit"), UNUSABLE_V2)
def test_unusable_v2_inputs_are_a_difference(name: str, edit: Any) -> None:
    """Inputs that are each well formed but do not fit together (the refusals of spec 19.1
    that need another file) are one difference under input (16.1), found once every file
    is read; nothing is re-derived from them."""
    values = inputs2()
    edit(values[name])
    problems: list[str] = []
    directory = sv.read_directory(values["directory"])
    experts = sv.read_experts(values["experts"], directory, problems=problems)
    visits = sv.read_visits2(values["visits"], directory, experts, problems=problems)
    conflicts = sv.read_conflicts(
        values["conflicts"], directory, experts=experts, problems=problems
    )
    found = sv.verify_assignment2(
        load(TEAMS2 / "record_complete.json"),
        directory,
        experts,
        visits,
        conflicts,
        unusable=problems[0] if problems else None,
    )
    assert ["input"] == [field for field, _message in found]
    assert "not usable" in found[0][1]


def test_unusable_inputs_after_malformed_ones_are_malformed() -> None:
    """A file that breaks its own rules is malformed even if an earlier one does not fit:
    every file is read before inputs that do not fit together are reported."""
    values = inputs2()
    values["visits"]["visits"][0].update(minimums={"食品": 99})  # does not fit the directory
    values["visits"]["visits"][3].update(date="x")  # malformed
    problems: list[str] = []
    directory = sv.read_directory(values["directory"])
    with pytest.raises(sv.CannotVerify, match="date"):
        sv.read_visits2(values["visits"], directory, {}, problems=problems)


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("visits", lambda v: v["visits"][1].update(visit_id="V-000")),
        ("visits", lambda v: v["visits"][1].update(departments=["化妆品"], items={"化妆品": ["x"]},
                                                   lead="化妆品")),
        ("conflicts", lambda c: c["relations"].append(["nobody", "E-1", "relative"])),
        ("conflicts", lambda c: c.update(exclusions=[["nobody", "E-1", "why"]])),
    ],
)  # fmt: skip
def test_unusable_v1_inputs_are_a_difference(
    name: str, edit: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On the command line, v1 inputs that do not fit together give NOT VERIFIED (exit 1)
    naming input only, as randsample verify does (spec 16.1)."""
    values = {n: load(TEAMS / f"{n}.json") for n in ("directory", "visits", "conflicts")}
    edit(values[name])
    paths = []
    for n, value in values.items():
        (tmp_path / f"{n}.json").write_text(json.dumps(value, ensure_ascii=False), "utf-8")
        paths.append(str(tmp_path / f"{n}.json"))
    code = sv.main([str(TEAMS / "record_partial.json"), *paths, "--json"])
    verdict = json.loads(capsys.readouterr().out)
    assert 1 == code
    assert ["input"] == [d["field"] for d in verdict["discrepancies"]]


def test_a_v1_item_category_no_inspector_holds_is_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A v1 visit item whose category is not in its department's list (the union of its
    inspectors' categories) makes the inputs unusable (spec 11.1), as the library refuses
    it: NOT VERIFIED under input, naming the item, not a re-derivation."""
    visits = load(TEAMS / "visits.json")
    visits["visits"][1]["items"]["食品"] = ["无人持有"]
    (tmp_path / "visits.json").write_text(json.dumps(visits, ensure_ascii=False), "utf-8")
    paths = [str(TEAMS / "directory.json"), str(tmp_path / "visits.json")]
    code = sv.main([str(TEAMS / "record_partial.json"), *paths, "--json"])
    verdict = json.loads(capsys.readouterr().out)
    assert 1 == code
    [difference] = verdict["discrepancies"]
    assert "input" == difference["field"]
    assert "'无人持有' is not in the department's category list" in difference["message"]


def test_v2_differences_and_adjustments() -> None:
    """A v2 record with other inputs, teams in another order, and adjustments that break
    their rule each name their fields."""
    record = load(TEAMS2 / "record_complete.json")
    values = inputs2()
    values["experts"]["experts"][0]["capacity"] = 1
    values["visits"]["visits"][0]["location"] = "别处"
    found = fields(verify2(record, values))
    assert {"experts.digest", "input.digest"} <= found
    edited = copy.deepcopy(record)
    edited["teams"].reverse()
    edited["teams"][0]["visit_id"] = "V-999"
    assert {"teams"} <= fields(verify2(sealed(edited), inputs2()))
    first, second = load(TEAMS2 / "adjustment1.json"), load(TEAMS2 / "adjustment2.json")
    broken = [copy.deepcopy(first), copy.deepcopy(second)]
    broken[0]["assignment_record_digest"] = "6" * 64
    broken[0]["authority"] = "别的局"
    broken[0]["leader"] = "F-03"
    broken[1]["previous_record_digest"] = "7" * 64
    broken[1]["timestamp"] = "2026-01-01T00:00:00Z"
    broken[1]["department"] = "食品"
    found = fields(verify2(record, inputs2(), adjustments=[sealed(a) for a in broken]))
    assert {
        "adjustments[0].assignment_record_digest",
        "adjustments[0].authority",
        "adjustments[0].leader",
        "adjustments[1].previous_record_digest",
        "adjustments[1].timestamp",
        "adjustments[1].department",
    } <= found
    gone = copy.deepcopy(first)
    gone["dropped"]["id"] = "nobody"
    assert "adjustments[0].dropped" in fields(verify2(record, inputs2(), adjustments=[gone]))
    with pytest.raises(sv.CannotVerify):
        verify2(record, inputs2(), adjustments=[{"record_format": "x"}])


# ---------------------------------------------------------------- command line and readers
def run(args: list[str], capsys: pytest.CaptureFixture[str], stdin: Any = None) -> tuple:
    """Run the standalone command line; return (code, stdout, stderr)."""
    code = sv.main(args, stdin=stdin)
    out, err = capsys.readouterr()
    return code, out, err


def test_results_with_their_draw_on_the_command_line(capsys: pytest.CaptureFixture[str]):
    """A results file with the draw record and a replacement: the draw links differ, so the
    results are not verified (the golden results name no draw)."""
    code, out, _ = run(
        [
            str(PUBLICATION / "results.json"),
            str(PUBLICATION / "salted_record.json"),
            str(DRAW / "replacement1.json"),
        ],
        capsys,
    )
    assert 1 == code
    assert "result record" in out


def test_notice_for_the_auditor_on_the_command_line(capsys: pytest.CaptureFixture[str]):
    """The notice with its salted record, population and secret verifies; without the
    secret the auditor's check cannot run."""
    secret = load(PUBLICATION / "commitment_vectors.json")["authority_secret"]
    args = [
        str(PUBLICATION / "notice.json"),
        str(PUBLICATION / "salted_record.json"),
        str(PUBLICATION / "population.csv"),
    ]
    assert 0 == run([*args, "--secret", secret], capsys)[0]
    assert 2 == run(args, capsys)[0]


@pytest.mark.parametrize(
    "args",
    [
        [str(PUBLICATION / "results.json"), "--announcement", str(DRAW / "record1.json")],
        [
            str(PUBLICATION / "salted_record.json"),
            str(PUBLICATION / "population.csv"),
            "--secret",
            "00" * 16,
            "--announcement",
            "ANNOUNCEMENT",
        ],
        [
            str(TEAMS2 / "record_complete.json"),
            str(TEAMS2 / "directory.json"),
            str(TEAMS2 / "visits.json"),
            "--announcement",
            "ANNOUNCEMENT",
        ],
        [str(PUBLICATION / "results.json"), str(DRAW / "record1.json"), str(DRAW / "record2.json")],
        ["-", "-"],
        [str(DRAW / "sizes.json")],
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), str(TEAMS / "directory.json")],
    ],
)
def test_more_command_line_refusals(
    args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An announcement for a record it cannot announce, two draws for results, two standard
    inputs, an unknown file, an input the record does not use: one line, exit 2."""
    announcement = tmp_path / "announcement.json"
    announcement.write_text(json.dumps(ANNOUNCED), encoding="utf-8")
    args = [str(announcement) if a == "ANNOUNCEMENT" else a for a in args]
    code, out, err = run(args, capsys, stdin=io.BytesIO(b"{}"))
    assert (2, "", 1) == (code, out, len(err.splitlines()))


def test_an_announcement_alone_and_with_its_draw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An announcement record alone checks its seal; with its draw, the draw is publicly
    random."""
    path = tmp_path / "announcement.json"
    path.write_text(json.dumps(ANNOUNCED), encoding="utf-8")
    assert 0 == run([str(path)], capsys)[0]
    code, out, _ = run(
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), "--announcement", str(path)],
        capsys,
    )
    assert (0, True) == (code, "note: publicly random" in out)


def test_inputs_by_content_standard_input_and_toml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A population file without the .csv suffix, one on standard input, and inputs in TOML
    (Python 3.11+) are read."""
    text = (DRAW / "population.csv").read_text(encoding="utf-8")
    (tmp_path / "population.txt").write_text(text, encoding="utf-8")
    assert 0 == run([str(DRAW / "record1.json"), str(tmp_path / "population.txt")], capsys)[0]
    stdin = io.BytesIO(text.encode("utf-8"))
    assert 0 == run([str(DRAW / "record1.json"), "-"], capsys, stdin=stdin)[0]
    pytest.importorskip("tomllib")
    conflicts = load(TEAMS / "conflicts.json")
    lines = [
        f"same_locality = {str(conflicts['same_locality']).lower()}",
        f"rotation = {conflicts['rotation']}",
        "relations = " + json.dumps(conflicts["relations"], ensure_ascii=False),
        "exclusions = " + json.dumps(conflicts["exclusions"], ensure_ascii=False),
        "[history]",
    ]
    lines += [
        f'"{e}" = {json.dumps(t, ensure_ascii=False)}' for e, t in conflicts["history"].items()
    ]
    lines += ["[recusals]"]
    lines += [
        f'"{e}" = {json.dumps(t, ensure_ascii=False)}' for e, t in conflicts["recusals"].items()
    ]
    (tmp_path / "conflicts.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        str(TEAMS / "record_partial.json"),
        str(TEAMS / "directory.json"),
        str(TEAMS / "visits.json"),
        str(tmp_path / "conflicts.toml"),
    ]
    assert 0 == run(args, capsys)[0]
    (tmp_path / "bad.toml").write_text("rotation = 1.5\n", encoding="utf-8")
    assert 2 == run([*args[:3], str(tmp_path / "bad.toml")], capsys)[0]
    (tmp_path / "worse.toml").write_text("rotation = \n", encoding="utf-8")
    assert 2 == run([*args[:3], str(tmp_path / "worse.toml")], capsys)[0]
    dated = sv.parse_toml('day = 2026-03-02\nlist = [2026-03-03]\n[t]\nx = "y"\n', "t.toml")
    assert {"day": "2026-03-02", "list": ["2026-03-03"], "t": {"x": "y"}} == dated


def test_a_bug_stays_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Should the verifier itself fail, it still says so in one line with exit 2."""

    def boom(args: Any, stdin: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(sv, "_run", boom)
    code, out, err = run([str(DRAW / "record1.json"), str(DRAW / "population.csv")], capsys)
    assert (2, "", 1) == (code, out, len(err.splitlines()))
    assert "please report this" in err

    def deep(args: Any, stdin: Any) -> Any:
        raise RecursionError

    monkeypatch.setattr(sv, "_run", deep)
    assert 2 == run([str(DRAW / "record1.json")], capsys)[0]


def test_a_closed_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output closed early (| head): exit 141, nothing else."""

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    assert 141 == sv.main([str(DRAW / "record1.json"), str(DRAW / "population.csv")])


def test_guard_language_and_counting_rows(tmp_path: Path) -> None:
    """The guard's language from --lang=zh or the environment; rows counted from the line
    ends even when a lone CR ends a line (then the rows are sorted)."""
    assert "zh" == sv._guard_language(["--lang=zh"])
    assert "en" == sv._guard_language(["--lang", "en"])
    header, *rows = (DRAW / "population.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "cr.csv").write_bytes(("\r".join([header, *rows]) + "\r").encode("utf-8"))
    population = sv.PopulationFile(str(tmp_path / "cr.csv"))
    assert [] == sv.verify_draw(load(DRAW / "record1.json"), population)
    with pytest.raises(sv.CannotVerify):
        sv.PopulationFile(str(tmp_path / "missing.csv"))
