"""Estimators: textbook values, exact design-unbiasedness, domains, certainty units, records."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified_pips
from randsample.estimation import (
    estimate_mean,
    estimate_ratio,
    estimate_total,
    sample_design,
)
from tests.estimation.helpers import class_draw, flag, make_sample, seal

# A small population, every value known: stratum A (5 units, n = 2), B (4 units, n = 3).
VALUES = {"a0": 1, "a1": 0, "a2": 0, "a3": 1, "a4": 0, "b0": 1, "b1": 1, "b2": 0, "b3": 1}
AMOUNT = {"a0": 3, "a1": 0, "a2": 5, "a3": 2, "a4": 0, "b0": 7, "b1": 1, "b2": 0, "b3": 4}
DOMAIN = {"a0": "x", "a1": "y", "a2": "x", "a3": "y", "a4": "y"}
DOMAIN |= {"b0": "x", "b1": "x", "b2": "y", "b3": "y"}
UNITS = {"A": ["a0", "a1", "a2", "a3", "a4"], "B": ["b0", "b1", "b2", "b3"]}
SIZES = {"A": 2, "B": 3}


def all_samples() -> list[dict[str, tuple[str, ...]]]:
    """Every stratified SRSWOR sample of the small population (10 x 4 = 40, equally likely)."""
    return [
        {"A": a, "B": b}
        for a in itertools.combinations(UNITS["A"], SIZES["A"])
        for b in itertools.combinations(UNITS["B"], SIZES["B"])
    ]


def true_variance(values: dict[str, int]) -> Fraction:
    """V(Y^) = sum_h M_h^2 (1 - n_h/M_h) S_h^2 / n_h, S_h^2 with divisor M_h - 1 (exact)."""
    total = Fraction(0)
    for h, units in UNITS.items():
        m, n = len(units), SIZES[h]
        ys = [Fraction(values[u]) for u in units]
        mean = sum(ys) / m
        s2 = sum((y - mean) ** 2 for y in ys) / (m - 1)
        total += m * m * (1 - Fraction(n, m)) * s2 / n
    return total


@pytest.mark.parametrize("values", [VALUES, AMOUNT])
def test_total_and_variance_are_exactly_design_unbiased(values: dict[str, int]) -> None:
    """Over all 40 samples, E[Y^] = Y exactly and E[v(Y^)] = V(Y^) (stratified SRSWOR)."""
    estimates, variances = [], []
    for chosen in all_samples():
        sample = make_sample({"A": 5, "B": 4}, chosen)
        row = estimate_total(sample, {u: values[u] for u in sample.ids})[None]
        estimates.append(row.exact)
        variances.append(row.variance)
    assert sum(values.values()) == sum(estimates) / len(estimates)
    assert math.isclose(float(true_variance(values)), sum(variances) / len(variances))


def test_domain_totals_are_design_unbiased_with_the_indicator_variance() -> None:
    """Domain totals: E[Y^_d] = Y_d and E[v_d] = V(Y^_d), the variance of d_k y_k."""
    for label in ("x", "y"):
        indicator = {u: VALUES[u] * (DOMAIN[u] == label) for u in VALUES}
        estimates, variances = [], []
        for chosen in all_samples():
            sample = make_sample({"A": 5, "B": 4}, chosen)
            result = estimate_total(
                sample, {u: VALUES[u] for u in sample.ids}, by={u: DOMAIN[u] for u in sample.ids}
            )
            row = result[label] if label in [r.domain for r in result] else None
            estimates.append(row.exact if row else Fraction(0))
            variances.append(row.variance if row else 0.0)
        assert sum(indicator.values()) == sum(estimates) / len(estimates)
        expected = float(true_variance(indicator))
        assert math.isclose(expected, sum(variances) / len(variances))


def test_stratified_srswor_textbook_values() -> None:
    """One sample by hand: total, HT mean = Hájek mean, and (1 - f) s^2 / n by stratum."""
    sample = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a1"), "B": ("b0", "b2", "b3")})
    values = {u: VALUES[u] for u in sample.ids}
    total = estimate_total(sample, values)[None]
    # A: 5/2 * 1; B: 4/3 * 2.
    assert Fraction(5, 2) + Fraction(8, 3) == total.exact
    # v = 25 (1 - 2/5) s_A^2 / 2 + 16 (1 - 3/4) s_B^2 / 3, s_A^2 = 1/2, s_B^2 = 1/3.
    expected = 25 * 0.6 * 0.5 / 2 + 16 * 0.25 * (1 / 3) / 3
    assert math.isclose(expected, total.variance)
    hajek = estimate_mean(sample, values)[None]
    ht = estimate_mean(sample, values, estimator="horvitz-thompson")[None]
    assert total.exact / 9 == hajek.exact == ht.exact
    assert math.isclose(hajek.variance, ht.variance)
    assert math.isclose(expected / 81, ht.variance)
    by = estimate_mean(sample, values, by="stratum")
    assert math.isclose(0.6 * 0.5 / 2, by["A"].variance)
    assert math.isclose(0.25 * (1 / 3) / 3, by["B"].variance)
    assert 1.0 == pytest.approx(by["A"].deff)  # within a stratum the design is SRSWOR


def test_ratio_by_hand() -> None:
    """R^ = Y^/X^ and its linearized variance, computed directly."""
    sample = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a2"), "B": ("b0", "b1", "b3")})
    y = {u: VALUES[u] for u in sample.ids}
    x = {u: AMOUNT[u] for u in sample.ids}
    row = estimate_ratio(sample, y, x)[None]
    w = {u: (2.5 if u[0] == "a" else 4 / 3) for u in sample.ids}
    ratio = sum(w[u] * y[u] for u in y) / sum(w[u] * x[u] for u in x)
    assert math.isclose(ratio, row.estimate)
    xt = sum(w[u] * x[u] for u in x)
    v = 0.0
    for h, (m, n) in {"a": (5, 2), "b": (4, 3)}.items():
        z = [w[u] * (y[u] - ratio * x[u]) / xt for u in y if u[0] == h]
        mean = sum(z) / n
        v += (1 - n / m) * n / (n - 1) * sum((zi - mean) ** 2 for zi in z)
    assert math.isclose(v, row.variance)
    exact_w = {u: Fraction(5, 2) if u[0] == "a" else Fraction(4, 3) for u in sample.ids}
    expected_exact = sum(exact_w[u] * y[u] for u in y) / sum(exact_w[u] * x[u] for u in x)
    assert expected_exact == row.exact


@settings(max_examples=40)
@given(st.data())
def test_domains_add_up_and_do_not_depend_on_order(data: st.DataObject) -> None:
    """Domain totals sum to the overall total; variances are >= 0; the input order is moot."""
    sample = class_draw({"A": 40, "B": 15, "C": 6}, {"A": 8, "B": 5, "C": 6}, "hyp")
    values = {u: data.draw(st.integers(0, 5)) for u in sample.ids}
    labels = {u: data.draw(st.sampled_from(["p", "q", "r"])) for u in sample.ids}
    overall = estimate_total(sample, values)[None]
    by = estimate_total(sample, values, by=labels)
    assert overall.exact == sum(row.exact for row in by)
    assert all(row.variance >= 0 for row in by)
    shuffled = dict(reversed(list(values.items())))
    assert by == estimate_total(sample, shuffled, by=dict(reversed(list(labels.items()))))


def test_record_and_sample_give_the_same_estimates() -> None:
    """Estimating from the sealed record equals estimating from the sample."""
    sample = class_draw({"A": 300, "D": 40}, {"A": 30, "D": 10})
    values = {u: flag("v", u, Fraction(1, 10)) for u in sample.ids}
    record = seal(sample)
    assert estimate_mean(sample, values, by="stratum") == estimate_mean(
        record, values, by="stratum"
    )
    assert estimate_total(sample_design(record), values) == estimate_total(sample, values)


def _pips_sample():
    weights = [1, 2, 3, 1, 2, 50, 60, 2, 3, 1, 1, 2]
    ids = [f"p{i:02d}" for i in range(len(weights))]
    pop = Population.from_columns(ids, strata="S", weights=weights)
    return draw_stratified_pips(pop, {"S": 5}, Seed.from_bytes(bytes(range(16))))


def test_certainty_units_contribute_no_variance() -> None:
    """πps: a certainty unit's value moves the total but not its variance."""
    sample = _pips_sample()
    certain = [u.id for u in sample.selection if u.inclusion_probability == 1]
    assert 2 == len(certain)
    values = dict.fromkeys(sample.ids, 1) | {sample.ids[-1]: 0}
    base = estimate_total(sample, values)[None]
    changed = estimate_total(sample, values | {certain[0]: 1000})[None]
    assert base.estimate + 999 == changed.estimate
    assert base.variance == changed.variance
    assert 3 - 1 == base.df  # three units with pi < 1 in one stratum


def test_pips_with_replacement_variance_by_hand() -> None:
    """πps variance: n'/(n'-1) sum (z - zbar)^2 over the non-certainty units."""
    sample = _pips_sample()
    values = {u.id: i % 2 for i, u in enumerate(sample.selection)}
    row = estimate_total(sample, values)[None]
    z = [values[u.id] / float(u.inclusion_probability) for u in sample.selection]
    z = [zi for zi, u in zip(z, sample.selection, strict=True) if u.inclusion_probability < 1]
    mean = sum(z) / len(z)
    expected = len(z) / (len(z) - 1) * sum((zi - mean) ** 2 for zi in z)
    assert math.isclose(expected, row.variance)
    assert row.exact is None  # πps weights: no exact value


def test_exact_matches_float_and_is_none_for_floats() -> None:
    """`exact` is the float estimate in rationals for integer values, None for floats."""
    sample = class_draw({"A": 70, "B": 13}, {"A": 9, "B": 4})
    flags = {u: flag("e", u, Fraction(1, 5)) for u in sample.ids}
    for row in estimate_mean(sample, flags, by="stratum"):
        assert row.exact is not None
        assert math.isclose(float(row.exact), row.estimate)
    floats = {u: float(v) + 0.5 for u, v in flags.items()}
    assert estimate_mean(sample, floats)[None].exact is None


def test_nonresponse_reweight_equals_the_respondent_sample() -> None:
    """nonresponse='reweight' estimates as if the respondents were the SRSWOR sample."""
    chosen = {"A": ("a0", "a1", "a2"), "B": ("b0", "b1", "b2")}
    sample = make_sample({"A": 5, "B": 4}, chosen)
    values = {u: AMOUNT[u] for u in sample.ids if u not in ("a1", "b2")}
    reweighted = estimate_total(sample, values, nonresponse="reweight")
    respondents = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a2"), "B": ("b0", "b1")})
    direct = estimate_total(respondents, values)
    assert direct[None].exact == reweighted[None].exact
    assert math.isclose(direct[None].variance, reweighted[None].variance)
    assert any("reweighted" in note for note in reweighted.notes)


def test_unsampled_stratum_excluded_on_request() -> None:
    """A stratum with no sample is excluded only when asked, and the result says so."""
    sample = make_sample({"A": 5, "B": 4, "C": 7}, {"A": ("a0", "a1"), "B": ("b0", "b1")})
    values = {u: VALUES[u] for u in sample.ids}
    result = estimate_mean(sample, values, unsampled="exclude", estimator="horvitz-thompson")
    assert 9 == result[None].population  # C's 7 units are not covered
    assert ["strata without sampled values, excluded: ['C']"] == list(result.notes)


def test_lonely_options() -> None:
    """n_h = 1: certainty/remove drop the stratum's variance; adjust uses f z^2."""
    sample = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a1"), "B": ("b0",)})
    values = {"a0": 1, "a1": 0, "b0": 1}
    certainty = estimate_total(sample, values, lonely="certainty")[None]
    remove = estimate_total(sample, values, lonely="remove")[None]
    adjust = estimate_total(sample, values, lonely="adjust")[None]
    a_only = 25 * (1 - 2 / 5) * 0.5 / 2
    assert math.isclose(a_only, certainty.variance)
    assert certainty.variance == remove.variance
    assert math.isclose(a_only + (1 - 1 / 4) * 4.0**2, adjust.variance)
    assert ["strata with one sampled unit, lonely='adjust': ['B']"] == list(
        estimate_total(sample, values, lonely="adjust").notes
    )


def test_take_all_stratum_has_no_variance() -> None:
    """A take-all stratum (n_h = M_h, pi = 1) contributes no variance but counts in df."""
    sample = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a1"), "B": ("b0", "b1", "b2", "b3")})
    values = {u: AMOUNT[u] for u in sample.ids}
    by = estimate_total(sample, values, by="stratum")
    assert 0.0 == by["B"].variance
    assert float(sum(AMOUNT[u] for u in UNITS["B"])) == by["B"].estimate
    assert (2 - 1) + (4 - 1) == estimate_total(sample, values)[None].df


def test_intervals() -> None:
    """Wald is symmetric, t wider than normal; Wilson and Clopper-Pearson stay in [0, 1]."""
    sample = class_draw({"A": 500, "D": 60}, {"A": 50, "D": 20})
    flags = {
        u: flag("i", u, Fraction(1, 20) if u[0] == "A" else Fraction(1, 3)) for u in sample.ids
    }
    normal = estimate_mean(sample, flags)[None]
    t = estimate_mean(sample, flags, df="design")[None]
    assert math.isclose(normal.estimate - normal.ci_lower, normal.ci_upper - normal.estimate)
    assert t.ci_upper - t.ci_lower > normal.ci_upper - normal.ci_lower
    for method in ("wilson", "clopper-pearson"):
        for row in estimate_mean(sample, flags, by="stratum", ci=method):
            assert 0 <= row.ci_lower <= row.estimate <= row.ci_upper <= 1
            assert row.ci_sample_size is not None


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_zero_violations_get_an_upper_bound(method: str) -> None:
    """A class without violations (SE 0) gets [0, u] with u > 0, from n* = n (convention)."""
    sample = class_draw({"A": 400, "D": 60}, {"A": 40, "D": 20})
    flags = {u: int(u[0] == "D" and u[-1] in "05") for u in sample.ids}
    row = estimate_mean(sample, flags, by="stratum", ci=method)["A"]
    assert 0.0 == row.estimate == row.standard_error == row.ci_lower
    assert 0.0 < row.ci_upper < 0.15
    assert np.isclose(40 * 1.0, row.ci_sample_size, rtol=0.1)


def test_clopper_pearson_is_the_binomial_interval_without_design_effect() -> None:
    """With df large and deff ~ 1 the interval is close to the exact binomial one."""
    from scipy import stats

    sample = class_draw({"A": 100_000}, {"A": 400}, "cp")
    flags = {u: flag("cp", u, Fraction(1, 10)) for u in sample.ids}
    row = estimate_mean(sample, flags, ci="clopper-pearson")[None]
    hits = sum(flags.values())
    exact = stats.binomtest(hits, 400).proportion_ci(method="exact")
    assert math.isclose(exact.low, row.ci_lower, rel_tol=0.01)
    assert math.isclose(exact.high, row.ci_upper, rel_tol=0.01)


def test_value_types_read_alike() -> None:
    """Python ints, bools, numpy integers and whole Fractions give the same estimates."""
    sample = class_draw({"A": 90, "B": 20}, {"A": 12, "B": 6}, "types")
    flags = {u: flag("t", u, Fraction(1, 4)) for u in sample.ids}
    base = estimate_mean(sample, flags, by="stratum")
    assert base == estimate_mean(sample, {u: bool(v) for u, v in flags.items()}, by="stratum")
    assert base == estimate_mean(sample, {u: np.int64(v) for u, v in flags.items()}, by="stratum")
    assert base == estimate_mean(sample, {u: Fraction(v) for u, v in flags.items()}, by="stratum")
