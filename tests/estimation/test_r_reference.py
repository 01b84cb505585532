"""randsample.estimation agrees with R's survey package on shared cases (tests/data/r/).

The cases are real randsample draws, sealed as draw records; the CSVs next to them hold the
sampled units' values and domains, and ``estimation_reference.json`` what R 4.2 with survey 4.1
computed from those CSVs (``estimation_reference.R``). The first test needs no R; the second
re-runs the R script (skipped without ``Rscript``) and checks that the committed JSON is what it
produces.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from randsample import DrawRecord
from randsample.estimation import Estimates, estimate_mean, estimate_ratio, estimate_total

DATA = Path(__file__).resolve().parents[1] / "data" / "r"
REFERENCE = DATA / "estimation_reference.json"
RTOL = 1e-10


def _load(case: str) -> tuple[DrawRecord, dict[str, dict[str, Any]]]:
    record = DrawRecord.from_json((DATA / f"{case}.record.json").read_text(encoding="utf-8"))
    with open(DATA / f"{case}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns: dict[str, dict[str, Any]] = {
        "y": {r["id"]: int(r["y"]) for r in rows},
        "amount": {r["id"]: float(r["amount"]) for r in rows},
        "revenue": {r["id"]: float(r["revenue"]) for r in rows},
        "industry": {r["id"]: r["industry"] for r in rows},
    }
    return record, columns


def _estimate(entry: dict[str, Any], record: DrawRecord, columns: dict) -> Estimates:
    by = {"stratum": "stratum", "industry": columns["industry"], None: None}[entry["by"]]
    options = {"by": by, "lonely": entry["lonely"]}
    kind = entry["kind"]
    if kind == "ratio":
        return estimate_ratio(
            record, columns[entry["variable"]], columns[entry["denominator"]], **options
        )
    if kind == "total":
        return estimate_total(record, columns[entry["variable"]], **options)
    if kind == "ciprop":
        ci = {"beta": "clopper-pearson", "wilson": "wilson"}[entry["method"]]
        return estimate_mean(record, columns["y"], ci=ci, **options)
    df = "design" if entry["wald_df"] else None
    return estimate_mean(record, columns[entry["variable"]], df=df, **options)


def _close(expected: float | None, actual: float | None) -> bool:
    if expected is None:  # R's NA / NaN
        return actual is None or math.isnan(actual)
    assert actual is not None
    return math.isclose(expected, actual, rel_tol=RTOL, abs_tol=1e-14)


def _entries() -> list[tuple[str, int, dict[str, Any]]]:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return [
        (case, index, entry)
        for case, entries in reference["cases"].items()
        for index, entry in enumerate(entries)
    ]


@pytest.mark.parametrize(
    ("case", "index", "entry"),
    _entries(),
    ids=[
        f"{c}-{i}-{e['kind']}-{e['variable']}-by-{e['by']}-{e['lonely']}-{e['method']}"
        for c, i, e in _entries()
    ],
)
def test_matches_r_survey(case: str, index: int, entry: dict[str, Any]) -> None:
    """Estimates, SEs, interval bounds, design effects and df equal R's to 1e-10 (relative)."""
    record, columns = _load(case)
    result = _estimate(entry, record, columns)
    assert entry["domains"] == [row.domain for row in result]
    for position, row in enumerate(result):
        checks = {
            "estimate": row.estimate,
            "se": row.standard_error,
            "ci_lower": row.ci_lower,
            "ci_upper": row.ci_upper,
            "df": float(row.df),
        }
        if entry["deff"] is not None:
            checks["deff"] = row.deff
        for key, actual in checks.items():
            expected = entry[key][position]
            assert _close(expected, actual), (row.domain, key, expected, actual)


def test_reference_covers_the_required_cases() -> None:
    """The reference has the five cases and every kind of call the estimators make."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert {"srswor_classes", "take_all", "domains", "ratio", "pips"} == set(reference["cases"])
    kinds = {(e["kind"], e["method"]) for es in reference["cases"].values() for e in es}
    expected = {("mean", None), ("total", None), ("ratio", None)}
    expected |= {("ciprop", "beta"), ("ciprop", "wilson")}
    assert expected == kinds
    lonely = {e["lonely"] for e in reference["cases"]["take_all"]}
    assert {"certainty", "remove", "adjust"} == lonely


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R (Rscript) is not installed")
def test_r_script_reproduces_the_committed_json(tmp_path: Path) -> None:
    """Re-running estimation_reference.R gives the committed JSON (same numbers, same keys)."""
    probe = subprocess.run(
        ["Rscript", "-e", "library(survey); library(jsonlite)"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("R packages survey and jsonlite are not installed")
    output = tmp_path / "reference.json"
    subprocess.run(
        ["Rscript", str(DATA / "estimation_reference.R"), str(output)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    actual = json.loads(output.read_text(encoding="utf-8"))
    assert expected == actual
