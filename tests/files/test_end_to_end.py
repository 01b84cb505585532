"""Acceptance (issue 14): a county bureau's own data in, every result out, with no glue.

A SQLite database built here holds the enterprises (names exported by Chinese office software
as GBK, registration status, complaint counts, dates in mixed forms) and the inspection
history; the officers' roster is an .xlsx file. About ten lines of Python (or one command) go
from there to the draw, the teams, the sealed records, the results written back as tables and
the 公示 list. Bad input stops with a typed error (API) or exit code 2 (CLI) naming the line,
column and value; nothing is dropped.
"""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

import pytest

from randsample import Seed, draw_stratified, make_record, verify
from randsample.cli import main
from randsample.design import sizes_from_rates
from randsample.errors import InvalidInputError, InvalidRowsError
from randsample.files import (
    RosterMapping,
    directory_from_table,
    history_from_table,
    make_publication,
    read_sql_table,
    read_table,
    to_date,
    to_timestamp,
    write_publication_csv,
    write_publication_xlsx,
    write_tables,
)
from randsample.population import Boost, ColumnMapping, exclude_recently_inspected
from randsample.population.uscc import organization_code_check_character, uscc_check_character
from randsample.teams import (
    Conflicts,
    assign_inspectors,
    make_assignment_record,
    verify_assignment,
    visits_from_draw,
)

openpyxl = pytest.importorskip("openpyxl")

CLASSES = "AAAAAAAAAABBBBBBCCCD"  # 20 enterprises per town, classes in this mix
STATUSES = ["存续", "在业", "存续", "注销", "存续", "吊销", "在业", "存续", "存续", "存续"]
DATE_FORMS = ["{y}年{m}月{d}日", "{y}/{m}/{d}", "{y}{m:02d}{d:02d}", "{y}-{m:02d}-{d:02d}"]
TOWNS = ["城关镇", "北关镇", "南关镇"]
HEADER = "统一社会信用代码,企业名称,信用风险分类,登记状态,投诉次数,成立日期,所在镇,经营类别"
MAPPING = ColumnMapping(
    id_column="统一社会信用代码",
    class_column="信用风险分类",
    eligible_column="登记状态",
    eligible_values=("存续", "在业"),
    risk_boosts=[Boost("投诉次数", 2, threshold=3)],
    id_scheme="uscc",
    name_column="企业名称",
)
SEED = Seed.from_hex("8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4")


def _uscc(number: int) -> str:
    organization = f"{70000000 + number:08d}"
    body = "91130524" + organization + organization_code_check_character(organization)
    return body + uscc_check_character(body)


def _export_rows() -> list[list[str]]:
    rows = []
    for n in range(60):
        day = datetime.date(2010 + n % 14, 1 + n % 12, 1 + n % 28)
        established = DATE_FORMS[n % 4].format(y=day.year, m=day.month, d=day.day)
        rows.append(
            [
                _uscc(n),
                f"清河县{TOWNS[n % 3][:2]}第{n + 1}号餐饮有限公司",
                CLASSES[n % 20],
                STATUSES[n % 10],
                str((n * 7) % 5),
                established,
                TOWNS[n % 3],
                "餐饮；食品销售" if n % 4 else "餐饮",
            ]
        )
    return rows


def _write_gbk(path: Path, rows: list[list[str]]) -> None:
    text = HEADER + "\r\n" + "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode("gbk"))  # what Excel on Chinese Windows saves


@pytest.fixture
def bureau(tmp_path: Path) -> tuple[Path, Path]:
    """The bureau's database (from its GBK export) and its .xlsx roster."""
    export = tmp_path / "企业导出.csv"
    _write_gbk(export, _export_rows())
    table = read_table(export, encoding="gbk")
    database = tmp_path / "bureau.db"
    db = sqlite3.connect(database)
    columns = list(table.columns)
    db.execute(
        "CREATE TABLE 企业 ("
        + ", ".join(
            f'"{c}" TEXT' + (" PRIMARY KEY" if i == 0 else "") for i, c in enumerate(columns)
        )
        + ")"
    )
    db.executemany(
        f"INSERT INTO 企业 VALUES ({', '.join('?' * len(columns))})",
        list(zip(*(table.column(c) for c in columns), strict=True)),
    )
    db.execute("CREATE TABLE 检查记录 (企业 TEXT, 日期 TEXT, 检查人员 TEXT)")
    ids = table.column("统一社会信用代码")
    db.executemany(
        "INSERT INTO 检查记录 VALUES (?, ?, ?)",
        [
            (ids[0], "2026年10月8日", "执法-01"),
            (ids[0], "2026-10-08", "执法-02"),
            (ids[1], "2025/3/4", "执法-03"),
            (ids[2], "20260915", "执法-04"),
        ],
    )
    db.commit()
    db.close()
    roster = tmp_path / "执法人员名录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名录"
    sheet.append(
        ["执法证号", "姓名", "科室", "专业领域", "居住镇", "持执法证", "本批最多户数", "休假日期"]
    )
    for i in range(1, 13):
        day_off = datetime.datetime(2026, 12, 3) if i == 5 else None
        town = TOWNS[i % 3]
        sheet.append(
            [f"执法-{i:02d}", f"执法员{i}", "食品科", "餐饮、食品销售", town, "是", 4, day_off]
        )
    book.save(roster)
    return database, roster


def test_bureau_data_in_results_out(bureau: tuple[Path, Path], tmp_path: Path):
    """Database + roster -> draw, teams, sealed records, tables and the 公示 list; all verify."""
    database, roster = bureau
    db = sqlite3.connect(database)
    history = history_from_table(
        read_sql_table(db, "检查记录"),
        enterprise_column="企业",
        date_column="日期",
        inspector_column="检查人员",
    )
    roster_mapping = RosterMapping(
        id_column="执法证号",
        department_column="科室",
        categories_column="专业领域",
        region_column="居住镇",
        certified_column="持执法证",
        capacity_column="本批最多户数",
        days_off_column="休假日期",
    )
    directory = directory_from_table(read_table(roster), roster_mapping)

    # -- the bureau's ten lines -------------------------------------------------------------
    table = read_sql_table(db, "企业", key="统一社会信用代码")
    population, excluded = exclude_recently_inspected(
        table.population(MAPPING), history.last_inspected, as_of=to_date("2026年12月1日"), days=180
    )
    sizes = sizes_from_rates(
        population.eligible_counts(), {"A": "10%", "B": "20%", "C": "50%"}, take_all=["D"]
    )
    record = make_record(
        draw_stratified(population, sizes, SEED),
        authority="清河县市场监督管理局",
        draw_id="QH-2026-12",
        timestamp=to_timestamp("2026-12-01T10:00:00+08:00"),
    )
    enterprises = dict(zip(table.column("统一社会信用代码"), table.column("所在镇"), strict=True))
    categories = {
        i: c.split("；")
        for i, c in zip(table.column("统一社会信用代码"), table.column("经营类别"), strict=True)
    }
    visits = visits_from_draw(
        record,
        department="食品科",
        categories=categories,
        date=to_date("2026/12/3"),
        region=enterprises,
    )
    conflicts = Conflicts(history=history.teams)
    teams = make_assignment_record(
        assign_inspectors(directory, visits, SEED, conflicts=conflicts),
        authority="清河县市场监督管理局",
        assignment_id="QH-2026-12-teams",
        timestamp="2026-12-01T03:00:00Z",
        previous=record,
    )
    listing = make_publication(
        record,
        names=table.names(MAPPING),
        visits=visits,
        teams=teams,
        task_name="2026年第12号餐饮抽查",
        inspector_names=dict(
            zip(
                read_table(roster).column("执法证号"),
                read_table(roster).column("姓名"),
                strict=True,
            )
        ),
    )
    written = write_tables(db, records=[record, teams], publication=listing)
    write_publication_csv(listing, tmp_path / "公示.csv")
    write_publication_xlsx(listing, tmp_path / "公示.xlsx")

    assert 60 == len(population)  # nothing dropped: deregistered ones stay, ineligible
    assert 48 == int(population.eligible.sum()) + len(excluded.excluded)
    assert (history.last_inspected.keys() & set(excluded.excluded)) == set(excluded.excluded)
    assert verify(record, population).ok
    assert verify_assignment(teams, directory, visits, conflicts=conflicts, previous=record).ok
    n = len(record["selection"])
    assert {
        "randsample_records": 2,
        "randsample_selection": n,
        "randsample_teams": 2 * n,
        "randsample_publication": n,
    } == written
    assert n == db.execute("SELECT count(*) FROM randsample_publication").fetchone()[0]
    rows = listing.to_rows()
    assert all(row["enterprise_name"].startswith("清河县") for row in rows)
    assert all(row["inspectors"].count("执法员") == 2 for row in rows)
    assert {"2026-12-03"} == {row["visit_date"] for row in rows}
    assert (tmp_path / "公示.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    members = {
        visit: {i for ids in team.values() for i in ids} for visit, team in teams.teams.items()
    }
    assert all("执法-05" not in team for team in members.values())  # off on the visit day
    ids = table.column("统一社会信用代码")
    assert ids[0] in excluded.excluded  # inspected on 8 October: not drawn again
    for visit in visits:  # rotation: last time's officer does not return
        if visit.enterprise_id == ids[1]:
            assert "执法-03" not in members[visit.visit_id]


def test_one_command_from_the_database(
    bureau: tuple[Path, Path], tmp_path: Path, capsys, monkeypatch
):
    """The same database drawn and verified by the command line, one command each."""
    database, _ = bureau
    monkeypatch.chdir(tmp_path)
    (tmp_path / "design.json").write_text(
        '{"rates": {"A": "10%", "B": "20%", "C": "50%"}, "take_all": ["D"]}'
    )
    (tmp_path / "seed.json").write_text('{"hex": "8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4"}')
    mapping = [
        "--table",
        "企业",
        "--id-column",
        "统一社会信用代码",
        "--class-column",
        "信用风险分类",
        "--eligible-column",
        "登记状态",
        "--eligible-values",
        "存续,在业",
        "--id-scheme",
        "uscc",
    ]
    url = f"sqlite:///{database}"
    draw = [
        "draw",
        url,
        *mapping,
        "--design",
        "design.json",
        "--seed",
        "seed.json",
        "--authority",
        "清河县市场监督管理局",
        "--draw-id",
        "QH-2026-12",
        "--timestamp",
        "2026-12-01T10:00:00+08:00",
    ]
    assert 0 == main(draw)
    assert 0 == main(["verify", "record.json", url, *mapping])
    assert "VERIFIED" in capsys.readouterr().out


def _bad(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "bad.csv"
    _write_gbk(path, rows)
    return path


def test_bad_input_names_line_column_and_value(tmp_path: Path, capsys):
    """Undecodable file, unmapped column, unknown status, unparseable date: a typed error from
    the API and exit 2 with one line from the CLI, each naming where and what."""
    rows = _export_rows()
    path = _bad(tmp_path, rows)
    # an undecodable file: GBK read as UTF-8
    with pytest.raises(InvalidInputError, match=r"bad\.csv:1: is not valid UTF-8 text.*gb18030"):
        read_table(path)
    base = [
        "draw",
        str(path),
        "--design",
        "d.json",
        "--seed",
        "s.json",
        "--authority",
        "A",
        "--draw-id",
        "d",
    ]
    mapped = [
        "--encoding",
        "gbk",
        "--id-column",
        "统一社会信用代码",
        "--class-column",
        "信用风险分类",
    ]
    assert 2 == main([*base, "--id-column", "统一社会信用代码"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "bad.csv:1" in err
    assert "gb18030" in err
    # an unmapped column
    assert 2 == main([*base, *mapped, "--eligible-column", "状态", "--eligible-values", "存续"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "bad.csv:1: eligible_column" in err
    assert "'状态'" in err
    # an unknown status value, and a bad count: both rows in one error, by file line
    rows[6][3], rows[40][4] = "歇业", "三"
    path = _bad(tmp_path, rows)
    with pytest.raises(InvalidRowsError) as caught:
        read_table(path, encoding="gbk").population(MAPPING)
    assert [(f"{path}:8", "登记状态", "歇业"), (f"{path}:42", "投诉次数", "三")] == [
        p[:3] for p in caught.value.problems
    ]
    assert 2 == main(
        [*base, *mapped, "--eligible-column", "登记状态", "--eligible-values", "存续,在业"]
    )
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "bad.csv:8, column '登记状态'" in err
    assert "'歇业'" in err
    # an unparseable date
    table = read_table(path, encoding="gbk")
    table.columns["成立日期"][9] = "2019年13月1日"
    with pytest.raises(InvalidRowsError) as caught:
        history_from_table(table, enterprise_column="统一社会信用代码", date_column="成立日期")
    assert [(f"{path}:11", "成立日期", "2019年13月1日")] == [p[:3] for p in caught.value.problems]
    assert 2 == main(
        ["visits", "r.json", "--department", "x", "--date", "2026-13-01", "--categories", "a"]
    )
    assert "error" in capsys.readouterr().err
