"""Building a population from a table: sequences, a CSV file, pandas or Arrow.

An inspection-object directory arrives as a table with named columns (often with Chinese
headers): an id, the credit-risk class, further stratification columns (industry, region...),
an optional size measure, risk flags (complaint, risk alert, abnormal-operation list) and an
eligibility flag. :func:`build_population` turns such columns into a validated
:class:`~randsample.Population`:

* the stratum of a unit is its values of ``strata_columns`` joined by ``|`` (``"C|餐饮"``);
* the credit class must be one of ``classes``;
* the weight (size measure) is the ``weight_column`` value (or 1) multiplied by the boost of
  every risk flag the unit carries, e.g. ``{"投诉": 2, "风险预警": 3}``: a unit with a
  complaint and an alert weighs 6 (used by the πps design; equal-probability designs ignore it);
* a missing value (``None``, ``""`` or NaN) is an error naming the row and column, unless a
  default is declared for that column in ``defaults``.

Readers (:func:`read_csv_columns`, :func:`columns_from_pandas`, :func:`columns_from_arrow`)
only turn a source into ``{column: values}``; all checking happens in one place.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError, InvalidTypeError
from ._population import IdScheme, Population

__all__ = [
    "CREDIT_CLASSES",
    "build_population",
    "columns_from_arrow",
    "columns_from_pandas",
    "read_csv_columns",
]

#: The credit-risk classes of the plan: A (low risk) ... D (high risk).
CREDIT_CLASSES = ("A", "B", "C", "D")
_TRUE = {"1", "true", "True", "TRUE", "是", "Y", "y"}
_FALSE = {"0", "false", "False", "FALSE", "否", "N", "n"}


def _missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


class _Columns:
    """Column access with defaults and row-and-column error messages."""

    def __init__(
        self, columns: Mapping[str, Sequence[object]], defaults: Mapping[str, object]
    ) -> None:
        lengths = {name: len(values) for name, values in columns.items()}
        if not lengths:
            raise InvalidInputError("columns", {}, "the table has no columns")
        if len(set(lengths.values())) != 1:
            raise InvalidInputError("columns", lengths, "all columns must have the same length")
        self.columns = columns
        self.defaults = defaults
        self.rows = next(iter(lengths.values()))
        for name in defaults:
            if name not in columns:
                raise InvalidInputError(
                    "defaults", name, f"is not a column (columns: {sorted(columns)})"
                )

    def get(self, name: str, parameter: str) -> list[object]:
        if name not in self.columns:
            raise InvalidInputError(
                parameter, name, f"names a column that is not in the table {sorted(self.columns)}"
            )
        out = []
        for row, value in enumerate(self.columns[name]):
            if not _missing(value):
                out.append(value)
            elif name in self.defaults:
                out.append(self.defaults[name])
            else:
                raise InvalidInputError(
                    f"row {row + 1}, column {name!r}",
                    value,
                    "is missing and no default is declared",
                )
        return out


def _flag(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value in _TRUE | _FALSE:
        return value in _TRUE
    raise InvalidInputError(where, value, "expected a yes/no flag (1/0, true/false, 是/否, Y/N)")


def _number(value: object, where: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value) if value == value.strip() else math.nan
        except ValueError:
            value = math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInputError(where, value, "expected a number")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise InvalidInputError(where, value, "expected a finite number >= 0")
    return number


def build_population(
    columns: Mapping[str, Sequence[object]],
    *,
    id_column: str = "id",
    class_column: str = "credit_class",
    strata_columns: Sequence[str] = ("credit_class",),
    classes: Sequence[str] = CREDIT_CLASSES,
    eligible_column: str | None = None,
    weight_column: str | None = None,
    risk_boosts: Mapping[str, object] | None = None,
    defaults: Mapping[str, object] | None = None,
    id_scheme: IdScheme = "opaque",
) -> Population:
    """Build a :class:`Population` from named columns; see the module docstring for the rules.

    >>> table = {"统一社会信用代码": ["E1", "E2", "E3"], "信用等级": ["A", "C", "C"],
    ...          "行业": ["餐饮", "餐饮", "药店"], "投诉": ["否", "是", "否"]}
    >>> pop = build_population(table, id_column="统一社会信用代码", class_column="信用等级",
    ...                        strata_columns=("信用等级", "行业"), risk_boosts={"投诉": 2})
    >>> pop.strata.tolist(), pop.weights.tolist()
    (['A|餐饮', 'C|餐饮', 'C|药店'], [1.0, 2.0, 1.0])
    """
    table = _Columns(columns, dict(defaults or {}))
    ids = table.get(id_column, "id_column")
    for row, value in enumerate(table.get(class_column, "class_column")):
        if value not in classes:
            raise InvalidInputError(
                f"row {row + 1}, column {class_column!r}",
                value,
                f"is not a credit class {tuple(classes)}",
            )
    if not strata_columns:
        raise InvalidInputError("strata_columns", strata_columns, "name at least one column")
    parts = [table.get(name, "strata_columns") for name in strata_columns]
    strata = ["|".join(str(p[row]) for p in parts) for row in range(table.rows)]
    eligible = None
    if eligible_column is not None:
        eligible = [
            _flag(v, f"row {r + 1}, column {eligible_column!r}")
            for r, v in enumerate(table.get(eligible_column, "eligible_column"))
        ]
    weights: list[float] | None = None
    if weight_column is not None or risk_boosts:
        base = (
            [
                _number(v, f"row {r + 1}, column {weight_column!r}")
                for r, v in enumerate(table.get(weight_column, "weight_column"))
            ]
            if weight_column is not None
            else [1.0] * table.rows
        )
        factor = [Fraction(1)] * table.rows
        for name, boost in (risk_boosts or {}).items():
            multiplier = _boost(boost, name)
            for row, value in enumerate(table.get(name, "risk_boosts")):
                if _flag(value, f"row {row + 1}, column {name!r}"):
                    factor[row] *= multiplier
        weights = [float(Fraction(b) * f) for b, f in zip(base, factor, strict=True)]
    return Population.from_columns(
        ids, strata=strata, eligible=eligible, weights=weights, id_scheme=id_scheme
    )


def _boost(value: object, name: str) -> Fraction:
    field = f"risk_boosts[{name!r}]"
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        raise InvalidTypeError(field, value, "a number >= 1")
    try:  # a float is read as the decimal it prints as, like a rate
        boost = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    except ValueError:
        raise InvalidInputError(field, value, "expected a number >= 1") from None
    if boost < 1:
        raise InvalidInputError(field, value, "expected a number >= 1")
    return boost


def read_csv_columns(path: str | Path, *, encoding: str = "utf-8-sig") -> dict[str, list[str]]:
    """Read a CSV file (UTF-8, optional BOM; Chinese headers welcome) into ``{header: values}``.

    Every value stays a string; an empty cell is a missing value for :func:`build_population`.
    """
    with Path(path).open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader, None)
        if not header:
            raise InvalidInputError(str(path), header, "has no header row")
        duplicates = sorted({h for h in header if header.count(h) > 1})
        if duplicates:
            raise InvalidInputError(f"{path}: header", duplicates, "has duplicate column names")
        columns: dict[str, list[str]] = {name: [] for name in header}
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise InvalidInputError(f"{path}:{line}", row, f"expected {len(header)} columns")
            for name, value in zip(header, row, strict=True):
                columns[name].append(value)
    return columns


def columns_from_pandas(frame: Any) -> dict[str, list[object]]:
    """Return ``{column: values}`` of a pandas DataFrame (NaN and None stay missing)."""
    return {str(name): frame[name].tolist() for name in frame.columns}


def columns_from_arrow(table: Any) -> dict[str, list[object]]:
    """Return ``{column: values}`` of a pyarrow Table.

    Parquet files are read by :func:`randsample.files.read_population`.
    """
    names = getattr(table, "column_names", None)
    if names is None:
        raise InvalidTypeError("table", table, "a pyarrow Table")
    return {str(name): table.column(name).to_pylist() for name in names}
