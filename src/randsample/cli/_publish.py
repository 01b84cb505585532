"""``randsample publish``: write the 公示 list of a draw (CSV with a BOM, or .xlsx)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from ..files import (
    make_publication,
    read_table,
    read_visits,
    write_publication_csv,
    write_publication_xlsx,
)
from ..files._publication import publication_csv_text
from ..population import ColumnMapping
from ._options import EXIT_OK, add_command
from ._report import pairs
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "publish"
SUMMARY = "write the 公示 list of a draw: names, items, dates, teams"
DESCRIPTION = """\
Write the list to publish (公示): one row per drawn enterprise, in the record's order,
with the enterprise's name, the task, the draw date (Beijing time), the authority and,
given the visits and the assignment record, the departments, inspection items, visit
date and the team. The columns follow the provincial platform's list of drawn enterprises
and officers (see the CLI guide). The credit class is not published.

The names come from a table (--names with --id-column and --name-column); every drawn
enterprise needs one. Department and officer names replace codes when given. A .xlsx
--out writes a spreadsheet (needs the xlsx extra); anything else is CSV, UTF-8 with a BOM.
Cells a spreadsheet would run as formulas are neutralised."""
EXAMPLES = (
    "randsample publish record.json --names 企业.csv --encoding gbk \\\n"
    "      --id-column 统一社会信用代码 --name-column 企业名称 --out 公示.csv",
    "randsample publish record.json --names names.csv --id-column id \\\n"
    "      --name-column name --visits visits.json --teams teams.json \\\n"
    "      --department-name food=食品科 --out 公示.xlsx",
)


def add_parser(commands: Any) -> None:
    """Add the ``publish`` subcommand to ``commands``."""
    publish = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("record", "table", "visits"),
    )
    publish.add_argument("record", help="the draw record ('-': standard input)")
    publish.add_argument(
        "--names", required=True, metavar="FILE", help="a table of the enterprises' names"
    )
    publish.add_argument("--id-column", required=True, metavar="COLUMN", help="its id column")
    publish.add_argument("--name-column", required=True, metavar="COLUMN", help="its name column")
    publish.add_argument("--encoding", help="CSV encoding of the names table (utf-8)")
    publish.add_argument("--sheet", help=".xlsx sheet of the names table (the first)")
    publish.add_argument("--task-name", help="the task's name (default: the draw id)")
    publish.add_argument("--visits", metavar="FILE", help="the visits file of the draw")
    publish.add_argument(
        "--teams", metavar="FILE", help="the assignment record of the visits (needs --visits)"
    )
    publish.add_argument(
        "--department-name",
        action="append",
        default=[],
        metavar="CODE=NAME",
        help="show NAME for department CODE (repeat)",
    )
    publish.add_argument(
        "--inspector-names",
        metavar="FILE",
        help="a table of the officers' names (columns --inspector-id-column, "
        "--inspector-name-column)",
    )
    publish.add_argument(
        "--inspector-id-column", default="id", metavar="COLUMN", help="(%(default)s)"
    )
    publish.add_argument(
        "--inspector-name-column", default="name", metavar="COLUMN", help="(%(default)s)"
    )
    publish.add_argument(
        "--out",
        default="公示.csv",
        help="the list: .csv, .xlsx, or '-' for CSV on standard output (%(default)s)",
    )
    publish.set_defaults(run=run)


def _names(path: str, id_column: str, name_column: str, **options: Any) -> dict[str, str]:
    table = read_table(path, **options)
    return table.names(ColumnMapping(id_column=id_column, name_column=name_column))


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample publish``; return 0 (every failure is an error, exit code 2)."""
    record = inputs.record(args.record, "record")
    names = _names(
        inputs.path(args.names, "--names", suffix=".csv"),
        args.id_column,
        args.name_column,
        encoding=args.encoding,
        sheet=args.sheet,
    )
    visits = [] if args.visits is None else read_visits(inputs.path(args.visits, "--visits"))
    teams = None if args.teams is None else inputs.record(args.teams, "--teams")
    inspectors = (
        None
        if args.inspector_names is None
        else _names(args.inspector_names, args.inspector_id_column, args.inspector_name_column)
    )
    listing = make_publication(
        record,  # type: ignore[arg-type]  # checked by make_publication
        names=names,
        task_name=args.task_name,
        visits=visits,
        teams=teams,  # type: ignore[arg-type]  # checked by make_publication
        department_names=dict(pairs(args.department_name, "--department-name")) or None,
        inspector_names=inspectors,
    )
    if args.out == "-":
        write_output(publication_csv_text(listing), "-")
    elif Path(args.out).suffix.lower() == ".xlsx":
        write_publication_xlsx(listing, args.out)
    elif Path(args.out).suffix.lower() in (".xls", ".xlsm", ".ods"):
        raise InvalidInputError("--out", args.out, "write .xlsx or .csv")
    else:
        write_publication_csv(listing, args.out)
    print(f"Wrote {shown(args.out)} ({len(listing.rows)} enterprises)", file=messages(args.out))
    return EXIT_OK
