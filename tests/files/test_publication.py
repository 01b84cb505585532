"""The 公示 list: every drawn enterprise, named, in the platform's column order, safe to open."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import draw_stratified, make_record
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.examples import demo_population, demo_seed, demo_sizes
from randsample.files import (
    PUBLICATION_COLUMNS,
    Publication,
    make_publication,
    write_publication_csv,
    write_publication_xlsx,
)
from randsample.files import spreadsheet_cell as neutralise
from tests.files.helpers import food_teams

POPULATION = demo_population(size=200)
SAMPLE = draw_stratified(POPULATION, demo_sizes(POPULATION), demo_seed())
RECORD = make_record(
    SAMPLE, authority="清河县市场监督管理局", draw_id="QH-12", timestamp="2026-11-30T17:00:00Z"
)
NAMES = {ident: f"企业{n:03d}" for n, ident in enumerate(POPULATION.ids.tolist())}


def test_columns_follow_the_platform_order():
    """The headers are the platform's, in its order, and the credit class is not among them."""
    titles = [title for _, title in PUBLICATION_COLUMNS]
    assert ["序号", "任务编号", "任务名称", "统一社会信用代码/注册号", "企业名称"] == titles[:5]
    assert ["企业抽取日期", "检查人员", "检查部门", "检查机关", "抽查事项", "检查日期"] == titles[
        5:
    ]
    assert not any("信用" in t and "代码" not in t for t in titles)


def test_every_drawn_enterprise_is_listed_in_record_order():
    """One row per selected unit, numbered from 1; the draw date is Beijing's (UTC+8)."""
    listing = make_publication(RECORD, names=NAMES)
    rows = listing.to_rows()
    assert [u.id for u in SAMPLE.selection] == [r["enterprise_id"] for r in rows]
    assert list(range(1, len(rows) + 1)) == [r["seq"] for r in rows]
    assert {"2026-12-01"} == {r["draw_date"] for r in rows}
    assert {"QH-12"} == {r["task_name"] for r in rows}
    assert "Publication(draw 'QH-12', 13 enterprises)" == repr(listing)
    assert "企业名称" in listing.summary()


def test_a_missing_name_is_an_error_not_a_gap():
    """A drawn enterprise without a name stops the list: nothing is published half-filled."""
    names = dict(NAMES)
    del names[SAMPLE.selection[3].id]
    with pytest.raises(InvalidInputError, match="has no name"):
        make_publication(RECORD, names=names)


def _teams():
    return food_teams(
        RECORD,
        date=datetime.date(2026, 12, 3),
        authority="清河县市场监督管理局",
        assignment_id="QH-12-teams",
        timestamp="2026-12-01T02:00:00Z",
    )


def test_teams_departments_items_and_names_over_codes():
    """With visits and teams, each row names its officers, department and items."""
    visits, teams = _teams()
    officers = {f"F-{i}": f"执法员{i}" for i in range(6)}
    listing = make_publication(
        RECORD,
        names=NAMES,
        visits=visits,
        teams=teams.to_json(),
        department_names={"FOOD": "食品科"},
        inspector_names=officers,
        task_name="第12号",
    )
    row = listing.to_rows()[0]
    assert ("食品科", "餐饮", "2026-12-03", "第12号") == (
        row["departments"],
        row["items"],
        row["visit_date"],
        row["task_name"],
    )
    assert 2 == len(row["inspectors"].split("、"))
    assert all(name.startswith("执法员") for name in row["inspectors"].split("、"))
    with pytest.raises(InvalidInputError, match="has no name"):
        make_publication(RECORD, names=NAMES, visits=visits, department_names={"X": "y"})


def test_bad_arguments():
    """Teams without visits, a missing visit and wrong kinds are typed errors."""
    visits, teams = _teams()
    with pytest.raises(InvalidInputError, match="needed to place the teams"):
        make_publication(RECORD, names=NAMES, teams=teams)
    with pytest.raises(InvalidInputError, match="has no visit"):
        make_publication(RECORD, names=NAMES, visits=visits[1:])
    with pytest.raises(InvalidInputError, match="two visits"):
        make_publication(RECORD, names=NAMES, visits=[*visits, visits[0]])
    with pytest.raises(InvalidTypeError, match="draw record"):
        make_publication(teams, names=NAMES)
    with pytest.raises(InvalidTypeError, match="assignment record"):
        make_publication(RECORD, names=NAMES, visits=visits, teams=RECORD)
    with pytest.raises(InvalidTypeError):
        write_publication_csv("not a publication", io.StringIO())  # type: ignore[arg-type]


@given(st.text(max_size=12))
def test_neutralise_keeps_text_and_defuses_formulas(cell: str):
    """A neutralised cell never starts with a formula character, and is the original text with
    at most one apostrophe added in front."""
    safe = neutralise(cell)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (cell, "'" + cell)


def test_csv_has_a_bom_and_neutral_cells(tmp_path: Path):
    """The CSV starts with a BOM, then the headers; a formula-like name is prefixed with '."""
    names = dict(NAMES)
    names[SAMPLE.selection[0].id] = "=cmd|'/c calc'!A1"
    path = tmp_path / "公示.csv"
    write_publication_csv(make_publication(RECORD, names=names), path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("序号,任务编号")
    assert "'=cmd" in lines[1]


def test_xlsx_cells_are_text(tmp_path: Path):
    """In the .xlsx every cell is a string cell: a formula-like name is not a formula."""
    openpyxl = pytest.importorskip("openpyxl")
    names = dict(NAMES)
    names[SAMPLE.selection[0].id] = "=1+1"
    path = tmp_path / "公示.xlsx"
    write_publication_xlsx(make_publication(RECORD, names=names), path)
    sheet = openpyxl.load_workbook(path)["公示名单"]
    assert "序号" == sheet["A1"].value
    assert ("=1+1", "s") == (sheet["E2"].value, sheet["E2"].data_type)
    assert 14 == sheet.max_row
    with pytest.raises(InvalidTypeError):
        write_publication_xlsx(Publication("d", ()).rows, path)  # type: ignore[arg-type]
