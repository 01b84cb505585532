"""The ledger audit names every way a set of individually valid records can hide something."""

from __future__ import annotations

import datetime
import json

import pytest

from randsample import Seed, draw_stratified, make_record
from randsample.errors import InvalidTypeError
from randsample.examples import demo_sizes
from randsample.records import AuditReport, audit, read_record, seal

from .ledgers import AUTHORITY, clean_year, population, secret_for, stamp


@pytest.fixture(scope="module")
def year():
    return clean_year()


def _audit(records):
    return audit(records, populations=[population()])


def _problems(report: AuditReport) -> str:
    return "\n".join(str(p) for p in report.problems)


def test_a_clean_year_verifies_in_full(year):
    """Twelve announced draws, four replacements and announced teams: all verified."""
    report = _audit(year)
    assert report.ok, str(report)
    statuses = {entry.name: entry.status for entry in report.entries}
    assert "checked" == statuses["12-teams.json"]  # the teams' inputs are not given
    assert {"verified"} == {s for n, s in statuses.items() if n != "12-teams.json"}
    assert 30 == len(report.entries)
    assert [e.name for e in report.entries][:3] == [
        "01-announcement.json",
        "01-draw.json",
        "02-announcement.json",
    ]
    draws = [e for e in report.entries if e.kind == "draw"]
    assert all(["publicly-random"] == [n.code for n in e.notes] for e in draws)
    assert "LEDGER VERIFIED" in str(report)
    assert json.loads(json.dumps(report.to_json()))["ok"] is True
    assert "30 records" in repr(report)
    assert {"name", "kind", "label", "timestamp", "status"} == set(report.to_rows()[0])


def test_without_populations_draws_are_checked_not_verified(year):
    """With no population given, draws get their seal and seed checked, and say so."""
    report = audit(year)
    assert report.ok
    assert "checked" == next(e.status for e in report.entries if e.name == "05-draw.json")


def test_a_fork_is_named(year):
    """Two records with one predecessor (a draw made twice, both kept) are a fork."""
    records = dict(year)
    first = records["05-draw.json"]
    other = make_record(
        draw_stratified(population(), demo_sizes(population()), Seed.from_bytes(secret_for("x"))),
        authority=AUTHORITY,
        draw_id="QH-2026-05b",
        timestamp=first["timestamp"],
        previous=records["05-announcement.json"],
    )
    records["05-draw-b.json"] = other
    report = _audit(records)
    assert not report.ok
    assert "fork: 05-draw.json, 05-draw-b.json all follow 05-announcement.json" in _problems(report)


def test_a_gap_is_named(year):
    """A record missing from the middle of the chain (deleted) leaves a gap."""
    records = dict(year)
    del records["06-draw.json"]
    report = _audit(records)
    problems = _problems(report)
    assert "gap: 07-announcement.json follows" in problems
    assert "not linked to the first record" in problems
    assert "06-announcement.json announced 'QH-2026-06'" in problems  # the draw is missing


def test_a_redone_draw_is_named(year):
    """A draw redone under the same draw_id (deleted and redone: a new record, the same id)
    is named, and the redone record also departs from the announcement."""
    records = dict(year)
    original = records["08-draw.json"]
    del records["08-draw.json"]
    redone = make_record(
        draw_stratified(population(), demo_sizes(population()), Seed.from_bytes(secret_for("r"))),
        authority=AUTHORITY,
        draw_id="QH-2026-08",
        timestamp=original["timestamp"],
        previous=records["08-announcement.json"],
    )
    records["08-draw.json"] = redone
    records["08-draw-first.json"] = original
    report = _audit(records)
    problems = _problems(report)
    assert "draw_id: 'QH-2026-08' is recorded 2 times" in problems
    assert "fork" in problems
    entry = next(e for e in report.entries if e.name == "08-draw.json")
    assert "not verified" == entry.status
    assert any(p.field == "announcement.sources" for p in entry.problems)


def test_a_withheld_replacement_is_named(year):
    """The first replacement of March withheld: a gap, and the second's rank gives it away."""
    records = dict(year)
    del records["03-replacement-1.json"]
    problems = _problems(_audit(records))
    assert "gap: 03-replacement-2.json follows" in problems
    assert "an earlier replacement is missing (withheld)" in problems


def test_a_withheld_replacement_relinked_is_still_named(year):
    """Even re-sealed to link over the hole, the second replacement's rank is wrong."""
    records = dict(year)
    second = records.pop("03-replacement-2.json")
    first = records.pop("03-replacement-1.json")
    content = second.content
    content["previous_record_digest"] = first["previous_record_digest"]
    records["03-replacement-2.json"] = read_record(json.dumps(seal(content), ensure_ascii=False))
    report = _audit(records)
    assert "an earlier replacement is missing (withheld)" in _problems(report)


def test_an_edited_record_and_an_intruder_are_named(year):
    """A record edited after sealing and a record of another authority are each named."""
    records = dict(year)
    content = records["09-draw.json"].content
    content["draw_id"] = "QH-2026-09-edited"
    records["09-draw.json"] = read_record(json.dumps(content), check_digest=False)
    intruder = make_record(
        draw_stratified(population(), demo_sizes(population()), Seed.from_bytes(secret_for("i"))),
        authority="another bureau",
        draw_id="X-1",
        timestamp=stamp(datetime.date(2026, 12, 30)),
    ).content
    intruder["previous_record_digest"] = records["12-teams.json"].record_digest
    records["intruder.json"] = read_record(json.dumps(seal(intruder), ensure_ascii=False))
    report = _audit(records)
    by_name = {e.name: e for e in report.entries}
    assert "record_digest" in [p.field for p in by_name["09-draw.json"].problems]
    assert "authority" in [p.field for p in by_name["intruder.json"].problems]


def test_replacements_out_of_order_and_before_their_draw(year):
    """Replacements relinked out of chain order are named by rank."""
    records = dict(year)
    first, second = records["07-replacement-1.json"], records["07-replacement-2.json"]
    a, b = first.content, second.content
    # second now comes right after the draw, first after it: ranks 1 then 2 are swapped
    b["previous_record_digest"] = first["previous_record_digest"]
    b["timestamp"] = first["timestamp"]
    b = seal(b)
    a["previous_record_digest"] = b["record_digest"]
    a["timestamp"] = second["timestamp"]
    a = seal(a)
    records["07-replacement-1.json"] = read_record(json.dumps(a, ensure_ascii=False))
    records["07-replacement-2.json"] = read_record(json.dumps(b, ensure_ascii=False))
    report = _audit(records)
    assert "out of order or repeated" in _problems(report), str(report)


def test_audit_takes_a_list_or_texts_and_refuses_other_things(year):
    """Records may come as a list (named record[i]) or as JSON text; not as a string."""
    texts = [record.to_json() for record in year.values()]
    report = audit(texts)
    assert report.ok
    assert report.entries[0].name.startswith("record[")
    with pytest.raises(InvalidTypeError):
        audit("not records")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        audit(texts, populations=["population.csv"])  # type: ignore[list-item]


def test_an_empty_or_rootless_ledger_is_named(year):
    """No first record (every record follows another) is named as such."""
    records = {k: v for k, v in year.items() if not k.startswith("01-")}
    problems = _problems(_audit(records))
    assert "0 first records" in problems
    assert audit({}).authority is None
