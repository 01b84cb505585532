"""Results written back to a database: the documented tables, in one transaction."""

from __future__ import annotations

import datetime
import json
import sqlite3
import types

import pytest

from randsample import draw_stratified, make_record, read_record
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.examples import demo_population, demo_seed, demo_sizes
from randsample.files import make_publication, open_database, write_tables
from randsample.files._sql import _placeholders
from tests.files.helpers import food_teams

POPULATION = demo_population(size=200)
SAMPLE = draw_stratified(POPULATION, demo_sizes(POPULATION), demo_seed())
RECORD = make_record(SAMPLE, authority="AMR", draw_id="d-1", timestamp="2026-11-27T02:00:00Z")
SECOND = make_record(
    SAMPLE, authority="AMR", draw_id="d-2", timestamp="2026-11-28T02:00:00Z", previous=RECORD
)
NAMES = {ident: f"企业{n}" for n, ident in enumerate(POPULATION.ids.tolist())}


def _count(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_records_selection_and_publication_tables():
    """A draw record becomes a records row (its JSON re-reads as the record) and one selection
    row per unit; the 公示 list becomes the publication table."""
    db = sqlite3.connect(":memory:")
    written = write_tables(db, records=[RECORD], publication=make_publication(RECORD, names=NAMES))
    n = len(SAMPLE.selection)
    assert {
        "randsample_records": 1,
        "randsample_selection": n,
        "randsample_publication": n,
    } == written
    (text,) = db.execute("SELECT record_json FROM randsample_records").fetchone()
    assert RECORD.record_digest == read_record(text).record_digest
    first = SAMPLE.selection[0]
    row = db.execute(
        "SELECT stratum, rank, inclusion_probability FROM randsample_selection"
        " WHERE enterprise_id = ?",
        (first.id,),
    ).fetchone()
    assert (
        first.stratum,
        first.rank,
        f"{first.inclusion_probability.numerator}/{first.inclusion_probability.denominator}",
    ) == row
    assert (
        NAMES[first.id]
        == db.execute(
            "SELECT enterprise_name FROM randsample_publication WHERE seq = 1"
        ).fetchone()[0]
    )


def test_a_failed_write_leaves_nothing():
    """Writing a record again violates the primary key: the whole batch (including a new
    record and the CREATE TABLE of a new table) is rolled back, and the error is typed."""
    db = sqlite3.connect(":memory:")
    write_tables(db, records=[RECORD])
    with pytest.raises(InvalidInputError, match="nothing was written"):
        write_tables(
            db, records=[SECOND, RECORD], publication=make_publication(SECOND, names=NAMES)
        )
    assert 1 == _count(db, "randsample_records")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "randsample_publication" not in tables
    write_tables(db, records=[SECOND])  # the database is usable afterwards
    assert 2 == _count(db, "randsample_records")


def test_assignment_records_fill_the_teams_table():
    """Every member of every team is one row, with its department."""
    visits, teams = food_teams(
        RECORD,
        date=datetime.date(2026, 12, 1),
        authority="AMR",
        assignment_id="a-1",
        timestamp="2026-11-27T03:00:00Z",
        previous=RECORD,
    )
    db = sqlite3.connect(":memory:")
    written = write_tables(db, records=[RECORD, teams.to_json()], prefix="qh_")
    assert 2 * len(visits) == written["qh_teams"]
    kinds = dict(db.execute("SELECT record_id, record_format FROM qh_records").fetchall())
    assert "randsample.assignment-record/1" == kinds["a-1"]
    (previous,) = db.execute(
        "SELECT previous_record_digest FROM qh_records WHERE record_id = 'a-1'"
    ).fetchone()
    assert RECORD.record_digest == previous


def test_sqlite_url_is_opened_and_closed(tmp_path):
    """A sqlite:/// URL is written to and closed by write_tables itself."""
    path = tmp_path / "bureau.db"
    write_tables(f"sqlite:///{path}", records=[RECORD])
    db = sqlite3.connect(path)
    assert 1 == _count(db, "randsample_records")


def test_bad_arguments():
    """Wrong kinds and a bad prefix are typed errors; nothing is opened for them."""
    with pytest.raises(InvalidTypeError):
        write_tables(sqlite3.connect(":memory:"), records=[42])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="Publication"):
        write_tables(sqlite3.connect(":memory:"), publication="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="prefix"):
        write_tables(sqlite3.connect(":memory:"), prefix=" x")
    pytest.importorskip("sqlalchemy")
    with pytest.raises(InvalidInputError, match="cannot be opened"):
        open_database("nosuchdialect://x")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("qmark", "?, ?"),
        ("format", "%s, %s"),
        ("pyformat", "%s, %s"),
        ("numeric", ":1, :2"),
        ("named", ":p0, :p1"),
    ],
)
def test_placeholders_follow_the_driver_paramstyle(style, expected, monkeypatch):
    """The placeholders are those of the driver's declared DB-API paramstyle."""
    module = types.ModuleType("fakedriver")
    module.paramstyle = style  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fakedriver", module)
    connection_type = type(
        "Connection", (), {"__module__": "fakedriver", "cursor": lambda self: None}
    )
    assert expected == _placeholders(connection_type(), 2)


def test_record_json_is_the_published_text():
    """The stored JSON is the record's canonical text, byte for byte."""
    db = sqlite3.connect(":memory:")
    write_tables(db, records=[RECORD.to_json()])
    (text,) = db.execute("SELECT record_json FROM randsample_records").fetchone()
    assert RECORD.to_json() == text
    assert "d-1" == json.loads(text)["draw_id"]
