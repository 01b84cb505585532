"""Fairness benchmark: whether a design gives every unit its stated chance.

:func:`run_design` runs a sampling design over ``runs`` seeds derived deterministically from a
label (:func:`run_seed`), counts how often each unit is included and compares every count
with the unit's stated inclusion probability ``pi``:

* per unit, the standardized deviation ``z = (k - R pi) / sqrt(R pi (1 - pi))`` and the
  two-sided exact binomial p-value (as :func:`scipy.stats.binomtest` defines it, computed over
  arrays), Holm-adjusted (:func:`holm`) over the units with ``0 < pi < 1`` so that ``alpha``
  is a family-wise error rate;
* units with ``pi = 0`` or ``pi = 1`` are checked exactly: a single run that leaves out a
  take-all unit or includes an impossible one flags it (``z = +-inf``, p-value 0);
* per stratum (when ``strata`` is given), the sum of squared ``z`` with ``df`` = the number of
  units of the stratum with ``0 < pi < 1``, referred to a chi-square distribution.

Each run's count of a unit is Binomial(R, pi) exactly whatever the design, because the runs
use independent seeds; the per-unit tests are therefore exact and do not depend on how the
units of one draw are correlated. The per-stratum sum of squares does: it is the Pearson
statistic only for a Poisson design (independent inclusions). In a fixed-size design the
inclusion indicators of a stratum sum to ``n_h`` in every run, so the ``z`` are negatively
correlated and constrained (``sum sqrt(pi(1-pi)) z = 0``); the sum keeps mean ``df`` but has a
larger variance than chi-square(df) (for simple random sampling of ``M`` units it is about
``M/(M-1)`` times a chi-square with ``M - 1`` df). Its upper tail is heavier, so the reported
p-value is *anticonservative* (too small) for fixed-size designs, most for small strata
(for ``M = 2`` a nominal 1% test rejects about 3% of the time). It is reported as a
diagnostic; :attr:`FairnessResult.passed` uses only the per-unit Holm tests.

:func:`assess_counts` is the statistics alone, for counts gathered elsewhere;
:func:`check_assignment` applies the benchmark to inspector-team draws. Progress is reported
through an optional ``progress(done, total)`` callback (:func:`tqdm_progress` draws a bar with
the ``progress`` extra). The deliberately biased samplers that the benchmark is shown to catch
live in :mod:`randsample.fairness.foils`.

Everything is a pure function of the arguments: the seeds come from the label, never from a
clock or global random state.

>>> from fractions import Fraction
>>> from functools import partial
>>> from randsample import Population, draw_stratified
>>> pop = Population.from_columns(["a", "b", "c", "d"], strata="A")
>>> design = partial(draw_stratified, pop, {"A": 2})
>>> result = run_design(design, {u: Fraction(1, 2) for u in "abcd"}, runs=200)
>>> result.passed, [u.count for u in result.units]
(True, [90, 110, 98, 102])
"""

from ._assignment import AssignmentDraw, check_assignment
from ._progress import TqdmProgress, tqdm_progress
from ._result import FairnessResult, StratumResult, UnitResult
from ._runner import run_design, run_seed
from ._statistics import assess_counts, holm

__all__ = [
    "AssignmentDraw",
    "FairnessResult",
    "StratumResult",
    "TqdmProgress",
    "UnitResult",
    "assess_counts",
    "check_assignment",
    "holm",
    "run_design",
    "run_seed",
    "tqdm_progress",
]
