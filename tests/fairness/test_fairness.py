"""Tests of the fairness benchmark: it flags biased samplers and passes randsample's designs.

The statistical tests are marked ``slow``; every seed is fixed (``run_seed(label, i)``), so
every test is deterministic. The comments give the measured numbers.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from functools import partial

import pytest
from scipy import stats

from randsample import Population, Seed, draw_stratified, draw_stratified_pips
from randsample.design import exact_inclusion_probabilities
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.fairness import (
    FairnessResult,
    _runner,
    assess_counts,
    holm,
    run_design,
    run_seed,
)
from randsample.fairness.foils import numpy_weighted_choice, pandas_weighted_sample

# ANCHORS §2: target pi .07/.17/.41/.61/.83/.91 (n = 3); numpy/pandas give about
# .096/.225/.488/.647/.758/.787.
IDS = ["u1", "u2", "u3", "u4", "u5", "u6"]
WEIGHTS = [7, 17, 41, 61, 83, 91]
STATED = dict(zip(IDS, exact_inclusion_probabilities(WEIGHTS, 3), strict=True))
ANCHOR_POP = Population.from_columns(IDS, strata="A", weights=WEIGHTS)
RUNS = 4000

# Stratified SRS with a take-all stratum and an ineligible unit (pi = 0).
SRS_POP = Population.from_columns(
    [f"a{i}" for i in range(7)] + [f"d{i}" for i in range(4)] + ["x0", "x1"],
    strata=["A"] * 7 + ["D"] * 4 + ["X"] * 2,
    eligible=[True] * 6 + [False] + [True] * 6,
)
SRS_SIZES = {"A": 2, "D": 3, "X": 2}
SRS_PI = {f"a{i}": Fraction(1, 3) for i in range(6)} | {"a6": Fraction(0)}
SRS_PI |= {f"d{i}": Fraction(3, 4) for i in range(4)} | {"x0": Fraction(1), "x1": Fraction(1)}
SRS_STRATA = {u: u[0].upper() for u in SRS_PI}


def test_stated_probabilities_are_the_anchor_targets():
    """The anchor case's stated probabilities are exactly .07 .17 .41 .61 .83 .91."""
    assert [Fraction(w, 100) for w in WEIGHTS] == list(STATED.values())


# -- (1) biased samplers are flagged ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "label"),
    [(numpy_weighted_choice, "numpy"), (pandas_weighted_sample, "pandas")],
)
def test_library_weighted_sampling_is_flagged(make, label):
    """numpy's and pandas' weighted sampling are flagged, in the direction of their bias."""
    # numpy: f = .092 .229 .475 .648 .762 .796, max |z| 25.3; pandas: max |z| 27.3.
    result = run_design(make(IDS, WEIGHTS, 3), STATED, runs=RUNS, seed_label=label)
    assert not result.passed
    assert {"u1", "u2", "u5", "u6"} <= set(result.flagged)
    assert result.max_abs_z > 15
    by_unit = {u.unit: u for u in result.units}
    # The direction of the bias: small units too often, large units too rarely.
    assert by_unit["u1"].z > 0
    assert by_unit["u6"].z < 0
    assert by_unit["u6"].frequency == pytest.approx(0.787, abs=0.02)


# -- (2), (3) randsample's designs pass -------------------------------------------------------


@pytest.mark.slow
def test_randsample_pips_passes_on_the_anchor_case():
    """randsample's πps design passes the anchor case."""
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    result = run_design(draw, STATED, runs=RUNS, seed_label="pips")
    assert result.passed, result.summary()
    assert result.max_abs_z < 3.5


@pytest.mark.slow
def test_randsample_stratified_srs_passes():
    """Stratified SRS with take-all and ineligible units passes; pi 0/1 are exact."""
    draw = partial(draw_stratified, SRS_POP, SRS_SIZES)
    result = run_design(draw, SRS_PI, runs=RUNS, seed_label="srs", strata=SRS_STRATA)
    assert result.passed, result.summary()
    counts = {u.unit: u.count for u in result.units}
    assert counts["a6"] == 0
    assert counts["x0"] == counts["x1"] == RUNS
    assert [s.stratum for s in result.strata] == ["A", "D", "X"]
    assert [s.df for s in result.strata] == [6, 4, 0]
    assert math.isnan(result.strata[2].p_value)
    assert all(s.p_value > 1e-3 for s in result.strata[:2])


@pytest.mark.slow
def test_parallel_workers_give_the_same_result(monkeypatch):
    """A 2-worker pool (forced on, whatever the size) gives the serial result exactly."""
    monkeypatch.setattr(_runner, "PARALLEL_MIN_WORK", 0)
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    calls: list[tuple[int, int]] = []
    serial = run_design(draw, STATED, runs=2000, seed_label="par")
    parallel = run_design(
        draw, STATED, runs=2000, seed_label="par", workers=2, progress=lambda *a: calls.append(a)
    )
    assert serial == parallel
    assert [u.count for u in serial.units] == [u.count for u in parallel.units]
    assert (2002, 2002) == calls[-1]  # 2000 draws, one test block, the assembly
    assert 102 == len(calls)  # 100 chunks of 20 draws, then the 2 testing steps


# -- (4) the false-alarm rate of a correct design is at most alpha ----------------------------


@pytest.mark.slow
def test_false_alarm_rate_is_consistent_with_alpha():
    """A correct design fails at most at about the family-wise rate alpha."""
    pop = Population.from_columns([f"e{i}" for i in range(6)], strata="A")
    draw = partial(draw_stratified, pop, {"A": 2})
    stated = {f"e{i}": Fraction(1, 3) for i in range(6)}
    alpha, labels = 0.05, 40
    failures = sum(
        not run_design(draw, stated, runs=150, seed_label=f"null {i}", alpha=alpha).passed
        for i in range(labels)
    )
    # Holm controls the family-wise rate at alpha, so failures ~ Binomial(40, <= 0.05).
    bound = int(stats.binom.ppf(1 - 1e-4, labels, alpha))
    assert failures <= bound


# -- (5) pi = 0 and pi = 1 are checked exactly -------------------------------------------------


def test_take_all_unit_missed_once_is_flagged():
    """A take-all unit missed in one run of 1000 is flagged with z = -inf."""
    result = assess_counts({"sure": 999, "half": 500}, {"sure": 1, "half": 0.5}, runs=1000)
    by_unit = {u.unit: u for u in result.units}
    assert result.flagged == ("sure",)
    assert by_unit["sure"].z == -math.inf
    assert by_unit["sure"].p_value == 0.0
    assert result.max_abs_z == math.inf
    assert not by_unit["half"].flagged


def test_impossible_unit_drawn_once_is_flagged():
    """A pi-0 unit drawn once is flagged (and so is the pi-1 unit it displaced)."""

    def draw(seed: Seed) -> list[str]:
        return ["never"] if seed == run_seed("leak", 7) else ["sure"]

    result = run_design(draw, {"never": 0.0, "sure": 1.0}, runs=50, seed_label="leak")
    assert result.flagged == ("never", "sure")
    assert [u.z for u in result.units] == [math.inf, -math.inf]


def test_exact_degenerate_units_pass_and_stay_out_of_the_holm_family():
    """pi 0/1 units with exact counts get z 0, p 1 and do not enlarge Holm's family."""
    result = assess_counts(
        {"sure": 10, "a": 5}, {"sure": Fraction(1), "never": 0, "a": Fraction(1, 2)}, runs=10
    )
    assert result.passed
    by_unit = {u.unit: u for u in result.units}
    assert (by_unit["sure"].z, by_unit["sure"].p_value) == (0.0, 1.0)
    assert (by_unit["never"].count, by_unit["never"].p_holm) == (0, 1.0)
    assert by_unit["a"].p_holm == by_unit["a"].p_value == 1.0


def test_z_is_the_standardized_binomial_deviation():
    """z is (k - R pi) / sqrt(R pi (1 - pi)); p is scipy's binomtest p-value."""
    result = assess_counts({"a": 30}, {"a": Fraction(1, 5)}, runs=100)
    (unit,) = result.units
    assert unit.z == pytest.approx((30 - 20) / math.sqrt(100 * 0.2 * 0.8))
    assert unit.p_value == pytest.approx(stats.binomtest(30, 100, 0.2).pvalue)


def test_holm_matches_the_step_down_rule():
    """holm gives the step-down adjusted p-values."""
    assert holm([]) == []
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == [1.0, 1.0]
    assert holm([0.01, 0.3]) == pytest.approx([0.02, 0.3])


# -- determinism, output -----------------------------------------------------------------------


def test_run_seeds_are_deterministic_and_distinct():
    """run_seed is deterministic and distinct across counters and labels."""
    assert run_seed("x", 3) == run_seed("x", 3)
    assert len({run_seed("x", i).value for i in range(100)} | {run_seed("y", 0).value}) == 101


def test_summary_and_pandas_output():
    """The summary has the strata table, every unit of a small result and the verdict."""
    draw = partial(draw_stratified, SRS_POP, SRS_SIZES)
    result = run_design(draw, SRS_PI, runs=60, seed_label="out", strata=SRS_STRATA)
    assert isinstance(result, FairnessResult)
    text = result.summary()
    lines = text.splitlines()
    assert lines[1].split()[:3] == ["stratum", "units", "mean"]
    assert lines[2].split()[:3] == ["A", "7", "28.57%"]
    assert lines[4].split()[5:7] == ["0", "exact"]  # stratum X: every pi is 1
    assert [line.split()[0] for line in lines[6:-1]] == list(SRS_PI)
    assert text.endswith("passed")
    frame = result.to_pandas()
    assert list(frame["unit"]) == list(SRS_PI)
    assert frame.loc[frame["unit"] == "a0", "stated_exact"].item() == "1/3"
    assert frame["stated"].dtype.kind == "f"


def test_plot_without_matplotlib_raises_a_clear_import_error(monkeypatch):
    """plot() without matplotlib raises ImportError saying what to install."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    result = assess_counts({"a": 5}, {"a": 0.5}, runs=10)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        result.plot()


def test_plot_with_matplotlib():
    """plot() of a small result draws every unit and titles the flag count."""
    pytest.importorskip("matplotlib")
    import matplotlib as mpl

    mpl.use("Agg")
    result = assess_counts({"a": 5, "b": 9}, {"a": 0.5, "b": 0.2}, runs=10)
    ax = result.plot()
    ax.figure.canvas.draw()  # render, so that bad artist arguments fail here
    assert ax.get_xlabel() == "stated inclusion probability"
    assert ax.get_title() == "1 unit(s) flagged"


# -- (6) bad input -----------------------------------------------------------------------------


def _ok(seed: Seed) -> list[str]:
    return ["a"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"runs": 0}, InvalidInputError, r"runs: must be >= 1, got 0"),
        ({"runs": True}, InvalidTypeError, r"runs: expected an integer"),
        ({"alpha": 0.0}, InvalidInputError, r"alpha: must be strictly between 0 and 1, got 0.0"),
        ({"alpha": 1.5}, InvalidInputError, r"alpha: .* got 1.5"),
        ({"stated": {"a": 1.2}}, InvalidInputError, r"stated\['a'\]: .* got 1.2"),
        ({"stated": {"a": math.nan}}, InvalidInputError, r"stated\['a'\]: .* got nan"),
        ({"stated": {"a": "0.5"}}, InvalidTypeError, r"stated\['a'\]"),
        ({"stated": {}}, InvalidInputError, r"stated: must name at least one unit"),
        ({"strata": {"a": "A", "zz": "A"}}, InvalidInputError, r"strata: .* got 'zz'"),
        ({"strata": {}}, InvalidInputError, r"strata: has no stratum .* got 'a'"),
        ({"workers": 0}, InvalidInputError, r"workers: must be >= 1, got 0"),
        ({"seed_label": ""}, InvalidInputError, r"seed_label"),
    ],
)
def test_bad_arguments_raise_typed_errors(kwargs, error, match):
    """Bad arguments raise typed errors naming the field and value."""
    arguments = {"stated": {"a": 1}, "runs": 10} | kwargs
    with pytest.raises(error, match=match):
        run_design(_ok, **arguments)


def test_unit_not_in_stated_is_an_error():
    """An id outside stated, or a count out of range, is an InvalidInputError."""
    with pytest.raises(InvalidInputError, match=r"draw: selected a unit that is not in stated"):
        run_design(lambda seed: ["a", "b"], {"a": 1}, runs=5)
    with pytest.raises(InvalidInputError, match=r"counts: .* got 'b'"):
        assess_counts({"b": 1}, {"a": 0.5}, runs=5)
    with pytest.raises(InvalidInputError, match=r"counts\['a'\]: must be <= 5"):
        assess_counts({"a": 6}, {"a": 0.5}, runs=5)


def test_unpicklable_draw_with_workers_is_refused_before_running():
    """workers > 1 needs a picklable draw, checked up front even when the run stays serial."""
    with pytest.raises(InvalidTypeError, match="picklable"):
        run_design(lambda seed: ["a"], {"a": 1}, runs=5, workers=2)
    with pytest.raises(InvalidTypeError, match="draw: expected a callable"):
        run_design("not callable", {"a": 1}, runs=5)  # type: ignore[arg-type]


@pytest.mark.slow
def test_assignment_marginals_pass_when_slack_and_flag_when_binding():
    """check_assignment: a visit with slack capacities matches c/|E|; when one inspector's
    capacity binds across visits, the benchmark flags the departure from the uniform target."""
    import datetime

    from randsample.fairness import check_assignment
    from randsample.teams import Directory, Inspector, Visit

    day = datetime.date(2026, 3, 2)
    slack = Directory(
        [
            Inspector(
                id=f"I-{i}",
                department="food",
                certified=True,
                categories={"catering"},
                home_region="north",
                capacity=10,
            )
            for i in range(6)
        ]
    )
    visits = [
        Visit(
            visit_id=f"V-{n}",
            enterprise_id=f"E-{n}",
            enterprise_region="south",
            date=day,
            departments=["food"],
            items={"food": {"catering"}},
        )
        for n in range(3)
    ]
    assert check_assignment(slack, visits, "V-0", runs=600).passed
    tight = Directory(
        [
            Inspector(
                id="I-0",
                department="food",
                certified=True,
                categories={"catering"},
                home_region="north",
                capacity=1,
            )
        ]
        + [
            Inspector(
                id=f"I-{i}",
                department="food",
                certified=True,
                categories={"catering"},
                home_region="north",
                capacity=10,
            )
            for i in range(1, 4)
        ]
    )
    crowded = [
        Visit(
            visit_id=f"V-{n}",
            enterprise_id=f"E-{n}",
            enterprise_region="south",
            date=day,
            departments=["food"],
            items={"food": {"catering"}},
        )
        for n in range(4)
    ]
    result = check_assignment(tight, crowded, "V-0", runs=600)
    assert not result.passed
