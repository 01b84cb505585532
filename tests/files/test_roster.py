"""The roster, the history and the visits of a draw, from tables: every bad row reported."""

from __future__ import annotations

import datetime

import pytest

from randsample import draw_stratified, make_record
from randsample.errors import InvalidInputError, InvalidRowsError, InvalidTypeError
from randsample.examples import demo_population, demo_seed, demo_sizes
from randsample.files import (
    RosterMapping,
    Table,
    directory_from_table,
    history_from_table,
    read_visits,
    write_visits,
)
from randsample.teams import visits_from_draw

ROSTER = {
    "执法证号": ["F-01", "F-02", "F-03"],
    "科室": ["食品科", "食品科", "药品科"],
    "专业领域": ["餐饮、生产", "餐饮;流通", "药品零售"],
    "片区": ["城关", "北关", "城关"],
    "持证": ["是", "是", "1"],
    "本批户数": ["3", 2, 4.0],
    "休假": ["", "2026年12月2日、2026/12/3", None],
}
MAPPING = RosterMapping(
    id_column="执法证号",
    department_column="科室",
    categories_column="专业领域",
    region_column="片区",
    certified_column="持证",
    capacity_column="本批户数",
    days_off_column="休假",
)


def _table(columns: dict[str, list[object]]) -> Table:
    n = len(next(iter(columns.values())))
    return Table(
        "roster.xlsx",
        "roster.xlsx[Sheet]:1",
        columns,
        tuple(f"roster.xlsx[Sheet]:{r + 2}" for r in range(n)),
    )


def test_roster_table_becomes_a_directory():
    """Categories and days off split on 、 or ;; flags, counts and Chinese dates convert."""
    directory = directory_from_table(_table(ROSTER), MAPPING)
    f2 = directory.get("F-02")
    assert ({"餐饮", "流通"}, 2) == (set(f2.categories), f2.capacity)
    assert {datetime.date(2026, 12, 2), datetime.date(2026, 12, 3)} == set(f2.days_off)
    assert 4 == directory.get("F-03").capacity


def test_every_bad_roster_row_is_reported():
    """An uncertified officer, a bad capacity and an empty category cell are all listed."""
    bad = {
        **ROSTER,
        "持证": ["否", "是", "是"],
        "本批户数": ["3", "many", "0"],
        "专业领域": ["餐饮", "", "药品"],
    }
    with pytest.raises(InvalidRowsError) as caught:
        directory_from_table(_table(bad), MAPPING)
    rows = sorted({p.row for p in caught.value.problems})
    assert ["roster.xlsx[Sheet]:2", "roster.xlsx[Sheet]:3", "roster.xlsx[Sheet]:4"] == rows
    assert "certificate" in str(caught.value)


def test_roster_mapping_needs_one_capacity_rule():
    """Neither or both of a capacity column and one capacity is refused."""
    with pytest.raises(InvalidInputError, match="capacity"):
        RosterMapping()
    with pytest.raises(InvalidInputError, match="capacity"):
        RosterMapping(capacity=3, capacity_column="c")
    with pytest.raises(InvalidTypeError):
        directory_from_table(ROSTER, MAPPING)  # type: ignore[arg-type]


def test_history_gives_last_dates_and_past_teams():
    """The last inspection per enterprise is the latest date; officers of one visit form a team."""
    table = _table(
        {
            "企业": ["E1", "E1", "E1", "E2"],
            "日期": ["2025年3月4日", "2025-03-04", "2026/1/9", "20251120"],
            "检查人员": ["F-01", "F-02", "F-03", "F-01"],
        }
    )
    history = history_from_table(
        table, enterprise_column="企业", date_column="日期", inspector_column="检查人员"
    )
    assert datetime.date(2026, 1, 9) == history.last_inspected["E1"]
    assert [{"F-01", "F-02"}, {"F-03"}] == history.teams["E1"]
    assert "History(2 enterprises)" == repr(history)


def test_every_bad_history_row_is_reported():
    """Unparseable dates and missing ids are listed by row, with the column and value."""
    table = _table({"企业": ["E1", "", "E3"], "日期": ["3/4/2025", "2025-01-01", "2025年13月1日"]})
    with pytest.raises(InvalidRowsError) as caught:
        history_from_table(table, enterprise_column="企业", date_column="日期")
    assert [
        ("roster.xlsx[Sheet]:2", "日期", "3/4/2025"),
        ("roster.xlsx[Sheet]:3", "企业", ""),
        ("roster.xlsx[Sheet]:4", "日期", "2025年13月1日"),
    ] == [p[:3] for p in caught.value.problems]


POPULATION = demo_population(size=200)
RECORD = make_record(
    draw_stratified(POPULATION, demo_sizes(POPULATION), demo_seed()),
    authority="AMR",
    draw_id="QH-11",
    timestamp="2026-11-27T02:00:00Z",
)


def test_visits_from_a_draw_round_trip_through_the_visits_file(tmp_path):
    """One visit per drawn enterprise, ids in record order; the written file reads back."""
    drawn = [unit["id"] for unit in RECORD["selection"]]
    categories = {ident: ["餐饮", "食品销售"] for ident in drawn}
    regions = dict.fromkeys(drawn, "城关")
    visits = visits_from_draw(
        RECORD,
        department="食品科",
        categories=categories,
        date=datetime.date(2026, 12, 1),
        region=regions,
        team_size=3,
    )
    assert drawn == [v.enterprise_id for v in visits]
    assert "QH-11-0013" == visits[-1].visit_id
    path = tmp_path / "visits.json"
    write_visits(visits, path)
    assert visits == read_visits(path)


def test_visits_need_every_drawn_enterprise():
    """A drawn enterprise missing from the categories is an error, not a dropped visit."""
    drawn = [unit["id"] for unit in RECORD["selection"]]
    with pytest.raises(InvalidInputError, match="has nothing for this drawn enterprise"):
        visits_from_draw(
            RECORD,
            department="食品科",
            categories={drawn[0]: ["餐饮"]},
            date=datetime.date(2026, 12, 1),
        )
    with pytest.raises(InvalidTypeError):
        visits_from_draw(
            RECORD, department="食品科", categories="餐饮", date=datetime.date(2026, 12, 1)
        )
    with pytest.raises(InvalidTypeError, match="sealed record"):
        visits_from_draw(42, department="x", categories=["a"], date=datetime.date(2026, 12, 1))  # type: ignore[arg-type]
    assert visits_from_draw(
        RECORD.to_json(), department="x", categories=["a"], date=datetime.date(2026, 12, 1)
    )
