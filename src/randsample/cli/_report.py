"""``randsample report``: re-run a year's joint draws and print the monthly report (月报表)."""

from __future__ import annotations

import argparse
import io
import json
from typing import Any

from ..errors import InvalidInputError
from ..files import (
    check_writable,
    read_outcomes,
    read_plan,
    read_population,
    read_seed,
    write_monthly_csv,
)
from ..joint import draw_joint, merge_plan
from ..reports import monthly_report
from ._options import EXIT_OK, add_command, add_options
from ._streams import Inputs, messages, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "pairs", "run"]

NAME = "report"
SUMMARY = "print the monthly report (月报表) of a year's joint draws"
DESCRIPTION = """\
Re-run every period's joint draws of a plan (several departments' tasks, merged
so that one enterprise gets one visit) from each period's seed and the scopes'
population files, join the inspection outcomes, and print the monthly report:
the year's cumulative figures up to and including the reporting period, per
department and statistical item (all, internal, joint, enterprises, credit-risk):
inspections, enterprises drawn, completed and with problems. Nothing is taken on
trust: the draws are re-derived from the seeds, so the counts can be checked.

Give --period-seed once per period, in chronological order, and --scope once per
scope named in the plan's tasks. With --csv -, the table goes to standard output
as CSV and the report to standard error. An existing --csv file is replaced only
with --force; cells that a spreadsheet would run as formulas (=, +, -, @) start
with an apostrophe."""
EXAMPLES = (
    "randsample report plan.json --outcomes outcomes.csv \\\n"
    "      --period-seed 2026-10=seed-10.json --period-seed 2026-11=seed-11.json \\\n"
    "      --scope 餐饮=catering.csv --scope 药店=pharmacies.csv",
    "randsample report plan.toml --outcomes - --period-seed 2026-11=seed.json \\\n"
    "      --scope 餐饮=catering.csv --csv report.csv < outcomes.csv",
)


def add_parser(commands: Any) -> None:
    """Add the ``report`` subcommand to ``commands``."""
    report = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("plan", "outcomes", "seed", "population"),
    )
    report.add_argument(
        "plan", help="plan JSON/TOML (departments, items, tasks, leads; '-': standard input)"
    )
    report.add_argument(
        "--outcomes", required=True, metavar="FILE", help="outcomes CSV ('-': standard input)"
    )
    report.add_argument(
        "--period-seed",
        action="append",
        default=[],
        metavar="PERIOD=FILE",
        help="a period and its seed file, in order (repeat)",
    )
    report.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="SCOPE=FILE",
        help="a scope of the plan and its population file (repeat)",
    )
    report.add_argument("--period", help="report up to this period (default: the last)")
    report.add_argument(
        "--csv",
        metavar="FILE",
        help="also write the table as CSV (UTF-8 with a BOM, bilingual headers, department "
        "names; '-': standard output)",
    )
    add_options(report, "--id-scheme", "--force", "--json")
    report.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample report``; return 0 (every failure is an error, exit code 2)."""
    if args.csv not in (None, "-"):
        check_writable(args.csv, force=args.force)
    merged = merge_plan(read_plan(inputs.path(args.plan, "plan")))
    scopes = {
        name: read_population(inputs.path(path, "--scope", suffix=".csv"), id_scheme=args.id_scheme)
        for name, path in pairs(args.scope, "--scope")
    }
    draws = []
    for period, path in pairs(args.period_seed, "--period-seed"):
        seed = read_seed(inputs.path(path, "--period-seed"))
        draws.append(draw_joint(merged, seed, scopes, period=period))
    if not draws:
        raise InvalidInputError("--period-seed", [], "give at least one PERIOD=SEED_FILE")
    outcomes = read_outcomes(inputs.path(args.outcomes, "--outcomes", suffix=".csv"))
    report = monthly_report(draws, outcomes, period=args.period)
    names = {department.code: department.name for department in merged.departments}
    if args.csv == "-":
        table = io.StringIO()
        write_monthly_csv(report, table, department_names=names)
        write_output("\ufeff" + table.getvalue(), "-")
    elif args.csv:
        write_monthly_csv(report, args.csv, department_names=names, force=args.force)
    out = messages(args.csv)
    if args.json:
        print(json.dumps(report.to_rows(), ensure_ascii=False, default=str), file=out)
    else:
        print(report.summary(), file=out)
    return EXIT_OK


def pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    """Split every ``NAME=VALUE`` of ``option``; anything else is an error naming it."""
    pairs = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise InvalidInputError(option, value, "expected NAME=FILE")
        pairs.append((name, path))
    return pairs
