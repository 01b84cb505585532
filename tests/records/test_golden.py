"""Golden vectors: the frozen outputs of algorithm v1 (docs/spec.md section 7).

What these prove: the canonical keys, seeds, sub-keys, tickets, population digest, selection
and record bytes of v1 are unchanged. What they do not prove: that v1 is correct (the property
and statistical tests do that). If one fails, a change altered what a seed selects: that is a
breaking change and needs a new algorithm version, not new vectors.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from randsample import (
    PublicSource,
    Seed,
    commitment_for,
    draw_stratified,
    make_record,
    ticket,
    verify,
)
from randsample.files import read_population_csv, read_record

DATA = Path(__file__).parents[1] / "data"
SEEDS = json.loads((DATA / "seed_vectors.json").read_text(encoding="utf-8"))
TICKETS = json.loads((DATA / "ticket_vectors.json").read_text(encoding="utf-8"))
GOLDEN = DATA / "golden_draw"


@pytest.mark.parametrize("case", SEEDS, ids=lambda c: c.get("key") or c["raw_seed"][:12])
def test_seed_vectors(case):
    """Keys, seeds, commitments and sub-keys match the frozen vectors."""
    if "raw_seed" in case:
        seed = Seed.from_hex(case["raw_seed"])
    else:
        secret = None if case["secret"] is None else bytes.fromhex(case["secret"])
        seed = Seed.from_sources(
            [PublicSource(name, values) for name, values in case["sources"]],
            secret=secret,
            allow_low_entropy=True,
        )
        assert case["key"] == seed.key
        assert case["low_entropy_allowed"] == seed.low_entropy_allowed
        assert hashlib.sha256(case["key"].encode()).hexdigest() == case["seed"]
        if secret is not None:
            assert case["commitment"] == commitment_for(secret)
    assert case["seed"] == seed.value.hex()
    assert case["subkeys"] == {p: seed.subkey(p).hex() for p in case["subkeys"]}


def test_rfc3797_vector_is_the_rfc_key():
    """The first vector is RFC 3797 section 6's example key."""
    assert "9319./2.5.8.10.12./9.18.26.34.41.45./" == SEEDS[0]["key"]


@pytest.mark.parametrize("case", TICKETS, ids=lambda c: f"{c['subkey'][:6]}-{c['id'][:10]}")
def test_ticket_vectors(case):
    """Tickets match the frozen vectors (including CJK, fullwidth and 300-byte ids)."""
    assert case["ticket"] == ticket(bytes.fromhex(case["subkey"]), case["id"]).hex()


def test_golden_draws_verify_and_reproduce_bit_for_bit():
    """Re-running the golden draws gives byte-identical records (modulo library version)."""
    population = read_population_csv(GOLDEN / "population.csv")
    sizes = json.loads((GOLDEN / "sizes.json").read_text(encoding="utf-8"))
    first = read_record(GOLDEN / "record1.json")
    second = read_record(GOLDEN / "record2.json")
    assert verify(first, population).ok
    assert verify(second, population, previous=first).ok
    seed = Seed.from_json(first["seed"])
    again = make_record(
        draw_stratified(population, sizes, seed),
        authority=first["authority"],
        draw_id=first["draw_id"],
        timestamp=first["timestamp"],
    )
    expected, actual = first.content, again.content
    for content in (expected, actual):  # the library version is informative, not frozen
        content.pop("library")
        content.pop("record_digest")
    assert expected == actual
    assert (GOLDEN / "record1.json").read_text(encoding="utf-8") == first.to_json()


def test_golden_pips_draw_reproduces():
    """The frozen πps record verifies and its selection is re-derived unit for unit."""
    from randsample.design import draw_stratified_pips

    population = read_population_csv(GOLDEN / "population.csv")
    record = read_record(GOLDEN / "record_pips.json")
    assert verify(record, population).ok
    sizes = {s["stratum"]: s["sample_size"] for s in record["design"]["strata"]}
    again = draw_stratified_pips(population, sizes, Seed.from_json(record["seed"]))
    assert [e["id"] for e in record["selection"]] == list(again.ids)
    assert [e["inclusion_probability"] for e in record["selection"]] == [
        str(u.inclusion_probability) for u in again.selection
    ]


def test_golden_replacements_reproduce_bit_for_bit():
    """The frozen replacement records verify and are re-derived byte for byte (spec 10)."""
    from randsample.records import ReplacementRecord, record_replacement, verify_replacements

    population = read_population_csv(GOLDEN / "population.csv")
    draw = read_record(GOLDEN / "record1.json")
    frozen = [read_record(GOLDEN / f"replacement{k}.json") for k in (1, 2)]
    assert all(isinstance(r, ReplacementRecord) for r in frozen)
    assert verify_replacements(draw, population, frozen).ok
    previous = draw
    for index, record in enumerate(frozen):
        again = record_replacement(
            draw,
            population,
            unit_id=record["replaced"]["id"],
            reason=record["replaced"]["reason"],
            recorded_by=record["replaced"]["recorded_by"],
            timestamp=record["timestamp"],
            previous=previous,
            earlier=frozen[:index],
        )
        path = GOLDEN / f"replacement{index + 1}.json"
        assert path.read_text(encoding="utf-8") == again.to_json()
        previous = record


def test_golden_assignments_reproduce_bit_for_bit():
    """The frozen team-assignment records (one partial with an unstaffed department, one
    complete and chained to it) verify from the input files and are re-derived exactly."""
    from randsample.files import read_conflicts, read_directory, read_seed, read_visits
    from randsample.teams import assign_inspectors, make_assignment_record, verify_assignment

    folder = DATA / "golden_assignment"
    directory = read_directory(folder / "directory.json")
    visits = read_visits(folder / "visits.json")
    conflicts = read_conflicts(folder / "conflicts.json")
    seed = read_seed(folder / "seed.json")
    partial = read_record(folder / "record_partial.json")
    complete = read_record(folder / "record_complete.json")
    assert partial["unstaffed"], "the partial vector must freeze an unstaffed department"
    assert verify_assignment(partial, directory, visits, conflicts=conflicts).ok
    assert verify_assignment(
        complete, directory, visits[:-1], conflicts=conflicts, previous=partial
    ).ok
    for record, chosen, flags, previous in (
        (partial, visits, {"partial": True}, None),
        (complete, visits[:-1], {}, partial),
    ):
        again = make_assignment_record(
            assign_inspectors(directory, chosen, seed, conflicts=conflicts, **flags),
            authority=record["authority"],
            assignment_id=record["assignment_id"],
            timestamp=record["timestamp"],
            previous=previous,
        )
        expected, actual = record.content, again.content
        for content in (expected, actual):  # the library version is informative, not frozen
            content.pop("library")
            content.pop("record_digest")
        assert expected == actual
