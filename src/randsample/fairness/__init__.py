"""Fairness benchmark: whether a design gives every unit its stated chance."""

from ._runner import (
    AssignmentDraw,
    FairnessResult,
    NumpyWeightedChoice,
    PandasWeightedSample,
    StratumResult,
    UnitResult,
    assess_counts,
    check_assignment,
    holm,
    numpy_weighted_choice,
    pandas_weighted_sample,
    run_design,
    run_seed,
)

__all__ = [
    "AssignmentDraw",
    "FairnessResult",
    "NumpyWeightedChoice",
    "PandasWeightedSample",
    "StratumResult",
    "UnitResult",
    "assess_counts",
    "check_assignment",
    "holm",
    "numpy_weighted_choice",
    "pandas_weighted_sample",
    "run_design",
    "run_seed",
]
