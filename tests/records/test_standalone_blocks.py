"""The standalone verifier's block reading of population files and its one-parse records.

A plain population file (valid UTF-8, no quote, no CR) is checked a block of lines at a
time in bulk; a block a bulk check refuses is read again row by row by the csv module. These
tests hold the two readers to the same answers (rows, counts, digest, messages and line
numbers), with blocks small enough that a file spans many of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from randsample.records import _standalone_verify as sv

DATA = Path(__file__).resolve().parents[1] / "data" / "golden_draw"
GOLDEN = (DATA / "population.csv").read_text(encoding="utf-8")
HEADER, *LINES = GOLDEN.splitlines()


def outcome(path: Path, plain: bool | None = None) -> tuple[Any, ...]:
    """Read ``path`` to the end; ``plain=False`` forces the row-by-row reader."""
    population = sv.PopulationFile(str(path))
    if plain is not None:
        population._plain = plain and population._plain
    try:
        rows = list(population.rows())
        return (
            rows,
            population.digest(),
            population.units,
            list(population.strata_units.items()),
            list(population.strata_eligible.items()),
            population.has_weights,
        )
    except sv.CannotVerify as exc:
        return ("refused", str(exc))


def with_line(number: int, line: str, lines: list[str] = LINES) -> str:
    """The golden file with its data line ``number`` (0-based) replaced."""
    changed = list(lines)
    changed[number] = line
    return "\n".join([HEADER, *changed]) + "\n"


CASES = {
    "as written": GOLDEN,
    "rows reversed": "\n".join([HEADER, *LINES[::-1]]) + "\n",
    "out of order late": "\n".join([HEADER, *LINES[:150], LINES[3], *LINES[150:]]) + "\n",
    "a repeat in order": "\n".join([HEADER, *LINES[:120], LINES[119], *LINES[120:]]) + "\n",
    "a repeat out of order": "\n".join([HEADER, *LINES[::-1], LINES[7]]) + "\n",
    "a blank line late": "\n".join([HEADER, *LINES[:170], "", *LINES[170:]]) + "\n",
    "a blank last line": GOLDEN + "\n",
    "no final line end": GOLDEN.rstrip("\n"),
    "a bad flag late": with_line(160, LINES[160].replace(",1,", ",2,", 1)),
    "three fields late": with_line(140, ",".join(LINES[140].split(",")[:3])),
    "a space at an id's end": with_line(100, LINES[100].replace(",", " ,", 1)),
    "a control character": with_line(90, "G\x07" + LINES[90]),
    "a non-ASCII id": with_line(80, "企业" + LINES[80]),
    "an id not in NFC": with_line(80, "Ge\u0301" + LINES[80]),
    "a bad stratum": with_line(70, LINES[70].replace(",", ", ", 1)),
    "a missing weight": with_line(60, LINES[60].rsplit(",", 1)[0] + ","),
    "an infinite weight": with_line(50, LINES[50].rsplit(",", 1)[0] + ",1e999"),
    "ids of two lengths": with_line(40, "X" + LINES[40]),
    "a field past the csv limit": with_line(30, "G" * 140_000 + LINES[30]),
    "a header in capitals": GOLDEN.replace("id,", "ID,", 1),
    "a BOM": "\ufeff" + GOLDEN,
    "a quoted id (read row by row)": with_line(20, '"' + LINES[20].replace(",", '",', 1)),
    "CR LF line ends (read row by row)": GOLDEN.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("block", [16, 100, 1 << 18])
def test_block_checks_agree_with_the_row_by_row_reader(
    case: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of any size give what the csv module row by row gives: rows, counts, digest,
    or the same refusal naming the same line (a refused block is read again row by row)."""
    path = tmp_path / "population.csv"
    path.write_bytes(CASES[case].encode("utf-8"))
    monkeypatch.setattr(sv.PopulationFile, "BLOCK", block)
    monkeypatch.setattr(sv.PopulationFile, "BATCH", 7)
    monkeypatch.setattr(sv.PopulationFile, "KINDS", 2)
    expected = outcome(path, plain=False)
    assert expected == outcome(path)


def test_a_refused_block_is_read_again_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad row in a later block is reported with its own file line number."""
    path = tmp_path / "population.csv"
    path.write_text(with_line(150, LINES[150].replace(",1,", ",yes,", 1)), encoding="utf-8")
    monkeypatch.setattr(sv.PopulationFile, "BLOCK", 64)
    calls: list[int] = []
    row_batches = sv.PopulationFile._row_batches

    def spy(self: sv.PopulationFile, reader: Any, base: int, state: Any) -> Any:
        calls.append(base)
        return row_batches(self, reader, base, state)

    monkeypatch.setattr(sv.PopulationFile, "_row_batches", spy)
    assert ("refused", "line 152: eligible must be 1 or 0, not 'yes'") == outcome(path)
    assert 1 == len(calls)
    assert 1 < calls[0] < 152


def test_the_plain_reader_is_used_for_plain_files_only(tmp_path: Path) -> None:
    """Valid UTF-8 without quotes or CRs is plain; a quote, a CR or a bad byte is not."""
    path = tmp_path / "population.csv"
    for data, plain in [
        (GOLDEN.encode("utf-8"), True),
        (GOLDEN.replace("G0001", '"G0001"').encode("utf-8"), False),
        (GOLDEN.replace("\n", "\r\n").encode("utf-8"), False),
        (GOLDEN.encode("utf-8") + b"\xe4\xbc", False),
    ]:
        path.write_bytes(data)
        assert plain == sv.PopulationFile(str(path))._plain
    assert sv.PopulationFile("-", text=GOLDEN)._plain


def test_units_not_selected_are_explained_from_the_file(tmp_path: Path) -> None:
    """A record naming units the draw does not select is explained as with rows in memory:
    the file is read again for those ids only when the selections differ."""
    record = json.loads((DATA / "record1.json").read_text(encoding="utf-8"))
    rows = sv.read_population_csv(DATA / "population.csv")
    chosen = {entry["id"] for entry in record["selection"]}
    ineligible = next(r[0] for r in rows if not r[2])
    other = next(r for r in rows if r[2] and r[0] not in chosen)
    record["selection"][0]["id"] = ineligible
    record["selection"][1]["id"] = other[0]
    record["selection"][2]["id"] = "NOT-A-UNIT"
    record["record_digest"] = sv.record_digest(record)
    population = sv.PopulationFile(str(DATA / "population.csv"))
    found = sv.verify_draw(json.loads(json.dumps(record)), population)
    assert sv.verify_draw(json.loads(json.dumps(record)), rows) == found
    text = "\n".join(message for _field, message in found)
    assert "(it is ineligible)" in text
    assert "(it is not in the population file)" in text


def parse_twice(text: str, path: str) -> Any:
    """What the verifier did before: parse as an input file, then again as a record."""
    sv.parse_json(text, path, "json")
    return sv.parse_json(text, path, "record", ascii_keys=True)


@pytest.mark.parametrize(
    ("insert", "refusal"),
    [
        ('"n": 12345678901234567, ', "an integer of more than 16 digits"),
        ('"n": 9007199254740993, ', "beyond 2^53 - 1"),
        ('"clé": 1, ', "is not ASCII"),
        ('"n": "\\ud800", ', "lone surrogate"),
        ('"n": ' + "[" * 40 + "]" * 40 + ", ", "nested more than 32 deep"),
    ],
)
def test_a_record_is_parsed_once_and_refused_as_before(
    insert: str, refusal: str, tmp_path: Path
) -> None:
    """A record file is parsed once, yet refused as parsing it again as a record would."""
    text = (DATA / "record1.json").read_text(encoding="utf-8").replace("{", "{" + insert, 1)
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(sv.CannotVerify) as once:
        sv._Inputs._read(str(path), None)
    with pytest.raises(sv.CannotVerify) as twice:  # as an input, then again as a record
        parse_twice(text, str(path))
    assert refusal in str(once.value)
    assert str(twice.value) == str(once.value)


def test_bulk_checks_pass_a_good_record_and_send_a_bad_one_entry_by_entry() -> None:
    """The bulk checks of a record (its strings, its selection's columns) pass the golden
    record, so no entry-by-entry walk runs; any bad entry fails them."""
    record = json.loads((DATA / "record1.json").read_text(encoding="utf-8"))
    assert sv._walk_ok(record, True, True)
    assert sv._selection_ok(record["selection"])
    for name, value in [
        ("id", " G0001"),
        ("stratum", ""),
        ("rank", 0),
        ("rank", True),
        ("ticket", "AB" * 32),
        ("inclusion_probability", "2/4"),
    ]:
        bad = json.loads(json.dumps(record["selection"]))
        bad[-1][name] = value
        assert not sv._selection_ok(bad)
        with pytest.raises(sv.CannotVerify, match=r"selection\[\d+\]"):
            sv._read_selection({"selection": bad}, "record.json")
    record["selection"][0]["ticket"] = "\ud800"
    assert not sv._walk_ok(record, True, True)


def _scan_population(tmp_path: Path, weighted: bool, shuffled: bool) -> Path:
    """3,000 units in four strata, some ineligible, ids of two lengths, written as a file."""
    import random

    rng = random.Random(7)
    rows = []
    for i in range(3000):
        uid = f"U{i:05d}" if i % 7 else f"W{i:07d}"
        weight = f"{rng.randint(0, 40) / 4}" if weighted else ""
        rows.append(f"{uid},{'ABCD'[i % 4]},{0 if i % 11 == 0 else 1},{weight}")
    if shuffled:
        rng.shuffle(rows)
    path = tmp_path / "population.csv"
    path.write_text("\n".join(["id,stratum,eligible,weight", *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("block", [64, 1 << 18])
def test_the_batch_scan_keeps_what_the_row_scan_keeps(
    weighted: bool, shuffled: bool, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_file (tickets per batch, thresholds compared in C, pools trimmed many times) keeps
    the same candidates as run (row by row) and gives the same digest."""
    monkeypatch.setattr(sv.PopulationFile, "BLOCK", block)
    path = _scan_population(tmp_path, weighted, shuffled)
    key = bytes(range(32))
    need = {"A": 3, "B": 40, "C": 1, "E": 2}  # small samples: the pools are trimmed often
    keep_all = ["B", "D"] if weighted else []
    by_batch = sv.PopulationFile(str(path))
    by_row = sv.PopulationFile(str(path))
    if weighted:
        one = sv.DrawScan({}, keep_all).run_file(by_batch, key)
        two = sv.DrawScan({}, keep_all).run(by_row.rows(), key)
        assert {h: sorted(u) for h, u in two.all.items()} == {
            h: sorted(u) for h, u in one.all.items()
        }
        assert 600 < len(one.all["B"])
    else:
        one = sv.DrawScan(need).run_file(by_batch, key)
        two = sv.DrawScan(need).run(by_row.rows(), key)
        assert {h: p.smallest() for h, p in two.pools.items()} == {
            h: p.smallest() for h, p in one.pools.items()
        }
        assert 40 == len(one.pools["B"].smallest())
    assert by_row.digest() == by_batch.digest()
