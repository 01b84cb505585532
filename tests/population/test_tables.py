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
from randsample.population import (
    build_population,
    columns_from_arrow,
    columns_from_pandas,
    read_csv_columns,
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
    columns = read_csv_columns(csv_path)
    pop = build_population(
        columns,
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
    """An empty cell names its row and column; a declared default fills it."""
    columns = read_csv_columns(csv_path)
    with pytest.raises(InvalidInputError, match=r"row 4, column '规模'.*no default"):
        build_population(
            columns,
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


def test_csv_structure_errors(tmp_path: Path):
    """Duplicate headers and ragged rows are refused with the file and line."""
    path = tmp_path / "bad.csv"
    path.write_text("id,id\na,b\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="duplicate column"):
        read_csv_columns(path)
    path.write_text("id,credit_class\na\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.csv:2"):
        read_csv_columns(path)


def test_arrow_table():
    """A pyarrow Table (optional extra) gives the same columns."""
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"id": ["a", "b"], "credit_class": ["A", "D"]})
    assert ["A", "D"] == build_population(columns_from_arrow(table)).strata.tolist()
