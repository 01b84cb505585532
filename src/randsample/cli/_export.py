"""``randsample export-verifier``: write the single-file verifier that needs only Python."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._options import EXIT_OK, add_command, add_options
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "STANDALONE", "SUMMARY", "add_parser", "run"]

STANDALONE = Path(__file__).parents[1] / "records" / "_standalone_verify.py"
NAME = "export-verifier"
SUMMARY = "write the stdlib-only verifier, verify_draw.py"
DESCRIPTION = """\
Write verify_draw.py: one file, written from the specification (docs/spec.md)
independently of the library, that checks every record randsample makes with
any Python 3.10 or later and no packages at all: draws (stratified-srswor,
stratified-pips-systematic, stratified-pips-sampford) and their replacements,
announcements, team assignments (versions 1 and 2) and their adjustments, result
records, salted draws, public notices and receipts.
Publish it next to your records so that anyone can check them without
installing randsample:

  python verify_draw.py record.json population.csv [--previous last.json]
  python verify_draw.py teams.json directory.json visits.json conflicts.json
  python verify_draw.py receipt.json notice.json --lang zh

It prints the same verdict as randsample verify (spec section 22) and exits 0
when the record verifies, 1 when it does not, 2 on bad input or a Python older
than 3.10. An existing file is replaced only with --force."""
EXAMPLES = (
    "randsample export-verifier verify_draw.py",
    "randsample export-verifier - > verify_draw.py",
)


def add_parser(commands: Any) -> None:
    """Add the ``export-verifier`` subcommand to ``commands``."""
    export = add_command(
        commands, NAME, summary=SUMMARY, description=DESCRIPTION, examples=EXAMPLES
    )
    export.add_argument(
        "path", help="where to write it, e.g. verify_draw.py ('-': standard output)"
    )
    add_options(export, "--force")
    export.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample export-verifier``; return 0."""
    write_output(STANDALONE.read_text(encoding="utf-8"), args.path, force=args.force)
    print(
        f"Wrote {shown(args.path)}: run it with any Python >= 3.10, no packages needed.",
        file=messages(args.path),
    )
    return EXIT_OK
