"""The biased foils live in randsample.fairness.foils only, say so, and check their arguments."""

from __future__ import annotations

import pytest

import randsample.fairness
from randsample.errors import InvalidInputError, SampleSizeError
from randsample.fairness import foils, run_seed
from randsample.fairness.foils import numpy_weighted_choice, pandas_weighted_sample

from .test_fairness import IDS, WEIGHTS

FOILS = {
    "NumpyWeightedChoice",
    "PandasWeightedSample",
    "numpy_weighted_choice",
    "pandas_weighted_sample",
}


def test_foils_are_a_public_module_of_their_own():
    """The foils are foils.__all__ and not in the fairness namespace."""
    assert FOILS == set(foils.__all__)
    assert set() == FOILS & set(randsample.fairness.__all__)
    assert not hasattr(randsample.fairness, "numpy_weighted_choice")


def test_foils_say_they_are_biased():
    """The module docstring warns plainly: biased, not verifiable, foils only."""
    doc = foils.__doc__ or ""
    assert doc.startswith("Deliberately biased samplers, kept only as foils")
    assert "not verifiable" in doc
    assert "Do not use these to draw a sample" in doc


def test_comparison_sampler_arguments_are_checked():
    """Foil factories refuse mismatched, negative or too few weights."""
    with pytest.raises(InvalidInputError, match="weights: must have one weight per id"):
        numpy_weighted_choice(["a", "b"], [1], 1)
    with pytest.raises(InvalidInputError, match=r"weights\[1\]: must be finite and >= 0"):
        pandas_weighted_sample(["a", "b"], [1, -1], 1)
    with pytest.raises(SampleSizeError, match="n: must be between 0 and the 1 positive"):
        numpy_weighted_choice(["a", "b"], [1, 0], 2)


def test_comparison_samplers_are_seeded_by_the_seed_only():
    """The same seed gives the same foil draw, of n distinct ids."""
    draw = numpy_weighted_choice(IDS, WEIGHTS, 3)
    seed = run_seed("same", 0)
    assert draw(seed) == draw(seed)
    assert 3 == len(set(draw(seed)))
    pytest.importorskip("pandas")
    pandas_draw = pandas_weighted_sample(IDS, WEIGHTS, 3)
    assert pandas_draw(seed) == pandas_draw(seed)
