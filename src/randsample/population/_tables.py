"""Building a population from a table: a column mapping declared once, every bad row reported.

An inspection-object directory arrives as a table with named columns (often with Chinese
headers, e.g. 统一社会信用代码, 企业名称, 信用风险分类, 登记状态, 投诉次数). A
:class:`ColumnMapping` says, once, which column is what; :func:`build_population` applies it
to ``{column: values}`` and returns a validated :class:`~randsample.Population`:

* the id is the ``id_column`` value, text, unique (checked as a USCC with ``id_scheme``);
* the credit class is the ``class_column`` value and must be one of ``classes``;
* the stratum of a unit is its values of ``strata_columns`` joined by ``|`` (``"C|餐饮"``);
  by default the class alone;
* eligibility comes from ``eligible_column``: a yes/no flag (``1``/``0``, ``true``/``false``,
  ``是``/``否``, ``Y``/``N``), or, when ``eligible_values`` is given, a status such as
  登记状态: a value in ``eligible_values`` (``存续``, ``在业``) is eligible, one in
  ``ineligible_values`` (by default :data:`ENDED_STATUSES`) is not, and **any other value is
  an error** (nothing is silently dropped); without the column every unit is eligible;
* the weight (size measure, used only by πps designs) is the ``weight_column`` value (or 1)
  times the factor of every :class:`Boost` that applies: a yes/no flag column, or a count
  column with a threshold (``Boost("投诉次数", 2, threshold=3)``: three or more complaints
  double the weight); boosts multiply exactly (as fractions) before the one conversion to a
  float;
* a missing value (``None``, ``""``, NaN or NaT) is an error unless ``defaults`` declares a
  value for that column.

Every bad cell of every row is collected and raised as one
:class:`~randsample.errors.InvalidRowsError`, each problem naming its row (``rows`` labels
them; the readers of :mod:`randsample.files` pass file lines, sheet rows or database keys),
column and value. Reading files is the job of :mod:`randsample.files`; this module only maps
columns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..core import check_id, check_ids
from ..errors import InvalidInputError, InvalidRowsError, InvalidTypeError, RowProblem
from ._mapping import Boost, ColumnMapping
from ._population import Population

__all__ = [
    "build_population",
    "columns_from_arrow",
    "columns_from_pandas",
]

_TRUE = {"1", "true", "True", "TRUE", "是", "Y", "y"}
_FALSE = {"0", "false", "False", "FALSE", "否", "N", "n"}
_FLAG_HINT = "expected a yes/no flag (1/0, true/false, 是/否, Y/N)"


def _missing(value: object) -> bool:
    return (
        value is None
        or value == ""
        or (isinstance(value, float) and math.isnan(value))
        or type(value).__name__ == "NaTType"
    )


class _Rows:
    """The table's columns, row labels, declared defaults and the problems found so far."""

    def __init__(
        self,
        columns: Mapping[str, Sequence[object]],
        mapping: ColumnMapping,
        rows: Sequence[str] | None,
        header: str | None,
    ) -> None:
        if not isinstance(columns, Mapping):
            raise InvalidTypeError("columns", columns, "a mapping column -> values")
        lengths = {name: len(values) for name, values in columns.items()}
        if not lengths:
            raise InvalidInputError(header or "columns", {}, "the table has no columns")
        if len(set(lengths.values())) != 1:
            raise InvalidInputError("columns", lengths, "all columns must have the same length")
        self.count = next(iter(lengths.values()))
        self.labels = (
            [f"row {index + 1}" for index in range(self.count)] if rows is None else list(rows)
        )
        if len(self.labels) != self.count:
            raise InvalidInputError("rows", len(self.labels), f"expected {self.count} labels")
        where = "" if header is None else f"{header}: "
        available = sorted(columns)
        for name in mapping.defaults:
            if name not in columns:
                raise InvalidInputError(
                    f"{where}defaults", name, f"is not a column (columns: {available})"
                )
        for name, parameter in mapping.columns().items():
            if name not in columns:
                raise InvalidInputError(
                    f"{where}{parameter}",
                    name,
                    f"names a column that is not in the table (columns: {available})",
                )
        self.columns = columns
        self.defaults = mapping.defaults
        self.problems: list[tuple[int, RowProblem]] = []

    def add(self, row: int, column: str, value: object, problem: str) -> None:
        self.problems.append((row, RowProblem(self.labels[row], column, value, problem)))

    def sorted_problems(self) -> list[RowProblem]:
        """Every problem, in row order (and in column order within a row)."""
        return [problem for _, problem in sorted(self.problems, key=lambda item: item[0])]

    def values(self, name: str) -> list[object]:
        """Return the column with defaults filled in; a missing value is a problem (None)."""
        out: list[object] = []
        for row, value in enumerate(self.columns[name]):
            if not _missing(value):
                out.append(value)
            elif name in self.defaults:
                out.append(self.defaults[name])
            else:
                self.add(row, name, value, "is missing and no default is declared")
                out.append(None)
        return out


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value in _TRUE | _FALSE:
        return value in _TRUE
    return None


def _number(value: object) -> float | None:
    if isinstance(value, str):
        try:
            value = float(value) if value == value.strip() else math.nan
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _count(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)  # spreadsheet and pandas numbers are floats
    return None


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # an integer code (industry 3) has one way to be written
    return None


def build_population(
    columns: Mapping[str, Sequence[object]],
    mapping: ColumnMapping | None = None,
    *,
    rows: Sequence[str] | None = None,
    header: str | None = None,
    source: str | None = None,
    **options: Any,
) -> Population:
    """Build a :class:`Population` from named columns with a :class:`ColumnMapping`.

    Parameters
    ----------
    columns
        ``{column: values}``, every column of the same length.
    mapping
        The column mapping; or give its fields as keyword ``options`` instead.
    rows
        A label per row for messages (default ``row 1``, ``row 2``, ...).
    header
        Where the column names come from (e.g. ``"p.csv:1"``), named in column errors.
    source
        The table's name in the error listing bad rows (default ``header``).
    **options
        :class:`ColumnMapping` fields, when ``mapping`` is not given.

    Raises
    ------
    InvalidRowsError
        Listing every bad cell of every row (missing values, unknown classes or statuses,
        bad flags, counts or weights, bad or repeated ids).
    InvalidInputError
        A mapped column that is not in the table, or a bad mapping.

    Examples
    --------
    >>> table = {"统一社会信用代码": ["E1", "E2", "E3"], "信用等级": ["A", "C", "C"],
    ...          "行业": ["餐饮", "餐饮", "药店"], "投诉": ["否", "是", "否"]}
    >>> pop = build_population(table, id_column="统一社会信用代码", class_column="信用等级",
    ...                        strata_columns=("信用等级", "行业"), risk_boosts={"投诉": 2})
    >>> pop.strata.tolist(), pop.weights.tolist()
    (['A|餐饮', 'C|餐饮', 'C|药店'], [1.0, 2.0, 1.0])
    >>> build_population({"id": ["E1", "E2"], "credit_class": ["A", "E"]})
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidRowsError: columns: 1 bad row: row 2, column 'credit_class': \
is not a credit class ('A', 'B', 'C', 'D'), got 'E'
    """
    if mapping is None:
        mapping = ColumnMapping(**options)
    elif options:
        raise InvalidInputError("options", sorted(options), "give a mapping or options, not both")
    if not isinstance(mapping, ColumnMapping):
        raise InvalidTypeError("mapping", mapping, "a ColumnMapping")
    table = _Rows(columns, mapping, rows, header)
    ids = _ids(table, mapping)
    classes = table.values(mapping.class_column)
    for row, value in enumerate(classes):
        if value is not None and value not in mapping.classes:
            table.add(row, mapping.class_column, value, f"is not a credit class {mapping.classes}")
    strata = _strata(table, mapping)
    eligible = _eligible(table, mapping)
    weights = _weights(table, mapping)
    if table.problems:
        raise InvalidRowsError(source or header or "columns", table.sorted_problems())
    return Population.from_columns(
        ids,
        strata=strata,
        eligible=eligible,
        weights=weights,
        id_scheme=mapping.id_scheme,
    )


def _ids(table: _Rows, mapping: ColumnMapping) -> list[object]:
    name = mapping.id_column
    ids = table.values(name)
    try:  # the fast path: all good (checked in bulk)
        check_ids(ids, field=name)
    except (InvalidInputError, InvalidTypeError):
        first: dict[object, int] = {}
        for row, value in enumerate(ids):
            if value is None:
                continue
            try:
                check_id(value, field=name)
            except (InvalidInputError, InvalidTypeError) as exc:
                table.add(row, name, value, _reason(exc))
                continue
            if value in first:
                table.add(row, name, value, f"repeats the id of {table.labels[first[value]]}")
            else:
                first[value] = row
    if mapping.id_scheme != "opaque":
        from .uscc import validate_uscc

        for row, value in enumerate(ids):
            if isinstance(value, str):
                try:
                    validate_uscc(value, lenient=mapping.id_scheme == "uscc-lenient", field=name)
                except InvalidInputError as exc:
                    table.add(row, name, value, _reason(exc))
    return ids


def _reason(exc: InvalidInputError | InvalidTypeError) -> str:
    return exc.problem if isinstance(exc, InvalidInputError) else f"expected {exc.expected}"


def _strata(table: _Rows, mapping: ColumnMapping) -> list[str]:
    parts = [(name, table.values(name)) for name in mapping.strata_columns]
    strata = []
    for row in range(table.count):
        texts = []
        for name, values in parts:
            text = _text(values[row])
            if text is None and values[row] is not None:
                table.add(row, name, values[row], "expected text")
            texts.append(text or "")
        label = "|".join(texts)
        if all(texts):
            try:
                check_id(label, field="stratum")
            except InvalidInputError as exc:
                table.add(row, "|".join(mapping.strata_columns), label, _reason(exc))
        strata.append(label)
    return strata


def _eligible(table: _Rows, mapping: ColumnMapping) -> list[bool] | None:
    name = mapping.eligible_column
    if name is None:
        return None
    out = []
    for row, value in enumerate(table.values(name)):
        if mapping.eligible_values is None:
            flag = _flag(value)
            if flag is None and value is not None:
                table.add(row, name, value, _FLAG_HINT)
        else:
            flag = value in mapping.eligible_values
            if not flag and value not in (mapping.ineligible_values or ()) and value is not None:
                table.add(
                    row,
                    name,
                    value,
                    "is not a listed status (eligible: "
                    f"{', '.join(sorted(mapping.eligible_values))}; ineligible: "
                    f"{', '.join(sorted(mapping.ineligible_values or ()))}): add it to "
                    "eligible_values or ineligible_values",
                )
        out.append(bool(flag))
    return out


def _weights(table: _Rows, mapping: ColumnMapping) -> list[float] | None:
    if mapping.weight_column is None and not mapping.risk_boosts:
        return None
    base = [Fraction(1)] * table.count
    if mapping.weight_column is not None:
        name = mapping.weight_column
        for row, value in enumerate(table.values(name)):
            number = _number(value)
            if number is None:
                if value is not None:
                    table.add(row, name, value, "expected a finite number >= 0")
            else:
                base[row] = Fraction(number)
    for boost in mapping.risk_boosts:
        for row, value in enumerate(table.values(boost.column)):
            if _boosted(table, row, boost, value):
                base[row] *= boost.factor
    return [float(weight) for weight in base]


def _boosted(table: _Rows, row: int, boost: Boost, value: object) -> bool:
    if boost.threshold is None:
        flag = _flag(value)
        if flag is None and value is not None:
            table.add(row, boost.column, value, _FLAG_HINT)
        return bool(flag)
    count = _count(value)
    if count is None and value is not None:
        table.add(row, boost.column, value, "expected a count (an integer >= 0)")
    return count is not None and count >= boost.threshold


def columns_from_pandas(frame: Any) -> dict[str, list[object]]:
    """Return ``{column: values}`` of a pandas DataFrame (NaN, None and NaT stay missing)."""
    return {str(name): frame[name].tolist() for name in frame.columns}


def columns_from_arrow(table: Any) -> dict[str, list[object]]:
    """Return ``{column: values}`` of a pyarrow Table.

    Parquet files are read by :func:`randsample.files.read_population`.
    """
    names = getattr(table, "column_names", None)
    if names is None:
        raise InvalidTypeError("table", table, "a pyarrow Table")
    return {str(name): table.column(name).to_pylist() for name in names}
