"""Statistical tests of team-assignment v1: with slack capacities every eligible inspector is
on a visit with probability c_pD / |E_pD|, and every c_pD-subset is equally likely.

Marked ``slow``. The seeds are fixed (SHA-256 of a counter), so each test is deterministic;
``ALPHA`` says how often a *correct* sampler would fail on a fresh set of seeds. A negative
control (capacities that bind) shows that the same check rejects a non-uniform assignment.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

import pytest
from scipy import stats

from randsample import Seed
from randsample.teams import (
    Conflicts,
    Directory,
    Inspector,
    Relation,
    Visit,
    assign_inspectors,
    estimate_marginals,
    target_marginals,
)

pytestmark = pytest.mark.slow

RUNS = 20_000
PAIR_RUNS = 6_000
ALPHA = 1e-3  # per check; there are three checks that must pass and one that must fail
DAY = datetime.date(2026, 3, 2)
FOOD, DRUGS = "食品", "药品"


def _seed(run: int) -> Seed:
    return Seed.from_bytes(
        hashlib.sha256(b"randsample assignment statistical test %d" % run).digest()
    )


def _food(ident: str, capacity: int = 10, **kw: object) -> Inspector:
    categories = kw.get("categories", {"餐饮"})
    days_off = kw.get("days_off", frozenset())
    return Inspector(
        id=ident,
        department=FOOD,
        certified=True,
        categories=categories,
        home_region="north",
        capacity=capacity,
        days_off=days_off,
    )  # type: ignore[arg-type]


# Visit V-1 is joint: food (lead) supplies 2 of its 6 eligible inspectors (F-6 is a relative
# of the enterprise, F-7 is off that day), drugs supplies 1 of 4. V-2 shares the food
# inspectors; capacities (10) exceed the number of visits, so no capacity can bind.
STAFF = [_food(f"F-{k}") for k in range(6)] + [
    _food("F-6"),
    _food("F-7", days_off={DAY}),
    *(
        Inspector(
            id=f"D-{k}",
            department=DRUGS,
            certified=True,
            categories={"零售"},
            home_region="north",
            capacity=10,
        )
        for k in range(4)
    ),
]
DIRECTORY = Directory(STAFF)
VISITS = [
    Visit(
        visit_id="V-1",
        enterprise_id="E-1",
        enterprise_region="south",
        date=DAY,
        departments=(FOOD, DRUGS),
        items={FOOD: {"餐饮"}, DRUGS: {"零售"}},
        team_size=3,
        lead=FOOD,
    ),
    Visit(
        visit_id="V-2",
        enterprise_id="E-2",
        enterprise_region="south",
        date=DAY,
        departments=(FOOD,),
        items={FOOD: {"餐饮"}},
    ),
]
CONFLICTS = Conflicts(relations=[Relation("F-6", "E-1", "relative")])
FOOD_ELIGIBLE = [f"F-{k}" for k in range(6)]
DRUG_ELIGIBLE = [f"D-{k}" for k in range(4)]


def sampling_pvalue(counts: Sequence[int], runs: int, chosen: int) -> float:
    """Chi-square p-value for "each of E units is chosen with probability chosen/E".

    Each run chooses ``chosen`` distinct units, so counts are not multinomial: each has
    variance ``runs p (1-p)`` and two counts have covariance ``-runs p (1-p) / (E-1)``. The
    statistic ``sum (O - runs p)^2 (E-1) / (runs p (1-p) E)`` is then asymptotically
    chi-square with ``E - 1`` degrees of freedom (it is Pearson's statistic when chosen = 1).
    """
    size = len(counts)
    p = chosen / size
    expected = runs * p
    statistic = sum((c - expected) ** 2 for c in counts) * (size - 1) / (runs * p * (1 - p) * size)
    return float(stats.chi2.sf(statistic, size - 1))


@pytest.fixture(scope="module")
def estimate():  # type: ignore[no-untyped-def]
    return estimate_marginals(
        DIRECTORY, VISITS, [_seed(run) for run in range(RUNS)], conflicts=CONFLICTS
    )


def test_targets_are_uniform_and_exact() -> None:
    """The stated targets are c_pD / |E_pD| and no capacity binds."""
    targets = target_marginals(DIRECTORY, VISITS, conflicts=CONFLICTS)
    assert not targets.capacity_binding
    assert {Fraction(2, 6)} == {targets.probabilities[("V-1", i)] for i in FOOD_ELIGIBLE}
    assert {Fraction(1, 4)} == {targets.probabilities[("V-1", i)] for i in DRUG_ELIGIBLE}
    assert ("V-1", "F-6") not in targets.probabilities  # conflicted: probability 0
    assert ("V-1", "F-7") not in targets.probabilities  # unavailable: probability 0


def test_each_eligible_inspector_is_drawn_with_probability_c_over_e(estimate) -> None:
    """Over 20,000 seeds the frequencies match 2/6 (food) and 1/4 (drugs) on V-1."""
    assert RUNS == estimate.runs
    food = [estimate.counts[("V-1", i)] for i in FOOD_ELIGIBLE]
    drugs = [estimate.counts[("V-1", i)] for i in DRUG_ELIGIBLE]
    assert 2 * RUNS == sum(food)
    assert RUNS == sum(drugs)
    assert sampling_pvalue(food, RUNS, 2) > ALPHA
    assert sampling_pvalue(drugs, RUNS, 1) > ALPHA
    other = [estimate.counts[("V-2", i)] for i in [*FOOD_ELIGIBLE, "F-6"]]
    assert sampling_pvalue(other, RUNS, 2) > ALPHA  # F-6's relation is with E-1 only
    assert 0 == estimate.frequency("V-2", "F-7")  # off that day


def test_every_pair_of_food_inspectors_is_equally_likely() -> None:
    """The food members of V-1 are a simple random sample: all 15 pairs equally frequent."""
    pairs: Counter[tuple[str, ...]] = Counter()
    for run in range(PAIR_RUNS):
        result = assign_inspectors(DIRECTORY, VISITS, _seed(run), conflicts=CONFLICTS)
        pairs[result.team("V-1").of(FOOD)] += 1
    observed = [pairs[pair] for pair in combinations(FOOD_ELIGIBLE, 2)]
    assert PAIR_RUNS == sum(observed)
    assert stats.chisquare(observed).pvalue > ALPHA


def test_negative_control_binding_capacity_is_detected() -> None:
    """With a capacity that binds, the same check rejects uniformity, as documented.

    X is eligible for both visits but can serve one; V-b has only three eligible inspectors,
    so it takes X more often than V-a does. The targets flag the binding capacity.
    """
    staff = [
        _food("X", capacity=1, categories={"餐饮", "生产"}),
        *(_food(f"Y{k}") for k in range(3)),
        *(_food(f"Z{k}", categories={"生产"}) for k in range(2)),
    ]
    directory = Directory(staff)
    visits = [
        Visit(
            visit_id="V-a",
            enterprise_id="E-1",
            enterprise_region="south",
            date=DAY,
            departments=(FOOD,),
            items={FOOD: {"餐饮"}},
        ),
        Visit(
            visit_id="V-b",
            enterprise_id="E-2",
            enterprise_region="south",
            date=DAY,
            departments=(FOOD,),
            items={FOOD: {"生产"}},
        ),
    ]
    assert target_marginals(directory, visits).capacity_binding
    seeds = [_seed(run) for run in range(RUNS // 4)]
    estimate = estimate_marginals(directory, visits, seeds)
    counts = [estimate.counts[("V-a", i)] for i in ("X", "Y0", "Y1", "Y2")]
    assert sampling_pvalue(counts, len(seeds), 2) < ALPHA
