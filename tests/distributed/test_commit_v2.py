"""Population commitment v2 on partitions equals the in-memory commitment, whatever the split;
duplicates and bad arguments fail as typed errors naming the partition or the field."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population
from randsample.distributed import PartitionedPopulation, commit_dataset
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.examples import demo_population
from randsample.files import read_population_dataset
from randsample.population import commit_population

SECRET = bytes(range(7, 39))


def _weighted(size=80):
    base = demo_population(size=size)
    weights = (np.arange(size) % 7) / 4
    return Population.from_columns(
        base.ids, strata=base.strata, eligible=base.eligible, weights=weights
    )


@pytest.mark.parametrize("buckets", [1, 1024])
def test_commitment_equals_the_in_memory_one_on_a_cluster(client, buckets):
    """On a LocalCluster, for several partitions and empty partitions."""
    population = _weighted()
    expected = commit_population(population, SECRET, buckets=buckets)
    n = len(population)
    for partitions in (5, [0, n // 3, 0, n - n // 3, 0]):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        assert expected == commit_dataset(parts, SECRET, buckets=buckets, client=client)


@pytest.mark.parametrize(
    "buckets",
    # About 1.3 s each; the hypothesis test above covers bucket counts on other splits.
    [1, pytest.param(3, marks=pytest.mark.slow), pytest.param(64, marks=pytest.mark.slow)],
)
def test_commitment_equals_the_in_memory_one_for_one_partition_per_unit(buckets):
    """One partition, and one partition per unit (local scheduler)."""
    population = _weighted(40)
    expected = commit_population(population, SECRET, buckets=buckets)
    for partitions in (1, [1] * len(population)):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        assert expected == commit_dataset(parts, SECRET, buckets=buckets)


@pytest.mark.slow  # 2 s; one partition per unit stays in the quick suite
@settings(max_examples=15, deadline=None)
@given(st.data(), st.integers(1, 40))
def test_commitment_equals_the_in_memory_one_for_any_split(data, buckets):
    """Any population (weighted or not), any split, any bucket count (local scheduler)."""
    from randsample import testing

    population = data.draw(testing.populations())
    cuts = data.draw(st.lists(st.integers(0, len(population)), max_size=5))
    bounds = [0, *sorted(cuts), len(population)]
    parts = [b - a for a, b in itertools.pairwise(bounds)]
    dataset = PartitionedPopulation.from_population(population, partitions=parts)
    expected = commit_population(population, SECRET, buckets=buckets)
    assert expected == commit_dataset(dataset, SECRET, buckets=buckets)


def test_the_commitment_depends_on_every_field():
    """Another secret, stratum, eligibility or weight changes the commitment."""
    population = _weighted(30)
    parts = PartitionedPopulation.from_population(population, partitions=3)
    base = commit_dataset(parts, SECRET, buckets=8)
    assert base != commit_dataset(parts, bytes(range(8, 40)), buckets=8)
    weights = population.weights.copy()
    weights[5] += 1
    eligible = population.eligible.copy()
    eligible[6] = not eligible[6]
    strata = population.strata.tolist()
    strata[7] = "Z"
    for changed in (
        Population.from_columns(
            population.ids, strata=population.strata, weights=weights, eligible=population.eligible
        ),
        Population.from_columns(
            population.ids, strata=population.strata, weights=population.weights, eligible=eligible
        ),
        Population.from_columns(
            population.ids, strata=strata, weights=population.weights, eligible=population.eligible
        ),
    ):
        other = PartitionedPopulation.from_population(changed, partitions=3)
        assert base != commit_dataset(other, SECRET, buckets=8)


def _write(folder, *ids_per_file):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    folder.mkdir()
    for k, ids in enumerate(ids_per_file):
        table = pa.table({"id": ids, "stratum": ["A"] * len(ids), "eligible": [True] * len(ids)})
        pq.write_table(table, folder / f"part-{k}.parquet")
    return read_population_dataset(folder)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_duplicate_across_partitions_names_both(tmp_path, request, on_cluster):
    """An id in two partitions is refused, naming it and both partitions."""
    client = request.getfixturevalue("client") if on_cluster else None
    dataset = _write(tmp_path / "d", ["a", "b"], ["c"], ["d", "b"])
    with pytest.raises(InvalidInputError, match="in partition 0 and in partition 2"):
        commit_dataset(dataset, SECRET, buckets=4, client=client)


def test_duplicate_within_a_partition_names_it(tmp_path):
    """An id twice in one partition is refused, naming that partition."""
    dataset = _write(tmp_path / "d", ["a"], ["b", "c", "b"])
    with pytest.raises(InvalidInputError, match="twice in partition 1"):
        commit_dataset(dataset, SECRET, buckets=4)


def test_bad_arguments_are_typed_errors():
    """A weak secret, a bucket count out of range and a non-partitioned population."""
    parts = PartitionedPopulation.from_population(demo_population(size=10), partitions=2)
    with pytest.raises(InvalidInputError, match="secret"):
        commit_dataset(parts, bytes(16))
    with pytest.raises(InvalidInputError, match="buckets"):
        commit_dataset(parts, SECRET, buckets=0)
    with pytest.raises(InvalidTypeError, match="buckets"):
        commit_dataset(parts, SECRET, buckets=2.0)
    with pytest.raises(InvalidTypeError, match="population"):
        commit_dataset(demo_population(size=10), SECRET)
