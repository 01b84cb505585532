"""Joint draws and the fairness benchmark on the engine equal their local counterparts."""

from __future__ import annotations

from fractions import Fraction
from functools import partial

import numpy as np
import pytest

from randsample import Population, Seed, draw_joint, draw_stratified, merge_plan, run_design
from randsample.distributed import PartitionedPopulation, draw_joint_datasets, run_design_cluster
from randsample.examples import demo_joint_plan, demo_population, demo_scopes

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")


def _parts(scopes, partitions):
    """Each scope split the same way (a callable gives the sizes from the scope's size)."""
    return {
        scope: PartitionedPopulation.from_population(
            pop, partitions=partitions(len(pop)) if callable(partitions) else partitions
        )
        for scope, pop in scopes.items()
    }


@pytest.mark.slow  # 2-3 s; the quick suite keeps other splits of the same path
def test_joint_draw_with_several_overlapping_scopes(client):
    """Four scopes (two of them sharing enterprises): department samples, visits and the
    coordination report equal draw_joint's, on a cluster and with empty partitions."""
    county = demo_population(size=400)
    scopes = demo_scopes(county)
    food, catering = scopes["食品销售"], scopes["餐饮"]
    shared = Population.from_columns(
        np.concatenate([food.ids, catering.ids[:10]]),
        strata=np.concatenate([food.strata, catering.strata[:10]]),
        eligible=np.concatenate([food.eligible, catering.eligible[:10]]),
    )
    scopes["食品销售"] = shared
    merged = merge_plan(demo_joint_plan("2026-12"))
    local = draw_joint(merged, SEED, scopes)
    assert local.report.shared_enterprises == 10
    assert local == draw_joint_datasets(
        merged, SEED, _parts(scopes, lambda n: [0, n // 3, 0, n - n // 3]), client=client
    )
    assert local == draw_joint_datasets(merged, SEED, _parts(scopes, 3))


def _draw(population, sizes, seed):
    return draw_stratified(population, sizes, seed)


def test_fairness_on_a_cluster_equals_run_design(client):
    """run_design_cluster spreads the runs over the workers; the result (counts, z, p-values,
    verdict) is run_design's, whatever the number of chunks."""
    population = Population.from_columns([f"u{i}" for i in range(12)], strata=["A", "B"] * 6)
    sizes = {"A": 2, "B": 3}
    stated = {
        u: Fraction(sizes[h], 6) for u, h in zip(population.ids, population.strata, strict=True)
    }
    strata = dict(zip(population.ids.tolist(), population.strata.tolist(), strict=True))
    design = partial(_draw, population, sizes)
    local = run_design(design, stated, runs=300, strata=strata)
    for chunks in (1, 7):
        remote = run_design_cluster(
            design, stated, runs=300, strata=strata, client=client, chunks=chunks
        )
        assert local.summary() == remote.summary()
        assert [u.count for u in local.units] == [u.count for u in remote.units]
