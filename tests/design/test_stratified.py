"""Stratified SRSWOR on tickets: sizes, subsets, determinism, order independence, nesting."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    Population,
    SampleSizeError,
    Seed,
    draw_stratified,
    ticket_order,
    tickets,
)
from tests.strategies import feasible_sizes, populations, seeds

SEED = Seed.from_bytes(bytes(range(16)))


def _reordered(pop: Population, order: list[int]) -> Population:
    return Population.from_columns(
        pop.ids[order],
        strata=pop.strata[order],
        eligible=pop.eligible[order],
        weights=None if pop.weights is None else pop.weights[order],
    )


@given(st.data())
def test_sizes_subset_eligibility_and_probabilities(data):
    """Each stratum gets exactly n_h distinct eligible units, each with pi = n_h / M_h."""
    pop = data.draw(populations())
    sizes = data.draw(feasible_sizes(pop))
    seed = data.draw(seeds)
    sample = draw_stratified(pop, sizes, seed)
    ids = list(sample.ids)
    assert len(ids) == len(set(ids))
    row = {ident: i for i, ident in enumerate(pop.ids.tolist())}
    for label, size in sizes.items():
        chosen = [u for u in sample.selection if u.stratum == label]
        assert size == len(chosen)
        eligible = int(pop.eligible[pop.strata == label].sum())
        for unit in chosen:
            assert pop.strata[row[unit.id]] == label
            assert pop.eligible[row[unit.id]]
            assert Fraction(size, eligible) == unit.inclusion_probability
        assert list(range(1, size + 1)) == [u.rank for u in chosen]


@given(st.data())
def test_determinism_and_order_independence(data):
    """Same seed and population in any row order: the same sample, ranks and tickets."""
    pop = data.draw(populations())
    sizes = data.draw(feasible_sizes(pop))
    seed = data.draw(seeds)
    order = data.draw(st.permutations(range(len(pop))))
    first = draw_stratified(pop, sizes, seed)
    again = draw_stratified(pop, sizes, seed)
    shuffled = draw_stratified(_reordered(pop, list(order)), sizes, seed)
    assert first.selection == again.selection == shuffled.selection


@given(st.data())
def test_selected_units_have_the_smallest_tickets(data):
    """The sample of a stratum is its n_h eligible units of smallest ticket (spec section 5)."""
    pop = data.draw(populations())
    sizes = data.draw(feasible_sizes(pop))
    sample = draw_stratified(pop, sizes, SEED)
    subkey = SEED.subkey("enterprises")
    for label, size in sizes.items():
        members = [i for i in range(len(pop)) if pop.strata[i] == label and pop.eligible[i]]
        ids = [pop.ids[i] for i in members]
        if not ids:
            continue
        order = ticket_order(tickets(subkey, ids), ids=ids)
        expected = [ids[i] for i in order[:size]]
        assert expected == [u.id for u in sample.selection if u.stratum == label]


@given(st.data())
def test_partition_and_merge_gives_the_same_sample(data):
    """Ranking disjoint parts separately and merging by ticket reproduces the whole draw."""
    pop = data.draw(populations(min_size=2))
    sizes = data.draw(feasible_sizes(pop))
    parts = data.draw(st.integers(2, 4))
    assignment = data.draw(
        st.lists(st.integers(0, parts - 1), min_size=len(pop), max_size=len(pop))
    )
    subkey = SEED.subkey("enterprises")
    # Each part computes its own tickets only; the merge keeps the n_h smallest per stratum.
    candidates: dict[str, list[tuple[bytes, str]]] = {}
    for part in range(parts):
        rows = [i for i in range(len(pop)) if assignment[i] == part and pop.eligible[i]]
        if not rows:
            continue
        part_tickets = tickets(subkey, [pop.ids[i] for i in rows])
        for i, t in zip(rows, part_tickets, strict=True):
            candidates.setdefault(pop.strata[i], []).append((bytes(t), pop.ids[i]))
    merged = []
    for label in sorted(sizes):
        ranked = sorted(candidates.get(label, []), key=lambda c: (c[0], c[1].encode()))
        merged.extend(ident for _, ident in ranked[: sizes[label]])
    assert tuple(merged) == draw_stratified(pop, sizes, SEED).ids


@given(st.data())
def test_nesting_larger_sample_contains_smaller(data):
    """Same seed: within a stratum a larger n_h's sample contains a smaller one's."""
    pop = data.draw(populations())
    small = data.draw(feasible_sizes(pop))
    large = {
        label: data.draw(st.integers(n, int(pop.eligible[pop.strata == label].sum())))
        for label, n in small.items()
    }
    assert set(draw_stratified(pop, small, SEED).ids) <= set(draw_stratified(pop, large, SEED).ids)


def test_take_all_and_zero():
    """n_h = M_h takes every eligible unit with pi = 1; n_h = 0 takes none."""
    pop = Population.from_columns(
        ["a1", "a2", "d1", "d2", "d3"],
        strata=["A", "A", "D", "D", "D"],
        eligible=[True, True, True, False, True],
    )
    sample = draw_stratified(pop, {"A": 0, "D": 2}, SEED)
    assert {"d1", "d3"} == set(sample.ids)
    assert all(Fraction(1) == u.inclusion_probability for u in sample.selection)


def test_stratum_without_units_may_have_size_zero_only():
    """Naming an absent stratum with n = 0 is allowed; with n > 0 it is an error."""
    pop = Population.from_columns(["a1"], strata="A")
    assert () == draw_stratified(pop, {"A": 0, "Z": 0}, SEED).ids
    with pytest.raises(SampleSizeError, match=r"sizes\['Z'\].*0 eligible units"):
        draw_stratified(pop, {"A": 0, "Z": 1}, SEED)


@pytest.mark.parametrize(
    ("sizes", "error", "fragment"),
    [
        ({"A": 3, "B": 0}, SampleSizeError, "exceeds the 2 eligible units of stratum 'A'"),
        ({"A": -1, "B": 0}, SampleSizeError, "sizes\\['A'\\]: must be >= 0"),
        ({"A": 1}, InvalidInputError, "no sample size for stratum 'B'"),
        ({"A": 1.0, "B": 0}, InvalidTypeError, "sizes\\['A'\\]"),
        ({"A": True, "B": 0}, InvalidTypeError, "sizes\\['A'\\]"),
        ({"A": 1, "B": 2}, SampleSizeError, "1 units, 1 ineligible"),
        ([("A", 1)], InvalidTypeError, "sizes"),
    ],
)
def test_impossible_or_malformed_sizes(sizes, error, fragment):
    """Impossible requests fail loudly, naming the stratum and the value."""
    pop = Population.from_columns(
        ["a1", "a2", "b1"], strata=["A", "A", "B"], eligible=[True, True, False]
    )
    with pytest.raises(error, match=fragment):
        draw_stratified(pop, sizes, SEED)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"strata": ["A"]}, "strata: must have one label per unit"),
        ({"strata": ["A", " B"]}, "strata\\[1\\]"),
        ({"strata": ["A", 3]}, "strata\\[1\\]"),
        ({"strata": ["A", ["B"]]}, "strata\\[1\\]"),
        ({"strata": "A", "eligible": [True, 1]}, "eligible\\[1\\]"),
        ({"strata": "A", "weights": [1.0, float("nan")]}, "weights\\[1\\]"),
        ({"strata": "A", "weights": [1.0, -2.0]}, "weights\\[1\\]"),
        ({"strata": "A", "id_scheme": "uuid"}, "id_scheme"),
    ],
)
def test_bad_population_columns(kwargs, fragment):
    """Population columns are validated with the row named; nothing is coerced."""
    with pytest.raises((InvalidInputError, InvalidTypeError), match=fragment):
        Population.from_columns(["x", "y"], **kwargs)


def test_population_arrays_are_read_only():
    """A population cannot be changed behind a draw record's back."""
    pop = Population.from_columns(["x"], strata="A")
    with pytest.raises(ValueError, match="read-only"):
        pop.eligible[0] = False


def test_population_digest_covers_every_field():
    """Changing an id, stratum, eligibility or weight changes the digest; row order does not."""
    base = {"strata": ["A", "B"], "eligible": [True, True], "weights": [1.0, 2.0]}
    digest = Population.from_columns(["x", "y"], **base).digest()
    variants = [
        Population.from_columns(["x", "z"], **base),
        Population.from_columns(["x", "y"], **{**base, "strata": ["A", "A"]}),
        Population.from_columns(["x", "y"], **{**base, "eligible": [True, False]}),
        Population.from_columns(["x", "y"], **{**base, "weights": [1.0, 2.5]}),
        Population.from_columns(["x", "y"], strata=["A", "B"]),
    ]
    assert len({digest, *(p.digest() for p in variants)}) == 6
    swapped = Population.from_columns(["y", "x"], strata=["B", "A"], weights=[2.0, 1.0])
    assert digest == swapped.digest()


def test_summary_is_readable():
    """The summary lists every stratum with its counts and exact rate."""
    pop = Population.from_columns([f"u{i}" for i in range(8)], strata=["A"] * 6 + ["D"] * 2)
    text = draw_stratified(pop, {"A": 1, "D": 2}, SEED).summary()
    assert "16.67%" in text
    assert "100.00%" in text
    assert np.all([label in text for label in ("A", "D", "total")])


def test_uscc_scheme_is_opt_in_per_population():
    """Opaque ids accept anything well-formed; id_scheme='uscc' checks every code, naming the
    row and position; 'uscc-lenient' accepts a legacy code failing the check character."""
    bad_check = "91350100M000100Y4X"  # valid except position 18 (expected '3')
    assert 1 == len(Population.from_columns([bad_check], strata="A"))
    with pytest.raises(InvalidInputError, match=r"ids\[1\]: position 18"):
        Population.from_columns(["91350100M000100Y43", bad_check], strata="A", id_scheme="uscc")
    lenient = Population.from_columns([bad_check], strata="A", id_scheme="uscc-lenient")
    assert "uscc-lenient" == lenient.id_scheme
    with pytest.raises(InvalidInputError, match="18 characters"):
        Population.from_columns(["E001"], strata="A", id_scheme="uscc-lenient")


def test_to_pandas_carries_exact_and_float_probabilities():
    """The DataFrame has one row per selected unit, float pi and 1/pi, and the exact pi."""
    pd = pytest.importorskip("pandas")
    pop = Population.from_columns([f"u{i}" for i in range(7)], strata=["A"] * 6 + ["D"])
    sample = draw_stratified(pop, {"A": 2, "D": 1}, SEED)
    frame = sample.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(sample.ids) == frame["id"].tolist()
    assert ["1/3", "1/3", "1"] == frame["inclusion_probability_exact"].tolist()
    assert [3.0, 3.0, 1.0] == frame["design_weight"].tolist()
    assert [False, False, True] == frame["take_all"].tolist()
