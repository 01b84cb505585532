"""A chain mixing record kinds loads with one call and verifies, in the API and the CLI."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from randsample import (
    DrawRecord,
    SealedRecord,
    Seed,
    assign_inspectors,
    draw_stratified,
    make_assignment_record,
    make_record,
    read_record,
    verify,
)
from randsample.cli import main
from randsample.errors import RecordFormatError
from randsample.examples import demo_directory, demo_population, demo_seed, demo_visits
from randsample.files import write_population_csv, write_record
from randsample.records import AssignmentRecord, ReplacementRecord, record_replacement

AUTHORITY = "清河县市场监督管理局"


def _chain():
    population = demo_population(size=400)
    seed = demo_seed()
    sizes = {label: min(2, count) for label, count in population.eligible_counts().items()}
    draw = make_record(
        draw_stratified(population, sizes, seed),
        authority=AUTHORITY,
        draw_id="2026-12-001",
        timestamp="2026-12-01T02:00:00Z",
    )
    visits = demo_visits(draw_stratified(population, sizes, seed), datetime.date(2026, 12, 1))
    teams = make_assignment_record(
        assign_inspectors(demo_directory(), visits, seed),
        authority=AUTHORITY,
        assignment_id="2026-12-001-teams",
        timestamp="2026-12-01T03:00:00Z",
        previous=draw,
    )
    later = make_record(
        draw_stratified(population, sizes, Seed.from_bytes(bytes(range(3, 35)))),
        authority=AUTHORITY,
        draw_id="2026-12-002",
        timestamp="2026-12-02T02:00:00Z",
        previous=teams,
    )
    return population, draw, teams, later


def test_read_record_dispatches_on_the_format():
    """read_record returns the right kind for each record; SealedRecord.from_json does too."""
    population, draw, teams, _ = _chain()
    assert isinstance(read_record(draw.to_json()), DrawRecord)
    assert isinstance(read_record(teams.to_json()), AssignmentRecord)
    assert isinstance(SealedRecord.from_json(teams.to_json()), AssignmentRecord)
    replacement = record_replacement(
        draw,
        population,
        unit_id=draw.selected_ids[0],
        reason="deregistered",
        recorded_by="officer 7",
        timestamp="2026-12-01T04:00:00Z",
        previous=teams,
    )
    assert isinstance(read_record(replacement.to_json()), ReplacementRecord)
    with pytest.raises(RecordFormatError, match="expected a DrawRecord"):
        DrawRecord.from_json(teams.to_json())


def test_a_draw_after_an_assignment_verifies_its_chain_link():
    """draw -> teams -> next draw: the next draw verifies with the assignment as previous."""
    population, _, teams, later = _chain()
    assert verify(later, population, previous=teams).ok
    assert verify(later, population, previous=teams.to_json()).ok


def test_cli_verify_previous_accepts_any_kind(tmp_path: Path, capsys):
    """`randsample verify --previous teams.json` works (v0.1 said 'draw_id: is missing')."""
    population, draw, teams, later = _chain()
    write_population_csv(population, tmp_path / "population.csv")
    for name, record in (("draw", draw), ("teams", teams), ("later", later)):
        write_record(record, tmp_path / f"{name}.json")
    args = [str(tmp_path / "later.json"), str(tmp_path / "population.csv")]
    assert 0 == main(["verify", *args, "--previous", str(tmp_path / "teams.json")])
    assert "VERIFIED" in capsys.readouterr().out
    # Linked to the wrong predecessor: not verified, and the link is named.
    assert 1 == main(["verify", *args, "--previous", str(tmp_path / "draw.json")])
    assert "previous_record_digest" in capsys.readouterr().out
    # An assignment record is checked against its team inputs, not a population: bad input,
    # one line.
    code = main(["verify", str(tmp_path / "teams.json"), str(tmp_path / "population.csv")])
    assert 2 == code
    assert "JSON or TOML input files" in capsys.readouterr().err
