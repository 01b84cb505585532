"""The bulk stratum-label check and the cached stratum codes equal their plain definitions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import Population
from randsample.core import check_id
from randsample.errors import RandsampleError

_LABELS = st.sampled_from(["A", "B", "乙", "甲类", " A", "", "A\t", "e\u0301", 3, None, b"A"])


def _plain_check(strata: list[object]) -> str | None:
    """The row-by-row rule: the message of the first bad label's error, or None."""
    for index, value in enumerate(strata):
        try:
            check_id(value, field=f"strata[{index}]")
        except RandsampleError as exc:
            return f"{type(exc).__name__}: {exc}"
    return None


@given(st.lists(_LABELS, min_size=1, max_size=40))
def test_labels_are_checked_as_row_by_row(strata):
    """from_columns refuses exactly the label lists the row-by-row check refuses, naming the
    same first bad row with the same error; otherwise the codes index the sorted labels."""
    ids = [f"u{i}" for i in range(len(strata))]
    expected = _plain_check(strata)
    if expected is not None:
        with pytest.raises(RandsampleError) as caught:
            Population.from_columns(ids, strata=strata)
        assert expected == f"{type(caught.value).__name__}: {caught.value}"
        return
    population = Population.from_columns(ids, strata=strata)
    labels, codes = population.stratum_codes()
    assert tuple(sorted(set(strata))) == labels == population.stratum_labels()
    assert strata == [labels[c] for c in codes.tolist()]
    assert not codes.flags.writeable


@given(st.lists(st.sampled_from(["A", "B", "乙"]), min_size=1, max_size=40), st.data())
def test_eligible_counts_and_codes_after_evolve(strata, data):
    """eligible_counts equals counting row by row, also on a population whose eligibility was
    replaced (its codes are recomputed, not carried over)."""
    eligible = data.draw(st.lists(st.booleans(), min_size=len(strata), max_size=len(strata)))
    base = Population.from_columns([f"u{i}" for i in range(len(strata))], strata=strata)
    for population in (
        Population.from_columns(base.ids, strata=strata, eligible=eligible),
        base.with_eligibility(np.array(eligible, dtype=bool)),
    ):
        expected = dict.fromkeys(sorted(set(strata)), 0)
        for label, ok in zip(strata, eligible, strict=True):
            expected[label] += ok
        assert expected == population.eligible_counts()
