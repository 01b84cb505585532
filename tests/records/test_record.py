"""Draw records: canonical JSON, sealing, tamper detection by verify, hash chain."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    DrawRecord,
    Population,
    PublicSource,
    RecordFormatError,
    RecordIntegrityError,
    Seed,
    commitment_for,
    draw_stratified,
    make_record,
    verify,
)
from randsample.records._seal import compute_digest
from tests.strategies import feasible_sizes, populations, seeds

SECRET = bytes.fromhex("a3f1c2d4e5b60718293a4b5c6d7e8f90")
SOURCES = [
    PublicSource("lottery 1", [3, 11, 19, 24, 30, 33]),
    PublicSource("index close x100", [324567]),
    PublicSource("lottery 2", [102, 7, 58]),
]
SEED = Seed.from_sources(SOURCES, secret=SECRET, commitment=commitment_for(SECRET))
POP = Population.from_columns(
    [f"E{i:03d}" for i in range(30)],
    strata=["A"] * 15 + ["B"] * 10 + ["D"] * 5,
    eligible=[i != 3 for i in range(30)],
    weights=[float(i % 7) for i in range(30)],
)
SIZES = {"A": 3, "B": 2, "D": 5}
STAMP = "2026-11-27T02:00:00Z"


def _record(**kwargs: Any) -> DrawRecord:
    return make_record(
        draw_stratified(POP, SIZES, SEED),
        authority="清河县市场监管局",
        draw_id="2026-11-001",
        timestamp=STAMP,
        **kwargs,
    )


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


def _tampered(content: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    out = copy.deepcopy(content)
    target = out
    for step in path[:-1]:
        target = target[step]
    old = target[path[-1]]
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, int):
        new = old + 1
    elif old is None:
        new = "0" * 64
    elif path[-1] == "inclusion_probability":
        new = "1/7"
    elif all(c in "0123456789abcdef" for c in old):  # hex or digit string: stay well-formed
        new = old[:-1] + ("1" if old[-1] != "1" else "2")
    else:
        new = old + "x"
    target[path[-1]] = new
    return out


def test_valid_record_verifies_and_round_trips_bit_for_bit():
    """A fresh record verifies; to_json -> from_json -> to_json is byte-identical."""
    record = _record()
    assert verify(record, POP).ok
    text = record.to_json()
    again = DrawRecord.from_json(text)
    assert text == again.to_json()
    assert record.record_digest == again.record_digest
    assert json.loads(text) == record.content


@given(st.data())
def test_records_round_trip_for_any_draw(data):
    """Any draw's record survives JSON exactly and verifies against its population."""
    pop = data.draw(populations())
    sample = draw_stratified(pop, data.draw(feasible_sizes(pop)), data.draw(seeds))
    record = make_record(sample, authority="a", draw_id="d", timestamp=STAMP)
    loaded = DrawRecord.from_json(record.to_json().encode("utf-8"))
    assert record.to_json() == loaded.to_json()
    assert verify(loaded, pop).ok


def test_canonical_json_shape():
    """Sorted keys, no whitespace, UTF-8 literal Chinese text, no floats."""
    text = _record().to_json()
    assert text.startswith(
        '{"algorithm":{"name":"stratified-srswor","version":1},"authority":"清河县市场监管局"'
    )
    assert ": " not in text
    assert ", " not in text
    assert "." not in json.dumps(json.loads(text)["selection"])


def test_every_field_edit_is_caught_by_the_digest():
    """Editing any single leaf without resealing: verify reports record_digest (or the record
    is structurally refused)."""
    content = _record().content
    for path in _leaves(content):
        if path == ("record_digest",):
            continue
        edited = json.dumps(_tampered(content, path), ensure_ascii=False)
        try:
            report = verify(edited, POP)
        except RecordFormatError:
            continue  # e.g. an unsupported algorithm version: refused outright
        assert not report.ok, path
        assert "record_digest" in report.fields, path
        with pytest.raises(RecordFormatError):
            DrawRecord.from_json(edited)


# Fields whose change does not alter what the algorithm computes: only the seal and the chain
# protect them (tested separately).
UNCHECKED_WHEN_RESEALED = {"library", "authority", "draw_id", "timestamp", "previous_record_digest"}
# Which reported field names the cause of an edit of a given record field.
EXPECTED_CAUSE = {
    "seed": ("seed",),
    "subkey": ("subkey",),
    "purpose": ("subkey",),
    "population": ("population.",),
    "design": ("design", "selection"),
    "selection": ("selection",),
}


def test_every_resealed_edit_is_named():
    """An adversary who edits a field and recomputes the digest is still caught, and the
    report names the edited part of the record."""
    content = _record().content
    for path in _leaves(content):
        if path[0] in UNCHECKED_WHEN_RESEALED or path == ("record_digest",):
            continue
        if path[:2] == ("seed", "sources") and path[-1] == "name":
            continue  # a source's name is descriptive and not part of the key (spec 2.2)
        edited = _tampered(content, path)
        edited["record_digest"] = compute_digest(edited)
        try:
            report = verify(DrawRecord(edited), POP)
        except RecordFormatError:
            continue
        assert not report.ok, path
        assert any(f.startswith(EXPECTED_CAUSE[path[0]]) for f in report.fields), (
            path,
            report.fields,
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows.__setitem__(0, ("E000x", *rows[0][1:])),
        lambda rows: rows.__setitem__(0, (rows[0][0], "B", *rows[0][2:])),
        lambda rows: rows.__setitem__(0, (*rows[0][:2], False, rows[0][3])),
        lambda rows: rows.__setitem__(0, (*rows[0][:3], 99.0)),
        lambda rows: rows.pop(),
    ],
    ids=["id", "stratum", "eligible", "weight", "removed row"],
)
def test_population_row_tampering_is_named(change):
    """Changing one row of the population (any field) or dropping one fails verification."""
    rows = list(
        zip(
            POP.ids.tolist(),
            POP.strata.tolist(),
            POP.eligible.tolist(),
            POP.weights.tolist(),
            strict=True,
        )
    )
    change(rows)
    ids, strata, eligible, weights = zip(*rows, strict=True)
    tampered = Population.from_columns(
        list(ids), strata=list(strata), eligible=list(eligible), weights=list(weights)
    )
    report = verify(_record(), tampered)
    assert not report.ok
    assert "population.digest" in report.fields


def test_chain_links_and_detects_a_redone_draw():
    """A record chains to its predecessor; a redone draw chained elsewhere is flagged."""
    first = _record()
    second = make_record(
        draw_stratified(POP, SIZES, SEED),
        authority="清河县市场监管局",
        draw_id="2026-11-002",
        timestamp="2026-11-28T02:00:00Z",
        previous=first,
    )
    assert verify(second, POP, previous=first).ok
    # The first draw is "deleted and redone": a new record that is not the one second links to.
    redone = make_record(
        draw_stratified(POP, {"A": 2, "B": 2, "D": 5}, SEED),
        authority="清河县市场监管局",
        draw_id="2026-11-001",
        timestamp="2026-11-27T03:00:00Z",
    )
    report = verify(second, POP, previous=redone)
    assert ("previous_record_digest",) == report.fields


def test_chain_refuses_other_authority_and_time_travel():
    """make_record refuses a previous record of another authority or a later timestamp."""
    first = _record()
    sample = draw_stratified(POP, SIZES, SEED)
    with pytest.raises(ValueError, match="another authority"):
        make_record(sample, authority="other", draw_id="x", timestamp=STAMP, previous=first)
    with pytest.raises(ValueError, match="earlier than the previous"):
        make_record(
            sample,
            authority="清河县市场监管局",
            draw_id="x",
            timestamp="2026-11-26T00:00:00Z",
            previous=first,
        )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"record_format": "x"}', "unsupported"),
        ('{"record_format": "randsample.draw-record/1"}', "is missing"),
    ],
)
def test_malformed_records_are_typed_errors(text, fragment):
    """Garbage is refused with a RecordFormatError, never a crash."""
    with pytest.raises(RecordFormatError, match=fragment):
        DrawRecord.from_json(text)


def test_structural_edits_are_refused():
    """Unknown versions, extra fields, floats and wrong types are format errors."""
    content = _record().content
    cases = [
        {**content, "record_format": "randsample.draw-record/2"},
        {**content, "algorithm": {"name": "stratified-srswor", "version": 2}},
        {**content, "note": "added"},
        {**content, "population": {**content["population"], "units": 30.0}},
        {**content, "selection": [{**content["selection"][0], "rank": "1"}]},
    ]
    for case in cases:
        with pytest.raises(RecordFormatError):
            DrawRecord.from_json(json.dumps(case))


def test_edited_json_raises_integrity_error_naming_digests():
    """from_json refuses an edited record by default and says which digest it has."""
    content = _record().content
    content["draw_id"] = "2026-11-999"
    with pytest.raises(RecordIntegrityError, match="record_digest: does not match"):
        DrawRecord.from_json(json.dumps(content, ensure_ascii=False))


@pytest.mark.parametrize(
    ("stamp", "fragment"),
    [
        ("2026-11-27 02:00:00", "YYYY-MM-DD"),
        ("2026-02-30T00:00:00Z", "not a real"),
        (20261127, "datetime"),
    ],
)
def test_bad_timestamps(stamp, fragment):
    """Timestamps are passed in, and must be unambiguous UTC."""
    with pytest.raises((ValueError, TypeError), match=fragment):
        make_record(draw_stratified(POP, SIZES, SEED), authority="a", draw_id="d", timestamp=stamp)


def test_low_entropy_flag_is_recomputed():
    """The override flag is re-derived from the seed material, so flipping it is caught."""
    weak = Seed.from_sources([PublicSource("one lottery", [1, 2, 3])], allow_low_entropy=True)
    assert weak.low_entropy_allowed
    record = make_record(
        draw_stratified(POP, SIZES, weak), authority="a", draw_id="d", timestamp=STAMP
    )
    assert verify(record, POP).ok
    content = record.content
    content["seed"]["low_entropy_allowed"] = False
    content["record_digest"] = compute_digest(content)
    assert "seed" in verify(DrawRecord(content), POP).fields


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"record_format": 1, "record_format": 2}', "duplicate key"),
        ('{"a": 1.5}', "non-integer number"),
        ('{"a": NaN}', "non-integer number"),
    ],
)
def test_ambiguous_json_is_refused(text, fragment):
    """Duplicate keys (read differently by different parsers), floats and NaN are refused."""
    with pytest.raises(RecordFormatError, match=fragment):
        DrawRecord.from_json(text)


def test_lone_surrogate_is_refused():
    """A string that is not valid UTF-8 cannot be sealed, so such a record is refused."""
    content = _record().content
    content["draw_id"] = "\ud800"
    with pytest.raises(RecordFormatError, match="draw_id"):
        DrawRecord.from_json(json.dumps(content))
