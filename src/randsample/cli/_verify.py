"""``randsample verify``: re-run a published draw from its record and population file.

Exit 0 when the record verifies (and every replacement and the chain link, if given), 1 when
anything differs; the output lists every difference with the field it concerns.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import InvalidInputError
from ..records import (
    DrawRecord,
    ReplacementRecord,
    VerificationReport,
    verify,
    verify_replacements,
)
from ._announcing import read_announcement
from ._mapping import add_mapping_options, population_from_args
from ._options import EXIT_NOT_VERIFIED, EXIT_OK, add_command, add_options
from ._streams import Inputs

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "verify"
SUMMARY = "re-run a published draw and report any difference"
DESCRIPTION = """\
Re-run a published draw: read the draw record and the population file, derive the
seed from the record's sources (and check the commitment to its secret), re-draw
with the record's algorithm and design, and compare everything: the population
digest, the sizes, every selected unit, its ticket and inclusion probability, and
the record's own digest. With --previous, also check the hash-chain link to the
authority's previous record (of any kind); with --replacement, re-derive each
replacement of a drawn enterprise, in order (each must link to the draw or to the
replacement before it: a withheld one is noticed; 'randsample audit' checks a whole
ledger). With --announcement, check that the draw follows the announcement made
before its sources were published.

Prints VERIFIED, or every difference with the field it concerns (exit code 1), then
notes saying whether the draw is publicly random: a raw seed or a draw without an
announcement verifies, but the notes say the authority could have chosen it."""
EXAMPLES = (
    "randsample verify record.json population.csv",
    "randsample verify record.json population.csv --previous last.json --json",
    "curl -s https://example.gov.cn/draw.json | randsample verify - population.csv",
)


def add_parser(commands: Any) -> None:
    """Add the ``verify`` subcommand to ``commands``."""
    check = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("record", "population"),
    )
    check.add_argument("record", help="draw record JSON ('-': standard input)")
    check.add_argument(
        "population",
        help="population CSV (id,stratum,eligible,weight) or Parquet ('-': CSV); with the "
        "mapping options, a bureau table: CSV, .xlsx or a database URL",
    )
    check.add_argument(
        "--previous",
        metavar="FILE",
        help="the authority's previous record, to check the chain link ('-': standard input)",
    )
    check.add_argument(
        "--replacement",
        action="append",
        default=[],
        metavar="FILE",
        help="a replacement record of this draw (repeat, in order; '-': standard input)",
    )
    add_options(check, "--announcement", "--id-scheme", "--json")
    add_mapping_options(check)
    check.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample verify``; return 0 when the record verifies, else 1."""
    record = inputs.record(args.record, "record", check_digest=False)
    if not isinstance(record, DrawRecord):
        raise InvalidInputError(
            str(args.record), record.FORMAT, "is not a draw record; verify takes a draw"
        )
    population = population_from_args(args, inputs)
    previous = (
        None
        if args.previous is None
        else inputs.record(args.previous, "--previous", check_digest=False)
    )
    announcement = read_announcement(args.announcement, inputs)
    report = verify(record, population, previous=previous, announcement=announcement)
    if args.replacement:
        replacements = [
            ReplacementRecord.from_json(inputs.data(path, "--replacement"), check_digest=False)
            for path in args.replacement
        ]
        report = report.merged(verify_replacements(record, population, replacements))
    print(_report_json(report) if args.json else report)
    return EXIT_OK if report.ok else EXIT_NOT_VERIFIED


def _report_json(report: VerificationReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
