"""Coverage of the confidence intervals over 10,000 of randsample's own seeded draws (slow).

A county of 4,700 enterprises in four credit classes with violation rates of 2% (A), 5%,
12% and 30%. Each enterprise's "true" violation flag is fixed by a hash of a label and its id
(no random state), so the population and its true violation rate are fixed (57, 52, 44 and 62
violators); only the draw varies, as in design-based inference. Seeds come from a label and
the draw number.

How well the Wald interval covers depends on how many violations the sample sees. The estimate
and its estimated variance are positively correlated for rare events, so low estimates get
too-short intervals and the misses are lopsided. An independent check (the same population,
each class's violator count in the sample drawn from its hypergeometric law with numpy,
300,000 replicates) gives the expected coverage of the 95% intervals of the overall rate:

==========================================  ======  ======  ===============
sample (A, B, C, D)                          Wald    Wilson  Clopper-Pearson
==========================================  ======  ======  ===============
1500, 400, 200, 100 (this test; A at 50%)    94.9%   95.0%   95.4%
360, 150, 100, 60 (A at 12%)                 94.3%   94.8%   95.6%
==========================================  ======  ======  ===============

So this test uses the larger design and asserts 94-96% for Wald and Wilson; Clopper-Pearson
is conservative by construction, so its band is 94-97%. With 10,000 draws the Monte Carlo
standard error of a coverage near 95% is 0.22 percentage points. The figures are printed
(``pytest -s``).
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from randsample import Population, Seed, draw_stratified
from randsample.estimation import estimate_mean, sample_design
from tests.estimation.helpers import flag

pytestmark = pytest.mark.slow

DRAWS = 10_000
COUNTS = {"A": 3000, "B": 1000, "C": 500, "D": 200}
SIZES = {"A": 1500, "B": 400, "C": 200, "D": 100}
RATES = {"A": Fraction(2, 100), "B": Fraction(5, 100), "C": Fraction(12, 100)}
RATES |= {"D": Fraction(30, 100)}
BANDS = {"wald": (0.94, 0.96), "wilson": (0.94, 0.96), "clopper-pearson": (0.94, 0.97)}


def _seed(draw: int) -> Seed:
    return Seed.from_bytes(hashlib.sha256(b"randsample coverage draw %d" % draw).digest())


def test_interval_coverage_of_the_overall_violation_rate() -> None:
    """95% intervals of the overall rate cover the true rate in 94-96% of 10,000 draws."""
    ids = [f"{h}{i:05d}" for h, count in COUNTS.items() for i in range(count)]
    strata = [h for h, count in COUNTS.items() for _ in range(count)]
    population = Population.from_columns(ids, strata=strata)
    truth = {u: flag("randsample coverage flags", u, RATES[u[0]]) for u in ids}
    rate = sum(truth.values()) / len(ids)
    covered = dict.fromkeys(BANDS, 0)
    below = 0  # Wald intervals entirely below the true rate
    for draw in range(DRAWS):
        design = sample_design(draw_stratified(population, SIZES, _seed(draw)))
        values = {u: truth[u] for u in design.ids}
        for method in BANDS:
            row = estimate_mean(design, values, ci=method)[None]
            covered[method] += row.ci_lower <= rate <= row.ci_upper
            if method == "wald":
                below += row.ci_upper < rate
    coverage = {method: count / DRAWS for method, count in covered.items()}
    print(
        f"\ntrue rate {rate:.5f}; coverage over {DRAWS:,} draws: {coverage}; "
        f"Wald misses below {below / DRAWS:.4f}, above {1 - coverage['wald'] - below / DRAWS:.4f}"
    )
    for method, (low, high) in BANDS.items():
        assert low <= coverage[method] <= high, (method, coverage[method])
