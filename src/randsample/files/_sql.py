"""SQL databases through the standard DB-API 2 interface: read tables, write results back.

Any DB-API 2 connection works (``sqlite3`` from the standard library, psycopg, pymysql, an
SQLAlchemy engine's ``raw_connection()``); a URL is opened by :func:`open_database`
(``sqlite:///file.db`` with the standard library, any other URL with SQLAlchemy, the optional
``sql`` extra). Table and column names are quoted with double quotes, as standard SQL (SQLite,
PostgreSQL, Oracle, SQL Server; MySQL with ``ANSI_QUOTES``).

:func:`write_tables` writes draws, teams and the 公示 list back **in one transaction**: every
row or none (with SQLite and PostgreSQL, the ``CREATE TABLE`` statements are inside it too;
MySQL commits DDL on its own). The tables, created when missing (the prefix ``randsample_``
can be changed), are:

``randsample_records``: every sealed record
    ``record_digest`` TEXT primary key, ``record_format`` TEXT, ``record_id`` TEXT (the draw,
    assignment or replaced unit's id), ``authority`` TEXT, ``timestamp`` TEXT (UTC
    ``YYYY-MM-DDTHH:MM:SSZ``), ``previous_record_digest`` TEXT (NULL when none),
    ``record_json`` TEXT (the record's canonical JSON: what is published and verified).
``randsample_selection``: the enterprises of every draw record
    ``record_digest`` TEXT, ``draw_id`` TEXT, ``enterprise_id`` TEXT, ``stratum`` TEXT,
    ``rank`` INTEGER, ``ticket`` TEXT (hex), ``inclusion_probability`` TEXT (an exact
    fraction such as ``2/5``); primary key (``record_digest``, ``enterprise_id``).
``randsample_teams``: the members of every team of every assignment record
    ``record_digest`` TEXT, ``assignment_id`` TEXT, ``visit_id`` TEXT, ``department`` TEXT,
    ``inspector_id`` TEXT; primary key (``record_digest``, ``visit_id``, ``inspector_id``).
``randsample_publication``: the 公示 list, one row per drawn enterprise
    ``draw_id`` TEXT, ``seq`` INTEGER, then the text columns of
    :data:`randsample.files.PUBLICATION_COLUMNS` (``task_name``, ``enterprise_id``,
    ``enterprise_name``, ``draw_date``, ``inspectors``, ``departments``, ``authority``,
    ``items``, ``visit_date``); primary key (``draw_id``, ``seq``).

Writing a record that is already there violates the primary key: the database refuses, the
transaction is rolled back and the error says so; nothing is overwritten.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from ..core import check_id
from ..errors import InvalidInputError, InvalidTypeError, require
from ..records import SealedRecord, load
from ._publication import PUBLICATION_COLUMNS, Publication

__all__ = ["Connection", "open_database", "quote", "read_rows", "write_tables"]

#: A DB-API 2 connection (``cursor()``, ``commit()``, ``rollback()``).
Connection = Any

_TEXT, _INTEGER = "TEXT", "INTEGER"
_SCHEMAS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "records": (
        (
            ("record_digest", _TEXT),
            ("record_format", _TEXT),
            ("record_id", _TEXT),
            ("authority", _TEXT),
            ("timestamp", _TEXT),
            ("previous_record_digest", _TEXT),
            ("record_json", _TEXT),
        ),
        ("record_digest",),
    ),
    "selection": (
        (
            ("record_digest", _TEXT),
            ("draw_id", _TEXT),
            ("enterprise_id", _TEXT),
            ("stratum", _TEXT),
            ("rank", _INTEGER),
            ("ticket", _TEXT),
            ("inclusion_probability", _TEXT),
        ),
        ("record_digest", "enterprise_id"),
    ),
    "teams": (
        (
            ("record_digest", _TEXT),
            ("assignment_id", _TEXT),
            ("visit_id", _TEXT),
            ("department", _TEXT),
            ("inspector_id", _TEXT),
        ),
        ("record_digest", "visit_id", "inspector_id"),
    ),
    "publication": (
        (
            ("draw_id", _TEXT),
            ("seq", _INTEGER),
            *((key, _TEXT) for key, _ in PUBLICATION_COLUMNS if key not in ("draw_id", "seq")),
        ),
        ("draw_id", "seq"),
    ),
}


def open_database(database: Connection | str) -> Connection:
    """Return a DB-API connection: ``database`` itself, or one opened from its URL.

    >>> open_database("sqlite:///:memory:").execute("SELECT 1").fetchone()
    (1,)
    """
    if isinstance(database, str):
        if database.startswith("sqlite:///"):
            return sqlite3.connect(database[len("sqlite:///") :])
        if "://" not in database:
            raise InvalidInputError(
                "database", database, "expected a URL such as sqlite:///bureau.db"
            )
        sqlalchemy = require("sqlalchemy", feature="opening a database by URL", extra="sql")
        try:
            return sqlalchemy.create_engine(database).raw_connection()
        except (sqlalchemy.exc.SQLAlchemyError, ImportError, ValueError) as exc:
            raise InvalidInputError("database", database, f"cannot be opened ({exc})") from None
    if not callable(getattr(database, "cursor", None)):
        raise InvalidTypeError("database", database, "a DB-API connection or a database URL")
    return database


def quote(name: str) -> str:
    """Return ``name`` quoted as an SQL identifier (``"name"``, inner quotes doubled).

    >>> print(quote('企业名录'), quote('a"b'))
    "企业名录" "a""b"
    """
    check_id(name, field="table or column name")
    return '"' + name.replace('"', '""') + '"'


def _driver(connection: Connection) -> Any:
    # An SQLAlchemy pool proxy wraps the driver's connection.
    return getattr(connection, "dbapi_connection", None) or connection


def _module_attribute(connection: Connection, name: str) -> Any:
    raw = _driver(connection)
    parts = type(raw).__module__.split(".")
    for end in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:end]))
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    return None


def _errors(connection: Connection) -> tuple[type[BaseException], ...]:
    """Return the driver's DB-API ``Error`` class (its errors become typed errors)."""
    error = getattr(_driver(connection), "Error", None) or _module_attribute(connection, "Error")
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def _placeholders(connection: Connection, count: int) -> str:
    style = _module_attribute(connection, "paramstyle") or "qmark"
    if style == "qmark":
        marks = ["?"] * count
    elif style in ("format", "pyformat"):
        marks = ["%s"] * count
    elif style == "numeric":
        marks = [f":{index + 1}" for index in range(count)]
    else:  # named
        marks = [f":p{index}" for index in range(count)]
    return ", ".join(marks)


def _parameters(connection: Connection, row: Sequence[object]) -> Any:
    if _module_attribute(connection, "paramstyle") == "named":
        return {f"p{index}": value for index, value in enumerate(row)}
    return tuple(row)


def read_rows(
    connection: Connection, sql: str, source: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run ``sql`` and return the column names and every row; a driver error is typed."""
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        names = [str(column[0]) for column in cursor.description or ()]
        rows = [tuple(row) for row in cursor.fetchall()]
        cursor.close()
    except _errors(connection) as exc:
        raise InvalidInputError(source, sql, f"cannot be read ({exc})") from None
    return names, rows


def _record_rows(records: Iterable[object]) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _SCHEMAS}
    for index, item in enumerate(records):
        record: SealedRecord = load(item, field=f"records[{index}]")
        content = record.content
        digest = record.record_digest
        kind = content["record_format"]
        if "draw_id" in content:
            record_id = content["draw_id"]
            rows["selection"] += [
                (
                    digest,
                    record_id,
                    unit["id"],
                    unit["stratum"],
                    unit["rank"],
                    unit["ticket"],
                    unit["inclusion_probability"],
                )
                for unit in content["selection"]
            ]
        elif "assignment_id" in content:
            record_id = content["assignment_id"]
            rows["teams"] += [
                (digest, record_id, team["visit_id"], member["department"], inspector)
                for team in content["teams"]
                for member in team["members"]
                for inspector in member["inspector_ids"]
            ]
        else:
            record_id = content["replaced"]["id"]
        rows["records"].append(
            (
                digest,
                kind,
                record_id,
                content["authority"],
                content["timestamp"],
                content["previous_record_digest"],
                record.to_json(),
            )
        )
    return rows


def write_tables(
    database: Connection | str,
    *,
    records: Iterable[SealedRecord | str] = (),
    publication: Publication | None = None,
    prefix: str = "randsample_",
) -> dict[str, int]:
    """Write records (draws, teams, replacements) and a 公示 list as tables, in one transaction.

    The tables and their columns are listed in the module docstring. Returns the number of
    rows written per table.

    Examples
    --------
    >>> import sqlite3
    >>> from randsample.examples import demo_population, demo_seed, demo_sizes
    >>> from randsample import draw_stratified, make_record
    >>> population = demo_population(size=200)
    >>> sample = draw_stratified(population, demo_sizes(population), demo_seed())
    >>> record = make_record(sample, authority="AMR", draw_id="d-1",
    ...                      timestamp="2026-11-27T02:00:00Z")
    >>> db = sqlite3.connect(":memory:")
    >>> write_tables(db, records=[record])
    {'randsample_records': 1, 'randsample_selection': 13}
    >>> db.execute("SELECT draw_id, count(*) FROM randsample_selection").fetchone()
    ('d-1', 13)
    """
    check_id(prefix, field="prefix")
    rows = _record_rows(records)
    if publication is not None:
        if not isinstance(publication, Publication):
            raise InvalidTypeError("publication", publication, "a Publication")
        keys = [key for key, _ in _SCHEMAS["publication"][0]]
        rows["publication"] = [tuple(row[key] for key in keys) for row in publication.to_rows()]
    wanted = {name: data for name, data in rows.items() if data}
    connection = open_database(database)
    errors = _errors(connection)
    try:
        if isinstance(connection, sqlite3.Connection) and not connection.in_transaction:
            connection.execute("BEGIN")  # so that CREATE TABLE is inside the transaction too
        cursor = connection.cursor()
        for name, data in wanted.items():
            columns, key = _SCHEMAS[name]
            table = quote(prefix + name)
            definition = ", ".join(f"{quote(column)} {kind}" for column, kind in columns)
            primary = ", ".join(quote(column) for column in key)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table} ({definition}, PRIMARY KEY ({primary}))"
            )
            names = ", ".join(quote(column) for column, _ in columns)
            marks = _placeholders(connection, len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608  # names quoted
                [_parameters(connection, row) for row in data],
            )
        connection.commit()
    except BaseException as exc:
        connection.rollback()
        if errors and isinstance(exc, errors):
            raise InvalidInputError(
                "database", prefix + "*", f"refused the write; nothing was written ({exc})"
            ) from None
        raise
    finally:
        if isinstance(database, str):  # opened here from its URL
            connection.close()
    return {prefix + name: len(data) for name, data in wanted.items()}
