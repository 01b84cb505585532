"""``randsample audit``: check all of an authority's records at once (the ledger)."""

from __future__ import annotations

import argparse
from typing import Any

from ..files import read_ledger, read_population
from ..records import audit
from ._options import add_command, add_options, print_check
from ._streams import Inputs

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "audit"
SUMMARY = "check an authority's whole ledger of records"
DESCRIPTION = """\
Audit a folder holding all of an authority's published records (every *.json file
in it is read as a record) and the population files its draws used (every *.csv or
*.parquet file, and each --population): one hash chain from one first record, no
fork (two records following one), no gap (a link to a record that is not there), no
draw id recorded twice (a redone draw), every replacement of a draw present and in
order, every announced draw present and after its announcement, and every record
verified on its own: in full where its inputs are there (a draw with its population),
its seal, seed and links otherwise.

Prints one line per record and every problem found (exit code 1 if any)."""
EXAMPLES = (
    "randsample audit records/",
    "randsample audit records/ --population population-2026.csv --json",
)


def add_parser(commands: Any) -> None:
    """Add the ``audit`` subcommand to ``commands``."""
    check = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("record", "population"),
    )
    check.add_argument("folder", help="the folder of records (and population files)")
    check.add_argument(
        "--population",
        action="append",
        default=[],
        metavar="FILE",
        help="a population file the draws may have used (repeat)",
    )
    add_options(check, "--id-scheme", "--json")
    check.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample audit``; return 0 when the ledger verifies, else 1."""
    records, populations = read_ledger(args.folder)
    populations += [
        read_population(inputs.path(path, "--population", suffix=".csv"), id_scheme=args.id_scheme)
        for path in args.population
    ]
    report = audit(records, populations=populations)
    return print_check(report, lambda: str(report), as_json=args.json)
