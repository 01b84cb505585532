"""What several commands share: exit codes, options, file-format help and the subcommand parser.

An option used by more than one command is defined once here, so that ``--seed`` or ``--json``
means the same everywhere; so is the one-paragraph description of each file format that the
help of every command reading that file repeats (the full formats are in ``docs/cli.md``).
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any, NoReturn

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NOT_VERIFIED",
    "EXIT_OK",
    "FORMATS",
    "GUIDE",
    "OPTIONS",
    "WIDTH",
    "Parser",
    "add_command",
    "add_options",
    "fill",
    "now",
    "print_check",
    "print_json",
]

EXIT_OK, EXIT_NOT_VERIFIED, EXIT_BAD_INPUT = 0, 1, 2
GUIDE = "the CLI guide (docs/cli.md)"
WIDTH = 79  # help text lines, so that they fit an 80-column terminal

_STDIN = " ('-': standard input)"

# Options shared by several commands, defined once so that they mean the same everywhere.
OPTIONS: dict[str, dict[str, Any]] = {
    "--design": {
        "required": True,
        "metavar": "FILE",
        "help": "design JSON/TOML: sizes, or rates" + _STDIN,
    },
    "--seed": {
        "required": True,
        "metavar": "FILE",
        "help": "seed JSON/TOML: hex, or sources" + _STDIN,
    },
    "--authority": {"required": True, "help": "authority label, written into the record"},
    "--timestamp": {"help": "UTC time YYYY-MM-DDTHH:MM:SSZ (default: now)"},
    "--previous": {
        "metavar": "FILE",
        "help": "the authority's previous record, linked by its digest (hash chain)" + _STDIN,
    },
    "--pips": {
        "action": "store_true",
        "help": "probability proportional to the weight column (default: equal probability)",
    },
    "--id-scheme": {
        "default": "opaque",
        "choices": ["opaque", "uscc", "uscc-lenient"],
        "help": "how ids are checked: any text, or 18-character USCC codes (%(default)s)",
    },
    "--json": {"action": "store_true", "help": "machine-readable output"},
    "--force": {
        "action": "store_true",
        "help": "replace an output file that exists (never the --previous record)",
    },
    "--announcement": {
        "metavar": "FILE",
        "help": "the announcement the draw must follow (made before the sources were published)"
        + _STDIN,
    },
    "--allow-weak-secret": {
        "action": "store_true",
        "help": "accept a secret that looks typed, not drawn (the verdict says so)",
    },
}

# One paragraph per file format, for the help of every command that reads it.
FORMATS: dict[str, str] = {
    "population": """\
population  CSV, UTF-8, header id,stratum,eligible,weight; eligible is 1 or 0;
            weight a decimal such as 2.5, empty in every row or in none.
            A .parquet file with the same columns is read too; '-' reads CSV.""",
    "design": """\
design      JSON or TOML (by suffix; '-' is JSON): {"sizes": {"A": 40, ...}} or
            {"rates": {"A": "3%", ...}} with optional "rounding" (ceiling),
            "minimum", "maximum", "counts" and "take_all" (a list of strata).""",
    "seed": """\
seed        JSON or TOML (by suffix; '-' is JSON): {"hex": "<16+ random bytes>"}
            or {"sources": [{"name": "...", "values": [3, 11, ...]}, ...],
            "secret": "<hex>", "commitment": "<hex>"} (secret and commitment
            optional).""",
    "record": """\
record      a sealed record JSON, as written by draw, assign, announce or a
            replacement.""",
    "sources": """\
sources     JSON or TOML: {"sources": [{"name": "...", "date": "YYYY-MM-DD",
            "values": 7}, ...]}: the public sources the seed will use, in order,
            each published on its date (after the announcement's), with how
            many values it will give.""",
    "secret": """\
secret      JSON written by announce --new-secret: {"secret": "<hex>",
            "commitment": "<hex>"}; keep it private until the draw.""",
    "directory": """\
directory   JSON or TOML: {"inspectors": [{"id", "department", "certified",
            "categories": [...], "home_region", "capacity", "days_off":
            ["YYYY-MM-DD", ...]}], "departments": [...]} (days_off, departments
            optional).""",
    "visits": """\
visits      JSON or TOML: {"visits": [{"visit_id", "enterprise_id",
            "enterprise_region", "date": "YYYY-MM-DD", "departments": [...],
            "items": {department: [categories]}, "team_size", "lead"}]}
            (team_size, lead optional).""",
    "team-visits": """\
visits      with --teams-v2, JSON or TOML: {"visits": [{"visit_id",
            "enterprise_id", "date": "YYYY-MM-DD", "departments": [...],
            "items": {department: [categories]}, "lead", "minimums":
            {department: n}, "experts": n, "expert_categories": [...],
            "location"}]} (lead: the initiating department, default the first
            listed; minimums: officers per department, default 2; the rest
            optional).""",
    "experts": """\
experts     JSON or TOML: {"experts": [{"id", "categories": [...],
            "home_region", "capacity", "days_off": ["YYYY-MM-DD", ...]}]}
            (days_off optional).""",
    "conflicts": """\
conflicts   JSON or TOML, every key optional: {"relations": [[inspector,
            enterprise, kind]], "same_locality": true, "history": {enterprise:
            [[inspector ids], ...]}, "rotation": 1, "recusals": {enterprise:
            [inspector ids]}, "exclusions": [[inspector, enterprise, reason]]}.""",
    "plan": """\
plan        JSON or TOML: {"departments": [{"code", "name"}], "items":
            [{"department", "item_id", "legal_basis", "category", "method"}],
            "tasks": [{"task_id", "department", "items": [...], "scope",
            "period", and "rates", "sizes" or "take_all"}], "leads": {scope:
            department}}.""",
    "table": """\
table       a bureau's table: CSV with a header row (any encoding, --encoding;
            UTF-8 by default), or an .xlsx sheet (--sheet; needs
            pip install "randsample[xlsx]"); columns are named by options.""",
    "outcomes": """\
outcomes    CSV, UTF-8, header period,enterprise_id,completed,problem_found;
            flags 1 or 0; an enterprise not listed was not completed.""",
}


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message (see prog --help)`` and exit with code 2."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def now() -> str:
    """Return the current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (the default timestamp)."""
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def fill(text: str, width: int = WIDTH) -> str:
    """Re-wrap each paragraph of ``text`` to ``width``; indented paragraphs stay as written."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        paragraph
        if any(line.startswith(" ") for line in paragraph.splitlines())
        else textwrap.fill(" ".join(paragraph.split()), width)
        for paragraph in paragraphs
    )


def add_options(parser: argparse.ArgumentParser, *names: str) -> None:
    """Add the shared options ``names`` (keys of :data:`OPTIONS`) to ``parser``."""
    for name in names:
        parser.add_argument(name, **OPTIONS[name])


def add_command(
    commands: Any,
    name: str,
    *,
    summary: str,
    description: str,
    examples: Sequence[str],
    reads: Sequence[str] = (),
) -> argparse.ArgumentParser:
    """Add subcommand ``name`` with its one-line summary, description, examples and formats.

    ``reads`` names the :data:`FORMATS` of the files the command reads; the help shows them
    after the examples and points at the CLI guide for the rest.
    """
    epilog = ["examples:", *(f"  {example}" for example in examples)]
    if reads:
        epilog += ["", "files read:", *(FORMATS[kind] for kind in reads)]
    epilog += ["", f"Exit codes, every file format and more examples: {GUIDE}."]
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        prog=f"randsample {name}",
        help=summary,
        description=fill(description),
        epilog="\n".join(epilog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def print_json(data: object) -> None:
    """Print a verification's JSON object for programs (``--json``): UTF-8 text, indented."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def print_check(result: Any, text: Callable[[], str], *, as_json: bool) -> int:
    """Print a verification (its JSON object with ``--json``, else ``text()``) and its exit code.

    ``result`` has ``ok`` and ``to_json()``; the code is 0 when it is ok, else 1.
    """
    if as_json:
        print_json(result.to_json())
    else:
        print(text())
    return EXIT_OK if result.ok else EXIT_NOT_VERIFIED
