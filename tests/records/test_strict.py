"""Strict records, one behaviour: every re-sealed edit of the issue's list is malformed.

Each case edits the golden draw record (or replacement, or assignment), re-seals it so that
its digest is right, and checks that reading it raises RecordFormatError naming the field:
closed field sets at every level, exact value formats, the library object, labels, times,
hex case, canonical source values, raw seeds without a secret. Also the JSON limits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from randsample.errors import RecordFormatError
from randsample.files import read_population_csv
from randsample.records import (
    MAX_JSON_DEPTH,
    ReplacementRecord,
    read_record,
    seal,
    verify_replacements,
)

DATA = Path(__file__).parents[1] / "data"
GOLDEN = DATA / "golden_draw"


def _load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _edit(content: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    target = content
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return seal(content)


_DELETE = object()

DRAW_CASES = [
    # extra fields in closed field sets, at every level
    (("extra",), 1, "extra"),
    (("design", "extra"), 1, "design.extra"),
    (("library", "extra"), 1, "library.extra"),
    (("seed", "extra"), 1, "seed.extra"),
    (("seed", "sources", 0, "extra"), 1, r"seed.sources\[0\].extra"),
    (("selection", 0, "extra"), 1, r"selection\[0\].extra"),
    (("design", "strata", 0, "extra"), 1, r"design.strata\[0\].extra"),
    (("population", "extra"), 1, "population.extra"),
    # the library object
    (("library", "name"), "randsampler", "library.name"),
    (("library", "version"), "latest", "library.version"),
    (("library", "version"), "0.1.0 ", "library.version"),
    # booleans are not integers
    (("algorithm", "version"), True, "algorithm.version"),
    (("seed", "low_entropy_allowed"), 0, "seed.low_entropy_allowed"),
    (("population", "units"), False, "population.units"),
    # labels: empty, spaces, control, NFD
    (("authority",), "", "authority"),
    (("authority",), " golden authority", "authority"),
    (("authority",), "golden\u0007authority", "authority"),
    (("draw_id",), "golden-1 ", "draw_id"),
    (("draw_id",), "Cafe\u0301", "draw_id"),
    (("draw_id",), "golden\u200b1", "draw_id"),
    (("purpose",), "enter\nprises", "purpose"),
    (("selection", 0, "id"), "G 0154 ", r"selection.id\[0\]"),
    (("design", "strata", 0, "stratum"), "A\u00a0", r"design.strata\[0\].stratum"),
    # timestamps
    (("timestamp",), "2026-11-27 02:00:00Z", "timestamp"),
    (("timestamp",), "2026-02-30T25:61:00Z", "timestamp"),
    (("timestamp",), "2026-11-27T02:00:00+08:00", "timestamp"),
    (("timestamp",), "２０２６-11-27T02:00:00Z", "timestamp"),
    (("timestamp",), "2026-11-27T02:00:60Z", "timestamp"),
    # hex: lowercase, exact lengths
    (("seed", "secret"), "D2A94C1E8B7F3065A1C4E9B2D7F08E36", "seed.secret"),
    (("subkey",), "6E8369CF574DB5745599A2187BB5184401C64B5663ABE04F44C856B038A8B7A6", "subkey"),
    (("subkey",), "6e83", "subkey"),
    (("selection", 0, "ticket"), "00" * 31, r"selection\[0\].ticket"),
    (("previous_record_digest",), "0" * 63 + "g", "previous_record_digest"),
    (("population", "digest"), "not hex", "population.digest"),
    # source values: canonical digit strings, never JSON numbers
    (("seed", "sources", 0, "values", 0), "03", r"seed.sources\[0\].values\[0\]"),
    (("seed", "sources", 0, "values", 0), 3, r"seed.sources\[0\].values\[0\]"),
    (("seed", "sources", 0, "values", 0), "3.0", r"seed.sources\[0\].values\[0\]"),
    (("seed", "sources", 0, "values", 0), "", r"seed.sources\[0\].values\[0\]"),
    (("seed", "sources", 0, "values"), [], r"seed.sources\[0\].values"),
    (("seed", "sources", 0, "name"), "", r"seed.sources\[0\].name"),
    # a secret without its commitment, a missing seed key
    (("seed", "commitment"), None, "seed.commitment"),
    (("seed", "key"), None, "seed.key"),
    (("seed", "key"), _DELETE, "seed.key"),
    # counts and probabilities
    (("selection", 0, "rank"), 0, r"selection\[0\].rank"),
    (("selection", 0, "inclusion_probability"), "14/270", "inclusion_probability"),
    (("selection", 0, "inclusion_probability"), "0.0518", "inclusion_probability"),
    (("selection", 0, "inclusion_probability"), "3/2", "inclusion_probability"),
    (("design", "strata", 0, "eligible"), 142, r"design.strata\[0\].eligible"),
    (("population", "eligible"), 203, "population.eligible"),
]


@pytest.mark.parametrize(("path", "value", "field"), DRAW_CASES)
def test_resealed_draw_edits_are_malformed(path, value, field):
    """Each edit of the issue's strictness list, re-sealed, is refused when read."""
    content = _edit(_load("golden_draw/record1.json"), path, value)
    text = json.dumps(content, ensure_ascii=False)
    with pytest.raises(RecordFormatError, match=field):
        read_record(text)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("seed", "secret"), "d2a94c1e8b7f3065a1c4e9b2d7f08e36", "seed.secret"),
        (("seed", "commitment"), "00" * 32, "seed.commitment"),
        (("seed", "key"), "1./", "seed.key"),
    ],
)
def test_a_raw_seed_record_carries_no_secret(path, value, field):
    """A raw-seed record (no sources) with a fake secret, commitment or key is malformed."""
    content = _edit(_load("golden_draw/record2.json"), path, value)
    with pytest.raises(RecordFormatError, match=field):
        read_record(json.dumps(content))


@pytest.mark.parametrize(
    ("name", "path", "value", "field"),
    [
        ("golden_draw/replacement1.json", ("replacement", "rank"), 1, "replacement.rank"),
        ("golden_draw/replacement1.json", ("replaced", "reason"), " gone", "replaced.reason"),
        ("golden_draw/replacement1.json", ("replacement", "extra"), 1, "replacement.extra"),
        ("golden_draw/replacement1.json", ("draw_record_digest",), "AB" * 32, "draw_record"),
        ("golden_assignment/record_partial.json", ("assignment_id",), "", "assignment_id"),
        ("golden_assignment/record_partial.json", ("unstaffed", 0, "needed"), 0, "needed"),
        ("golden_assignment/record_partial.json", ("unstaffed", 0, "assigned"), 1, "assigned"),
        (
            "golden_assignment/record_partial.json",
            ("teams", 0, "members", 0, "inspector_ids", 0),
            "D-08 ",
            "inspector_ids",
        ),
        ("golden_assignment/record_partial.json", ("teams", 0, "extra"), 1, "extra"),
    ],
)
def test_other_kinds_are_strict_too(name, path, value, field):
    """Replacement and assignment records have exact formats as well."""
    content = _edit(_load(name), path, value)
    with pytest.raises(RecordFormatError, match=field):
        read_record(json.dumps(content, ensure_ascii=False))


def test_every_golden_record_reads():
    """The frozen vectors are well-formed under the strict rules (v1 bytes unchanged).

    Each file is its record's canonical JSON, in some folders followed by one newline.
    """
    for path in sorted(DATA.glob("golden_*/*.json")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("{") and '"record_format"' in text:  # (lists hold several)
            assert text.removesuffix("\n") == read_record(text).to_json(), path.name


def test_a_replacement_of_another_authority_is_named():
    """A replacement whose authority differs from its draw's is reported (re-sealed)."""
    draw = read_record((GOLDEN / "record1.json").read_text(encoding="utf-8"))
    content = _edit(_load("golden_draw/replacement1.json"), ("authority",), "another bureau")
    replacement = ReplacementRecord(content)
    report = verify_replacements(
        draw,  # type: ignore[arg-type]
        read_population_csv(GOLDEN / "population.csv"),
        [replacement],
    )
    assert "replacements[0].authority" in report.fields


def test_a_withheld_replacement_is_noticed():
    """--replacement rep2 with rep1 missing: rep2 links to a record that was not given."""
    draw = read_record((GOLDEN / "record1.json").read_text(encoding="utf-8"))
    second = read_record((GOLDEN / "replacement2.json").read_text(encoding="utf-8"))
    report = verify_replacements(
        draw,  # type: ignore[arg-type]
        read_population_csv(GOLDEN / "population.csv"),
        [second],  # type: ignore[list-item]
    )
    assert "replacements[0].previous_record_digest" in report.fields
    assert "withheld" in str(report)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"seed": ' + "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1) + "}", "seed"),
        ("[" * 100_000 + "]" * 100_000, "recursion"),
        ('{"a": ' + "9" * 5000 + "}", "longer than 16 digits"),
        ('{"seed": 1, "authority": "' + "x" * 70_000 + '"}', "over 65536 characters"),
        ('{"a": 1.0}', "non-integer"),
        ('{"a": NaN}', "non-integer"),
        ('{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": "\xc7\xe5"}', "not valid UTF-8"),
        ('{"a": "[\\"}', "not valid JSON"),
    ],
)
def test_json_limits_are_typed_errors(text, fragment):
    """Hostile JSON is a RecordFormatError: no RecursionError or int-limit ValueError."""
    content = {k: v for k, v in _load("golden_draw/record1.json").items() if k != "seed"}
    if isinstance(text, str) and text.startswith('{"seed"'):  # inside a record's field
        if '"authority"' in text:
            content.pop("authority")
        text = text[:-1] + "," + json.dumps(content)[1:]
    with pytest.raises(RecordFormatError, match=fragment):
        read_record(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"a": ' + "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1) + "}", "nested deeper"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{"a": "' + "x" * 70_000 + '"}', "over 65536 characters"),
        ('{"a": ' + "7" * 1001 + "}", "longer than 1000 digits"),
        ('{"a": "[\\"}', "not valid JSON"),
    ],
)
def test_input_file_limits_are_typed_errors(text, fragment, tmp_path):
    """Input files (seeds, designs, ...) are refused beyond the limits of spec 16.5."""
    from randsample.errors import InvalidInputError
    from randsample.files import read_mapping

    (tmp_path / "input.json").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=fragment):
        read_mapping(tmp_path / "input.json")
