"""Tables from CSV (any of the usual encodings), spreadsheets, Parquet and SQL databases.

Every reader returns a :class:`Table`: the columns as read (``{header: values}``), one label
per row and the place the header came from, so that a problem found later (by
:func:`randsample.population.build_population` or the roster and history readers) names the
row the way its source does. **One convention everywhere:**

* CSV: ``file:line``, the line of the file where the row starts (the header is line 1);
* a spreadsheet (``.xlsx``): ``file[sheet]:row``, the sheet's row number (the header is row 1);
* Parquet: ``file: row N``, counting data rows from 1;
* a database table: ``table[key=value]``, the row's key (the mapped id column, normally the
  primary key), or ``table: row N`` in the order read when no key is given.

A CSV file is decoded whole with an explicit ``encoding`` (``utf-8``, which also skips a BOM,
``utf-8-sig``, ``gbk``, ``gb18030``; any Python codec name works); a byte that does not
decode is an error naming the line and the encoding the file most likely is. Every value
stays text; an empty cell is a missing value. A row without any value (a blank line, an empty
spreadsheet row) carries nothing and is skipped; a row with more or fewer fields than the
header is an error, and every such row is reported at once.

Spreadsheets need the optional ``openpyxl`` (``pip install "randsample[xlsx]"``): it reads and
writes ``.xlsx`` (the 公示 list is written with it too), is pure Python and maintained. Cells
keep their spreadsheet types (text, numbers, dates as ``datetime``); formulas are read as their
last computed values.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import InvalidInputError, InvalidRowsError, InvalidTypeError, RowProblem, require
from ..population import ColumnMapping, Population, build_population, columns_from_arrow
from ._csv import decode
from ._sql import Connection, open_database, quote, read_rows

__all__ = ["Table", "read_sql_table", "read_table"]


@attrs.frozen(eq=False)
class Table:
    """A table as read: its columns, a label per row (the file line, sheet row or key).

    >>> table = Table("t", "t: columns", {"id": ["a", "b"]}, ("t:2", "t:3"))
    >>> table
    Table('t', 2 rows, columns ['id'])
    """

    source: str
    header: str
    columns: Mapping[str, list[Any]]
    rows: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"Table({self.source!r}, {len(self)} rows, columns {list(self.columns)})"

    def column(self, name: str) -> list[Any]:
        """Return the values of column ``name``; an unknown name is an error listing them."""
        if name not in self.columns:
            raise InvalidInputError(
                self.header, name, f"is not a column (columns: {sorted(self.columns)})"
            )
        return self.columns[name]

    def population(self, mapping: ColumnMapping | None = None, **options: Any) -> Population:
        """Build the population with ``mapping`` (or its fields as keywords).

        See :func:`randsample.population.build_population`; bad rows are named by this
        table's row labels.
        """
        return build_population(
            self.columns,
            mapping,
            rows=self.rows,
            header=self.header,
            source=self.source,
            **options,
        )

    def names(self, mapping: ColumnMapping) -> dict[str, str]:
        """Return id -> name from the mapping's ``id_column`` and ``name_column``."""
        if mapping.name_column is None:
            raise InvalidInputError("name_column", None, "the mapping names no name column")
        ids, names = self.column(mapping.id_column), self.column(mapping.name_column)
        problems = [
            RowProblem(row, mapping.name_column, name, "expected a name")
            for row, name in zip(self.rows, names, strict=True)
            if not isinstance(name, str) or not name.strip()
        ]
        if problems:
            raise InvalidRowsError(self.source, problems)
        return {str(i): str(n) for i, n in zip(ids, names, strict=True)}


def read_table(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    r"""Read a table from ``path``: ``.xlsx`` (a sheet), ``.parquet``, else CSV.

    Parameters
    ----------
    path
        The file. Its suffix picks the reader.
    encoding
        CSV only: ``utf-8`` (the default; a BOM is skipped), ``utf-8-sig``, ``gbk``,
        ``gb18030`` or any Python codec.
    sheet
        ``.xlsx`` only: the sheet's name (default: the first sheet).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "企业.csv")
    ...     with open(path, "w", encoding="gbk", newline="") as f:
    ...         _ = f.write("统一社会信用代码,企业名称\nE1,清河县甲食品有限公司\n\nE2,乙店\n")
    ...     table = read_table(path, encoding="gbk")
    >>> table.rows[1].rsplit(":", 1)[1], table.column("企业名称")
    ('4', ['清河县甲食品有限公司', '乙店'])
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if encoding is not None:
            raise InvalidInputError("encoding", encoding, "applies to CSV files only")
        return _read_xlsx(path, sheet)
    if sheet is not None:
        raise InvalidInputError("sheet", sheet, "applies to .xlsx files only")
    if suffix == ".parquet":
        if encoding is not None:
            raise InvalidInputError("encoding", encoding, "applies to CSV files only")
        return _read_parquet_table(path)
    return _read_csv(path, encoding or "utf-8")


def _header(cells: Sequence[object], where: str) -> list[str]:
    names = list(cells)
    if not names or all(name in (None, "") for name in names):
        raise InvalidInputError(where, names, "has no header row")
    for name in names:
        if not isinstance(name, str) or not name:
            raise InvalidInputError(where, name, "every column needs a name (text)")
    duplicates = sorted({str(name) for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInputError(where, duplicates, "has duplicate column names")
    return names  # type: ignore[return-value]  # all str, checked just above


def _read_csv(path: str | Path, encoding: str) -> Table:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInputError("encoding", encoding, "is not a known text encoding") from None
    data = Path(path).read_bytes()
    if codec == "utf-8":  # an optional BOM is skipped
        data = data.removeprefix(codecs.BOM_UTF8)
    text = decode(data, path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = _header(next(reader, []), f"{path}:1")
        columns: dict[str, list[Any]] = {name: [] for name in header}
        labels: list[str] = []
        problems: list[RowProblem] = []
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(row):
                continue  # a blank line or a row of empty fields: nothing to read
            if len(row) != len(header):
                problems.append(
                    RowProblem(
                        f"{path}:{line}",
                        "",
                        row,
                        f"has {len(row)} fields, the header {len(header)}",
                    )
                )
                continue
            labels.append(f"{path}:{line}")
            for name, value in zip(header, row, strict=True):
                columns[name].append(value)
    except csv.Error as exc:
        raise InvalidInputError(f"{path}:{reader.line_num}", str(exc), "is not valid CSV") from None
    if problems:
        raise InvalidRowsError(str(path), problems)
    return Table(str(path), f"{path}:1", columns, tuple(labels))


def _open_workbook(path: str | Path) -> Any:
    openpyxl = require("openpyxl", feature="reading .xlsx spreadsheets", extra="xlsx")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, openpyxl's InvalidFileException
        if not isinstance(exc, (OSError, zipfile.BadZipFile, KeyError, ValueError)) and (
            type(exc).__name__ != "InvalidFileException"
        ):
            raise
        raise InvalidInputError(
            str(path), type(exc).__name__, f"is not an .xlsx file ({exc})"
        ) from None


def _read_xlsx(path: str | Path, sheet: str | None) -> Table:
    book = _open_workbook(path)
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise InvalidInputError("sheet", sheet, f"is not a sheet of {path} {book.sheetnames}")
        where = f"{path}[{worksheet.title}]"
        rows = worksheet.iter_rows(values_only=True)
        first = list(next(rows, ()))
        while first and first[-1] is None:
            first.pop()
        header = _header(first, f"{where}:1")
        columns: dict[str, list[Any]] = {name: [] for name in header}
        labels: list[str] = []
        problems: list[RowProblem] = []
        for number, cells in enumerate(rows, start=2):
            if all(cell is None or cell == "" for cell in cells):
                continue
            extra = [cell for cell in cells[len(header) :] if cell is not None]
            if extra:
                problems.append(
                    RowProblem(f"{where}:{number}", "", extra, "has values beyond the header")
                )
                continue
            labels.append(f"{where}:{number}")
            padded = list(cells) + [None] * (len(header) - len(cells))
            for name, value in zip(header, padded, strict=True):
                columns[name].append(value)
    finally:
        book.close()
    if problems:
        raise InvalidRowsError(str(path), problems)
    return Table(str(path), f"{where}:1", columns, tuple(labels))


def _read_parquet_table(path: str | Path) -> Table:
    from ._population import _read_parquet

    columns = columns_from_arrow(_read_parquet(path))
    count = len(next(iter(columns.values()), []))
    rows = tuple(f"{path}: row {index + 1}" for index in range(count))
    return Table(str(path), f"{path}: columns", columns, rows)


def read_sql_table(
    database: Connection | str,
    table: str | None = None,
    *,
    query: str | None = None,
    key: str | None = None,
) -> Table:
    """Read a database table (or the result of a query) through a DB-API connection.

    Parameters
    ----------
    database
        An open DB-API 2 connection (``sqlite3.connect(...)``, psycopg, ...) or a URL:
        ``sqlite:///file.db`` opens SQLite with the standard library, any other URL needs
        SQLAlchemy (``pip install "randsample[sql]"``).
    table
        The table to read (every column, every row), or None with ``query``.
    query
        A ``SELECT`` to read instead of a table.
    key
        The column that labels rows in messages (the primary key, e.g. the credit code); rows
        are then read in its order.

    Examples
    --------
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE 企业 (代码 TEXT PRIMARY KEY, 分类 TEXT)")
    >>> _ = db.executemany("INSERT INTO 企业 VALUES (?, ?)", [("E2", "B"), ("E1", "A")])
    >>> table = read_sql_table(db, "企业", key="代码")
    >>> table.rows, table.column("分类")
    (("企业[代码='E1']", "企业[代码='E2']"), ['A', 'B'])
    """
    if (table is None) == (query is None):
        raise InvalidInputError("table", table, "give a table name or a query (one of them)")
    if query is not None and not isinstance(query, str):
        raise InvalidTypeError("query", query, "SQL text")
    source = "query" if table is None else table
    if table is not None:
        sql = f"SELECT * FROM {quote(table)}"  # noqa: S608  # a quoted identifier
        if key is not None:
            sql += f" ORDER BY {quote(key)}"
    else:
        sql = str(query)
    connection = open_database(database)
    try:
        names, records = read_rows(connection, sql, source)
    finally:
        if isinstance(database, str):  # opened here from its URL
            connection.close()
    header = _header(names, f"{source}: columns")
    columns: dict[str, list[Any]] = {name: [] for name in header}
    for record in records:
        for name, value in zip(header, record, strict=True):
            columns[name].append(value)
    if key is None:
        rows = tuple(f"{source}: row {index + 1}" for index in range(len(records)))
    else:
        if key not in columns:
            raise InvalidInputError("key", key, f"is not a column of {source} {header}")
        rows = tuple(f"{source}[{key}={value!r}]" for value in columns[key])
    return Table(source, f"{source}: columns", columns, rows)
