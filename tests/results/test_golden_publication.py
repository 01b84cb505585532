"""Golden vectors of spec sections 13-14: rebuilt byte for byte, and verified as published.

What these prove: commitment v2 (salts, buckets, leaves, trees), tickets v2, the salted draw,
the salted draw record, the public notice, receipts and result records are unchanged. What
they do not prove: that the design is right (the property tests do that). If one fails, a
change altered a frozen byte: that needs a new version, not new vectors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from randsample.files import read_population_csv
from randsample.population import commit_population
from randsample.records import read_record
from randsample.results import (
    Receipt,
    verify_notice,
    verify_receipt,
    verify_results,
    verify_salted,
)

from . import golden

DATA = Path(__file__).parents[1] / "data" / "golden_publication"
FILES = sorted(p.name for p in DATA.glob("*.json"))


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rebuilt() -> dict[str, str]:
    """The vectors rebuilt with the library version written in the golden records."""
    version = json.loads(_read("salted_record.json"))["library"]["version"]
    import randsample.records._draw as draw_module  # builds the salted record's content
    import randsample.results._notice as notice_module

    saved = (draw_module.__version__, notice_module.__version__)
    draw_module.__version__ = notice_module.__version__ = version  # informative, not frozen
    try:
        return golden.build()
    finally:
        draw_module.__version__, notice_module.__version__ = saved


@pytest.mark.parametrize("name", FILES)
def test_vectors_rebuild_byte_for_byte(rebuilt: dict[str, str], name: str) -> None:
    """Every vector file is exactly what the code produces from the fixed inputs."""
    assert _read(name) == rebuilt[name]


def test_population_file_is_the_golden_population() -> None:
    """The published population CSV reads back to the same population (same v1 digest)."""
    assert golden.population().digest() == read_population_csv(DATA / "population.csv").digest()


def test_golden_records_verify() -> None:
    """The auditor's record, the notice, every receipt and the result chain verify."""
    population = read_population_csv(DATA / "population.csv")
    record = read_record(_read("salted_record.json"))
    notice = read_record(_read("notice.json"))
    assert verify_salted(record, population, golden.AUTHORITY_SECRET).ok
    assert verify_notice(
        notice, draw_record=record, population=population, secret=golden.AUTHORITY_SECRET
    ).ok
    for name in ("receipt_selected.json", "receipt_not_selected.json", "receipt_ineligible.json"):
        receipt = Receipt.from_json(_read(name))
        assert verify_receipt(receipt, notice).ok
    selected = Receipt.from_json(_read("receipt_selected.json"))
    assert (True, False) == (
        selected.selected,
        Receipt.from_json(_read("receipt_ineligible.json")).eligible,
    )
    results = [json.dumps(r, ensure_ascii=False) for r in json.loads(_read("results.json"))]
    assert verify_results(results).ok
    assert json.loads(results[0])["previous_record_digest"] == record.record_digest


def test_commitment_vectors() -> None:
    """The per-unit salts, buckets and leaves give the commitment in the vector file."""
    data = json.loads(_read("commitment_vectors.json"))
    population = read_population_csv(DATA / "population.csv")
    secret = bytes.fromhex(data["authority_secret"])
    assert (
        data["commitment"]
        == commit_population(population, secret, buckets=data["buckets"]).to_json()
    )
    assert len(population) == len(data["units"])
