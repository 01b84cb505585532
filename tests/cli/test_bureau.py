"""The command line on a bureau's own files: mapping options, visits, publish, report --csv."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from randsample.cli import main

ROWS = [
    ("E01", "甲店", "A", "存续", "0"),
    ("E02", "乙店", "A", "在业", "4"),
    ("E03", "丙店", "A", "注销", "0"),
    ("E04", "丁店", "B", "存续", "1"),
    ("E05", "戊店", "B", "存续", ""),
    ("E06", "己店", "C", "在业", "3"),
]
HEADER = ("代码", "名称", "分类", "状态", "投诉")
MAPPING = [
    "--id-column", "代码", "--class-column", "分类", "--eligible-column", "状态",
    "--eligible-values", "存续,在业", "--boost", "投诉:3:2", "--default", "投诉=0",
]  # fmt: skip
STAMP = "2026-11-27T02:00:00Z"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the bureau's table as GBK CSV, a design, a seed and officers' names."""
    monkeypatch.chdir(tmp_path)
    text = ",".join(HEADER) + "\n" + "".join(",".join(row) + "\n" for row in ROWS)
    (tmp_path / "企业.csv").write_bytes(text.encode("gbk"))
    (tmp_path / "design.json").write_text('{"sizes": {"A": 1, "B": 1, "C": 1}}')
    (tmp_path / "seed.json").write_text('{"hex": "8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4"}')
    return tmp_path


def draw(*extra: str, population: str = "企业.csv") -> int:
    return main(
        [
            "draw",
            population,
            "--design",
            "design.json",
            "--seed",
            "seed.json",
            "--authority",
            "AMR",
            "--draw-id",
            "D-1",
            "--timestamp",
            STAMP,
            *extra,
        ]
    )


def test_draw_and_verify_a_gbk_table_with_pips_boosts(folder: Path, capsys):
    """A GBK table maps, draws with count boosts and verifies against the same table."""
    assert 0 == draw("--encoding", "gbk", *MAPPING, "--pips")
    assert 0 == main(["verify", "record.json", "企业.csv", "--encoding", "gbk", *MAPPING])
    assert "VERIFIED" in capsys.readouterr().out
    # another boost is another population: not verified
    other = [*MAPPING[:-4], "--boost", "投诉:1:2", "--default", "投诉=0"]
    assert 1 == main(["verify", "record.json", "企业.csv", "--encoding", "gbk", *other])


def test_the_table_from_standard_input(folder: Path, capsys, monkeypatch):
    """'-' reads the bureau's table from standard input, in the encoding given."""
    data = (folder / "企业.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert 0 == draw("--encoding", "gbk", *MAPPING, population="-")


def test_xlsx_table(folder: Path, capsys):
    """An .xlsx population is a mapped table even without other options; rows are sheet rows."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(list(HEADER))
    for row in ROWS:
        book.active.append([*row[:4], int(row[4] or 0)])
    book.active.append(["E07", "庚店", "X", "存续", 0])
    book.save(folder / "企业.xlsx")
    assert 2 == draw(*MAPPING, population="企业.xlsx")
    err = capsys.readouterr().err
    assert "企业.xlsx[Sheet]:8, column '分类'" in err
    assert 1 == len(err.splitlines())


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--boost", "投诉"], "COLUMN:FACTOR"),
        (["--boost", "投诉:x:2"], "COLUMN:THRESHOLD:FACTOR"),
        (["--default", "投诉"], "COLUMN=VALUE"),
        (["--table", "t"], "database URL only"),
        (["--id-column", "编号"], "id_column"),
        (["--eligible-values", "存续"], "needs an eligible_column"),
    ],
)
def test_bad_mapping_options_are_one_line_exit_2(folder: Path, capsys, options, fragment):
    """A malformed or contradictory mapping option is one line on stderr, exit 2."""
    assert 2 == draw("--encoding", "gbk", "--id-column", "代码", "--class-column", "分类", *options)
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert fragment in err


def test_database_url_needs_a_table(folder: Path, capsys):
    """A database URL without --table says so."""
    assert 2 == draw(population=f"sqlite:///{folder / 'b.db'}")
    assert "--table" in capsys.readouterr().err


def test_draw_visits_assign_publish(folder: Path, capsys):
    """draw -> visits (categories and regions from the table) -> assign -> publish (.xlsx and
    CSV on standard output, with a BOM and names)."""
    assert 0 == draw("--encoding", "gbk", *MAPPING)
    (folder / "类别.csv").write_text(
        "代码,类别,片区\n" + "".join(f"{r[0]},餐饮；食品销售,南\n" for r in ROWS), encoding="utf-8"
    )
    assert 0 == main(
        [
            "visits",
            "record.json",
            "--department",
            "food",
            "--date",
            "2026年12月1日",
            "--enterprises",
            "类别.csv",
            "--id-column",
            "代码",
            "--categories-column",
            "类别",
            "--region-column",
            "片区",
            "--team-size",
            "2",
        ]
    )
    visits = json.loads((folder / "visits.json").read_text(encoding="utf-8"))["visits"]
    assert {"D-1-0001", "D-1-0002", "D-1-0003"} == {v["visit_id"] for v in visits}
    assert {("2026-12-01", "南")} == {(v["date"], v["enterprise_region"]) for v in visits}
    assert [["食品销售", "餐饮"]] == [v["items"]["food"] for v in visits][:1]
    directory = {
        "inspectors": [
            {"id": f"F-{i}", "department": "food", "certified": True, "home_region": "北",
             "categories": ["餐饮", "食品销售"], "capacity": 3}
            for i in range(4)
        ]
    }  # fmt: skip
    (folder / "directory.json").write_text(json.dumps(directory), encoding="utf-8")
    assert 0 == main(
        [
            "assign",
            "directory.json",
            "visits.json",
            "--seed",
            "seed.json",
            "--authority",
            "AMR",
            "--assignment-id",
            "T-1",
            "--timestamp",
            STAMP,
            "--previous",
            "record.json",
        ]
    )
    (folder / "officers.csv").write_text(
        "id,name\n" + "".join(f"F-{i},执法员{i}\n" for i in range(4)), encoding="utf-8"
    )
    publish = ["publish", "record.json", "--names", "企业.csv", "--encoding", "gbk"]
    publish += ["--id-column", "代码", "--name-column", "名称", "--visits", "visits.json"]
    publish += ["--teams", "teams.json", "--department-name", "food=食品科"]
    publish += ["--inspector-names", "officers.csv"]
    capsys.readouterr()
    assert 0 == main([*publish, "--out", "-"])
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].startswith("\ufeff序号,任务编号")
    assert 4 == len(lines)
    assert all(",食品科," in line and "执法员" in line for line in lines[1:])
    assert "Wrote <stdout> (3 enterprises)" in out.err
    pytest.importorskip("openpyxl")
    assert 0 == main([*publish, "--out", "公示.xlsx"])
    assert (folder / "公示.xlsx").stat().st_size > 0
    assert 2 == main([*publish, "--out", "公示.xls"])
    no_visits = [*publish[:10], "--teams", "teams.json"]
    assert 2 == main(no_visits)
    assert "needed to place the teams" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ([], "give --categories or --enterprises"),
        (["--categories", "a", "--id-column", "x"], "needs --enterprises"),
        (["--enterprises", "t.csv"], "needs --id-column and --categories-column"),
        (["--enterprises", "t.csv", "--categories", "a"], "not both"),
        (["--categories", "a", "--date", "2026-13-01"], "not a real date"),
    ],
)
def test_bad_visits_options(folder: Path, capsys, options, fragment):
    """visits refuses missing or contradictory options with one line, exit 2."""
    assert 0 == draw("--encoding", "gbk", *MAPPING)
    capsys.readouterr()
    args = ["visits", "record.json", "--department", "food", "--date", "2026-12-01", *options]
    assert 2 == main(args)
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert fragment in err


def test_visits_to_standard_output_and_missing_categories(folder: Path, capsys):
    """--out - writes the visits JSON to standard output; an enterprise drawn but missing from
    the categories table, or with an empty cell, is an error naming it."""
    assert 0 == draw("--encoding", "gbk", *MAPPING)
    capsys.readouterr()
    assert 0 == main(
        [
            "visits",
            "record.json",
            "--department",
            "food",
            "--date",
            "2026-12-01",
            "--categories",
            "餐饮",
            "--out",
            "-",
        ]
    )
    out = capsys.readouterr()
    assert 3 == len(json.loads(out.out)["visits"])
    (folder / "t.csv").write_text("代码,类别\nE01,\nE02,餐饮\n", encoding="utf-8")
    args = ["visits", "record.json", "--department", "food", "--date", "2026-12-01"]
    args += ["--enterprises", "t.csv", "--id-column", "代码", "--categories-column", "类别"]
    assert 2 == main(args)
    assert "error" in capsys.readouterr().err


def test_report_csv_has_a_bom_and_department_names(tmp_path: Path, monkeypatch, capsys):
    """report --csv starts with a BOM and names departments by the plan's names, not codes."""
    from randsample import Population
    from randsample.files import write_population_csv

    monkeypatch.chdir(tmp_path)
    item = {"legal_basis": "法", "category": "食品", "method": "on-site"}
    plan = {
        "departments": [{"code": "SAMR", "name": "市场监管局"}],
        "items": [{"department": "SAMR", "item_id": "S1", **item}],
        "tasks": [
            {"task_id": "s", "department": "SAMR", "items": ["S1"], "scope": "餐饮",
             "period": "2026-11", "rates": {"A": "10%", "D": "50%"}}
        ],
        "leads": {"餐饮": "SAMR"},
    }  # fmt: skip
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    population = Population.from_columns([f"E{i}" for i in range(10)], strata=["A"] * 8 + ["D"] * 2)
    write_population_csv(population, tmp_path / "p.csv")
    (tmp_path / "seed.json").write_text('{"hex": "00112233445566778899aabbccddeeff"}')
    (tmp_path / "outcomes.csv").write_text("period,enterprise_id,completed,problem_found\n")
    args = ["report", "plan.json", "--outcomes", "outcomes.csv", "--period-seed"]
    args += ["2026-11=seed.json", "--scope", "餐饮=p.csv"]
    assert 0 == main([*args, "--csv", "report.csv"])
    data = (tmp_path / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data.decode("utf-8-sig")
    assert "市场监管局" in body
    assert ",SAMR," not in body
    capsys.readouterr()
    assert 0 == main([*args, "--csv", "-"])
    assert capsys.readouterr().out.startswith("\ufeff期间 period")


def test_demo_of_a_tiny_county_draws_an_absent_class_zero_times(tmp_path: Path, capsys):
    """demo --size 50: a class the plan rates but a scope lacks draws 0 and is reported."""
    args = ["demo", "--out", str(tmp_path), "--size", "50", "--timestamp", STAMP]
    assert 0 == main(args)
    out = capsys.readouterr().out
    assert "No eligible enterprise, so drawn 0 times: class D in" in out
    assert "verify_period: VERIFIED (12 of 12 periods)" in out
