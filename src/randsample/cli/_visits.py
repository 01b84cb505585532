"""``randsample visits``: write the visits file of a single draw, so that ``assign`` can follow."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import InvalidInputError
from ..files import read_table, to_date, write_visits
from ..records import DrawRecord
from ..teams import visits_from_draw
from ._options import EXIT_OK, add_command
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "visits"
SUMMARY = "turn a draw record into the visits file that assign reads"
DESCRIPTION = """\
The bridge between the two randoms: write one on-site visit per enterprise of a
draw record, in the visits format that 'randsample assign' reads, so that
draw -> visits -> assign works from files. Each visit is by one department (--department)
on one date (--date; 2026-12-01, 2026/12/1 and 2026年12月1日 are read the same), for the
inspection categories given with --categories (the same for every enterprise) or read per
enterprise from a table (--enterprises with --id-column and --categories-column; several
categories in a cell separated by 、 or ;). With --region-column the enterprise's region
comes from the table too (for the same-locality rule); otherwise it is 'unknown'.

Visit ids are DRAW_ID-0001, DRAW_ID-0002, ... in the record's order. Every drawn
enterprise needs its categories: one missing from the table is an error."""
EXAMPLES = (
    "randsample visits record.json --department food --date 2026-12-01 \\\n"
    "      --categories catering --out visits.json",
    "randsample visits record.json --department 食品科 --date 2026年12月1日 \\\n"
    "      --enterprises 企业.csv --encoding gbk --id-column 统一社会信用代码 \\\n"
    "      --categories-column 检查类别 --region-column 片区 --out -",
)


def add_parser(commands: Any) -> None:
    """Add the ``visits`` subcommand to ``commands``."""
    visits = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("record", "table"),
    )
    visits.add_argument("record", help="the draw record ('-': standard input)")
    visits.add_argument("--department", required=True, help="the department that inspects")
    visits.add_argument("--date", required=True, help="the visit date")
    visits.add_argument(
        "--categories", metavar="C1,C2", help="inspection categories of every visit"
    )
    visits.add_argument(
        "--enterprises", metavar="FILE", help="a table of the enterprises (CSV or .xlsx)"
    )
    visits.add_argument("--id-column", metavar="COLUMN", help="its id column")
    visits.add_argument(
        "--categories-column", metavar="COLUMN", help="its inspection-categories column"
    )
    visits.add_argument("--region-column", metavar="COLUMN", help="its region column")
    visits.add_argument("--encoding", help="CSV encoding of the table (utf-8)")
    visits.add_argument("--sheet", help=".xlsx sheet of the table (the first)")
    visits.add_argument(
        "--team-size", type=int, default=2, help="members per visit, at least 2 (%(default)s)"
    )
    visits.add_argument(
        "--out", default="visits.json", help="file to write ('-': standard output; %(default)s)"
    )
    visits.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample visits``; return 0 (every failure is an error, exit code 2)."""
    record = inputs.record(args.record, "record")
    if not isinstance(record, DrawRecord):
        raise InvalidInputError(str(args.record), record.FORMAT, "is not a draw record")
    categories: Any
    region = None
    if args.enterprises is None:
        if args.categories is None:
            raise InvalidInputError("--categories", None, "give --categories or --enterprises")
        for option in ("id_column", "categories_column", "region_column", "encoding", "sheet"):
            if getattr(args, option) is not None:
                raise InvalidInputError(
                    f"--{option.replace('_', '-')}", getattr(args, option), "needs --enterprises"
                )
        categories = args.categories.split(",")
    else:
        if args.categories is not None:
            raise InvalidInputError("--categories", args.categories, "or --enterprises, not both")
        if args.id_column is None or args.categories_column is None:
            raise InvalidInputError(
                "--enterprises", args.enterprises, "needs --id-column and --categories-column"
            )
        table = read_table(
            inputs.path(args.enterprises, "--enterprises", suffix=".csv"),
            encoding=args.encoding,
            sheet=args.sheet,
        )
        drawn = {unit["id"] for unit in record["selection"]}
        rows = [
            (label, ident, cell)
            for label, ident, cell in zip(
                table.rows,
                table.column(args.id_column),
                table.column(args.categories_column),
                strict=True,
            )
            if ident in drawn
        ]
        categories = {
            ident: _split(cell, f"{label}: {args.categories_column}") for label, ident, cell in rows
        }
        if args.region_column is not None:
            region = dict(
                zip(table.column(args.id_column), table.column(args.region_column), strict=True)
            )
    visits = visits_from_draw(
        record,
        department=args.department,
        categories=categories,
        date=to_date(args.date, "--date"),
        region=region,
        team_size=args.team_size,
    )
    text = write_visits(visits, args.out)
    if args.out == "-":
        write_output(text, "-")
    print(f"Wrote {shown(args.out)} ({len(visits)} visits)", file=messages(args.out))
    return EXIT_OK


def _split(cell: object, column: str) -> list[str]:
    if not isinstance(cell, str) or not cell:
        raise InvalidInputError(column, cell, "expected inspection categories")
    parts = [part.strip() for part in cell.replace("；", ";").replace("、", ";").split(";")]
    if not all(parts):
        raise InvalidInputError(column, cell, "has an empty category")
    return parts
