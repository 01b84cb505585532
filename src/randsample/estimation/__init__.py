"""Design-based estimation from a draw and its results: rates, totals, ratios, with SEs.

    sample_design      SampleDesign          the draw's strata (M_h, n_h) and each unit's pi
    estimate_total     Horvitz-Thompson      totals (e.g. the number of violators)
    estimate_mean      Hájek / HT            means and proportions (violation rates)
    estimate_ratio     ratio of totals       R = Y / X (R's svyratio)
    Estimates, DomainEstimate                results: summary(), to_rows(), to_pandas()

Each estimator works overall, by design stratum (``by="stratum"``) or by domain (``by=`` a
mapping id -> label), with the design's variance (exact stratified SRSWOR with fpc; the
with-replacement approximation for πps), Wald, Wilson or Clopper-Pearson intervals and Kish's
design effect. docs/howto-estimation.md shows a violation rate by class and overall.
"""

from ._api import estimate_mean, estimate_ratio, estimate_total
from ._frame import SampleDesign, sample_design
from ._results import DomainEstimate, Estimates

__all__ = [
    "DomainEstimate",
    "Estimates",
    "SampleDesign",
    "estimate_mean",
    "estimate_ratio",
    "estimate_total",
    "sample_design",
]
