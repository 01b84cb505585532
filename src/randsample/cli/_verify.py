"""``randsample verify``: re-run a published draw from its record and population file.

Exit 0 when the record verifies (and every replacement and the chain link, if given), 1 when
anything differs, 2 when it cannot be checked. The output is the verdict of spec section 15,
the same as the standalone verifier's: a first line in plain words, what differs, the values
to compare with the announcement, then every difference with its field; ``--lang zh`` (or
``RANDSAMPLE_LANG=zh``) prints it in Chinese, ``--json`` always in English.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InvalidInputError, RandsampleError
from ..records import (
    AssignmentRecord,
    DrawRecord,
    ReplacementRecord,
    chain_order,
    verify,
    verify_replacements,
)
from ..records._verdict import LANGUAGES, Verdict, language, message
from ..teams import AdjustmentRecord, TeamRecord
from ._announcing import read_announcement
from ._mapping import add_mapping_options, population_from_args
from ._options import EXIT_BAD_INPUT, add_command, add_options, print_check, print_json
from ._streams import Inputs
from ._verify_teams import team_verdict

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
replacement of a drawn enterprise, in chain order (each must link to the draw or to
the replacement before it: a withheld one is noticed; 'randsample audit' checks a whole
ledger). With --announcement, check that the draw follows the announcement made
before its sources were published.

An inspector-team record (versions 1 and 2) is checked the same way against its
input files, given after it and recognised by their content: the directory, the
visits (or team visits), and the conflicts and expert pool when there are. A
version-2 record's team adjustment records may be given among them too (in any
order: they are put in chain order), and each is re-derived; an adjustment given
as the record is checked with its team record, which must then be among the inputs.

The first line says VERIFIED or NOT VERIFIED and the most likely cause in plain
words (the population file is not the one the draw used; the seed does not
re-derive from the published sources; the selection was edited; the chain link
is broken; ...), then notes saying whether the draw is publicly random (a raw
seed or a draw without an announcement verifies, but the notes say the authority
could have chosen it), what differs, the values to compare with the announcement
(population digest, seed key, sources, commitment, timestamp) and every
difference with its field. --lang zh (or RANDSAMPLE_LANG=zh) prints it in
Chinese; --json prints the same verdict for programs, always in English.
Exit 0 verified, 1 not verified, 2 cannot verify (one line)."""
EXAMPLES = (
    "randsample verify record.json population.csv",
    "randsample verify record.json population.csv --previous last.json --json",
    "randsample verify teams.json directory.json visits.json experts.json \\\n"
    "      conflicts.json adjustment1.json --previous record.json",
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
    check.add_argument(
        "record",
        help="draw, inspector-team or team adjustment record JSON ('-': standard input)",
    )
    check.add_argument(
        "population",
        help="population CSV (id,stratum,eligible,weight) or Parquet ('-': CSV); with the "
        "mapping options, a bureau table: CSV, .xlsx or a database URL. For a team record: "
        "its first input file",
    )
    check.add_argument(
        "inputs",
        nargs="*",
        help="a team record's other input files (directory, visits, conflicts, experts, "
        "its team adjustment records), recognised by their content",
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
        help="a replacement record of this draw (repeat, in any order: they are put in chain "
        "order; '-': standard input)",
    )
    add_options(check, "--announcement", "--id-scheme", "--json")
    check.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the verdict: en or zh (default: RANDSAMPLE_LANG, else en); "
        "--json is always English",
    )
    add_mapping_options(check)
    check.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample verify``; return 0 when the record verifies, 1 if not, 2 on bad input."""
    lang = language(args.lang)
    try:
        verdict = _verdict(args, inputs)
    except (RandsampleError, OSError, UnicodeError) as exc:
        detail = " ".join(inputs.name_stdin(str(exc)).splitlines())
        if isinstance(exc, UnicodeError):  # the readers do not name the file
            detail = f"a text file is not UTF-8 ({detail})"
        verdict = Verdict("cannot-verify", error=message("error.other", lang, detail=detail))
        print(verdict.headline(lang), file=sys.stderr)
        if args.json:
            print_json(verdict.to_json())
        return EXIT_BAD_INPUT
    return print_check(verdict, lambda: verdict.text(lang), as_json=args.json)


def _verdict(args: argparse.Namespace, inputs: Inputs) -> Verdict:
    record = inputs.record(args.record, "record", check_digest=False)
    previous = (
        None
        if args.previous is None
        else inputs.record(args.previous, "--previous", check_digest=False)
    )
    if isinstance(record, (AssignmentRecord, TeamRecord, AdjustmentRecord)):
        return team_verdict(args, inputs, record, previous)
    if not isinstance(record, DrawRecord):
        raise InvalidInputError(
            str(args.record), record.FORMAT, "is not a draw or team record; verify takes those"
        )
    if args.inputs:
        raise InvalidInputError(args.inputs[0], "input", "a draw is checked against one population")
    population = population_from_args(args, inputs)
    announcement = read_announcement(args.announcement, inputs)
    report = verify(record, population, previous=previous, announcement=announcement)
    replacements = chain_order(
        [
            ReplacementRecord.from_json(inputs.data(path, "--replacement"), check_digest=False)
            for path in args.replacement
        ]
    )
    if replacements:
        report = report.merged(verify_replacements(record, population, replacements))
    return report.verdict(
        record,
        chain_checked=previous is not None,
        replacements=replacements,
        announcement=announcement,
    )
