"""Two-tier publication: the public notice hides classes; receipts; the auditor's check."""

from __future__ import annotations

import json
import random
import struct

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population
from randsample.core import canonical_json
from randsample.errors import InvalidInputError, RecordFormatError, RecordIntegrityError
from randsample.population import MembershipProof
from randsample.records import PublicNotice, SaltedDrawRecord, read_record, seal
from randsample.results import (
    Receipt,
    draw_salted,
    make_notice,
    make_receipts,
    make_salted_record,
    verify_notice,
    verify_receipt,
    verify_salted,
)

from .helpers import DEPARTMENTS, ITEMS, SECRET, SEED, population

CLASSES = ("A", "B", "C", "D")


def _publish(pop: Population, sizes: dict[str, int], *, buckets: int = 8):
    sample = draw_salted(pop, sizes, SEED, SECRET, buckets=buckets)
    record = make_salted_record(
        sample, authority="bureau", draw_id="D-1", timestamp="2026-03-01T02:00:00Z"
    )
    notice = make_notice(
        record,
        notice_id="N-1",
        task_id="T1",
        period="2026-03",
        departments=DEPARTMENTS,
        items=ITEMS,
        timestamp="2026-03-01T03:00:00Z",
        previous=record,
    )
    return sample, record, notice


def _random_population(rng: random.Random, n: int) -> Population:
    return Population.from_columns(
        [f"9135{rng.randrange(10**12):012d}{i:02d}" for i in range(n)],
        strata=[rng.choice(CLASSES) for _ in range(n)],
        eligible=[rng.random() > 0.15 for _ in range(n)],
    )


def _sizes(pop: Population, rng: random.Random) -> dict[str, int]:
    return {h: rng.randint(0, m) for h, m in pop.eligible_counts().items()}


@settings(max_examples=25)
@given(st.randoms(use_true_random=False), st.integers(1, 60))
def test_notice_never_puts_a_class_next_to_an_id(rng: random.Random, n: int) -> None:
    """No class label, probability or eligibility flag appears with any enterprise id."""
    pop = _random_population(rng, n)
    _, record, notice = _publish(pop, _sizes(pop, rng))
    text = notice.to_json()
    for entry in notice["drawn"]:
        assert {"id", "results"} == set(entry)
        serialized = json.dumps(entry, ensure_ascii=False)
        for label in CLASSES:
            assert f'"{label}"' not in serialized
    for ident in pop.ids.tolist():
        at = text.find(f'"{ident}"')
        for label in CLASSES:
            for pattern in (
                f'"{ident}","{label}"',
                f'"id":"{ident}","stratum":"{label}"',
                f'"stratum":"{label}","id":"{ident}"',
            ):
                assert pattern not in text
        if at >= 0:
            window = text[max(0, at - 80) : at + 80]
            for word in ("stratum", "probability", "eligible"):
                assert word not in window
    for forbidden in ("inclusion_probability", '"rank"', '"ticket"', "selection"):
        assert forbidden not in text
    assert record.record_digest == notice["draw_record_digest"]


def test_notice_verifies_publicly_and_for_the_auditor() -> None:
    """Anyone checks the seal and consistency; the auditor checks the projection and the draw."""
    pop = population()
    _, record, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    assert verify_notice(notice.to_json(), previous=record).ok
    assert verify_notice(notice, draw_record=record, population=pop, secret=SECRET).ok
    assert verify_salted(record, pop, SECRET).ok


def _edited(record, change) -> str:
    content = record.content
    change(content)
    return json.dumps(content, ensure_ascii=False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["drawn"].pop(), "record_digest"),
        (
            lambda c: c["strata"][0].update(sample_size=c["strata"][0]["sample_size"] + 1),
            "record_digest",
        ),
        (lambda c: c["population_commitment"].update(root="0" * 64), "record_digest"),
        (lambda c: c["seed"].update(value="0f" * 32), "seed"),
    ],
)
def test_tampered_notices_are_caught(change, field: str) -> None:
    """Editing a notice is caught by its seal (and the seed by re-derivation)."""
    pop = population()
    _, _, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    text = _edited(notice, change)
    with pytest.raises(RecordIntegrityError):
        read_record(text)
    assert field in verify_notice(text).fields


def test_a_resealed_notice_that_lies_is_caught_by_consistency_or_the_auditor() -> None:
    """A re-sealed notice with a dropped id fails the public count check and the auditor's."""
    pop = population()
    _, record, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    content = notice.content
    content["drawn"] = content["drawn"][1:]
    forged = PublicNotice(seal(content))
    assert "drawn" in verify_notice(forged).fields
    content["strata"][-1]["sample_size"] -= 1
    if content["strata"][-1]["sample_size"] == 0:
        content["strata"][-1]["threshold"] = None
    forged = PublicNotice(seal(content))
    assert verify_notice(forged).ok
    audited = verify_notice(forged, draw_record=record)
    assert {"strata", "drawn"} <= set(audited.fields)


def test_the_auditor_catches_an_edited_full_record() -> None:
    """A re-sealed full record with another threshold fails the auditor's re-run."""
    pop = population()
    _, record, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    content = record.content
    content["design"]["strata"][0]["threshold"] = "f" * 64
    forged = SaltedDrawRecord(seal(content))
    assert "design.strata[0].threshold" in verify_salted(forged, pop, SECRET).fields
    assert "draw_record_digest" in verify_notice(notice, draw_record=forged).fields
    other = Population.from_columns(pop.ids.tolist(), strata=pop.strata.tolist())
    assert not verify_salted(record, other, SECRET).ok
    assert not verify_salted(record, pop, bytes(range(60, 92))).ok


@settings(max_examples=10)
@given(st.randoms(use_true_random=False), st.integers(1, 80))
def test_every_receipt_verifies(rng: random.Random, n: int) -> None:
    """For a random population and sizes, every unit's receipt verifies against the notice."""
    pop = _random_population(rng, n)
    sample, _, notice = _publish(pop, _sizes(pop, rng), buckets=rng.choice([1, 2, 8]))
    receipts = list(make_receipts(sample, pop, SECRET, notice))
    assert len(pop) == len(receipts)
    for receipt in receipts:
        assert canonical_json(receipt.content()).decode() == receipt.to_json()
        assert verify_receipt(receipt.to_json(), notice.to_json()).ok, receipt
        assert receipt.selected == (receipt.unit_id in sample.ids)


def _one(pop: Population, selected: bool) -> tuple[Receipt, PublicNotice]:
    sample, _, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    ident = next(i for i in pop.ids.tolist() if (i in sample.ids) == selected)
    (receipt,) = make_receipts(sample, pop, SECRET, notice, ids=[ident])
    return receipt, notice


@pytest.mark.parametrize("selected", [True, False])
@pytest.mark.parametrize(
    "edit",
    [
        lambda r: attrs.evolve(r, unit_id=r.unit_id + "X"),
        lambda r: attrs.evolve(r, stratum="D" if r.stratum != "D" else "A"),
        lambda r: attrs.evolve(r, eligible=not r.eligible),
        lambda r: attrs.evolve(r, weight=1.0),
        lambda r: attrs.evolve(r, salt=bytes(32)),
        lambda r: attrs.evolve(
            r, threshold=bytes(32) if r.threshold != bytes(32) else b"\xff" * 32
        ),
        lambda r: attrs.evolve(r, ticket=bytes(32)),
        lambda r: attrs.evolve(r, selected=not r.selected),
        lambda r: attrs.evolve(r, notice_digest="0" * 64),
        lambda r: attrs.evolve(r, proof=attrs.evolve(r.proof, path=(bytes(32), *r.proof.path[1:]))),
        lambda r: attrs.evolve(r, proof=attrs.evolve(r.proof, top_path=r.proof.top_path[:-1])),
        lambda r: attrs.evolve(r, proof=attrs.evolve(r.proof, leaf_index=r.proof.leaf_index + 1)),
        lambda r: attrs.evolve(r, proof=attrs.evolve(r.proof, bucket=(r.proof.bucket + 1) % 8)),
    ],
)
def test_an_edited_receipt_fails(selected: bool, edit) -> None:
    """Any edited row field, threshold, ticket, flag or proof makes the receipt fail."""
    receipt, notice = _one(population(), selected)
    assert verify_receipt(receipt, notice).ok
    assert not verify_receipt(edit(receipt), notice).ok


def test_an_edited_notice_threshold_fails_the_receipt() -> None:
    """A receipt checked against a notice with another threshold (re-sealed) fails."""
    receipt, notice = _one(population(), True)
    content = notice.content
    for s in content["strata"]:
        if s["stratum"] == receipt.stratum:
            s["threshold"] = "0" * 64
    forged = PublicNotice(seal(content))
    assert not verify_receipt(receipt, forged).ok


def test_receipt_json_round_trip_and_strict_reading() -> None:
    """A receipt reads back equal; malformed JSON is a RecordFormatError naming the field."""
    receipt, _ = _one(population(), False)
    assert receipt == Receipt.from_json(receipt.to_json())
    data = json.loads(receipt.to_json())
    data["ticket"] = "xyz"
    with pytest.raises(RecordFormatError, match="ticket"):
        Receipt.from_json(json.dumps(data))
    data = json.loads(receipt.to_json())
    data["extra"] = 1
    with pytest.raises(RecordFormatError):
        Receipt.from_json(json.dumps(data))
    with pytest.raises(RecordFormatError):
        Receipt.from_json("[1.5]")
    assert isinstance(receipt.proof, MembershipProof)
    assert struct.calcsize(">d") == 8


def test_bad_publication_input() -> None:
    """A result for an undrawn unit, an unknown id and a foreign notice are typed errors."""
    pop = population()
    sample, _, notice = _publish(pop, {"A": 2, "B": 3, "C": 1, "D": 4})
    with pytest.raises(InvalidInputError):
        list(make_receipts(sample, pop, SECRET, notice, ids=["nobody"]))
    other_pop = population(40)
    other, _, other_notice = _publish(other_pop, {"A": 1, "B": 1, "C": 1, "D": 1})
    with pytest.raises(InvalidInputError):
        list(make_receipts(sample, pop, SECRET, other_notice))
    with pytest.raises(InvalidInputError):
        list(make_receipts(other, pop, SECRET, notice))
    with pytest.raises(InvalidInputError):
        draw_salted(pop, {"A": 99, "B": 0, "C": 0, "D": 0}, SEED, SECRET)
    with pytest.raises(InvalidInputError):
        draw_salted(pop, {"A": 1}, SEED, SECRET)
