"""Write the golden vectors of team-assignment v2 and team adjustments (docs/spec.md 12-13).

The files in ``golden_assignment_v2/`` freeze algorithm ``team-assignment`` v2, record formats
``randsample.assignment-record/2`` and ``randsample.team-adjustment-record/1`` and the expert
pool digest ``randsample.expert-pool/1``. Like ``generate_golden.py`` it never overwrites an
existing file (regenerating a frozen vector would hide the breaking change it exists to
catch); ``--force`` is only for a NEW version written into a new folder:

    python tests/data/generate_golden_v2.py [--force]

The input files are plain JSON that a stdlib-only program can read (spec section 19.8).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from randsample import PublicSource, Seed
from randsample.teams import (
    Conflicts,
    Directory,
    ExcludedPair,
    Expert,
    ExpertPool,
    Inspector,
    Relation,
    TeamVisit,
    assign_teams,
    make_team_record,
    record_adjustment,
)

HERE = Path(__file__).parent
FOLDER = HERE / "golden_assignment_v2"
_FORCE = False

DEPARTMENTS = {"食品": ["餐饮", "生产"], "卫生": ["公共卫生"], "消防": ["消防安全"]}
TOWNS = ["城关镇", "东关街道", "西湖乡"]


def inputs() -> dict[str, Any]:
    """An instance that exercises every rule of v2.

    Joint visits led by different departments, minimums of 2 and 3, experts on three visits
    (one needing a category only one expert holds), days off, the opt-in locality rule over
    declared locations, every conflict kind (one naming an expert), a binding capacity (so
    the repair step runs) and, in the partial vector, a visit whose fire department cannot
    be staffed.
    """
    inspectors = []
    for k in range(15):
        department = "食品" if k < 7 else ("卫生" if k < 12 else "消防")
        categories = DEPARTMENTS[department]
        if department == "食品" and k % 2:
            categories = ["餐饮"]
        inspectors.append(
            {
                "id": {"食品": "F", "卫生": "H", "消防": "X"}[department] + f"-{k:02d}",
                "department": department,
                "certified": True,
                "categories": categories,
                "home_region": TOWNS[k % 3],
                "capacity": 1 if k in (1, 8) else (2 if k == 9 else 4),
                "days_off": ["2026-03-03"] if k in (4, 9) else [],
            }
        )
    experts = [
        {
            "id": f"专家-{k}",
            "categories": ["特种设备", "压力容器"] if k == 0 else ["特种设备"],
            "home_region": TOWNS[k % 3],
            "capacity": 3 if k else 2,
            "days_off": ["2026-03-02"] if k == 3 else [],
        }
        for k in range(4)
    ]
    visits = []
    for n in range(8):
        departments = [["食品", "卫生"], ["食品"], ["卫生", "食品"], ["食品", "消防"]][n % 4]
        if n == 7:
            departments = ["消防", "食品"]
        items = {d: DEPARTMENTS[d][:1] if n % 2 else DEPARTMENTS[d] for d in departments}
        visits.append(
            {
                "visit_id": f"V-{n:03d}",
                "enterprise_id": f"E-{n:03d}",
                "date": "2026-03-03" if n % 2 else "2026-03-02",
                "departments": departments,
                "items": items,
                "lead": departments[0],
                "minimums": {"食品": 3} if n == 1 else {},
                "experts": 1 if n in (0, 3, 6) else 0,
                "expert_categories": ["压力容器"]
                if n == 6
                else (["特种设备"] if n in (0, 3) else []),
                "location": TOWNS[(n + 1) % 3],
            }
        )
    conflicts = {
        "relations": [["F-00", "E-002", "relative"], ["专家-1", "E-003", "former-employer"]],
        "same_locality": True,
        "history": {"E-005": [["F-02", "F-03"]]},
        "rotation": 1,
        "recusals": {"E-001": ["F-05"], "E-007": ["X-13", "X-14"]},
        "exclusions": [["H-07", "E-004", "其他（领导批准）"]],
    }
    return {"inspectors": inspectors, "experts": experts, "visits": visits, "conflicts": conflicts}


SEED = {
    "sources": [
        {"name": "golden lottery", "values": [3, 11, 19, 24, 30, 33]},
        {"name": "golden index", "values": [324567, 1187342]},
    ],
    "secret": "d2a94c1e8b7f3065a1c4e9b2d7f08e36",
}


def load(folder: Path) -> dict[str, Any]:
    """Read the input files into library objects (what an independent reader would do)."""
    data = {
        name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("directory", "experts", "visits", "conflicts", "seed")
    }
    day = datetime.date.fromisoformat
    directory = Directory(
        [
            Inspector(**{**i, "days_off": {day(d) for d in i["days_off"]}})
            for i in data["directory"]["inspectors"]
        ],
        departments=data["directory"]["departments"],
    )
    experts = ExpertPool(
        [
            Expert(**{**e, "days_off": {day(d) for d in e["days_off"]}})
            for e in data["experts"]["experts"]
        ]
    )
    visits = [
        TeamVisit(
            **{**v, "date": day(v["date"]), "items": {d: set(c) for d, c in v["items"].items()}}
        )
        for v in data["visits"]["visits"]
    ]
    c = data["conflicts"]
    conflicts = Conflicts(
        relations=[Relation(*r) for r in c["relations"]],
        same_locality=c["same_locality"],
        history={e: [set(t) for t in teams] for e, teams in c["history"].items()},
        rotation=c["rotation"],
        recusals={e: set(ids) for e, ids in c["recusals"].items()},
        exclusions=[ExcludedPair(*x) for x in c["exclusions"]],
    )
    seed = Seed.from_sources(
        [PublicSource(s["name"], s["values"]) for s in data["seed"]["sources"]],
        secret=bytes.fromhex(data["seed"]["secret"]),
    )
    return {
        "directory": directory,
        "experts": experts,
        "visits": visits,
        "conflicts": conflicts,
        "seed": seed,
    }


def _write_new(path: Path, text: str) -> None:
    if path.exists() and not _FORCE:
        raise SystemExit(f"{path} exists: golden vectors are frozen")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    raw = inputs()
    files = {
        "directory.json": {"inspectors": raw["inspectors"], "departments": sorted(DEPARTMENTS)},
        "experts.json": {"experts": raw["experts"]},
        "visits.json": {"visits": raw["visits"]},
        "conflicts.json": raw["conflicts"],
        "seed.json": SEED,
    }
    for name, data in files.items():
        _write_new(FOLDER / name, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    loaded = load(FOLDER)
    directory, experts, visits = loaded["directory"], loaded["experts"], loaded["visits"]
    conflicts, seed = loaded["conflicts"], loaded["seed"]
    common = {"experts": experts, "conflicts": conflicts}
    partial = make_team_record(
        assign_teams(directory, visits, seed, partial=True, **common),
        authority="golden authority",
        assignment_id="golden-teams-v2-partial",
        timestamp="2026-03-01T02:00:00Z",
    )
    complete_visits = visits[:-1]
    complete_teams = assign_teams(directory, complete_visits, seed, **common)
    complete = make_team_record(
        complete_teams,
        authority="golden authority",
        assignment_id="golden-teams-v2",
        timestamp="2026-03-01T03:00:00Z",
        previous=partial,
    )
    lead_visit = complete_teams.team("V-000")
    first = record_adjustment(
        complete,
        directory,
        complete_visits,
        visit_id="V-000",
        dropped=lead_visit.leader,
        reason="病假 (sick leave)",
        recorded_by="科长 01",
        timestamp="2026-03-01T05:00:00Z",
        previous=complete,
        **common,
    )
    expert_visit = complete_teams.team("V-003")
    second = record_adjustment(
        complete,
        directory,
        complete_visits,
        visit_id="V-003",
        dropped=expert_visit.experts[0],
        reason="conflict of interest found after the draw",
        recorded_by="科长 01",
        timestamp="2026-03-01T06:00:00Z",
        previous=first,
        earlier=[first],
        **common,
    )
    for name, record in (
        ("record_partial.json", partial),
        ("record_complete.json", complete),
        ("adjustment1.json", first),
        ("adjustment2.json", second),
    ):
        _write_new(FOLDER / name, record.to_json())


if __name__ == "__main__":
    import sys

    _FORCE = "--force" in sys.argv
    main()
