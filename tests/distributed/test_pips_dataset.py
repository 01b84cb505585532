"""πps draws on partitions (systematic and Sampford) equal the single-process draws, byte for
byte, whatever the partitioning; their records verify on partitions; bad input fails as in a
local draw."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population, Seed, make_record, verify
from randsample.design import (
    PIPS_ALGORITHM,
    SAMPFORD_ALGORITHM,
    draw_stratified_pips,
    draw_stratified_sampford,
)
from randsample.distributed import PartitionedPopulation, draw_dataset, verify_dataset
from randsample.errors import InvalidInputError, SampleSizeError
from randsample.examples import demo_population

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")
STAMP = "2026-11-27T02:00:00Z"
LOCAL = {PIPS_ALGORITHM: draw_stratified_pips, SAMPFORD_ALGORITHM: draw_stratified_sampford}


def _record(sample):
    return make_record(sample, authority="县市场监管局", draw_id="d1", timestamp=STAMP)


def _weighted(size=60):
    """A demo population with integer-and-fraction weights, some zero, some ineligible units."""
    base = demo_population(size=size)
    weights = (np.arange(size) % 9) * 1.25  # every ninth unit has weight 0
    return Population.from_columns(
        base.ids, strata=base.strata, eligible=base.eligible, weights=weights
    )


def _sizes(population, share=5):
    positive = {}
    for label, weight, ok in zip(
        population.strata.tolist(),
        population.weights.tolist(),
        population.eligible.tolist(),
        strict=True,
    ):
        positive[label] = positive.get(label, 0) + (ok and weight > 0)
    return {label: count // share for label, count in positive.items()}


@pytest.mark.parametrize(
    ("name", "on_cluster"),
    [
        (PIPS_ALGORITHM, False),
        (PIPS_ALGORITHM, True),
        # Sampford on the local scheduler with one partition per unit takes about 2.5 s.
        pytest.param(SAMPFORD_ALGORITHM, False, marks=pytest.mark.slow),
        (SAMPFORD_ALGORITHM, True),
    ],
)
def test_pips_records_identical_whatever_the_partitioning(request, name, on_cluster):
    """The sealed πps record is byte-identical to the single-process one, for one partition,
    several and empty partitions (on a LocalCluster and the local scheduler) and one
    partition per unit (the local scheduler: a cluster adds only task overhead there)."""
    client = request.getfixturevalue("client") if on_cluster else None
    population = _weighted()
    sizes = _sizes(population)
    expected = _record(LOCAL[name](population, sizes, SEED)).to_json()
    n = len(population)
    splits = [1, 3, [0, n // 2, 0, n - n // 2, 0]] + ([] if on_cluster else [[1] * n])
    for partitions in splits:
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        got = draw_dataset(parts, sizes, SEED, client=client, algorithm=name)
        assert expected == _record(got).to_json()


@settings(max_examples=10, deadline=None)
@given(st.data(), st.sampled_from([PIPS_ALGORITHM, SAMPFORD_ALGORITHM]))
def test_pips_draw_equals_local_draw_for_any_split(data, name):
    """Any weighted population, any feasible sizes, any split (local scheduler): the sample
    equals the local draw's, certainty units and weight-0 units included."""
    from randsample import testing

    population = data.draw(testing.populations(with_weights=True))
    positive = _sizes(population, share=1)
    sizes = {h: data.draw(st.integers(0, min(k, 4))) for h, k in positive.items()}
    cuts = data.draw(st.lists(st.integers(0, len(population)), max_size=4))
    bounds = [0, *sorted(cuts), len(population)]
    parts = [b - a for a, b in itertools.pairwise(bounds)]
    dataset = PartitionedPopulation.from_population(population, partitions=parts)
    local = _outcome(LOCAL[name], population, sizes, SEED)
    assert local == _outcome(draw_dataset, dataset, sizes, SEED, algorithm=name)


def _outcome(draw, *args, **options):
    """The sample, or the SampleSizeError's text (e.g. Sampford rejecting a sample too large
    for its design): the two engines must agree on either."""
    try:
        return draw(*args, **options)
    except SampleSizeError as exc:
        return f"SampleSizeError: {exc}"


@pytest.mark.parametrize("name", [PIPS_ALGORITHM, SAMPFORD_ALGORITHM])
def test_pips_record_verifies_on_partitions(client, name):
    """A πps record is re-drawn on partitions: the same report as the local verify, and an
    edited weight (another population) fails there as it does locally."""
    population = _weighted()
    record = _record(LOCAL[name](population, _sizes(population), SEED))
    parts = PartitionedPopulation.from_population(population, partitions=[7, 0, 53])
    local = verify(record, population)
    on_cluster = verify_dataset(record, parts, client=client)
    assert local.ok
    assert str(local) == str(on_cluster)
    weights = population.weights.copy()
    weights[3] += 1.0
    edited = Population.from_columns(
        population.ids, strata=population.strata, eligible=population.eligible, weights=weights
    )
    edited_parts = PartitionedPopulation.from_population(edited, partitions=3)
    assert not verify_dataset(record, edited_parts).ok
    assert str(verify(record, edited)) == str(verify_dataset(record, edited_parts))


def test_pips_without_weights_is_the_local_error():
    """A population without weights is refused for πps before anything is read, with the
    local draw's error."""
    population = demo_population(size=20)
    parts = PartitionedPopulation.from_population(population, partitions=2)
    with pytest.raises(InvalidInputError) as local:
        draw_stratified_pips(population, {}, SEED)
    with pytest.raises(InvalidInputError) as remote:
        draw_dataset(parts, {}, SEED, algorithm=PIPS_ALGORITHM)
    assert str(local.value) == str(remote.value)


def test_size_above_positive_weights_is_the_local_error():
    """More units than a stratum has of weight > 0 fails with the local message."""
    population = _weighted()
    sizes = _sizes(population, share=1)
    label = sorted(sizes)[0]
    sizes[label] += 1  # one more than its eligible units of weight > 0
    parts = PartitionedPopulation.from_population(population, partitions=4)
    with pytest.raises(SampleSizeError) as local:
        draw_stratified_pips(population, sizes, SEED)
    with pytest.raises(SampleSizeError) as remote:
        draw_dataset(parts, sizes, SEED, algorithm=PIPS_ALGORITHM)
    assert str(local.value) == str(remote.value)


def test_unknown_design_is_refused():
    """A design name that is not registered is the registry's error."""
    parts = PartitionedPopulation.from_population(demo_population(size=10), partitions=2)
    with pytest.raises(InvalidInputError, match="not a known design"):
        draw_dataset(parts, {}, SEED, algorithm="stratified-bernoulli")
