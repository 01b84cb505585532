"""Shared builders for the estimation tests: samples with a chosen selection, example draws."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from fractions import Fraction

from randsample import Population, Seed, StratifiedSample, draw_stratified, make_record
from randsample.design import SelectedUnit, StratumSummary

SEED = Seed.from_bytes(bytes(range(16)))


def make_sample(strata: Mapping[str, int], chosen: Mapping[str, Sequence[str]]) -> StratifiedSample:
    """A stratified SRSWOR sample of the given selection: ``strata`` maps label -> M_h."""
    summaries = tuple(
        StratumSummary(h, strata[h], strata[h], len(chosen.get(h, ()))) for h in sorted(strata)
    )
    selection = tuple(
        SelectedUnit(unit, h, rank, bytes(32), Fraction(len(chosen[h]), strata[h]))
        for h in sorted(strata)
        for rank, unit in enumerate(chosen.get(h, ()), start=1)
    )
    return StratifiedSample(
        seed=SEED,
        purpose="enterprises",
        subkey=bytes(32),
        population_digest="0" * 64,
        population_size=sum(strata.values()),
        eligible_count=sum(strata.values()),
        strata=summaries,
        selection=selection,
    )


def flag(label: str, unit: str, rate: Fraction) -> int:
    """A 0/1 value fixed by a hash of the label and the unit id."""
    digest = hashlib.sha256(f"{label}\x00{unit}".encode()).digest()
    return int(Fraction(int.from_bytes(digest, "big"), 2**256) < rate)


def class_draw(
    counts: Mapping[str, int], sizes: Mapping[str, int], label: str = "classes"
) -> StratifiedSample:
    """A real stratified SRSWOR draw over units named <class><number>."""
    ids = [f"{h}{i:04d}" for h, count in counts.items() for i in range(count)]
    strata = [h for h, count in counts.items() for _ in range(count)]
    pop = Population.from_columns(ids, strata=strata)
    seed = Seed.from_bytes(hashlib.sha256(label.encode()).digest())
    return draw_stratified(pop, dict(sizes), seed)


def seal(sample: StratifiedSample):
    """Seal a sample into a draw record with fixed metadata."""
    return make_record(sample, authority="test", draw_id="t-1", timestamp="2026-12-01T00:00:00Z")
