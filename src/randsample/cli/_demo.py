"""``randsample demo``: the whole pipeline on the built-in example county, verified from files.

It draws enterprises, writes the population and the record, verifies them as an outsider
would (from the files), draws inspector teams chained to the draw, and runs a year of declared
joint and internal tasks (monthly draws, teams of every participating department, the annual
check and the plan's three metrics). It reads the clock (the default timestamp) and writes a
folder; everything else is the pure core.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from .. import examples
from .._text import render_table
from .._version import __version__
from ..core import Seed
from ..design import StratifiedSample, draw_stratified
from ..files import (
    check_writable,
    read_population_csv,
    read_record,
    write_atomic,
    write_population_csv,
    write_record,
)
from ..joint import AnnualSizing, YearPlan, verify_period
from ..population import Population
from ..records import DrawRecord, VerificationReport, make_record, verify
from ..teams import (
    Conflicts,
    assign_inspectors,
    make_assignment_record,
    make_team_record,
    verify_assignment,
    verify_team_record,
)
from ._options import EXIT_NOT_VERIFIED, EXIT_OK, add_command, add_options, now
from ._streams import Inputs

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "demo"
SUMMARY = "try the whole pipeline on a built-in example county"
DESCRIPTION = """\
Run the whole pipeline on a synthetic county: draw enterprises by credit class
(stratified simple random sampling, rates A 3%, B 5%, C 10%, D 30%), write the
population and the draw record into a folder, verify them from the files as an
outsider would, draw an inspector team for every drawn enterprise (teams.json,
chained to the draw), then run a year of declared joint and internal tasks
(six departments, monthly draws sized so each class meets its annual rate,
exclusion rules, teams of two officers from every participating department with
a leader and experts, the annual check against the class bands and the plan's
three metrics). Nothing is read: the county, seeds and directories are built in.

The output folder receives population.csv, record.json and teams.json; if any of
them exists, nothing is written unless --force is given."""
EXAMPLES = (
    "randsample demo",
    "randsample demo --out demo --size 3000 --timestamp 2026-11-27T02:00:00Z",
    "randsample demo --json",
)


def add_parser(commands: Any) -> None:
    """Add the ``demo`` subcommand to ``commands``."""
    demo = add_command(commands, NAME, summary=SUMMARY, description=DESCRIPTION, examples=EXAMPLES)
    demo.add_argument(
        "--out", default="randsample-demo", help="output folder (default: %(default)s)"
    )
    demo.add_argument(
        "--size", type=int, default=30_000, help="number of enterprises (default: %(default)s)"
    )
    demo.add_argument(
        "--authority", default="清河县市场监督管理局 (example)", help="authority label"
    )
    demo.add_argument("--draw-id", default="demo-2026-001", help="draw identifier")
    add_options(demo, "--timestamp", "--force", "--json")
    demo.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample demo``; return 0 when everything verified, else 1."""
    out = Path(args.out)
    for name in ("population.csv", "record.json", "teams.json"):
        check_writable(out / name, force=args.force)
    out.mkdir(parents=True, exist_ok=True)
    population = examples.demo_population(size=args.size)
    seed = examples.demo_seed()
    sample = draw_stratified(population, examples.demo_sizes(population), seed)
    record = make_record(
        sample, authority=args.authority, draw_id=args.draw_id, timestamp=args.timestamp or now()
    )
    population_path, record_path = out / "population.csv", out / "record.json"
    write_population_csv(population, population_path, force=args.force)
    write_record(record, record_path, force=args.force)
    # Verify what was written, exactly as an outsider would: from the files.
    report = verify(read_record(record_path), read_population_csv(population_path))
    teams_path = out / "teams.json"
    teams_text, teams_report = _teams(args, sample, record, seed, teams_path)
    year_text, year_summary = _year(population, record["timestamp"])
    verified = report.ok and teams_report.ok and year_summary["verified"]
    if args.json:
        summary = {
            "record": str(record_path),
            "population": str(population_path),
            "selected": len(sample.selection),
            "teams": str(teams_path),
            "year": year_summary,
            "verified": verified,
        }
        print(json.dumps(summary, ensure_ascii=False))
        return EXIT_OK if verified else EXIT_NOT_VERIFIED
    rates = ", ".join(
        f"{k} {v.numerator * 100 // v.denominator}%" for k, v in examples.DEMO_RATES.items()
    )
    print(f"randsample {__version__} demo: a synthetic county of {len(population):,} enterprises")
    print(
        "Design: stratified simple random sampling by credit class, "
        f"rates {rates}, sizes rounded up"
    )
    print(f"Seed key (example sources + committed secret):\n  {seed.key}")
    print(f"Commitment published before the draw: {seed.commitment}\n")
    print(sample.summary())
    print("\nFirst selected enterprises:")
    for unit in sample.selection[:5]:
        print(
            f"  {unit.stratum}  rank {unit.rank:>3}  {unit.id}"
            f"  ticket {unit.ticket.hex()[:16]}…  pi={unit.inclusion_probability}"
        )
    print(
        f"\nWrote {population_path} and {record_path} (record digest {record.record_digest[:16]}…)"
    )
    print(report)
    print(f"Check it yourself: randsample verify {record_path} {population_path}")
    print(
        f"  or without randsample: randsample export-verifier verify_draw.py && "
        f"python verify_draw.py {record_path} {population_path}"
    )
    print(teams_text)
    print(year_text)
    return EXIT_OK if verified else EXIT_NOT_VERIFIED


def _teams(
    args: argparse.Namespace,
    sample: StratifiedSample,
    record: DrawRecord,
    seed: Seed,
    path: Path,
) -> tuple[str, VerificationReport]:
    # The second random: a team of two officers for every drawn enterprise. The locality rule
    # is switched on explicitly and compares the declared business location of the enterprise.
    directory = examples.demo_directory()
    visits = examples.demo_visits(sample, date.fromisoformat(record["timestamp"][:10]))
    conflicts = Conflicts(same_locality=True)
    teams = assign_inspectors(directory, visits, seed, conflicts=conflicts)
    teams_record = make_assignment_record(
        teams,
        authority=args.authority,
        assignment_id=f"{args.draw_id}-teams",
        timestamp=record["timestamp"],
        previous=record,
    )
    write_atomic(path, teams_record.to_json(), force=args.force)
    report = verify_assignment(
        teams_record, directory, visits, conflicts=conflicts, previous=record
    )
    used = sum(len(team.inspector_ids) for team in teams.teams)
    capacity = sum(inspector.capacity for inspector in directory.inspectors)
    lines = [
        f"\nThe second random: teams of 2 for {len(visits):,} visits from "
        f"{len(directory.inspectors)} officers (sub-key 'inspectors', same seed); by an "
        "opt-in rule, no officer on an enterprise whose declared business location is "
        "his or her home town",
        *(f"  {team.visit_id}  {team.inspector_ids}" for team in teams.teams[:3]),
        f"  workload: {used:,} of {capacity:,} officer-visits of capacity used",
        f"Wrote {path} (chained to the draw record)",
        str(report),
    ]
    return "\n".join(lines), report


def _year(population: Population, timestamp: str) -> tuple[str, dict[str, Any]]:
    # A year of declared joint and internal tasks over the county's industries.
    scopes = examples.demo_scopes(population)
    # The example bands (A at most 5% a year, ...) cannot hold for a tiny county, where one
    # inspection is several percent of a class: there they are left out, and the demo says so.
    banded = len(population) >= examples.BANDS_FROM
    year = examples.run_demo_year(scopes, plan=examples.demo_year_plan(bands=banded))
    plan = year.plan
    joint = sum(task.kind == "joint" for task in plan.tasks)
    rows = [
        [
            draw.period,
            str(len(draw.tasks)),
            str(sum(d.is_draw for d in draw.draws)),
            f"{len(draw.visits):,}",
            f"{sum(len(t.officers) for t in teams.teams):,}",
            str(sum(len(t.experts) for t in teams.teams)),
        ]
        for draw, teams in zip(year.draws, year.teams, strict=True)
    ]
    # Every initiator seals its draw; anyone re-derives each period from the plan and seeds.
    verified = 0
    for index, draw in enumerate(year.draws):
        records = {
            (d.task_id, d.department): make_record(
                d.sample,
                authority=d.department,
                draw_id=f"{d.task_id}/{draw.period}",
                timestamp=timestamp,
            )
            for d in draw.own_draws
        }
        assert draw.date is not None  # a declared draw records its date
        check = verify_period(
            plan,
            draw.period,
            draw.seed,
            scopes,
            records,
            sizing=year.sizing,
            as_of=draw.date,
            history=year.history[index],
            earlier=year.draws[:index],
            visits=draw.visits,
        )
        verified += check.ok
    last, last_draw = year.teams[-1], year.draws[-1]
    team_record = make_team_record(
        last,
        authority="县联合抽查办公室 (example)",
        assignment_id=f"teams/{last_draw.period}",
        timestamp=timestamp,
    )
    assert last_draw.date is not None
    visits = year.visits[-1]
    team_check = verify_team_record(
        team_record,
        examples.demo_year_directory(),
        visits,
        experts=examples.demo_experts(),
        conflicts=Conflicts(same_locality=True),
    )
    # A joint visit of the last period shows a team best; a tiny county may have none.
    example = next(
        (t for t in last.teams if len(t.members) > 1),
        next((t for team_set in reversed(year.teams) for t in team_set.teams), None),
    )
    ok = verified == len(year.draws) and team_check.ok and year.annual.ok
    lines = [
        f"\nA year as bureaus run it ({plan.year}, {len(plan.periods)} monthly periods): "
        f"{len(plan.departments)} departments, {len(plan.joint_items)} declared joint items, "
        f"{len(plan.tasks)} tasks ({joint} joint: the initiator draws one list, every "
        f"cooperating department inspects all of it; {len(plan.tasks) - joint} internal)",
        "Annual sizing: each class's count for the year, split over the task's periods "
        "(Sainte-Laguë), so the months add up to the annual rate exactly",
        *_absent(year.sizing, plan),
        render_table(
            ["period", "tasks", "draws", "visits", "officers", "experts"],
            rows,
        ),
        "Teams (team-assignment v2): at least 2 officers of every participating department, "
        "a leader from the initiating department, experts on industrial visits"
        + (
            ""
            if example is None
            else f"; e.g. {example.visit_id}: leader {example.leader}, "
            + "; ".join(f"{d} {', '.join(ids)}" for d, ids in example.members)
            + (f"; expert {', '.join(example.experts)}" if example.experts else "")
        ),
        f"verify_period: {'VERIFIED' if verified == len(year.draws) else 'NOT VERIFIED'} "
        f"({verified} of {len(year.draws)} periods)",
        f"verify_team_record ({last_draw.period}): "
        + (
            f"VERIFIED, team record {team_record.record_digest[:16]}… re-derived exactly"
            if team_check.ok
            else str(team_check)
        ),
        "",
        *(
            []
            if banded
            else [
                f"(The example class bands, annual cap and exclusion rules are left out: a "
                f"county of {len(population):,} enterprises is too small for them; they apply from "
                f"{examples.BANDS_FROM:,}.)"
            ]
        ),
        year.annual.summary(),
        "",
        "The plan's three metrics:",
        year.metrics.summary(),
    ]
    summary = {
        "periods": len(year.draws),
        "visits": sum(len(d.visits) for d in year.draws),
        "annual_ok": year.annual.ok,
        "metrics": {
            m.name: {"numerator": m.numerator, "denominator": m.denominator, "met": m.passed}
            for m in year.metrics.metrics
        },
        "verified": ok,
    }
    return "\n".join(lines), summary


def _absent(sizing: AnnualSizing, plan: YearPlan) -> list[str]:
    # A class the plan rates but a scope lacks draws 0: say so rather than fail or hide it.
    scope = {task.task_id: task.scope for task in plan.tasks}
    absent = sorted({(scope[r.task_id], r.stratum) for r in sizing.rows if r.eligible == 0})
    if not absent:
        return []
    listed = ", ".join(f"class {stratum} in {where}" for where, stratum in absent)
    return [f"No eligible enterprise, so drawn 0 times: {listed}"]
