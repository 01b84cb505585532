"""Tables from CSV (any encoding), .xlsx, Parquet and SQL: one row-naming convention, every bad
row at once, typed errors only."""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randsample.errors import InvalidInputError, InvalidRowsError, RandsampleError
from randsample.files import Table, read_sql_table, read_table
from randsample.population import ColumnMapping

HEADER = "统一社会信用代码,企业名称,信用风险分类,登记状态"
ROWS = [
    ("QH-01", "清河县甲食品有限公司", "A", "存续"),
    ("QH-02", "清河县乙餐饮店", "B", "在业"),
    ("QH-03", "清河县丙超市", "C", "注销"),
]
TEXT = HEADER + "\n" + "".join(",".join(row) + "\n" for row in ROWS)
MAPPING = ColumnMapping(
    id_column="统一社会信用代码",
    class_column="信用风险分类",
    eligible_column="登记状态",
    eligible_values=("存续", "在业"),
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_documented_encoding(tmp_path: Path, encoding: str):
    """The same table written in UTF-8 (with or without a BOM), GBK or GB18030 reads the same
    when its encoding is given."""
    path = tmp_path / "企业.csv"
    path.write_bytes(TEXT.encode(encoding))
    table = read_table(path, encoding=encoding)
    assert [r[1] for r in ROWS] == table.column("企业名称")
    assert [True, True, False] == table.population(MAPPING).eligible.tolist()


def test_utf8_reads_a_bom(tmp_path: Path):
    """utf-8 (the default) skips a BOM, so the first header is not '\\ufeff统一社会信用代码'."""
    path = tmp_path / "p.csv"
    path.write_bytes(TEXT.encode("utf-8-sig"))
    assert "统一社会信用代码" == next(iter(read_table(path).columns))


def test_undecodable_file_names_line_and_suggests_the_encoding(tmp_path: Path):
    """A GBK file read as UTF-8 is an error naming the file line and suggesting GB18030."""
    path = tmp_path / "gbk.csv"
    path.write_bytes(("id,class\nE1,A\nE2,B\n" + "E3,中\n").encode("gbk"))
    with pytest.raises(InvalidInputError, match=r"gbk\.csv:4.*encoding='gb18030'"):
        read_table(path)
    with pytest.raises(InvalidInputError, match="not a known text encoding"):
        read_table(path, encoding="no-such-codec")


def test_rows_are_named_by_file_line(tmp_path: Path):
    """Row labels are file lines (header = line 1): a quoted field over two lines and a blank
    line keep later rows on their own line numbers."""
    path = tmp_path / "t.csv"
    path.write_text('id,name\nE1,"two\nlines"\n\nE2,b\n', encoding="utf-8")
    table = read_table(path)
    assert (f"{path}:2", f"{path}:5") == table.rows
    assert ["two\nlines", "b"] == table.column("name")


def test_every_ragged_row_is_reported(tmp_path: Path):
    """Rows with too few or too many fields are all listed, by line, in one error."""
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1\n2,3\n4,5,6\n", encoding="utf-8")
    with pytest.raises(InvalidRowsError) as caught:
        read_table(path)
    assert [f"{path}:2", f"{path}:4"] == [p.row for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no header"),
        ("a,a\n1,2\n", "duplicate"),
        ("a,\n1,2\n", "needs a name"),
        ('a,b\n"x"y,1\n', "not valid CSV"),
    ],
)
def test_bad_csv_structure(tmp_path: Path, text: str, fragment: str):
    """No header, duplicate or empty column names and broken quoting are typed errors."""
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=fragment):
        read_table(path)


def test_unmapped_column_names_the_header_line(tmp_path: Path):
    """A mapped column the file lacks is an error at line 1 listing the columns it has."""
    path = tmp_path / "p.csv"
    path.write_text(TEXT, encoding="utf-8")
    mapping = ColumnMapping(id_column="代码", class_column="信用风险分类")
    with pytest.raises(InvalidInputError, match=r"p\.csv:1: id_column: .*columns: \[") as caught:
        read_table(path).population(mapping)
    assert "代码" == caught.value.value


def test_options_that_do_not_apply_are_refused(tmp_path: Path):
    """An encoding for a spreadsheet, or a sheet for a CSV, is a mistake, not ignored."""
    with pytest.raises(InvalidInputError, match="CSV files only"):
        read_table(tmp_path / "a.xlsx", encoding="gbk")
    with pytest.raises(InvalidInputError, match="CSV files only"):
        read_table(tmp_path / "a.parquet", encoding="gbk")
    with pytest.raises(InvalidInputError, match=r"\.xlsx files only"):
        read_table(tmp_path / "a.csv", sheet="Sheet1")


def _workbook(path: Path, rows: list[list[object]], title: str = "名录") -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.create_sheet("其他")
    book.save(path)


def test_xlsx_rows_are_sheet_rows(tmp_path: Path):
    """An .xlsx sheet reads with its cell types; rows are labelled file[sheet]:row; an empty
    row is skipped; a date cell is a datetime that to_date accepts."""
    path = tmp_path / "名录.xlsx"
    rows: list[list[object]] = [
        ["代码", "分类", "成立日期", "投诉次数"],
        ["E1", "A", datetime.datetime(2015, 3, 4), 0],
        [None, None, None, None],
        ["E2", "B", datetime.datetime(2018, 6, 1), 3],
    ]
    _workbook(path, rows)
    table = read_table(path)
    assert (f"{path}[名录]:2", f"{path}[名录]:4") == table.rows
    assert [0, 3] == table.column("投诉次数")
    with pytest.raises(InvalidInputError, match="not a sheet"):
        read_table(path, sheet="nope")
    with pytest.raises(InvalidInputError, match=r"\[其他\]:1.*no header"):
        read_table(path, sheet="其他")


def test_xlsx_numeric_id_is_a_row_problem(tmp_path: Path):
    """An id typed as a number in a spreadsheet is reported by its sheet row, not converted."""
    path = tmp_path / "n.xlsx"
    _workbook(path, [["id", "credit_class"], [913501, "A"], ["E2", "B"]])
    with pytest.raises(InvalidRowsError) as caught:
        read_table(path).population()
    assert [f"{path}[名录]:2"] == [p.row for p in caught.value.problems]


def test_not_an_xlsx_file(tmp_path: Path):
    """A file that is not a workbook is a typed error naming it."""
    pytest.importorskip("openpyxl")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InvalidInputError, match=r"fake\.xlsx.*not an \.xlsx"):
        read_table(path)


def test_parquet_rows(tmp_path: Path):
    """A Parquet file reads its columns; rows are counted from 1."""
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "p.parquet"
    parquet.write_table(pa.table({"id": ["a", "b"], "credit_class": ["A", "E"]}), path)
    with pytest.raises(InvalidRowsError, match=r"p\.parquet: row 2"):
        read_table(path).population()


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE 企业 (统一社会信用代码 TEXT PRIMARY KEY, 信用风险分类 TEXT, 登记状态 TEXT)"
    )
    db.executemany(
        "INSERT INTO 企业 VALUES (?, ?, ?)", [("QH-02", "B", "歇业"), ("QH-01", "A", "存续")]
    )
    return db


def test_sql_rows_are_named_by_key():
    """Database rows are labelled table[key=value], read in key order."""
    db = _database()
    mapping = ColumnMapping(
        id_column="统一社会信用代码",
        class_column="信用风险分类",
        eligible_column="登记状态",
        eligible_values=["存续"],
    )
    with pytest.raises(InvalidRowsError) as caught:
        read_sql_table(db, "企业", key="统一社会信用代码").population(mapping)
    assert ["企业[统一社会信用代码='QH-02']"] == [p.row for p in caught.value.problems]
    query = read_sql_table(db, query="SELECT 统一社会信用代码 FROM 企业 WHERE 信用风险分类 = 'A'")
    assert (["QH-01"], ("query: row 1",)) == (query.column("统一社会信用代码"), query.rows)


def test_sql_errors_are_typed(tmp_path: Path):
    """A missing table, a bad key, table and query together, and a non-connection are typed."""
    db = _database()
    with pytest.raises(InvalidInputError, match="cannot be read"):
        read_sql_table(db, "no_such_table")
    with pytest.raises(InvalidInputError, match="not a column"):
        read_sql_table(db, "企业", query=None, key=None).column("x")
    with pytest.raises(InvalidInputError, match="one of them"):
        read_sql_table(db, "企业", query="SELECT 1")
    with pytest.raises(RandsampleError, match="DB-API connection"):
        read_sql_table(object(), "企业")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="URL"):
        read_sql_table("bureau.db", "企业")


def test_sqlite_url_opens_with_the_standard_library(tmp_path: Path):
    """sqlite:///file.db is opened (and closed) by the reader itself."""
    path = tmp_path / "b.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (id TEXT)")
    db.execute("INSERT INTO t VALUES ('x')")
    db.commit()
    db.close()
    assert ["x"] == read_sql_table(f"sqlite:///{path}", "t").column("id")


def test_sqlalchemy_url(tmp_path: Path):
    """Any other URL goes through SQLAlchemy (the optional sql extra)."""
    pytest.importorskip("sqlalchemy")
    path = tmp_path / "c.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (id TEXT)")
    db.execute("INSERT INTO t VALUES ('y')")
    db.commit()
    db.close()
    assert ["y"] == read_sql_table(f"sqlite+pysqlite:///{path}", "t").column("id")


def test_table_repr_and_names():
    """A Table has a short repr; names() maps ids to names and refuses an empty name."""
    table = Table("t", "t:1", {"id": ["a", "b"], "name": ["甲", " "]}, ("t:2", "t:3"))
    assert "Table('t', 2 rows, columns ['id', 'name'])" == repr(table)
    with pytest.raises(InvalidRowsError, match="t:3"):
        table.names(ColumnMapping(name_column="name"))
    with pytest.raises(InvalidInputError, match="no name column"):
        table.names(ColumnMapping())


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200), encoding=st.sampled_from(["utf-8", "gbk", "gb18030"]))
def test_random_bytes_give_typed_errors_only(tmp_path: Path, data: bytes, encoding: str):
    """Whatever a CSV file holds, reading it and mapping it returns or raises a typed error."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    with contextlib.suppress(RandsampleError):
        read_table(path, encoding=encoding).population()


def test_published_population_file_reports_every_bad_row(tmp_path: Path):
    """The spec 4.3 reader lists every bad cell by file line: a flag, a padded id, a repeated
    id, a weight, an empty stratum; none is fixed or dropped."""
    from randsample.files import read_population_csv

    path = tmp_path / "p.csv"
    path.write_text(
        "id,stratum,eligible,weight\n"
        "E1,A,1,1.0\n"
        "E2,A,yes,1.0\n"
        " E3,A,1,1.0\n"
        "E1,B,1,1.0\n"
        "E5,B,1,nan\n"
        "E6,,0,1.0\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRowsError) as caught:
        read_population_csv(path)
    found = [(p.row.rsplit(":", 1)[1], p.column) for p in caught.value.problems]
    assert [("3", "eligible"), ("4", "id"), ("5", "id"), ("6", "weight"), ("7", "stratum")] == found
    assert "repeats the id of" in str(caught.value)
