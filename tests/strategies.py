"""Hypothesis strategies for randsample's own tests: the ones integrators get.

randsample's tests draw their inputs from :mod:`randsample.testing`, the strategies the
library exports for integrators' property tests, so those strategies are exercised by every
run of this suite. Module-level names keep the tests' imports short.
"""

from __future__ import annotations

from hypothesis import strategies as st

from randsample import testing

#: Valid unit identifiers, including CJK characters.
unit_ids = testing.unit_ids()

#: Stratum labels: a credit class or a short identifier.
stratum_labels = st.one_of(testing.credit_classes(), testing.unit_ids(max_size=8))

#: Seeds of 16-32 random-looking bytes (never refused by the entropy rules).
seeds = testing.seeds()

#: A population with unique ids, a few strata, some ineligible units and maybe weights.
populations = testing.populations

#: Sample sizes between 0 and each stratum's eligible count.
feasible_sizes = testing.feasible_sizes
