"""Sampford's rejective πps design (algorithm stratified-pips-sampford v1, spec section 12)."""

from __future__ import annotations

import hashlib
import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import InvalidInputError, Population, SampleSizeError, Seed, make_record, verify
from randsample.core import RandomStream
from randsample.design import (
    DESIGNS,
    SAMPFORD_ALGORITHM,
    draw_stratified_sampford,
    exact_inclusion_probabilities,
)
from randsample.design import _sampford as sampford
from randsample.design._sampford import _below, sampford_rounds
from randsample.files import read_population_csv, read_record
from tests.strategies import unit_ids

DATA = Path(__file__).parents[1] / "data"
GOLDEN = DATA / "golden_draw"
SEED = Seed.from_bytes(bytes(range(16)))


@st.composite
def weighted_populations(draw: st.DrawFn) -> Population:
    ids = draw(st.lists(unit_ids, min_size=1, max_size=30, unique=True))
    strata = [draw(st.sampled_from(["A", "B"])) for _ in ids]
    weights = [draw(st.one_of(st.just(0.0), st.floats(0.01, 100.0), st.just(1e4))) for _ in ids]
    eligible = [draw(st.booleans()) for _ in ids]
    return Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)


def _small_sizes(data: st.DataObject, pop: Population) -> dict[str, int]:
    sizes = {}
    for label in pop.stratum_labels():
        mask = (pop.strata == label) & pop.eligible & (pop.weights > 0)
        sizes[label] = data.draw(st.integers(0, min(4, int(mask.sum()))))
    return sizes


def test_registered_and_named():
    """The design is in the registry under its own name, version 1, and is not replaceable."""
    entry = DESIGNS[SAMPFORD_ALGORITHM]
    assert (SAMPFORD_ALGORITHM, 1, False) == (entry.name, entry.version, entry.replaceable)
    assert entry.draw is draw_stratified_sampford


@settings(max_examples=60, deadline=None)
@given(weighted_populations(), st.data())
def test_sizes_probabilities_certainty(pop, data):
    """Exactly n_h per stratum, each unit with its capped πps pi; every pi = 1 unit is taken,
    no weight-0 or ineligible unit ever; ranks follow ticket order."""
    sizes = _small_sizes(data, pop)
    sample = draw_stratified_sampford(pop, sizes, SEED)
    for label, size in sizes.items():
        members = [k for k in range(len(pop)) if pop.strata[k] == label and pop.eligible[k]]
        pik = exact_inclusion_probabilities([float(pop.weights[k]) for k in members], size)
        pi_of = {pop.ids[k]: p for k, p in zip(members, pik, strict=True)}
        chosen = [u for u in sample.selection if u.stratum == label]
        assert size == len(chosen)
        assert [pi_of[u.id] for u in chosen] == [u.inclusion_probability for u in chosen]
        assert all(u.inclusion_probability > 0 for u in chosen)
        certain = {i for i, p in pi_of.items() if p == 1}
        assert certain <= {u.id for u in chosen}
        assert list(range(1, size + 1)) == [u.rank for u in chosen]
        assert sorted(u.ticket for u in chosen) == [u.ticket for u in chosen]


@settings(max_examples=30, deadline=None)
@given(weighted_populations(), st.data(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(pop, data, rng):
    """Shuffling the population rows selects the same units (ticket order fixes the list)."""
    sizes = _small_sizes(data, pop)
    order = list(range(len(pop)))
    rng.shuffle(order)
    shuffled = Population.from_columns(
        [pop.ids[k] for k in order],
        strata=[pop.strata[k] for k in order],
        eligible=[bool(pop.eligible[k]) for k in order],
        weights=[float(pop.weights[k]) for k in order],
    )
    first = draw_stratified_sampford(pop, sizes, SEED)
    assert first.selection == draw_stratified_sampford(shuffled, sizes, SEED).selection


def test_record_verifies_and_tampering_is_found():
    """A sealed Sampford record verifies; the same record claiming the systematic design
    does not (verification re-runs the named algorithm)."""
    pop = Population.from_columns(
        [f"e{i}" for i in range(30)], strata=["A"] * 20 + ["D"] * 10, weights=range(1, 31)
    )
    record = make_record(
        draw_stratified_sampford(pop, {"A": 4, "D": 3}, SEED),
        authority="county",
        draw_id="s-1",
        timestamp="2026-01-05T02:00:00Z",
    )
    assert verify(record, pop).ok
    assert SAMPFORD_ALGORITHM == record["algorithm"]["name"]


def test_no_weights_and_too_large_are_refused():
    """No weights, or more units than those with weight > 0: typed errors naming the field."""
    plain = Population.from_columns(["a", "b"], strata="A")
    with pytest.raises(InvalidInputError, match=r"population\.weights"):
        draw_stratified_sampford(plain, {"A": 1}, SEED)
    pop = Population.from_columns(["a", "b", "c"], strata="A", weights=[1.0, 0.0, 2.0])
    with pytest.raises(SampleSizeError, match=r"sizes\['A'\]"):
        draw_stratified_sampford(pop, {"A": 3}, SEED)


def test_bound_is_an_error_never_a_fallback(monkeypatch):
    """A stratum whose rounds exceed the trial bound fails with SampleSizeError naming it."""
    pop = Population.from_columns([f"u{i}" for i in range(12)], strata="A", weights=[1.0] * 12)
    monkeypatch.setattr(sampford, "SAMPFORD_MAX_TRIALS", 5)
    with pytest.raises(SampleSizeError, match="Sampford's rejective method accepted no sample"):
        draw_stratified_sampford(pop, {"A": 9}, SEED)


def test_rounds_bound_and_input_checks():
    """sampford_rounds returns None after max_trials trials and refuses a bad pik list."""
    pik = [Fraction(3, 4)] * 8
    assert (None, 3) == sampford_rounds(pik, RandomStream(bytes(32), "x"), max_trials=3)
    with pytest.raises(InvalidInputError, match="pik"):
        sampford_rounds([Fraction(1, 2)], RandomStream(bytes(32), "x"))
    with pytest.raises(InvalidInputError, match="pik"):
        sampford_rounds([Fraction(1), Fraction(0)], RandomStream(bytes(32), "x"))


@given(st.integers(1, 2**600))
def test_below_is_randbelow_up_to_2_256_and_in_range_beyond(m):
    """below(m) equals randbelow for m <= 2**256 (same blocks) and lies in [0, m) beyond."""
    stream = RandomStream(bytes(32), "below")
    value = _below(stream, m)
    assert 0 <= value < m
    if m <= 2**256:
        assert RandomStream(bytes(32), "below").randbelow(m) == value
    else:
        words = -(-(m - 1).bit_length() // 256)
        assert 0 == stream.blocks_used % words


@pytest.mark.parametrize(
    "case",
    json.loads((DATA / "sampford_vectors.json").read_text(encoding="utf-8")),
    ids=lambda c: f"{c['subkey'][:4]}-{c['label']}",
)
def test_sampford_vectors(case):
    """Steps 6-8 reproduce the frozen positions, trial counts and blocks used (spec 12)."""
    stream = RandomStream(bytes.fromhex(case["subkey"]), case["label"])
    selected, trials = sampford_rounds([Fraction(p) for p in case["pik"]], stream)
    assert (case["selected"], case["trials"], case["blocks"]) == (
        selected,
        trials,
        stream.blocks_used,
    )


def test_golden_sampford_record_reproduces():
    """The frozen Sampford record verifies and is re-derived byte for byte."""
    population = read_population_csv(GOLDEN / "population.csv")
    record = read_record(GOLDEN / "record_sampford.json")
    assert verify(record, population).ok
    sizes = {s["stratum"]: s["sample_size"] for s in record["design"]["strata"]}
    again = make_record(
        draw_stratified_sampford(population, sizes, Seed.from_json(record["seed"])),
        authority=record["authority"],
        draw_id=record["draw_id"],
        timestamp=record["timestamp"],
    )
    assert (GOLDEN / "record_sampford.json").read_text(encoding="utf-8") == again.to_json()


def _frequencies(
    pik: list[Fraction], runs: int
) -> tuple[list[float], dict[tuple[int, int], float]]:
    single = [0] * len(pik)
    pairs: dict[tuple[int, int], int] = {}
    for r in range(runs):
        chosen, _ = sampford_rounds(pik, RandomStream(bytes(32), f"mc/{r}"))
        assert chosen is not None
        for a in chosen:
            single[a] += 1
            for b in chosen:
                if a < b:
                    pairs[a, b] = pairs.get((a, b), 0) + 1
    return [c / runs for c in single], {k: v / runs for k, v in pairs.items()}


@pytest.mark.slow
def test_monte_carlo_first_and_second_order():
    """Over 20,000 independent streams the selection frequencies match pi_k and the exact
    pi_kl within 4.5 standard errors, and every pair is seen together (all pi_kl > 0)."""
    from randsample.design import sampford_joint_inclusion

    pik = exact_inclusion_probabilities([1, 1, 2, 2, 2, 3, 4], 3)
    runs = 20_000
    single, pairs = _frequencies(pik, runs)
    joint = sampford_joint_inclusion(pik)
    for k, p in enumerate(pik):
        se = (float(p) * (1 - float(p)) / runs) ** 0.5
        assert abs(single[k] - float(p)) < 4.5 * se
    for k in range(len(pik)):
        for j in range(k + 1, len(pik)):
            q = float(joint[k][j])
            se = (q * (1 - q) / runs) ** 0.5
            assert abs(pairs.get((k, j), 0.0) - q) < 4.5 * se
            assert pairs.get((k, j), 0.0) > 0


def test_rounds_with_random_lists_select_n():
    """For random exact pik lists the accepted sample has exactly n' distinct positions."""
    rng = random.Random(5)
    for case in range(40):
        weights = [rng.randint(1, 9) for _ in range(rng.randint(2, 12))]
        n = rng.randint(1, len(weights) - 1)
        pik = [p for p in exact_inclusion_probabilities(weights, n) if p < 1]
        if not pik:
            continue
        chosen, trials = sampford_rounds(pik, RandomStream(bytes(32), f"c{case}"))
        assert chosen is not None
        assert int(sum(pik)) == len(set(chosen))
        assert trials >= len(chosen)


@pytest.mark.slow
def test_monte_carlo_through_the_draw_with_certainty_units():
    """Over 4,000 seeds, draw_stratified_sampford takes the certainty unit every time, never
    the weight-0 unit, and selects the others with frequencies within 4.5 SE of pi."""
    weights = [0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 40.0]
    pop = Population.from_columns([f"u{i}" for i in range(7)], strata="A", weights=weights)
    pik = exact_inclusion_probabilities(weights, 3)
    runs = 4000
    counts = [0] * 7
    for r in range(runs):
        sample = draw_stratified_sampford(
            pop, {"A": 3}, Seed.from_bytes(hashlib.sha256(r.to_bytes(4, "big")).digest()[:16])
        )
        for unit in sample.selection:
            counts[int(unit.id[1:])] += 1
    assert runs == counts[6]
    assert 0 == counts[0]
    for k in range(1, 6):
        p = float(pik[k])
        assert abs(counts[k] / runs - p) < 4.5 * (p * (1 - p) / runs) ** 0.5


def test_a_design_name_that_is_not_a_string_is_a_type_error():
    """The registry refuses a non-string name as InvalidTypeError, an unknown one as
    InvalidInputError."""
    from randsample.design import algorithm
    from randsample.errors import InvalidInputError, InvalidTypeError

    with pytest.raises(InvalidTypeError, match="algorithm"):
        algorithm(3)
    with pytest.raises(InvalidInputError, match="not a known design"):
        algorithm("stratified-bernoulli")
