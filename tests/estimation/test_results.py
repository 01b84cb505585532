"""Result objects: short reprs, readable summary, rows, pandas, HTML; the stage's surface."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest

import randsample.estimation
from randsample.estimation import DomainEstimate, Estimates, estimate_mean
from tests.estimation.helpers import class_draw, flag


def _result() -> Estimates:
    sample = class_draw({"A": 600, "B": 200, "D": 50}, {"A": 60, "B": 30, "D": 20})
    rates = {"A": Fraction(2, 100), "B": Fraction(8, 100), "D": Fraction(30, 100)}
    flags = {u: flag("r", u, rates[u[0]]) for u in sample.ids}
    return estimate_mean(sample, flags, by="stratum", ci="wilson", name="violation")


def test_public_surface_is_pinned() -> None:
    """The estimation stage exports exactly these names."""
    expected = {
        "DomainEstimate",
        "Estimates",
        "SampleDesign",
        "estimate_mean",
        "estimate_ratio",
        "estimate_total",
        "sample_design",
    }
    assert expected == set(randsample.estimation.__all__)


def test_results_are_frozen() -> None:
    """Results cannot be changed after the fact."""
    result = _result()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.level = 0.9  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.rows[0].estimate = 0.0  # type: ignore[misc]


def test_reprs_are_short() -> None:
    """Reprs name the statistic and size, not every number."""
    result = _result()
    assert "Estimates(Hájek mean of 'violation' by stratum: 3 domains)" == repr(result)
    assert repr(result["A"]).startswith("DomainEstimate('A': 0.0")
    assert len(repr(result["A"])) < 80


def test_summary_table() -> None:
    """The summary has a title, a header, one line per domain and the methods used."""
    lines = _result().summary().splitlines()
    assert "Hájek mean of 'violation' by stratum (stratified-srswor)" == lines[0]
    assert lines[1].split() == ["domain", "estimate", "SE", "95%", "CI", "n", "deff"]
    assert ["A", "B", "D"] == [line.split()[0] for line in lines[2:5]]
    assert lines[5].startswith("interval: wilson")
    assert lines[6].startswith("variance: stratified SRSWOR")


def test_rows_and_pandas() -> None:
    """to_rows gives plain dicts; to_pandas a DataFrame with exact values as strings."""
    result = _result()
    rows = result.to_rows()
    assert ["A", "B", "D"] == [row["domain"] for row in rows]
    assert {"estimate", "standard_error", "ci_lower", "ci_upper", "deff", "exact"} <= set(rows[0])
    assert "wilson (Korn-Graubard effective n, design df)" == rows[0]["ci_method"]
    pd = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert [str(result["A"].exact)] == frame.loc[frame["domain"] == "A", "exact"].tolist()
    assert result["B"].standard_error == frame.loc[1, "standard_error"]


def test_html() -> None:
    """Notebooks get an HTML table with the same cells as the summary."""
    page = _result()._repr_html_()
    assert page.startswith("<div><strong>Hájek mean of &#x27;violation&#x27; by stratum")
    assert page.count("<tr>") == 1 + 3


def test_row_helpers() -> None:
    """variance is SE squared; Kish's effective n is n / deff; None without a deff."""
    row = DomainEstimate("x", 0.5, 0.1, 0.3, 0.7, sample_size=40, population=400.0, df=39, deff=2.0)
    assert pytest.approx(0.01) == row.variance
    assert 20.0 == row.effective_sample_size
    assert attrs.evolve(row, deff=None).effective_sample_size is None
    assert "x" == row.to_row()["domain"]
