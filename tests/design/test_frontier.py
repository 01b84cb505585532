"""The rate sweep (a RateComparison) and the rate frontier plot (matplotlib, Agg backend)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from randsample.design import RateComparison, plot_rate_frontier, rate_sweep
from randsample.design._frontier import _frontier
from randsample.errors import InvalidInputError, InvalidTypeError

ELIGIBLE = {"A": 16123, "B": 8908, "C": 2932, "D": 1441}
BASE = {"A": "3%", "B": "5%", "C": "10%", "D": "30%"}
VIOLATIONS = {"A": "2%", "B": "5%", "C": "12%", "D": "30%"}


def test_sweep_scales_the_named_classes_and_caps_at_one():
    """Each factor scales the chosen classes' rates (capped at 100%); others stay put."""
    sweep = rate_sweep(
        ELIGIBLE, BASE, VIOLATIONS, factors=["1", "4", Fraction(1, 2)], classes=["D"]
    )
    assert isinstance(sweep, RateComparison)
    assert ["×1", "×4", "×0.5"] == [o.name for o in sweep]
    d_rates = [o.classes[3].rate for o in sweep]
    assert Fraction(1) == d_rates[1]
    assert [o.classes[0].inspections for o in sweep] == [484] * 3


def test_sweep_more_rate_means_more_work_and_findings():
    """Larger factors never lower the workload or the expected findings."""
    sweep = rate_sweep(ELIGIBLE, BASE, VIOLATIONS)
    work = [o.inspections for o in sweep]
    found = [o.expected_findings for o in sweep]
    assert sorted(work) == work
    assert sorted(found) == found


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"factors": ["-1"]}, InvalidInputError, r"factors\[0\]"),
        ({"factors": ["x"]}, InvalidInputError, r"factors\[0\]"),
        ({"classes": ["Z"]}, InvalidInputError, "classes"),
        ({"factors": "12"}, InvalidTypeError, "factors"),
    ],
)
def test_sweep_bad_input(kwargs, error, fragment):
    """Negative or non-rational factors and unknown classes are typed errors naming them."""
    with pytest.raises(error, match=fragment):
        rate_sweep(ELIGIBLE, BASE, VIOLATIONS, **kwargs)


def test_frontier_keeps_the_undominated_points():
    """A point beaten on both workload and findings is off the frontier."""
    assert [0, 2] == _frontier([(10, 5.0), (20, 4.0), (30, 9.0)])


def test_plot_draws_points_coloured_by_precision():
    """With matplotlib (Agg), one dot per set of rates, axes labelled, a colour bar added."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sweep = rate_sweep(ELIGIBLE, BASE, VIOLATIONS)
    ax = plot_rate_frontier(sweep)
    assert "inspections (workload)" == ax.get_xlabel()
    assert len(sweep) == len(ax.collections[0].get_offsets())
    assert 2 == len(ax.figure.axes)  # the plot and its colour bar
    plt.close(ax.figure)


def test_plot_refuses_non_comparisons():
    """Only a RateComparison with rows can be plotted (checked before matplotlib is needed)."""
    with pytest.raises(InvalidTypeError, match="comparison"):
        plot_rate_frontier([1, 2])
    with pytest.raises(InvalidInputError, match="comparison"):
        plot_rate_frontier(RateComparison(()))


def test_plot_without_matplotlib_says_which_extra(monkeypatch):
    """Without matplotlib the plot raises MissingDependencyError naming the 'plot' extra."""
    import sys

    from randsample.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingDependencyError, match="plot"):
        plot_rate_frontier(rate_sweep(ELIGIBLE, BASE, VIOLATIONS))
