"""Sampling designs: sizes, allocation, inclusion probabilities, the draws."""

from ._allocation import Allocation, allocate
from ._frontier import plot_rate_frontier, rate_sweep
from ._pips import PIPS_ALGORITHM, draw_stratified_pips, systematic_start
from ._planning import (
    ClassOutlook,
    Outlook,
    RateComparison,
    compare_rates,
    outlook,
    precision,
)
from ._probabilities import exact_inclusion_probabilities, inclusion_probabilities
from ._registry import DESIGNS, Algorithm, algorithm
from ._sampford import (
    SAMPFORD_ALGORITHM,
    SAMPFORD_MAX_TRIALS,
    draw_stratified_sampford,
)
from ._second_order import (
    SAMPFORD_EXACT_LIMIT,
    SYSTEMATIC_EXACT_LIMIT,
    hartley_rao_joint_inclusion,
    sampford_joint_inclusion,
    srswor_joint_inclusion,
    stratified_srswor_joint_inclusion,
    systematic_joint_inclusion,
)
from ._selection import SelectedUnit, Selection
from ._sizing import Rounding, SizeRule, Sizes, StratumSize, parse_rate, sizes_from_rates
from ._srswor import (
    ALGORITHM,
    ALGORITHM_VERSION,
    StratifiedSample,
    StratumSummary,
    draw_by_rule,
    draw_stratified,
)
from ._targets import sizes_for_precision

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "DESIGNS",
    "PIPS_ALGORITHM",
    "SAMPFORD_ALGORITHM",
    "SAMPFORD_EXACT_LIMIT",
    "SAMPFORD_MAX_TRIALS",
    "SYSTEMATIC_EXACT_LIMIT",
    "Algorithm",
    "Allocation",
    "ClassOutlook",
    "Outlook",
    "RateComparison",
    "Rounding",
    "SelectedUnit",
    "Selection",
    "SizeRule",
    "Sizes",
    "StratifiedSample",
    "StratumSize",
    "StratumSummary",
    "algorithm",
    "allocate",
    "compare_rates",
    "draw_by_rule",
    "draw_stratified",
    "draw_stratified_pips",
    "draw_stratified_sampford",
    "exact_inclusion_probabilities",
    "hartley_rao_joint_inclusion",
    "inclusion_probabilities",
    "outlook",
    "parse_rate",
    "plot_rate_frontier",
    "precision",
    "rate_sweep",
    "sampford_joint_inclusion",
    "sizes_for_precision",
    "sizes_from_rates",
    "srswor_joint_inclusion",
    "stratified_srswor_joint_inclusion",
    "systematic_joint_inclusion",
    "systematic_start",
]
