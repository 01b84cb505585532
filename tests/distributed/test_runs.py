"""The local scheduler's one-read draw: sorted runs merged bucket by bucket for the v1 digest,
and the selection from 64-bit ticket heads, equal to the single-process draw byte for byte."""

from __future__ import annotations

import numpy as np
import pytest

from randsample import Population, Seed, draw_stratified, make_record
from randsample.distributed import (
    POPULATION_DIGEST_V1,
    PartitionedPopulation,
    Runner,
    _heads,
    _runs,
    draw_dataset,
)
from randsample.errors import InvalidInputError
from randsample.examples import demo_population

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")
STAMP = "2026-11-27T02:00:00Z"


def _record(sample):
    return make_record(sample, authority="县市场监管局", draw_id="d1", timestamp=STAMP)


def _partitionings(n):
    return [1, 3, [0, n // 2, 0, n - n // 2, 0], [1] * n]


@pytest.mark.parametrize(
    ("bucket", "run_rows"),
    # The default sizes (slow group) and sizes that make many buckets and many runs.
    [
        pytest.param(1 << 16, 1 << 18, marks=pytest.mark.slow),
        pytest.param(3, 1 << 18, marks=pytest.mark.slow),
        (5, 7),
    ],
)
def test_records_identical_on_the_local_scheduler(monkeypatch, bucket, run_rows):
    """On the local scheduler the sealed record is byte-identical to the single-process record
    for one partition, several, empty partitions and one per unit, with one bucket or many
    and one sorted run per partition or several."""
    monkeypatch.setattr(_runs, "BUCKET", bucket)
    monkeypatch.setattr(_runs, "RUN_ROWS", run_rows)
    monkeypatch.setattr(_runs, "RELEASE_UNITS", 0)  # freed memory given back after every step
    population = demo_population(size=60)
    counts = population.eligible_counts()
    for sizes in (
        {h: m // 3 for h, m in counts.items()},
        {h: [0, m, 1][k % 3] for k, (h, m) in enumerate(counts.items())},  # none, all, one
    ):
        expected = _record(draw_stratified(population, sizes, SEED)).to_json()
        for partitions in _partitionings(len(population)):
            parts = PartitionedPopulation.from_population(population, partitions=partitions)
            assert expected == _record(draw_dataset(parts, sizes, SEED)).to_json()


def test_coarse_ticket_heads_still_give_the_exact_sample(monkeypatch):
    """If many units share their kept ticket head (forced: only 2 bits kept), every unit tied
    at the cut is a candidate and full tickets decide: the sample is still the exact one."""
    heads = _heads._heads

    def coarse(columns, subkey, kernel):
        return heads(columns, subkey, kernel) >> np.uint64(62)

    monkeypatch.setattr(_heads, "_heads", coarse)
    monkeypatch.setattr(_runs, "RUN_ROWS", 30)
    population = demo_population(size=200)
    sizes = {h: m // 2 for h, m in population.eligible_counts().items()}
    expected = draw_stratified(population, sizes, SEED)
    for partitions in (1, 4, [0, 150, 50]):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        assert expected == draw_dataset(parts, sizes, SEED)


@pytest.mark.parametrize("longest", ["9" * 64, "9" * 65])
def test_digest_with_many_buckets_and_mixed_widths(monkeypatch, longest):
    """Merging many small buckets of several runs per partition with ids of different widths
    (Chinese, short, 64 bytes, or 65 bytes, beyond the padded rows; weights) gives
    Population.digest."""
    monkeypatch.setattr(_runs, "BUCKET", 2)
    monkeypatch.setattr(_runs, "RUN_ROWS", 6)
    ids = [f"e{i}" for i in range(30)] + ["统一社会信用代码", longest, "x"]
    ids += [f"{i:05d}" for i in range(20)]
    population = Population.from_columns(
        ids, strata=["A", "B", "C"] * 17 + ["A", "B"], weights=[float(i) for i in range(53)]
    )
    for partitions in ([53], [10, 0, 43], [20, 20, 13], [1] * 53):
        dataset = PartitionedPopulation.from_population(population, partitions=partitions)
        assert population.digest() == POPULATION_DIGEST_V1.compute(dataset, 53, Runner())


@pytest.mark.parametrize("bucket", [1 << 18, 2])
def test_duplicate_named_by_both_partitions_with_many_buckets(monkeypatch, bucket):
    """An id in two partitions is named with both (smaller first), whatever the buckets."""
    monkeypatch.setattr(_runs, "BUCKET", bucket)
    population = Population.from_columns([f"u{i:02d}" for i in range(40)], strata="A")
    frame = PartitionedPopulation.from_population(population, partitions=[10, 10, 20]).frame
    parts = frame.to_delayed()
    import dask.dataframe as dd

    def renamed(part):
        part = part.copy()
        part.loc[part.index[3], "id"] = "u25"
        return part

    import dask

    broken = dd.from_delayed(
        [parts[0], dask.delayed(renamed)(parts[1]), parts[2]], meta=frame._meta, verify_meta=False
    )
    dataset = PartitionedPopulation.from_frame(broken)
    with pytest.raises(InvalidInputError, match=r"in partition 1 and in partition 2, got 'u25'"):
        draw_dataset(dataset, {"A": 2}, SEED)
