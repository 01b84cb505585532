"""``records.chain_order``: records given in any order are put in the order of their links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified, make_record
from randsample.records import chain_order

SAMPLE = draw_stratified(
    Population.from_columns(["e1", "e2", "e3"], strata="A"),
    {"A": 1},
    Seed.from_bytes(bytes(range(16))),
)


def _chain(length: int) -> list:
    """``length`` draw records, each chained to the one before."""
    records: list = []
    for day in range(1, length + 1):
        records.append(
            make_record(
                SAMPLE,
                authority="a",
                draw_id=f"d{day}",
                timestamp=f"2026-01-{day:02d}T00:00:00Z",
                previous=records[-1] if records else None,
            )
        )
    return records


CHAIN = _chain(6)


@given(st.permutations(CHAIN))
def test_a_shuffled_chain_is_put_back_in_order(shuffled):
    """Any order of a whole chain gives the chain's order."""
    assert [r["draw_id"] for r in CHAIN] == [r["draw_id"] for r in chain_order(shuffled)]


@given(st.permutations(CHAIN), st.integers(1, len(CHAIN) - 2))
def test_a_chain_with_a_gap_keeps_each_part_in_order(shuffled, gap):
    """Without one record the two parts are each in order; the part whose first record links
    to none of the others comes first in the order given, so nothing is dropped."""
    given_records = [r for r in shuffled if r is not CHAIN[gap]]
    ordered = [r["draw_id"] for r in chain_order(given_records)]
    assert sorted(ordered) == sorted(r["draw_id"] for r in given_records)
    before = [r["draw_id"] for r in CHAIN[:gap]]
    after = [r["draw_id"] for r in CHAIN[gap + 1 :]]
    assert before == [d for d in ordered if d in before]
    assert after == [d for d in ordered if d in after]
