"""Bad input fails with a typed randsample error that names the field and the value."""

from __future__ import annotations

import contextlib
import re
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    Population,
    RandsampleError,
    Seed,
    draw_stratified_pips,
)
from randsample.estimation import estimate_mean, estimate_ratio, estimate_total, sample_design
from tests.estimation.helpers import make_sample

SAMPLE = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a1"), "B": ("b0", "b1")})
VALUES = {"a0": 1, "a1": 0, "b0": 1, "b1": 1}


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        (VALUES | {"zz": 1}, InvalidInputError, "values['zz']: is for a unit not in the sample"),
        ({"a0": 1, "a1": 0, "b0": 1}, InvalidInputError, "has no value for 1 sampled unit"),
        (VALUES | {"b1": "yes"}, InvalidTypeError, "values['b1']: expected a number"),
        (VALUES | {"b1": None}, InvalidTypeError, "values['b1']: expected a number"),
        (VALUES | {"b1": float("nan")}, InvalidInputError, "values['b1']: must be a finite"),
        ([1, 0, 1, 1], InvalidTypeError, "values: expected a mapping"),
        (VALUES | {3: 1}, InvalidInputError, "values[3]: is for a unit not in the sample"),
    ],
)
def test_bad_values(values: object, error: type, message: str) -> None:
    """Unknown units, missing values, non-numbers and NaN are refused by name."""
    with pytest.raises(error, match=re.escape(message)):
        estimate_mean(SAMPLE, values)  # type: ignore[arg-type]


def test_missing_values_are_listed() -> None:
    """The error for missing values names the first units and how many more."""
    sample = make_sample({"A": 9}, {"A": tuple(f"a{i}" for i in range(6))})
    with pytest.raises(InvalidInputError, match=r"'a0', 'a1', 'a2' and 3 more"):
        estimate_total(sample, {})


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"by": {"a0": "x"}}, InvalidInputError, "by: has no domain label for 3 sampled"),
        ({"by": dict.fromkeys(VALUES, 3)}, InvalidTypeError, "by['a0']: expected a str"),
        ({"by": dict.fromkeys(VALUES, "")}, InvalidInputError, "by['a0']: must not be empty"),
        ({"by": dict.fromkeys([*VALUES, "q"], "x")}, InvalidInputError, "by['q']: is for a unit"),
        ({"by": "industry"}, InvalidInputError, "by: expected None, 'stratum' or a mapping"),
        (
            {"by": dict.fromkeys(VALUES, "x"), "domains": ["x", "food"]},
            InvalidInputError,
            "domains: is an empty domain",
        ),
        ({"domains": ["x"]}, InvalidInputError, "domains: needs by="),
        ({"lonely": "average"}, InvalidInputError, "lonely: expected one of fail, certainty"),
        ({"unsampled": "skip"}, InvalidInputError, "unsampled: expected one of fail, exclude"),
        ({"nonresponse": "impute"}, InvalidInputError, "nonresponse: expected one of"),
        ({"ci": "logit"}, InvalidInputError, "ci: expected one of wald, wilson"),
        ({"level": 1.5}, InvalidInputError, "level: must be strictly between 0 and 1"),
        ({"level": "95%"}, InvalidTypeError, "level: expected a real number"),
        ({"df": "t"}, InvalidInputError, "df: expected None"),
        ({"estimator": "ht"}, InvalidInputError, "estimator: expected one of hajek"),
        (
            {"estimator": "horvitz-thompson", "by": dict.fromkeys(VALUES, "x")},
            InvalidInputError,
            "estimator: needs each domain's known size",
        ),
        ({"name": 3}, InvalidTypeError, "name: expected a str"),
    ],
)
def test_bad_options(kwargs: dict, error: type, message: str) -> None:
    """Every option is checked up front; the message names it and the value."""
    with pytest.raises(error, match=re.escape(message)):
        estimate_mean(SAMPLE, VALUES, **kwargs)


def test_proportion_intervals_need_0_1_means() -> None:
    """Wilson and Clopper-Pearson are refused for non-0/1 values and for totals."""
    with pytest.raises(InvalidInputError, match="ci: is for proportions"):
        estimate_mean(SAMPLE, VALUES | {"a0": 2}, ci="wilson")
    with pytest.raises(InvalidInputError, match="ci: is for proportions"):
        estimate_total(SAMPLE, VALUES, ci="clopper-pearson")


def test_lonely_stratum_fails_by_default_naming_it() -> None:
    """A stratum with one sampled unit fails by default; the error names the stratum."""
    sample = make_sample({"A": 5, "B": 4}, {"A": ("a0", "a1"), "B": ("b0",)})
    with pytest.raises(InvalidInputError, match=re.escape("design.strata['B']: has one sampled")):
        estimate_mean(sample, {"a0": 1, "a1": 0, "b0": 1})


def test_unsampled_stratum_fails_by_default_naming_it() -> None:
    """Eligible units with no sample: a typed error naming the stratum."""
    sample = make_sample({"A": 5, "C": 3}, {"A": ("a0", "a1")})
    with pytest.raises(InvalidInputError, match=re.escape("design.strata['C']: has no sample")):
        estimate_mean(sample, {"a0": 1, "a1": 0})


def test_nonresponse_reweight_is_refused_for_pips_and_empty_strata() -> None:
    """Reweighting is defined for SRSWOR only; a stratum of non-respondents is an error."""
    pop = Population.from_columns(["a", "b", "c", "d"], strata="A", weights=[1, 2, 3, 4])
    pips = draw_stratified_pips(pop, {"A": 2}, Seed.from_bytes(bytes(range(16))))
    with pytest.raises(InvalidInputError, match="nonresponse: is supported for stratified-srswor"):
        estimate_mean(pips, dict.fromkeys(pips.ids, 1), nonresponse="reweight")
    with pytest.raises(InvalidInputError, match=r"design.strata\['B'\]: has no unit with a value"):
        estimate_mean(SAMPLE, {"a0": 1, "a1": 0}, nonresponse="reweight")


def test_ratio_errors() -> None:
    """Ratio: a zero denominator total in a domain, or values on one side only."""
    with pytest.raises(InvalidInputError, match="denominator: has an estimated total of 0"):
        estimate_ratio(SAMPLE, VALUES, dict.fromkeys(VALUES, 0))
    partial = {"a0": 1, "a1": 0, "b0": 1}
    with pytest.raises(InvalidInputError, match=re.escape("denominator['b1']")):
        estimate_ratio(SAMPLE, partial, VALUES, nonresponse="reweight")


def test_design_type_and_unknown_domain() -> None:
    """A non-design argument and an unknown domain label are typed errors."""
    with pytest.raises(InvalidTypeError, match="design: expected a StratifiedSample"):
        sample_design("record.json")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="domain: is not one of"):
        estimate_mean(SAMPLE, VALUES, by="stratum")["C"]


def test_inconsistent_design_is_refused() -> None:
    """A selection that does not match the stated sizes or pi is a record format error."""
    three = make_sample({"A": 5}, {"A": ("a0", "a1", "a2")})
    bad = attrs.evolve(three, selection=three.selection[:2])
    with pytest.raises(InvalidInputError, match=re.escape("sample.design.strata['A']")):
        sample_design(bad)
    good = make_sample({"A": 5}, {"A": ("a0", "a1")})
    unit = attrs.evolve(good.selection[0], inclusion_probability=Fraction(1, 5))
    bad = attrs.evolve(good, selection=(unit, good.selection[1]))
    with pytest.raises(InvalidInputError, match=re.escape("differs from n_h / M_h = 2/5")):
        sample_design(bad)


junk = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.fractions(),
    st.booleans(),
    st.integers(-5, 5),
)


@given(st.dictionaries(st.sampled_from([*VALUES, "zz", ""]), junk), junk, junk)
def test_no_builtin_error_escapes(values: dict, by: object, level: object) -> None:
    """Whatever is passed, only randsample errors are raised (never a bare TypeError)."""
    with contextlib.suppress(RandsampleError):
        estimate_mean(SAMPLE, values, by=by, level=level)  # type: ignore[arg-type]


def test_huge_values_are_refused() -> None:
    """A value beyond float64 is a typed error on both reading paths (fast and general)."""
    with pytest.raises(InvalidInputError, match="values: has a value too large for float64"):
        estimate_total(SAMPLE, VALUES | {"a0": 10**400})
    with pytest.raises(InvalidInputError, match="values: has a value too large for float64"):
        estimate_total(SAMPLE, VALUES | {"a0": 10**400, "a1": 0.5})
