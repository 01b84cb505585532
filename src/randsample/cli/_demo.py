"""``randsample demo``: the whole pipeline on the built-in example county, verified from files.

It draws enterprises, writes the population and the record, verifies them as an outsider
would (from the files), draws inspector teams chained to the draw, and runs six departments'
coordinated draws with their monthly report. It reads the clock (the default timestamp) and
writes a folder; everything else is the pure core.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from .. import examples
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
from ..joint import JointDraw, draw_joint, merge_plan, verify_joint
from ..population import Population
from ..records import DrawRecord, VerificationReport, make_record, verify
from ..reports import monthly_report
from ..teams import assign_inspectors, make_assignment_record, verify_assignment
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
chained to the draw), and run six departments' coordinated draws with their
monthly report. Nothing is read: the county, seed and directory are built in.

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
    joint_text, joint_ok = _joint(population, seed, record["timestamp"])
    verified = report.ok and teams_report.ok and joint_ok
    if args.json:
        summary = {
            "record": str(record_path),
            "population": str(population_path),
            "selected": len(sample.selection),
            "teams": str(teams_path),
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
    print(joint_text)
    return EXIT_OK if verified else EXIT_NOT_VERIFIED


def _teams(
    args: argparse.Namespace,
    sample: StratifiedSample,
    record: DrawRecord,
    seed: Seed,
    path: Path,
) -> tuple[str, VerificationReport]:
    # The second random: a team of two officers for every drawn enterprise.
    directory = examples.demo_directory()
    visits = examples.demo_visits(sample, date.fromisoformat(record["timestamp"][:10]))
    teams = assign_inspectors(directory, visits, seed)
    teams_record = make_assignment_record(
        teams,
        authority=args.authority,
        assignment_id=f"{args.draw_id}-teams",
        timestamp=record["timestamp"],
        previous=record,
    )
    write_atomic(path, teams_record.to_json(), force=args.force)
    report = verify_assignment(teams_record, directory, visits, previous=record)
    used = sum(len(team.inspector_ids) for team in teams.teams)
    capacity = sum(inspector.capacity for inspector in directory.inspectors)
    lines = [
        f"\nThe second random: teams of 2 for {len(visits):,} visits from "
        f"{len(directory.inspectors)} officers (sub-key 'inspectors', same seed), "
        "no officer on an enterprise in his or her home district",
        *(f"  {team.visit_id}  {team.inspector_ids}" for team in teams.teams[:3]),
        f"  workload: {used:,} of {capacity:,} officer-visits of capacity used",
        f"Wrote {path} (chained to the draw record)",
        str(report),
    ]
    return "\n".join(lines), report


def _joint(population: Population, seed: Seed, timestamp: str) -> tuple[str, bool]:
    # Several departments: coordinated draws merged into one visit per enterprise, and the
    # plan's monthly report from example outcomes.
    merged = merge_plan(examples.demo_joint_plan(timestamp[:7]))
    scopes = examples.demo_scopes(population)
    joint = draw_joint(merged, seed, scopes)
    records = {
        (d.task_id, d.department): make_record(
            d.sample, authority=d.department, draw_id=d.task_id, timestamp=timestamp
        )
        for d in joint.draws
    }
    report = verify_joint(
        merged, seed, scopes, records, visits=joint.visits, off_site_checks=joint.off_site_checks
    )
    monthly = monthly_report([joint], examples.demo_outcomes(joint))
    figures = joint.report
    # The full monthly table has five rows per department; the demo shows the totals.
    codes = tuple(department.code for department in merged.departments)
    table = [line for line in monthly.summary().splitlines()[1:] if not line.startswith(codes)]
    lines = [
        f"\nSix departments, {len(joint.draws)} coordinated draws over 4 industries "
        f"(one industry, one inspection): {figures.visits:,} on-site visits; drawn "
        f"independently they would need {float(figures.visits_independent):,.0f} "
        f"(minimum possible {figures.visits_minimum:,})",
        *_absent(joint),
        "verify_joint: " + ("VERIFIED" if report.ok else str(report)),
        f"\nMonthly report (月报表), {monthly.period}, example outcomes, all departments:",
        *table,
    ]
    return "\n".join(lines), report.ok


def _absent(joint: JointDraw) -> list[str]:
    # A class the plan rates but a scope lacks draws 0: say so rather than fail or hide it.
    absent = sorted(
        {(d.scope, s.stratum) for d in joint.draws for s in d.sizes.details if s.eligible == 0}
    )
    if not absent:
        return []
    listed = ", ".join(f"class {stratum} in {scope}" for scope, stratum in absent)
    return [f"No eligible enterprise, so drawn 0 times: {listed}"]
