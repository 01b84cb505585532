"""The ``randsample`` command line: demo, draw, verify, fairness and export-verifier.

Exit codes: 0 success; 1 a record did not verify; 2 bad input (the message says what to fix).
This module is the edge: it reads the clock (for the demo's timestamp) and the file system,
then calls the pure core.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from .. import examples
from .._version import __version__
from ..core import Seed
from ..design import (
    StratifiedSample,
    draw_stratified,
    draw_stratified_pips,
    exact_inclusion_probabilities,
)
from ..errors import InvalidInputError, RandsampleError
from ..fairness import run_design
from ..files import (
    read_conflicts,
    read_design,
    read_directory,
    read_outcomes,
    read_plan,
    read_population,
    read_population_csv,
    read_record,
    read_seed,
    read_visits,
    write_monthly_csv,
    write_population_csv,
    write_record,
)
from ..joint import draw_joint, merge_plan, verify_joint
from ..population import Population
from ..records import (
    DrawRecord,
    ReplacementRecord,
    VerificationReport,
    make_record,
    verify,
    verify_replacements,
)
from ..reports import monthly_report
from ..teams import (
    InfeasibleAssignmentError,
    assign_inspectors,
    make_assignment_record,
    verify_assignment,
)

__all__ = ["main"]

EXIT_OK, EXIT_NOT_VERIFIED, EXIT_BAD_INPUT = 0, 1, 2
_STANDALONE = Path(__file__).parents[1] / "records" / "_standalone_verify.py"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _report_json(report: VerificationReport) -> str:
    return json.dumps(
        {
            "ok": report.ok,
            "record_digest": report.record_digest,
            "discrepancies": [
                {"field": d.field, "message": d.message} for d in report.discrepancies
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    population = examples.demo_population(size=args.size)
    seed = examples.demo_seed()
    sample = draw_stratified(population, examples.demo_sizes(population), seed)
    record = make_record(
        sample, authority=args.authority, draw_id=args.draw_id, timestamp=args.timestamp or _now()
    )
    population_path, record_path = out / "population.csv", out / "record.json"
    write_population_csv(population, population_path)
    write_record(record, record_path)
    # Verify what was written, exactly as an outsider would: from the files.
    report = verify(read_record(record_path), read_population_csv(population_path))
    teams_path = out / "teams.json"
    teams_text, teams_report = _demo_teams(args, sample, record, seed, teams_path)
    joint_text, joint_ok = _demo_joint(population, seed, record["timestamp"])
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


def _demo_teams(
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
    path.write_text(teams_record.to_json(), encoding="utf-8")
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


def _demo_joint(population: Population, seed: Seed, timestamp: str) -> tuple[str, bool]:
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
        "verify_joint: " + ("VERIFIED" if report.ok else str(report)),
        f"\nMonthly report (月报表), {monthly.period}, example outcomes, all departments:",
        *table,
    ]
    return "\n".join(lines), report.ok


def _verify(args: argparse.Namespace) -> int:
    record = read_record(args.record, check_digest=False)
    if not isinstance(record, DrawRecord):
        raise InvalidInputError(
            str(args.record), record.FORMAT, "is not a draw record; verify takes a draw"
        )
    population = read_population(args.population, id_scheme=args.id_scheme)
    previous = None if args.previous is None else read_record(args.previous, check_digest=False)
    report = verify(record, population, previous=previous)
    if args.replacement:
        replacements = [
            ReplacementRecord.from_json(Path(path).read_bytes(), check_digest=False)
            for path in args.replacement
        ]
        report = report.merged(verify_replacements(record, population, replacements))
    print(_report_json(report) if args.json else report)
    return EXIT_OK if report.ok else EXIT_NOT_VERIFIED


def _assign(args: argparse.Namespace) -> int:
    directory = read_directory(args.directory)
    visits = read_visits(args.visits)
    conflicts = None if args.conflicts is None else read_conflicts(args.conflicts)
    seed = read_seed(args.seed)
    try:
        teams = assign_inspectors(directory, visits, seed, conflicts=conflicts)
    except InfeasibleAssignmentError as exc:
        # Not bad input: the data are valid but no complete assignment exists. Say why.
        if args.json:
            print(
                json.dumps({"complete": False, "explanation": str(exc.report)}, ensure_ascii=False)
            )
        else:
            print(exc.report)
        return EXIT_NOT_VERIFIED
    previous = None if args.previous is None else read_record(args.previous)
    record = make_assignment_record(
        teams,
        authority=args.authority,
        assignment_id=args.assignment_id,
        timestamp=args.timestamp or _now(),
        previous=previous,
    )
    Path(args.out).write_text(record.to_json(), encoding="utf-8")
    if args.json:
        teams_json = {team.visit_id: list(team.inspector_ids) for team in teams.teams}
        print(
            json.dumps(
                {"complete": True, "record": str(args.out), "teams": teams_json}, ensure_ascii=False
            )
        )
    else:
        for team in teams.teams:
            print(f"{team.visit_id}  {' '.join(team.inspector_ids)}")
        print(f"Wrote {args.out} (record digest {record.record_digest})")
    return EXIT_OK


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise InvalidInputError(option, value, "expected NAME=FILE")
        pairs.append((name, path))
    return pairs


def _report(args: argparse.Namespace) -> int:
    merged = merge_plan(read_plan(args.plan))
    scopes = {
        name: read_population(path, id_scheme=args.id_scheme)
        for name, path in _pairs(args.scope, "--scope")
    }
    draws = [
        draw_joint(merged, read_seed(seed_path), scopes, period=period)
        for period, seed_path in _pairs(args.period_seed, "--period-seed")
    ]
    if not draws:
        raise InvalidInputError("--period-seed", [], "give at least one PERIOD=SEED_FILE")
    report = monthly_report(draws, read_outcomes(args.outcomes), period=args.period)
    if args.csv:
        with Path(args.csv).open("w", encoding="utf-8", newline="") as handle:
            write_monthly_csv(report, handle)
    if args.json:
        print(json.dumps(report.rows(), ensure_ascii=False, default=str))
    else:
        print(report.summary())
    return EXIT_OK


def _draw(args: argparse.Namespace) -> int:
    population = read_population(args.population, id_scheme=args.id_scheme)
    sizes = read_design(args.design, population)
    seed = read_seed(args.seed)
    draw = draw_stratified_pips if args.pips else draw_stratified
    sample = draw(population, sizes, seed)
    previous = None if args.previous is None else read_record(args.previous)
    record = make_record(
        sample,
        authority=args.authority,
        draw_id=args.draw_id,
        timestamp=args.timestamp or _now(),
        previous=previous,
    )
    write_record(record, args.out)
    if args.json:
        print(
            json.dumps(
                {
                    "record": str(args.out),
                    "record_digest": record.record_digest,
                    "selected": list(sample.ids),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(sample.summary())
        print(f"Wrote {args.out} (record digest {record.record_digest})")
    return EXIT_OK


def _stated(population: Population, sizes: Mapping[str, int], pips: bool) -> dict[str, Fraction]:
    # The inclusion probabilities each design states for every unit (0 when ineligible).
    stated = dict.fromkeys(population.ids.tolist(), Fraction(0))
    for label, size in sizes.items():
        rows = [
            i
            for i, (s, ok) in enumerate(
                zip(population.strata.tolist(), population.eligible.tolist(), strict=True)
            )
            if s == label and ok
        ]
        if not rows:
            continue
        if pips and population.weights is not None:
            pik = exact_inclusion_probabilities(population.weights[rows].tolist(), size)
        else:
            pik = [Fraction(size, len(rows))] * len(rows)
        for i, p in zip(rows, pik, strict=True):
            stated[population.ids[i]] = p
    return stated


def _fairness(args: argparse.Namespace) -> int:
    population = read_population(args.population, id_scheme=args.id_scheme)
    sizes = read_design(args.design, population)
    draw = partial(draw_stratified_pips if args.pips else draw_stratified, population, sizes)
    strata = dict(zip(population.ids.tolist(), population.strata.tolist(), strict=True))
    result = run_design(
        draw,
        _stated(population, sizes, args.pips),
        runs=args.runs,
        strata=strata,
        alpha=args.alpha,
        workers=args.workers,
        progress=None if args.json else _progress,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "passed": result.passed,
                    "runs": result.runs,
                    # inf (a take-all unit missed, say) is not JSON: written as null
                    "max_abs_z": result.max_abs_z if math.isfinite(result.max_abs_z) else None,
                    "flagged": list(result.flagged),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(result.summary())
    return EXIT_OK if result.passed else EXIT_NOT_VERIFIED


def _progress(done: int, total: int) -> None:
    print(f"\r  {done:,} of {total:,} draws", end="" if done < total else "\n", file=sys.stderr)


def _export_verifier(args: argparse.Namespace) -> int:
    shutil.copyfile(_STANDALONE, args.path)
    print(f"Wrote {args.path}: run it with any Python >= 3.10, no packages needed.")
    return EXIT_OK


# Options shared by several commands, defined once so that they mean the same everywhere.
_OPTIONS: dict[str, dict[str, Any]] = {
    "--design": {"required": True, "help": "design JSON/TOML: sizes, or rates"},
    "--seed": {"required": True, "help": "seed JSON/TOML: hex, or sources"},
    "--authority": {"required": True, "help": "authority label"},
    "--timestamp": {"help": "UTC time YYYY-MM-DDTHH:MM:SSZ (default: now)"},
    "--previous": {"help": "the authority's previous record (hash chain)"},
    "--pips": {"action": "store_true", "help": "probability proportional to weight"},
    "--id-scheme": {"default": "opaque", "choices": ["opaque", "uscc", "uscc-lenient"]},
    "--json": {"action": "store_true", "help": "machine-readable output"},
}


def _add_file_commands(commands: Any) -> None:
    # draw, assign and fairness: the commands that work on files prepared by the user.
    draw = commands.add_parser("draw", help="draw from a population file and write the record")
    draw.add_argument("population", help="population CSV (id,stratum,eligible,weight) or Parquet")
    draw.add_argument("--design", **_OPTIONS["--design"])
    draw.add_argument("--seed", **_OPTIONS["--seed"])
    draw.add_argument("--authority", **_OPTIONS["--authority"])
    draw.add_argument("--draw-id", required=True, help="draw identifier")
    draw.add_argument("--timestamp", **_OPTIONS["--timestamp"])
    draw.add_argument("--previous", **_OPTIONS["--previous"])
    draw.add_argument("--pips", **_OPTIONS["--pips"])
    draw.add_argument("--id-scheme", **_OPTIONS["--id-scheme"])
    draw.add_argument("--out", default="record.json", help="record to write (%(default)s)")
    draw.add_argument("--json", **_OPTIONS["--json"])
    draw.set_defaults(run=_draw)

    assign = commands.add_parser(
        "assign", help="draw inspector teams for visits and write the assignment record"
    )
    assign.add_argument("directory", help="inspector directory JSON/TOML")
    assign.add_argument("visits", help="visits JSON/TOML")
    assign.add_argument("--conflicts", help="conflicts JSON/TOML (default: same locality only)")
    assign.add_argument("--seed", **_OPTIONS["--seed"])
    assign.add_argument("--authority", **_OPTIONS["--authority"])
    assign.add_argument("--assignment-id", required=True, help="assignment identifier")
    assign.add_argument("--timestamp", **_OPTIONS["--timestamp"])
    assign.add_argument("--previous", **_OPTIONS["--previous"])
    assign.add_argument("--out", default="teams.json", help="record to write (%(default)s)")
    assign.add_argument("--json", **_OPTIONS["--json"])
    assign.set_defaults(run=_assign)

    report = commands.add_parser(
        "report", help="re-run a year's joint draws and print the monthly report (月报表)"
    )
    report.add_argument("plan", help="plan JSON/TOML (departments, items, tasks, leads)")
    report.add_argument("--outcomes", required=True, help="outcomes CSV")
    report.add_argument(
        "--period-seed", action="append", default=[], help="PERIOD=SEED_FILE, in order (repeat)"
    )
    report.add_argument(
        "--scope", action="append", default=[], help="SCOPE=POPULATION_FILE (repeat)"
    )
    report.add_argument("--period", help="report up to this period (default: the last)")
    report.add_argument("--csv", help="also write the table as CSV (UTF-8, bilingual headers)")
    report.add_argument("--id-scheme", **_OPTIONS["--id-scheme"])
    report.add_argument("--json", **_OPTIONS["--json"])
    report.set_defaults(run=_report)

    fair = commands.add_parser(
        "fairness", help="run a design over many seeds and test every unit's inclusion rate"
    )
    fair.add_argument("population", help="population CSV (id,stratum,eligible,weight) or Parquet")
    fair.add_argument("--design", **_OPTIONS["--design"])
    fair.add_argument("--runs", type=int, default=2000, help="number of draws (%(default)s)")
    fair.add_argument("--alpha", type=float, default=0.01, help="family-wise level (%(default)s)")
    fair.add_argument("--workers", type=int, default=1, help="processes to use (%(default)s)")
    fair.add_argument("--pips", **_OPTIONS["--pips"])
    fair.add_argument("--id-scheme", **_OPTIONS["--id-scheme"])
    fair.add_argument("--json", **_OPTIONS["--json"])
    fair.set_defaults(run=_fairness)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="randsample", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"randsample {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="draw from the built-in example county, write and verify the record"
    )
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
    demo.add_argument("--timestamp", **_OPTIONS["--timestamp"])
    demo.add_argument("--json", **_OPTIONS["--json"])
    demo.set_defaults(run=_demo)

    check = commands.add_parser("verify", help="re-run a published draw and report any difference")
    check.add_argument("record", help="draw record JSON")
    check.add_argument("population", help="population CSV (id,stratum,eligible,weight) or Parquet")
    check.add_argument(
        "--previous", help="the authority's previous record, to check the chain link"
    )
    check.add_argument(
        "--replacement",
        action="append",
        default=[],
        help="a replacement record of this draw (repeat, in order)",
    )
    check.add_argument("--id-scheme", **_OPTIONS["--id-scheme"])
    check.add_argument("--json", **_OPTIONS["--json"])
    check.set_defaults(run=_verify)

    _add_file_commands(commands)

    export = commands.add_parser(
        "export-verifier", help="write the single-file, stdlib-only verifier"
    )
    export.add_argument("path", help="where to write it, e.g. verify_draw.py")
    export.set_defaults(run=_export_verifier)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     main(["demo", "--out", out, "--size", "500", "--timestamp", "2026-11-27T02:00:00Z",
    ...           "--json"])  # doctest: +ELLIPSIS
    {"record": "...", "population": "...", "selected": 32, "teams": "...", "verified": true}
    0
    """
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (RandsampleError, OSError) as exc:
        print(f"randsample {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
