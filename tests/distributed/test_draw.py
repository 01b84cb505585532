"""Draws on partitions equal single-process draws, byte for byte, whatever the partitioning."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified, draw_stratified_pips, make_record
from randsample.distributed import (
    POPULATION_DIGEST_V1,
    BucketedCommitment,
    PartitionedPopulation,
    Runner,
    draw_dataset,
)
from randsample.errors import InvalidInputError, InvalidTypeError, SampleSizeError
from randsample.examples import demo_population

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")
STAMP = "2026-11-27T02:00:00Z"


def _record(sample):
    return make_record(sample, authority="县市场监管局", draw_id="d1", timestamp=STAMP)


def _sizes(population, share=4):
    return {h: m // share for h, m in population.eligible_counts().items()}


def _partitionings(n):
    return [
        1,
        3,
        [0, n // 2, 0, n - n // 2, 0],  # empty partitions, first and last included
        [1] * n,  # one partition per unit
    ]


def test_records_identical_on_a_cluster(client):
    """On a LocalCluster the sealed record is byte-identical to the single-process record,
    for one partition, several, empty partitions and one partition per unit."""
    population = demo_population(size=40)
    sizes = _sizes(population)
    expected = _record(draw_stratified(population, sizes, SEED)).to_json()
    for partitions in _partitionings(len(population)):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        assert expected == _record(draw_dataset(parts, sizes, SEED, client=client)).to_json()


@settings(max_examples=8)
@given(st.data())
def test_draw_equals_local_draw_for_any_split(data):
    """Any split of any population (local scheduler) gives the local draw's sample."""
    from randsample import testing

    population = data.draw(testing.populations())
    sizes = data.draw(testing.feasible_sizes(population))
    cuts = data.draw(st.lists(st.integers(0, len(population)), max_size=4))
    bounds = [0, *sorted(cuts), len(population)]
    parts = [b - a for a, b in itertools.pairwise(bounds)]
    dataset = PartitionedPopulation.from_population(population, partitions=parts)
    assert draw_stratified(population, sizes, SEED) == draw_dataset(dataset, sizes, SEED)


def test_digest_equals_spec_digest_for_long_and_chinese_ids(client):
    """The cluster digest equals Population.digest with weights, Chinese, 300-byte and mixed
    length ids (the padded sort's limit is 64 bytes)."""
    ids = [
        "统一社会信用代码" * 3,
        "a" * 300,
        "a" * 299,
        "b",
        "甲",
        "Ｆｕｌｌ",
        "91350100M000100Y43",
    ]
    population = Population.from_columns(
        ids, strata=["A", "B", "A", "B", "A", "B", "A"], weights=[0.5, 1, 2, 3, -0.0, 1e-300, 7]
    )
    for partitions in ([7], [3, 0, 4], [1] * 7):
        dataset = PartitionedPopulation.from_population(population, partitions=partitions)
        assert population.digest() == POPULATION_DIGEST_V1.compute(dataset, 7, Runner(client))
        assert population.digest() == POPULATION_DIGEST_V1.compute(dataset, 7, Runner())


def test_margin_too_small_is_widened(monkeypatch, client):
    """If a stratum's cut lets fewer than n_h candidates through (on a cluster), the cut is
    widened: the sample is still the exact one (forced here with a zero margin)."""
    from randsample.distributed import _draw

    monkeypatch.setattr(_draw, "_MARGIN", 0.0)
    population = demo_population(size=300)
    sizes = _sizes(population, share=2)
    dataset = PartitionedPopulation.from_population(population, partitions=5)
    expected = draw_stratified(population, sizes, SEED)
    assert expected == draw_dataset(dataset, sizes, SEED, client=client)


def test_bucketed_commitment_is_partition_independent(client):
    """A bucketed commitment (the v2 hook) gives one value for every partitioning."""
    import hashlib

    toy = BucketedCommitment(
        "toy/0",
        4,
        lambda ids: [hashlib.sha256(i.encode()).digest()[0] % 4 for i in ids],
        lambda bucket, rows: hashlib.sha256(bucket.to_bytes(4, "big") + rows).digest(),
        lambda leaves: hashlib.sha256(b"".join(leaves)).hexdigest(),
    )
    population = demo_population(size=30)
    values = {
        toy.compute(
            PartitionedPopulation.from_population(population, partitions=p), 30, Runner(client)
        )
        for p in _partitionings(30)
    }
    assert 1 == len(values)


def test_sizes_are_checked_as_in_a_local_draw():
    """Infeasible or malformed sizes raise the same typed errors as draw_stratified."""
    population = demo_population(size=40)
    dataset = PartitionedPopulation.from_population(population, partitions=2)
    too_many = {h: m + 1 for h, m in population.eligible_counts().items()}
    for sizes, error in ((too_many, SampleSizeError), ({"A": 1}, InvalidInputError)):
        with pytest.raises(error) as local:
            draw_stratified(population, sizes, SEED)
        with pytest.raises(error) as remote:
            draw_dataset(dataset, sizes, SEED)
        assert str(local.value) == str(remote.value)
    with pytest.raises(InvalidTypeError):
        draw_dataset(population, {}, SEED)  # a Population, not partitions


def test_pips_population_digest_on_partitions():
    """A weighted population's partitions carry the weights into the digest."""
    population = demo_population(size=50)
    weighted = Population.from_columns(
        population.ids, strata=population.strata, weights=np.arange(50) / 7
    )
    dataset = PartitionedPopulation.from_population(weighted, partitions=[10, 0, 40])
    sample = draw_stratified_pips(weighted, dict.fromkeys(weighted.stratum_labels(), 1), SEED)
    assert sample.population_digest == POPULATION_DIGEST_V1.compute(dataset, 50, Runner())


def test_a_population_that_changes_during_the_draw_is_an_error(monkeypatch):
    """If the partitions hold fewer eligible units when ticketed than when counted (a file
    rewritten mid-draw), the draw raises once the cut keeps every unit: no endless widening,
    no short sample (here a πps draw, which takes every eligible unit of a sampled stratum)."""
    from randsample.distributed import _draw

    calls = []

    def fewer(parts):
        calls.append(1)
        assert len(calls) < 100, "the cut is widened without end"
        merged = original(parts)
        return {
            label: (ids[1:], rows[1:], weights[1:])
            for label, (ids, rows, weights) in merged.items()
        }

    original = _draw._merge
    monkeypatch.setattr(_draw, "_merge", fewer)
    population = Population.from_columns(
        [f"u{i}" for i in range(6)], strata="A", weights=[1, 2, 3, 4, 5, 6]
    )
    dataset = PartitionedPopulation.from_population(population, partitions=2)
    with pytest.raises(InvalidInputError, match="population: changed during the draw"):
        draw_dataset(dataset, {"A": 2}, SEED, algorithm="stratified-pips-systematic")
