"""FairnessResult: columns, lazy units, equality, summaries at scale, HTML, repr and plot."""

from __future__ import annotations

import math
import sys
from fractions import Fraction

import numpy as np
import pytest

from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.fairness import FairnessResult, UnitResult, assess_counts


def _large(units: int = 30_000, biased: int = 3) -> FairnessResult:
    rng = np.random.default_rng(11)
    p = rng.choice([0.02, 0.1, 0.3], units)
    k = rng.binomial(500, p)
    k[:biased] = 500  # far too often
    stated = {f"u{i:06d}": float(x) for i, x in enumerate(p)}
    strata = {u: ("A" if x < 0.05 else "B") for u, x in stated.items()}
    counts = dict(zip(stated, k.tolist(), strict=True))
    return assess_counts(counts, stated, runs=500, strata=strata, seed_label="big")


def test_units_are_built_on_demand_and_kept():
    """units gives UnitResults in stated order, the same tuple object on every read."""
    result = assess_counts({"b": 2, "a": 9}, {"a": Fraction(1, 2), "b": 0.5}, runs=10)
    units = result.units
    assert units is result.units
    assert ["a", "b"] == [u.unit for u in units]
    assert isinstance(units[0], UnitResult)
    assert Fraction(1, 2) == units[0].stated
    assert 0.9 == units[0].frequency


def test_equality_compares_every_figure():
    """Equal inputs give equal results; a different count gives a different result."""
    one = assess_counts({"a": 3}, {"a": 0.5}, runs=10)
    assert one == assess_counts({"a": 3}, {"a": 0.5}, runs=10)
    assert one != assess_counts({"a": 4}, {"a": 0.5}, runs=10)
    assert hash(one) == hash(assess_counts({"a": 3}, {"a": 0.5}, runs=10))
    assert one != "not a result"


def test_to_rows_keeps_its_meaning():
    """to_rows gives one dict per unit with the same keys and values as before."""
    result = assess_counts({"a": 30}, {"a": Fraction(1, 5), "b": 0.5}, runs=100)
    row = result.to_rows()[0]
    assert [
        "unit",
        "stratum",
        "stated",
        "count",
        "frequency",
        "z",
        "p_value",
        "p_holm",
        "flagged",
    ] == list(row)
    assert ("a", None, Fraction(1, 5), 30, 0.3) == tuple(row.values())[:5]
    assert result.units[0].z == row["z"]


def test_to_pandas_columns():
    """to_pandas has the to_rows columns plus stated_exact, with float stated."""
    pytest.importorskip("pandas")
    frame = _large(200).to_pandas()
    assert [
        "unit",
        "stratum",
        "stated",
        "count",
        "frequency",
        "z",
        "p_value",
        "p_holm",
        "flagged",
        "stated_exact",
    ] == list(frame.columns)
    assert 200 == len(frame)
    assert "f" == frame["stated"].dtype.kind
    assert "b" == frame["flagged"].dtype.kind


def test_summary_of_a_large_result_is_short():
    """30,000 units: strata table, the 20 worst units (flagged first), the verdict."""
    result = _large()
    lines = result.summary().splitlines()
    assert lines[0] == "fairness: 500 runs, seed label 'big', family-wise alpha 0.01 (Holm)"
    assert ["A", "B"] == [line.split()[0] for line in lines[2:4]]
    assert "the 20 units furthest from their stated chance, of 30,000:" == lines[4]
    assert 20 == len(lines) - 7
    assert {"u000000", "u000001", "u000002"} == {line.split()[0] for line in lines[6:9]}
    assert all(line.endswith("*") for line in lines[6:9])
    assert lines[-1].endswith("3 of 30,000 units flagged: FAILED")
    assert 50 == len(result.summary(top=50).splitlines()) - 7
    assert 5 == len(result.summary(top=0).splitlines())  # title, strata (3 lines), verdict


def test_summary_strata_figures():
    """The strata table sums units, flags and the largest |z| per stratum."""
    result = _large()
    by_stratum = {s.stratum: s for s in result.strata}
    line = result.summary().splitlines()[2].split()
    assert ["A", f"{by_stratum['A'].units:,}"] == line[:2]
    assert "2.00%" == line[2]
    assert str(sum(u.flagged for u in result.units if u.stratum == "A")) == line[-2]


@pytest.mark.parametrize(
    ("top", "error"), [(-1, InvalidInputError), (1.5, InvalidTypeError), (True, InvalidTypeError)]
)
def test_summary_refuses_a_bad_top(top, error):
    """top must be a non-negative integer (a float or a bool is the wrong type)."""
    with pytest.raises(error, match=r"^top: "):
        assess_counts({"a": 3}, {"a": 0.5}, runs=10).summary(top=top)


def test_repr_and_html():
    """The repr is one short line; the notebook HTML has the tables, escaped."""
    result = _large(1000)
    expected = f"FairnessResult(runs=500, units=1000, flagged=3, max_abs_z={result.max_abs_z:.2f}, "
    assert expected + "passed=False)" == repr(result)
    page = result._repr_html_()
    assert page.count("<table>") == 2
    assert page.count("<tr>") == 1 + 2 + 1 + 20  # strata head + 2 strata, units head + 20
    assert "&#x27;big&#x27;" in page


def test_degenerate_units_in_the_summary():
    """A missed take-all unit shows z -inf and is listed first among the worst."""
    stated = {f"u{i}": 0.5 for i in range(30)} | {"sure": 1}
    counts = {f"u{i}": 5 for i in range(30)} | {"sure": 9}
    text = assess_counts(counts, stated, runs=10).summary(top=1)
    assert text.splitlines()[3].split()[:6] == ["sure", "-", "100.00%", "9", "90.00%", "-inf"]
    assert math.inf == assess_counts(counts, stated, runs=10).max_abs_z


def test_plot_of_a_large_result_is_binned():
    """30,000 units: one point per distinct stated value, flagged units drawn in red."""
    pytest.importorskip("matplotlib")
    import matplotlib as mpl

    mpl.use("Agg")
    result = _large()
    ax = result.plot()
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "pooled frequency, 95% interval (30,000 units in 3 groups)" in labels
    assert "flagged units (3)" in labels
    assert "3 unit(s) flagged" == ax.get_title()
    binned = result.plot(bins=2)
    binned.figure.canvas.draw()
    labels = [t.get_text() for t in binned.get_legend().get_texts()]
    assert "pooled frequency, 95% interval (30,000 units in 2 groups)" in labels


def test_plot_refuses_bad_bins():
    """bins must be a positive integer."""
    pytest.importorskip("matplotlib")
    with pytest.raises(InvalidInputError, match="bins: must be >= 1"):
        assess_counts({"a": 3}, {"a": 0.5}, runs=10).plot(bins=0)


def test_plot_needs_matplotlib(monkeypatch):
    """Without matplotlib plot() names the extra."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"randsample\[plot\]"):
        assess_counts({"a": 3}, {"a": 0.5}, runs=10).plot()
