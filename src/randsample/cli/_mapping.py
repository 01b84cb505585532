"""The column-mapping options of ``draw``, ``verify`` and ``fairness``: any bureau table in.

Without them a command reads the published population file (``id,stratum,eligible,weight``,
spec 4.3). With any of them, or with a spreadsheet or a database URL, it reads the bureau's own
table through a :class:`~randsample.population.ColumnMapping` built from the options, so
that the command and the Python API map columns the same way.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import InvalidInputError, RandsampleError
from ..files import read_population, read_sql_table, read_table
from ..population import Boost, ColumnMapping, Population
from ._streams import Inputs

__all__ = [
    "MAPPING_OPTIONS",
    "add_mapping_options",
    "parse_boost",
    "population_from_args",
    "refuse_population_options",
]

#: The options that switch a command to a mapped table (dest names).
MAPPING_OPTIONS = (
    "id_column", "class_column", "classes", "strata_columns", "eligible_column",
    "eligible_values", "ineligible_values", "weight_column", "boost", "default", "encoding",
    "sheet", "table",
)  # fmt: skip


def _list(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(","))


def add_mapping_options(parser: argparse.ArgumentParser) -> None:
    """Add the column-mapping options (an argument group) to ``parser``."""
    group = parser.add_argument_group(
        "reading a bureau's own table (CSV in any encoding, .xlsx, or a database URL)"
    )
    group.add_argument("--id-column", metavar="COLUMN", help="the id column (id)")
    group.add_argument(
        "--class-column", metavar="COLUMN", help="the credit-class column (credit_class)"
    )
    group.add_argument(
        "--classes", metavar="A,B,...", type=_list, help="the credit classes (A,B,C,D)"
    )
    group.add_argument(
        "--strata-columns",
        metavar="C1,C2",
        type=_list,
        help="columns whose values, joined by |, form the stratum (the class column)",
    )
    group.add_argument(
        "--eligible-column", metavar="COLUMN", help="eligibility: a 1/0 flag or a status column"
    )
    group.add_argument(
        "--eligible-values",
        metavar="V1,V2",
        type=_list,
        help="status values of --eligible-column that are eligible",
    )
    group.add_argument(
        "--ineligible-values",
        metavar="V1,V2",
        type=_list,
        help="status values that are not (default: the ended statuses, see the guide); "
        "a value in neither list is an error",
    )
    group.add_argument("--weight-column", metavar="COLUMN", help="size measure for --pips")
    group.add_argument(
        "--boost",
        action="append",
        default=[],
        type=_boost_option,
        metavar="COLUMN:[THRESHOLD:]FACTOR",
        help="multiply the weight by FACTOR when the flag COLUMN is yes, or when the count "
        "COLUMN >= THRESHOLD (repeat)",
    )
    group.add_argument(
        "--default",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="the value of an empty cell of COLUMN (repeat; otherwise an empty cell is an error)",
    )
    group.add_argument(
        "--encoding", help="CSV encoding: utf-8 (default, BOM or not), gbk, gb18030, ..."
    )
    group.add_argument("--sheet", help=".xlsx sheet (default: the first)")
    group.add_argument(
        "--table", help="with a database URL (sqlite:///bureau.db) as POPULATION: the table"
    )


def _boost_option(text: str) -> Boost:
    try:
        return parse_boost(text)
    except RandsampleError as exc:  # argparse shows an ArgumentTypeError's own message
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_boost(text: str) -> Boost:
    """Parse ``COLUMN:FACTOR`` (a yes/no flag) or ``COLUMN:THRESHOLD:FACTOR`` (a count).

    >>> parse_boost("投诉次数:3:2")
    Boost(column='投诉次数', factor=Fraction(2, 1), threshold=3)
    """
    parts = text.rsplit(":", 2)
    if len(parts) == 2:
        return Boost(parts[0], parts[1])  # type: ignore[arg-type]  # read exactly by Boost
    if len(parts) == 3 and parts[1].isascii() and parts[1].isdigit():
        return Boost(parts[0], parts[2], threshold=int(parts[1]))  # type: ignore[arg-type]
    raise InvalidInputError("--boost", text, "expected COLUMN:FACTOR or COLUMN:THRESHOLD:FACTOR")


def _mapping(args: argparse.Namespace) -> ColumnMapping:
    fields: dict[str, Any] = {"id_scheme": args.id_scheme}
    for name in (
        "id_column", "class_column", "classes", "strata_columns", "eligible_column",
        "eligible_values", "ineligible_values", "weight_column",
    ):  # fmt: skip
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    fields["risk_boosts"] = list(args.boost)
    defaults = {}
    for item in args.default:
        column, sep, value = item.partition("=")
        if not sep or not column:
            raise InvalidInputError("--default", item, "expected COLUMN=VALUE")
        defaults[column] = value
    fields["defaults"] = defaults
    return ColumnMapping(**fields)


def refuse_population_options(
    args: argparse.Namespace, problem: str, *, also: tuple[tuple[str, bool], ...] = ()
) -> None:
    """Refuse, not ignore, the population-file options when they do not apply.

    ``also`` lists the command's own (option, given) pairs, checked first; then a non-default
    ``--id-scheme`` and every table-mapping option. The first one given is an error naming it.
    """
    given = [*also, ("--id-scheme", args.id_scheme != "opaque")]
    given += [
        (f"--{name.replace('_', '-')}", getattr(args, name) not in (None, []))
        for name in MAPPING_OPTIONS
    ]
    for option, present in given:
        if present:
            raise InvalidInputError(option, True, problem)


def population_from_args(
    args: argparse.Namespace, inputs: Inputs, *, argument: str = "population"
) -> Population:
    """Read the population named by ``args.population`` as the options say."""
    source: str = args.population
    url = "://" in source
    mapped = url or source.lower().endswith((".xlsx", ".xlsm"))
    mapped = mapped or any(getattr(args, name) not in (None, []) for name in MAPPING_OPTIONS)
    if not mapped:
        return read_population(
            inputs.path(source, argument, suffix=".csv"), id_scheme=args.id_scheme
        )
    mapping = _mapping(args)
    if url:
        if args.table is None:
            raise InvalidInputError("--table", None, "name the table to read from the database")
        return read_sql_table(source, args.table, key=mapping.id_column).population(mapping)
    if args.table is not None:
        raise InvalidInputError("--table", args.table, "applies to a database URL only")
    path = inputs.path(source, argument, suffix=".csv")
    return read_table(path, encoding=args.encoding, sheet=args.sheet).population(mapping)
