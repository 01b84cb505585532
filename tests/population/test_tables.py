"""Populations from tables: CSV with Chinese headers, pandas, defaults, flags and risk boosts."""

from __future__ import annotations

from pathlib import Path

import pytest

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    Seed,
    draw_stratified_pips,
    make_record,
    verify,
)
from randsample.errors import InvalidRowsError
from randsample.files import read_table
from randsample.population import (
    ENDED_STATUSES,
    Boost,
    ColumnMapping,
    build_population,
    columns_from_arrow,
    columns_from_pandas,
)

CSV = """统一社会信用代码,企业名称,信用等级,行业,投诉,风险预警,经营异常,规模
91350100M000100Y43,清河县甲食品有限公司,A,食品,否,否,否,3
91110000600037341L,清河县乙餐饮店,C,餐饮,是,否,否,1
92340604MA2PENA300,清河县丙药店,C,药品,是,是,否,2
91620105L015101280,清河县丁超市,D,食品,否,否,是,
"""


@pytest.fixture
def csv_path(tmp_path: Path) -> Path:
    path = tmp_path / "名录.csv"
    path.write_text("\ufeff" + CSV, encoding="utf-8")  # with a BOM, as spreadsheet exports do
    return path


def test_csv_with_chinese_headers_end_to_end(csv_path: Path):
    """A CSV with Chinese headers becomes a validated population; a πps draw on it verifies."""
    pop = read_table(csv_path).population(
        id_column="统一社会信用代码",
        class_column="信用等级",
        strata_columns=("信用等级",),
        weight_column="规模",
        risk_boosts={"投诉": 2, "风险预警": "1.5"},
        defaults={"规模": "1"},
        id_scheme="uscc",
    )
    assert ["A", "C", "C", "D"] == pop.strata.tolist()
    assert [3.0, 2.0, 6.0, 1.0] == pop.weights.tolist()  # 2*1, 2*1.5*2, default 1
    sample = draw_stratified_pips(pop, {"A": 1, "C": 1, "D": 1}, Seed.from_bytes(bytes(range(16))))
    record = make_record(sample, authority="bureau", draw_id="d", timestamp="2026-11-27T02:00:00Z")
    assert verify(record, pop).ok


def test_missing_value_is_an_error_unless_a_default_is_declared(csv_path: Path):
    """An empty cell names its file line and column; a declared default fills it."""
    with pytest.raises(InvalidRowsError, match=r"名录\.csv:5, column '规模'.*no default"):
        read_table(csv_path).population(
            id_column="统一社会信用代码",
            class_column="信用等级",
            strata_columns=("信用等级",),
            weight_column="规模",
        )


def test_pandas_frame_and_crossed_strata():
    """A DataFrame works; strata cross class and industry; NaN is a missing value."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"id": ["a", "b", "c"], "credit_class": ["A", "B", "B"], "industry": ["餐饮", "餐饮", None]}
    )
    with pytest.raises(InvalidInputError, match="row 3, column 'industry'"):
        build_population(columns_from_pandas(frame), strata_columns=("credit_class", "industry"))
    pop = build_population(
        columns_from_pandas(frame),
        strata_columns=("credit_class", "industry"),
        defaults={"industry": "其他"},
    )
    assert ["A|餐饮", "B|餐饮", "B|其他"] == pop.strata.tolist()


@pytest.mark.parametrize(
    ("columns", "kwargs", "error", "fragment"),
    [
        (
            {"id": ["a"], "credit_class": ["E"]},
            {},
            InvalidInputError,
            "row 1, column 'credit_class'.*not a credit class",
        ),
        ({"id": ["a"], "credit_class": ["a"]}, {}, InvalidInputError, "not a credit class"),
        ({"id": ["a", "b"], "credit_class": ["A"]}, {}, InvalidInputError, "same length"),
        (
            {"id": ["a"], "credit_class": ["A"]},
            {"id_column": "编号"},
            InvalidInputError,
            r"id_column: names a column that is not in the table",
        ),
        (
            {"id": ["a"], "credit_class": ["A"], "ok": ["maybe"]},
            {"eligible_column": "ok"},
            InvalidInputError,
            "yes/no flag",
        ),
        (
            {"id": ["a"], "credit_class": ["A"], "c": ["1"]},
            {"risk_boosts": {"c": 0.5}},
            InvalidInputError,
            "risk_boosts",
        ),
        (
            {"id": ["a"], "credit_class": ["A"], "c": ["1"]},
            {"risk_boosts": {"c": True}},
            InvalidTypeError,
            "risk_boosts",
        ),
        (
            {"id": ["a"], "credit_class": ["A"], "w": ["-1"]},
            {"weight_column": "w"},
            InvalidInputError,
            "column 'w'",
        ),
        (
            {"id": ["a"], "credit_class": ["A"]},
            {"defaults": {"x": 1}},
            InvalidInputError,
            "defaults",
        ),
        ({"id": [" a"], "credit_class": ["A"]}, {}, InvalidInputError, "whitespace"),
    ],
)
def test_bad_tables(columns, kwargs, error, fragment):
    """Unknown classes, ragged columns, unknown columns, bad flags, boosts and weights: typed
    errors naming the row, column or parameter."""
    with pytest.raises(error, match=fragment):
        build_population(columns, **kwargs)


def test_arrow_table():
    """A pyarrow Table (optional extra) gives the same columns."""
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"id": ["a", "b"], "credit_class": ["A", "D"]})
    assert ["A", "D"] == build_population(columns_from_arrow(table)).strata.tolist()


STATUS = {
    "代码": ["E1", "E2", "E3", "E4"],
    "分类": ["A", "B", "C", "D"],
    "登记状态": ["存续", "在业", "注销", "吊销"],
    "投诉次数": ["0", "3", "1", "7"],
}


def test_status_values_map_eligibility():
    """Listed eligible statuses are eligible, ENDED_STATUSES are not (the default list)."""
    pop = build_population(
        STATUS,
        ColumnMapping(
            id_column="代码",
            class_column="分类",
            eligible_column="登记状态",
            eligible_values=("存续", "在业"),
        ),
    )
    assert [True, True, False, False] == pop.eligible.tolist()
    assert {"注销", "吊销"} <= set(ENDED_STATUSES)


def test_unknown_status_is_an_error_naming_row_column_and_value():
    """A status in neither list is an error, never silently ineligible."""
    table = {**STATUS, "登记状态": ["存续", "歇业", "注销", "在业"]}
    mapping = ColumnMapping(
        id_column="代码",
        class_column="分类",
        eligible_column="登记状态",
        eligible_values=["存续", "在业"],
    )
    with pytest.raises(InvalidRowsError) as caught:
        build_population(table, mapping)
    assert [("row 2", "登记状态", "歇业")] == [p[:3] for p in caught.value.problems]
    assert "not a listed status" in str(caught.value)


def test_count_threshold_boost():
    """A count column boosts units at or above the threshold; factors multiply exactly."""
    mapping = ColumnMapping(
        id_column="代码",
        class_column="分类",
        risk_boosts=[Boost("投诉次数", 2, threshold=3), Boost("投诉次数", "1.5", threshold=5)],
    )
    assert [1.0, 2.0, 1.0, 3.0] == build_population(STATUS, mapping).weights.tolist()


def test_every_bad_row_is_reported_at_once():
    """All problems of all rows come in one error, in row order, capped in the message."""
    n = 30
    table = {"id": [f"E{i}" for i in range(n)], "credit_class": ["X"] * n}
    with pytest.raises(InvalidRowsError) as caught:
        build_population(table, rows=[f"f.csv:{i + 2}" for i in range(n)])
    error = caught.value
    assert n == len(error.problems)
    assert "f.csv:2" == error.problems[0].row
    assert f"{n} bad rows" in str(error)
    assert f"and {n - InvalidRowsError.SHOWN} more" in str(error)
    assert isinstance(error, InvalidInputError)


def test_bad_ids_are_collected_with_their_rows():
    """A padded id and a repeated id are both reported; the repeat names the first row."""
    table = {"id": ["E1", " E2", "E1"], "credit_class": ["A", "A", "B"]}
    with pytest.raises(InvalidRowsError) as caught:
        build_population(table)
    rows = {problem.row: problem.problem for problem in caught.value.problems}
    assert {"row 2", "row 3"} == set(rows)
    assert "repeats the id of row 1" == rows["row 3"]


def test_uscc_scheme_checked_per_row():
    """With id_scheme='uscc' a bad check character is a row problem."""
    table = {"id": ["91350100M000100Y43", "91350100M000100Y44"], "credit_class": ["A", "A"]}
    with pytest.raises(InvalidRowsError, match="row 2"):
        build_population(table, id_scheme="uscc")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"eligible_values": ["存续"]}, "needs an eligible_column"),
        ({"eligible_column": "s", "ineligible_values": ["注销"]}, "needs eligible_values"),
        (
            {"eligible_column": "s", "eligible_values": ["注销"]},
            "also ineligible",
        ),
        ({"id_scheme": "nope"}, "id_scheme"),
        ({"strata_columns": "abc"}, "strata_columns"),
    ],
)
def test_bad_mappings(kwargs, fragment):
    """Contradictory or malformed mappings are refused when declared."""
    with pytest.raises((InvalidInputError, InvalidTypeError), match=fragment):
        ColumnMapping(**kwargs)


def test_boost_threshold_must_be_a_positive_integer():
    """A threshold of 0, a float or a bool is refused."""
    for threshold in (0, 1.5, True):
        with pytest.raises(InvalidInputError, match="threshold"):
            Boost("c", 2, threshold=threshold)


def test_mapping_and_options_are_exclusive():
    """A mapping and loose options together are ambiguous: refused."""
    with pytest.raises(InvalidInputError, match="not both"):
        build_population(STATUS, ColumnMapping(), id_column="代码")


@pytest.mark.parametrize(
    ("column", "values", "kwargs", "problem"),
    [
        ("w", ["1.5", " 2", "x", True], {"weight_column": "w"}, "finite number"),
        ("ok", [1, 0, 2, "maybe"], {"eligible_column": "ok"}, "yes/no flag"),
        ("c", ["是", "否", "maybe", 3], {"risk_boosts": {"c": 2}}, "yes/no flag"),
        ("n", [0, 3.0, -1, "2.5"], {"risk_boosts": [Boost("n", 2, threshold=1)]}, "a count"),
        ("h", ["餐饮", 3, 2.5, None], {"strata_columns": ("credit_class", "h")}, None),
    ],
)
def test_cell_problems_are_collected_per_row(column, values, kwargs, problem):
    """Bad weights, flags, counts and stratum parts are reported for exactly the bad rows;
    ints, integral floats and declared flag forms are accepted."""
    table = {"id": ["a", "b", "c", "d"], "credit_class": ["A"] * 4, column: values}
    with pytest.raises(InvalidRowsError) as caught:
        build_population(table, **kwargs)
    rows = [p.row for p in caught.value.problems]
    assert rows[0] in ("row 2", "row 3")
    assert "row 1" not in rows
    if problem is not None:
        assert problem in caught.value.problems[0].problem


def test_table_shape_errors():
    """A non-mapping, an empty table, row labels of the wrong length and a mapping of the wrong
    type are refused before any row is read."""
    with pytest.raises(InvalidTypeError, match="columns"):
        build_population([("id", "a")])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="no columns"):
        build_population({})
    with pytest.raises(InvalidInputError, match="rows"):
        build_population({"id": ["a"], "credit_class": ["A"]}, rows=["x", "y"])
    with pytest.raises(InvalidTypeError, match="ColumnMapping"):
        build_population({"id": ["a"], "credit_class": ["A"]}, {"id_column": "id"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"risk_boosts": "c"}, InvalidTypeError),
        ({"risk_boosts": [("c", 2)]}, InvalidTypeError),
        ({"risk_boosts": {"c": object()}}, InvalidTypeError),
        ({"risk_boosts": {"c": "1/0"}}, InvalidInputError),
        ({"defaults": ["x"]}, InvalidTypeError),
        ({"classes": "ABCD"}, InvalidTypeError),
        ({"id_column": 3}, InvalidTypeError),
    ],
)
def test_bad_mapping_fields(kwargs, error):
    """Each mapping field is checked when the mapping is declared, with a typed error."""
    with pytest.raises(error):
        ColumnMapping(**kwargs)


def test_boosts_given_as_a_mapping_of_boosts_and_none():
    """risk_boosts accepts None (no boost) and a mapping whose values are Boosts."""
    assert () == ColumnMapping(risk_boosts=None).risk_boosts
    boost = Boost("n", 3, threshold=2)
    assert (boost,) == ColumnMapping(risk_boosts={"n": boost}).risk_boosts
