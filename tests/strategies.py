"""Hypothesis strategies shared by the tests: identifiers, labels, populations, seeds."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from randsample import Population, Seed

_ID_ALPHABET = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd", "Pd", "Pc"),  # letters (incl. CJK), digits, - and _
)


def _acceptable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and text.isprintable()
        and unicodedata.is_normalized("NFC", text)
    )


#: Valid unit identifiers, including CJK characters.
unit_ids = st.text(_ID_ALPHABET, min_size=1, max_size=24).filter(_acceptable)

#: Stratum labels: a credit class or a short label.
stratum_labels = st.one_of(st.sampled_from(["A", "B", "C", "D"]), unit_ids)

#: Seeds from 16-32 random bytes (hypothesis rarely produces low-entropy ones; those that
#: fail the entropy rule are filtered out).
seeds = st.binary(min_size=16, max_size=32).filter(lambda b: len(set(b)) >= 8).map(Seed.from_bytes)


@st.composite
def populations(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 60, max_strata: int = 4
) -> Population:
    """A population with unique ids, a few strata, some ineligible units and maybe weights."""
    ids = draw(st.lists(unit_ids, min_size=min_size, max_size=max_size, unique=True))
    labels = draw(st.lists(stratum_labels, min_size=1, max_size=max_strata, unique=True))
    strata = [draw(st.sampled_from(labels)) for _ in ids]
    eligible = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    weights = draw(
        st.none()
        | st.lists(st.floats(0, 1e6, allow_nan=False), min_size=len(ids), max_size=len(ids))
    )
    return Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)


@st.composite
def feasible_sizes(draw: st.DrawFn, population: Population) -> dict[str, int]:
    """Sample sizes between 0 and each stratum's eligible count."""
    return {label: draw(st.integers(0, m)) for label, m in population.eligible_counts().items()}
