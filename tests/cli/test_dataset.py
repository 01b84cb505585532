"""``randsample draw --dataset``: a partitioned Parquet population, drawn on Dask."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from randsample import Population, read_record
from randsample.cli import main
from randsample.examples import demo_population
from randsample.files import write_population_csv

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("dask.dataframe")

STAMP = "2026-11-27T02:00:00Z"
SEED = {
    "sources": [
        {"name": "lottery", "values": [3, 11, 19, 24, 30, 33, 7]},
        {"name": "index x100", "values": [332718, 1187342, 2718281]},
    ]
}
DESIGN = 'rates = { A = "3%", B = "5%", C = "10%", D = "30%" }\n'


def _write_dataset(population: Population, folder: Path, parts: int) -> None:
    folder.mkdir()
    size = -(-len(population) // parts)
    for k in range(parts):
        rows = slice(k * size, (k + 1) * size)
        table = pa.table(
            {
                "id": population.ids[rows].tolist(),
                "stratum": population.strata[rows].tolist(),
                "eligible": population.eligible[rows].tolist(),
                "weight": population.weights[rows].tolist(),
            }
        )
        pq.write_table(table, folder / f"part-{k}.parquet")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dataset")
    population = demo_population(size=900)
    _write_dataset(population, folder / "province", parts=3)
    write_population_csv(population, folder / "population.csv")
    (folder / "design.toml").write_text(DESIGN, encoding="utf-8")
    (folder / "seed.json").write_text(json.dumps(SEED), encoding="utf-8")
    return folder


def _draw(folder: Path, population: str, out: str, *extra: str) -> int:
    return main(
        [
            "draw",
            str(folder / population),
            "--design",
            str(folder / "design.toml"),
            "--seed",
            str(folder / "seed.json"),
            "--authority",
            "省局",
            "--draw-id",
            "P-1",
            "--timestamp",
            STAMP,
            "--out",
            str(out),
            *extra,
        ]
    )


def test_a_dataset_draw_seals_the_record_of_the_same_units_in_one_file(files: Path, tmp_path: Path):
    """The record drawn from three Parquet partitions is byte for byte the CSV draw's, and
    verifies against the CSV."""
    assert 0 == _draw(files, "province", str(tmp_path / "parts.json"), "--dataset")
    assert 0 == _draw(files, "population.csv", str(tmp_path / "one.json"))
    parts = (tmp_path / "parts.json").read_bytes()
    assert (tmp_path / "one.json").read_bytes() == parts
    assert read_record(parts).selected_ids
    assert 0 == main(["verify", str(tmp_path / "parts.json"), str(files / "population.csv")])


def test_a_pips_dataset_draw_equals_the_one_file_pips_draw(files: Path, tmp_path: Path):
    """With --pips the partitioned draw (systematic πps) seals the one-file draw's record."""
    assert 0 == _draw(files, "province", str(tmp_path / "parts.json"), "--dataset", "--pips")
    assert 0 == _draw(files, "population.csv", str(tmp_path / "one.json"), "--pips")
    parts = (tmp_path / "parts.json").read_bytes()
    assert (tmp_path / "one.json").read_bytes() == parts
    assert "stratified-pips-systematic" == read_record(parts)["algorithm"]["name"]


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (("--dataset", "--id-scheme", "uscc"), "--id-scheme"),
        (("--dataset", "--class-column", "信用等级"), "--class-column"),
        (("--scheduler", "tcp://127.0.0.1:8786"), "--scheduler"),
    ],
)
def test_options_that_do_not_apply_are_refused(
    files: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    option: str,
):
    """An option that does not apply to the chosen input exits 2 naming it; nothing written."""
    population = "province" if "--dataset" in extra else "population.csv"
    assert 2 == _draw(files, population, str(tmp_path / "r.json"), *extra)
    err = capsys.readouterr().err
    assert 1 == len(err.strip().splitlines())
    assert option in err
    assert not (tmp_path / "r.json").exists()


def test_a_folder_that_is_not_parquet_exits_2(files: Path, tmp_path: Path, capsys):
    """A folder without Parquet files is one line on stderr, exit 2."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    assert 2 == main(
        [
            "draw",
            str(tmp_path / "empty"),
            "--dataset",
            "--design",
            str(files / "design.toml"),
            "--seed",
            str(files / "seed.json"),
            "--authority",
            "a",
            "--draw-id",
            "d",
            "--out",
            str(tmp_path / "r.json"),
        ]
    )
    assert 1 == len(capsys.readouterr().err.strip().splitlines())
