"""πps design (randomized systematic on tickets): sizes, exact pi, certainty, records."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    Population,
    SampleSizeError,
    Seed,
    make_record,
    verify,
)
from randsample.design import (
    draw_stratified_pips,
    draw_stratified_sampford,
    exact_inclusion_probabilities,
)
from randsample.design._pips import systematic_select
from tests.strategies import seeds, unit_ids

SEED = Seed.from_bytes(bytes(range(16)))


@st.composite
def weighted_populations(draw: st.DrawFn) -> Population:
    ids = draw(st.lists(unit_ids, min_size=1, max_size=40, unique=True))
    strata = [draw(st.sampled_from(["A", "B", "C"])) for _ in ids]
    weights = draw(
        st.lists(
            st.one_of(st.just(0.0), st.floats(0.01, 100.0), st.just(1e4)),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    eligible = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    return Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)


def _feasible(data: st.DataObject, pop: Population) -> dict[str, int]:
    sizes = {}
    for label in pop.stratum_labels():
        mask = (pop.strata == label) & pop.eligible & (pop.weights > 0)
        sizes[label] = data.draw(st.integers(0, int(mask.sum())))
    return sizes


@given(
    st.lists(st.fractions(0, 1), min_size=1, max_size=30),
    st.fractions(0, 1).filter(lambda u: u < 1),
)
def test_systematic_selects_exactly_the_sum(pik, start):
    """With sum(pi) = n (integer), systematic sampling returns exactly n positions, always
    including every pi = 1 and never a pi = 0."""
    total = sum(pik)
    if total.denominator != 1:
        pik = [*pik, 1 - (total - int(total))]  # top up to an integer sum
    chosen = systematic_select(pik, start)
    assert sum(pik) == len(chosen)
    assert all(i in chosen for i, p in enumerate(pik) if p == 1)
    assert all(i not in chosen for i, p in enumerate(pik) if p == 0)


@given(st.data())
def test_sizes_and_exact_probabilities(data):
    """Exactly n_h per stratum; each selected unit carries its capped πps probability;
    certainty units are always in; units of weight 0 never are."""
    pop = data.draw(weighted_populations())
    sizes = _feasible(data, pop)
    sample = draw_stratified_pips(pop, sizes, data.draw(seeds))
    row = {ident: i for i, ident in enumerate(pop.ids.tolist())}
    for label, size in sizes.items():
        chosen = [u for u in sample.selection if u.stratum == label]
        assert size == len(chosen)
        members = [i for i in range(len(pop)) if pop.strata[i] == label and pop.eligible[i]]
        pik = (
            dict(
                zip(
                    members,
                    exact_inclusion_probabilities(pop.weights[members].tolist(), size),
                    strict=True,
                )
            )
            if size
            else {}
        )
        for unit in chosen:
            assert pik[row[unit.id]] == unit.inclusion_probability
            assert pop.weights[row[unit.id]] > 0
        certain = {pop.ids[i] for i, p in pik.items() if p == 1}
        assert certain <= {u.id for u in chosen}


@given(st.data())
def test_order_independent_and_deterministic(data):
    """Row order does not matter; the same seed gives the same sample."""
    pop = data.draw(weighted_populations())
    sizes = _feasible(data, pop)
    order = data.draw(st.permutations(range(len(pop))))
    shuffled = Population.from_columns(
        pop.ids[list(order)],
        strata=pop.strata[list(order)],
        eligible=pop.eligible[list(order)],
        weights=pop.weights[list(order)],
    )
    assert (
        draw_stratified_pips(pop, sizes, SEED).selection
        == draw_stratified_pips(shuffled, sizes, SEED).selection
    )


def test_records_verify_and_name_the_algorithm():
    """A πps draw's record verifies; changing a weight in the population is caught."""
    pop = Population.from_columns(
        [f"e{i}" for i in range(30)],
        strata=["A"] * 20 + ["B"] * 10,
        weights=[float(1 + i % 7) for i in range(30)],
    )
    record = make_record(
        draw_stratified_pips(pop, {"A": 5, "B": 10}, SEED),
        authority="a",
        draw_id="d",
        timestamp="2026-11-27T02:00:00Z",
    )
    assert {"name": "stratified-pips-systematic", "version": 1} == record["algorithm"]
    assert verify(record, pop).ok
    changed = Population.from_columns(
        pop.ids, strata=pop.strata, weights=[*pop.weights.tolist()[:-1], 99.0]
    )
    assert "population.digest" in verify(record, changed).fields


def test_bad_input():
    """No weights, or more units than have a positive weight: typed errors naming the value."""
    pop = Population.from_columns(["a", "b", "c"], strata="A", weights=[1.0, 0.0, 2.0])
    with pytest.raises(SampleSizeError, match=r"sizes\['A'\].*2 eligible units .* weight > 0"):
        draw_stratified_pips(pop, {"A": 3}, SEED)
    with pytest.raises(InvalidInputError, match=r"population\.weights"):
        draw_stratified_pips(Population.from_columns(["a"], strata="A"), {"A": 1}, SEED)
    assert (
        Fraction(1) == draw_stratified_pips(pop, {"A": 2}, SEED).selection[0].inclusion_probability
    )


@pytest.mark.parametrize("draw", [draw_stratified_pips, draw_stratified_sampford])
def test_a_population_that_is_not_one_is_a_typed_error(draw):
    """Anything but a Population is InvalidTypeError naming the argument (not AttributeError)."""
    with pytest.raises(InvalidTypeError, match="population"):
        draw("x", {"A": 1}, Seed.from_bytes(bytes(range(16))))
