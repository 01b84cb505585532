"""The stdlib-only verifier (written from the spec alone) agrees with the library.

What this proves: two independent implementations of docs/spec.md produce the same keys,
seeds, sub-keys, tickets, population digests and selections, on the golden vectors, on random
populations, and on a 100k-unit draw. What it does not prove: that either is what the spec
*means* where the spec is ambiguous (tests/data holds the frozen reading).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import draw_stratified, make_record, verify
from randsample.examples import demo_population, demo_seed, demo_sizes
from randsample.files import read_population_csv, read_record, write_population_csv, write_record
from randsample.records import _standalone_verify as sv
from tests.strategies import feasible_sizes, populations, seeds

DATA = Path(__file__).parents[1] / "data"
STAMP = "2026-11-27T02:00:00Z"


def _rows(population):
    weights = None if population.weights is None else population.weights.tolist()
    return [
        (i, s, e, None if weights is None else weights[k])
        for k, (i, s, e) in enumerate(
            zip(
                population.ids.tolist(),
                population.strata.tolist(),
                population.eligible.tolist(),
                strict=True,
            )
        )
    ]


def test_golden_records_verify_in_both():
    """Both golden records (with the chain link) verify in the library and the standalone file."""
    rows = sv.read_population_csv(DATA / "golden_draw" / "population.csv")
    first = json.loads((DATA / "golden_draw" / "record1.json").read_text(encoding="utf-8"))
    second = json.loads((DATA / "golden_draw" / "record2.json").read_text(encoding="utf-8"))
    assert [] == sv.verify(first, rows)
    assert [] == sv.verify(second, rows, previous=first)
    population = read_population_csv(DATA / "golden_draw" / "population.csv")
    assert verify(read_record(DATA / "golden_draw" / "record2.json"), population).ok


def test_seed_and_ticket_vectors_agree():
    """Every seed vector and ticket vector is reproduced by the standalone functions."""
    for case in json.loads((DATA / "seed_vectors.json").read_text(encoding="utf-8")):
        if "raw_seed" in case:
            seed_obj = {
                "value": case["raw_seed"],
                "key": None,
                "sources": [],
                "secret": None,
                "commitment": None,
                "low_entropy_allowed": False,
            }
        else:
            seed_obj = {
                "value": case["seed"],
                "key": case["key"],
                "sources": [{"name": n, "values": v} for n, v in case["sources"]],
                "secret": case["secret"],
                "commitment": case["commitment"],
                "low_entropy_allowed": case["low_entropy_allowed"],
            }
            assert case["key"] == sv.canonical_key(seed_obj["sources"]) + (
                "" if case["secret"] is None else case["secret"] + "/"
            )
        value = sv.seed_from_record(seed_obj)
        assert case["seed"] == value.hex()
        assert case["subkeys"] == {p: sv.subkey(value, p).hex() for p in case["subkeys"]}
    for case in json.loads((DATA / "ticket_vectors.json").read_text(encoding="utf-8")):
        assert case["ticket"] == sv.ticket(bytes.fromhex(case["subkey"]), case["id"]).hex()


@given(st.data())
def test_random_draws_agree(data):
    """On random populations and sizes: same digest, same selection, and both verify."""
    population = data.draw(populations())
    sizes = data.draw(feasible_sizes(population))
    seed = data.draw(seeds)
    sample = draw_stratified(population, sizes, seed)
    rows = _rows(population)
    assert population.digest() == sv.population_digest(rows)
    record = make_record(sample, authority="a", draw_id="d", timestamp=STAMP).content
    assert record["selection"] == sv.select(rows, sizes, seed.subkey("enterprises"))
    assert [] == sv.verify(record, rows)


def test_tampered_population_fails_in_both():
    """A one-row change is caught by both implementations, naming the population digest."""
    population = demo_population(size=500)
    record = make_record(
        draw_stratified(population, demo_sizes(population), demo_seed()),
        authority="a",
        draw_id="d",
        timestamp=STAMP,
    )
    rows = _rows(population)
    rows[10] = (rows[10][0], rows[10][1], not rows[10][2], rows[10][3])
    fields = {field for field, _ in sv.verify(record.content, rows)}
    assert "population.digest" in fields


@pytest.mark.slow
def test_100k_unit_draw_agrees(tmp_path):
    """A 100k-unit draw written to files verifies with the standalone verifier's CLI."""
    population = demo_population(size=100_000)
    record = make_record(
        draw_stratified(population, demo_sizes(population), demo_seed()),
        authority="county",
        draw_id="big",
        timestamp=STAMP,
    )
    write_population_csv(population, tmp_path / "population.csv")
    write_record(record, tmp_path / "record.json")
    assert 0 == sv.main([str(tmp_path / "record.json"), str(tmp_path / "population.csv")])
    rows = sv.read_population_csv(tmp_path / "population.csv")
    assert record["selection"] == sv.select(
        rows, demo_sizes(population), demo_seed().subkey("enterprises")
    )


def test_standalone_has_no_third_party_imports():
    """The standalone file imports only the standard library (checked by parsing it)."""
    import ast
    import sys

    tree = ast.parse(Path(sv.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    assert modules - {"__future__"} <= set(sys.stdlib_module_names)


def test_digest_paths_agree_for_short_and_long_ids():
    """The library's two sort paths (fixed-width numpy for ids up to 64 bytes, Python sort
    beyond) give the standalone verifier's digest, with and without weights."""
    from randsample import Population

    for ids in (["b", "a", "统一", "A"], ["x" * 300, "b", "统" * 30, "a"]):
        for weights in (None, [0.5, 1e-05, 2.0, 0.0]):
            pop = Population.from_columns(
                ids,
                strata=["A", "B", "A", "C"],
                eligible=[True, False, True, True],
                weights=weights,
            )
            assert sv.population_digest(_rows(pop)) == pop.digest()
