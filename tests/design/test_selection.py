"""``Selection``: the selected units stored by column behave as the tuple of the units."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified, make_record
from randsample.design import SelectedUnit, Selection, StratifiedSample
from randsample.errors import InvalidTypeError

UNITS = st.lists(
    st.builds(
        SelectedUnit,
        id=st.text(min_size=1, max_size=6),
        stratum=st.sampled_from(["A", "B", "高"]),
        rank=st.integers(1, 50),
        ticket=st.binary(min_size=32, max_size=32),
        inclusion_probability=st.fractions(0, 1),
    ),
    max_size=12,
)


@given(UNITS, st.integers(-15, 15), st.integers(-15, 15), st.sampled_from([None, 1, 2, -1]))
def test_a_selection_behaves_as_the_tuple_of_its_units(units, index, stop, step):
    """Length, iteration, indexing (negative too, IndexError past the end), slicing, equality
    and hash are those of the tuple of the units; a pickled copy is equal."""
    expected = tuple(units)
    selection = Selection.of(units)
    assert len(expected) == len(selection)
    assert expected == tuple(selection)
    assert expected[index:stop:step] == selection[index:stop:step]
    if -len(expected) <= index < len(expected):
        assert expected[index] == selection[index]
    else:
        with pytest.raises(IndexError):
            selection[index]
    assert selection == expected
    assert hash(expected) == hash(selection)
    assert selection == pickle.loads(pickle.dumps(selection))
    assert tuple(u.id for u in units) == selection.ids
    assert [u.ticket.hex() for u in units] == selection.ticket_hexes()


@settings(max_examples=40)
@given(UNITS, UNITS)
def test_selections_are_equal_exactly_when_their_units_are(first, second):
    """Two selections are equal exactly when their unit tuples are."""
    assert (tuple(first) == tuple(second)) == (Selection.of(first) == Selection.of(second))


def test_a_sample_built_from_units_stores_a_selection():
    """A sample given a tuple of units (as the partitioned engine builds it) holds a Selection
    equal to that tuple, and so equals the in-memory draw of the same units."""
    pop = Population.from_columns([f"e{i}" for i in range(20)], strata=["A", "B"] * 10)
    sample = draw_stratified(pop, {"A": 3, "B": 2}, Seed.from_bytes(bytes(range(16))))
    assert isinstance(sample.selection, Selection)
    rebuilt = StratifiedSample(
        seed=sample.seed,
        purpose=sample.purpose,
        subkey=sample.subkey,
        population_digest=sample.population_digest,
        population_size=sample.population_size,
        eligible_count=sample.eligible_count,
        strata=sample.strata,
        selection=tuple(sample.selection),
    )
    assert isinstance(rebuilt.selection, Selection)
    assert sample == rebuilt
    record = make_record(sample, authority="a", draw_id="d", timestamp="2026-01-01T00:00:00Z")
    again = make_record(rebuilt, authority="a", draw_id="d", timestamp="2026-01-01T00:00:00Z")
    assert record.to_json() == again.to_json()


def test_bad_columns_and_items_are_type_errors():
    """Columns of different lengths, a ticket of the wrong size, or an item that is not a
    SelectedUnit raise InvalidTypeError."""
    unit = SelectedUnit("e1", "A", 1, bytes(32), Fraction(1, 2))
    with pytest.raises(InvalidTypeError):
        Selection(["e1"], ["A"], [1, 2], bytes(32), [Fraction(1, 2)])
    with pytest.raises(InvalidTypeError):
        Selection(["e1"], ["A"], [1], bytes(31), [Fraction(1, 2)])
    with pytest.raises(InvalidTypeError, match=r"selection\[1\]"):
        Selection.of([unit, ("e2", "A", 2, bytes(32), Fraction(1, 2))])
    short = SelectedUnit("e2", "A", 2, bytes(31), Fraction(1, 2))
    with pytest.raises(InvalidTypeError, match=r"selection\[1\]\.ticket"):
        Selection.of([unit, short])  # not joined and re-cut: that would move bytes between units


def test_a_rule_may_return_its_pairs_as_a_tuple():
    """draw_by_rule takes a rule's (row, pi) pairs as a list or a tuple, of any length, as
    well as the columns (rows, pi)."""
    from randsample.design import draw_by_rule

    pop = Population.from_columns([f"e{i}" for i in range(6)], strata="A")
    seed = Seed.from_bytes(bytes(range(16)))
    expected = draw_stratified(pop, {"A": 3}, seed)

    def pairs(label, members, size, subkey):
        return tuple((int(row), Fraction(size, len(members))) for row in members[:size])

    drawn = draw_by_rule(pop, {"A": 3}, seed, purpose="enterprises", algorithm="x", rule=pairs)
    assert expected.selection == drawn.selection
