"""Strategies for units, populations, seeds and designs."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from hypothesis import strategies as st

from ..core import MIN_SEED_BYTES, Seed
from ..population import CREDIT_CLASSES, Population

__all__ = ["credit_classes", "designs", "feasible_sizes", "populations", "seeds", "unit_ids"]

_ID_ALPHABET = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd", "Pd", "Pc"),  # letters (incl. CJK), digits, - and _
)
#: A few regions, so that the same-locality conflict rule actually applies sometimes.
REGIONS: tuple[str, ...] = ("north", "south", "east", "城关镇")


def _acceptable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and text.isprintable()
        and unicodedata.is_normalized("NFC", text)
    )


def unit_ids(*, max_size: int = 24) -> st.SearchStrategy[str]:
    """Return a strategy for valid identifiers (unit ids, labels), CJK included.

    Identifiers are what :func:`randsample.core.check_id` accepts: non-empty, NFC,
    printable, no surrounding whitespace.

    >>> from randsample.core import check_id
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(unit_ids())
    ... def check(ident):
    ...     assert check_id(ident) == ident
    >>> check()
    """
    return st.text(_ID_ALPHABET, min_size=1, max_size=max_size).filter(_acceptable)


def credit_classes() -> st.SearchStrategy[str]:
    """Return a strategy for the credit-risk classes ``"A"`` (low risk) to ``"D"`` (high).

    >>> sorted(set(CREDIT_CLASSES))
    ['A', 'B', 'C', 'D']
    """
    return st.sampled_from(CREDIT_CLASSES)


@st.composite
def populations(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 60,
    strata: Sequence[str] | None = None,
    with_weights: bool | None = None,
    all_eligible: bool = False,
) -> Population:
    """Return a strategy for populations: unique ids, a few strata, eligibility, weights.

    Parameters
    ----------
    min_size, max_size : int
        Bounds on the number of units (``min_size`` at least 1).
    strata : sequence of str, optional
        Labels to use. Every label is given to at least one unit when there are enough units
        (so a design naming every label fits the population if ``min_size >= len(strata)``).
        Default: a few labels, credit classes or arbitrary identifiers.
    with_weights : bool, optional
        True: always weights (finite, >= 0); False: never; None (default): either.
    all_eligible : bool
        Make every unit eligible (default: some units may be ineligible).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(populations(min_size=4, strata=CREDIT_CLASSES, with_weights=False))
    ... def check(population):
    ...     assert population.stratum_labels() == CREDIT_CLASSES
    ...     assert population.weights is None
    >>> check()
    """
    if strata is None:
        labels = draw(
            st.lists(
                st.one_of(credit_classes(), unit_ids(max_size=8)),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
    else:
        labels = list(strata)
    ids = draw(
        st.lists(
            unit_ids(), min_size=max(min_size, 1), max_size=max(max_size, min_size), unique=True
        )
    )
    n = len(ids)
    # The first units take every label in turn, so that each label is used when n allows.
    assigned = [labels[i] for i in range(min(n, len(labels)))]
    assigned += [draw(st.sampled_from(labels)) for _ in range(n - len(assigned))]
    eligible = [True] * n if all_eligible else draw(st.lists(st.booleans(), min_size=n, max_size=n))
    weighted = draw(st.booleans()) if with_weights is None else with_weights
    weights = (
        draw(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=n, max_size=n))
        if weighted
        else None
    )
    return Population.from_columns(ids, strata=assigned, eligible=eligible, weights=weights)


@st.composite
def feasible_sizes(draw: st.DrawFn, population: Population) -> dict[str, int]:
    """Return a strategy for sample sizes: per stratum, 0 to its eligible count.

    >>> from hypothesis import given, settings
    >>> pop = Population.from_columns(["a", "b", "c"], strata=["A", "A", "B"])
    >>> @settings(max_examples=10, database=None)
    ... @given(feasible_sizes(pop))
    ... def check(sizes):
    ...     assert 0 <= sizes["A"] <= 2 and 0 <= sizes["B"] <= 1
    >>> check()
    """
    return {label: draw(st.integers(0, m)) for label, m in population.eligible_counts().items()}


def seeds() -> st.SearchStrategy[Seed]:
    """Return a strategy for seeds of 16 to 32 distinct random bytes (never low-entropy).

    >>> Seed.from_bytes(bytes(range(16))).value.hex()
    '000102030405060708090a0b0c0d0e0f'
    """
    return st.lists(
        st.integers(0, 255), min_size=MIN_SEED_BYTES, max_size=2 * MIN_SEED_BYTES, unique=True
    ).map(lambda values: Seed.from_bytes(bytes(values)))


def _percent(hundredths: int) -> str:
    whole, part = divmod(hundredths, 100)
    return f"{whole}%" if not part else f"{whole}.{part:02d}".rstrip("0") + "%"


def designs(
    *, strata: Sequence[str] = CREDIT_CLASSES, max_rate: int = 100
) -> st.SearchStrategy[dict[str, str]]:
    """Return a strategy for per-stratum rates written as the plan writes them (``"3%"``).

    Rates are multiples of 0.01% between 0% and ``max_rate``%; every label of ``strata``
    gets one. The result is accepted by ``Task(rates=...)`` and
    :func:`randsample.design.sizes_from_rates` for a population with exactly these strata.

    >>> _percent(300), _percent(250), _percent(5), _percent(10000)
    ('3%', '2.5%', '0.05%', '100%')
    """
    rate = st.integers(0, 100 * max_rate).map(_percent)
    return st.fixed_dictionaries(dict.fromkeys(strata, rate))
