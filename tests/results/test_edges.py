"""Edge cases: notices from sealed records, re-sealed inconsistent notices, drawn sets, formats."""

from __future__ import annotations

import json

import pytest

from randsample import Population, Seed, draw_stratified, make_record
from randsample.errors import InvalidInputError, InvalidTypeError, RecordFormatError
from randsample.records import PublicNotice, ResultRecord, SaltedDrawRecord, read_record, seal
from randsample.results import (
    Drawn,
    ResultLog,
    draw_salted,
    log_from_records,
    make_notice,
    make_salted_record,
    replace_unit,
    seal_result,
    verify_notice,
    verify_results,
)

from .helpers import DEPARTMENTS, DRAWN, ITEMS, SECRET, SEED, D, entered, population


def _full(pop: Population | None = None) -> SaltedDrawRecord:
    sample = draw_salted(
        pop or population(), {"A": 2, "B": 2, "C": 2, "D": 2}, SEED, SECRET, buckets=4
    )
    return make_salted_record(
        sample, authority="bureau", draw_id="T1", timestamp="2026-03-01T00:00:00Z"
    )


def _notice(full: SaltedDrawRecord, **kwargs) -> PublicNotice:
    return make_notice(
        full,
        notice_id="N",
        task_id="T1",
        period="2026-03",
        departments=DEPARTMENTS,
        items=ITEMS,
        timestamp=kwargs.pop("timestamp", "2026-04-01T00:00:00Z"),
        **kwargs,
    )


def _sealed_chain(enterprise: str) -> list[ResultRecord]:
    """Entered, approved, published, closed: four chained records of one SAMR result."""
    drawn = Drawn({("T1", "SAMR"): ("2026-03", frozenset({enterprise}))})
    log = ResultLog(drawn)
    first = log.append(entered(enterprise_id=enterprise))
    log.move(first.key, "approved", on=D(2026, 3, 5), by="chief")
    log.move(first.key, "published", on=D(2026, 3, 6), by="chief")
    log.move(first.key, "closed", on=D(2026, 3, 20), by="chief")
    records: list[ResultRecord] = []
    for index, entry in enumerate(log.entries):
        records.append(
            seal_result(
                entry,
                authority="SAMR",
                timestamp=f"2026-03-2{index}T00:00:00Z",
                previous=records[-1] if records else None,
                previous_result=records[-1] if records else None,
            )
        )
    return records


def test_notice_lists_sealed_results_with_their_digests_and_publication_date() -> None:
    """A notice built from sealed records names each result's latest record and publish date."""
    full = _full()
    enterprise = sorted(full.selected_ids)[0]
    records = _sealed_chain(enterprise)
    notice = _notice(full, results=records)
    (listed,) = [e for e in notice["drawn"] if e["id"] == enterprise]
    (result,) = listed["results"]
    assert (records[-1].record_digest, "2026-03-06") == (
        result["result_record_digest"],
        result["published_on"],
    )
    early = _notice(full, results=records, timestamp="2026-03-05T12:00:00Z")
    assert all(not e["results"] for e in early["drawn"])
    assert verify_notice(notice, draw_record=full).ok


def test_notice_refuses_results_it_cannot_publish() -> None:
    """A result for an undrawn enterprise or of an unlisted department is refused."""
    full = _full()
    outside = next(i for i in population().ids.tolist() if i not in full.selected_ids)
    with pytest.raises(InvalidInputError, match="not drawn"):
        _notice(full, results=_sealed_chain(outside))
    with pytest.raises(InvalidInputError):
        make_notice(
            full,
            notice_id="N",
            task_id="T1",
            period="2026-03",
            departments=DEPARTMENTS[1:],
            items=ITEMS,
            timestamp="2026-04-01T00:00:00Z",
        )
    chosen = sorted(full.selected_ids)[0]
    log = ResultLog(Drawn({("T1", "HEALTH"): ("2026-03", frozenset({chosen}))}))
    first = log.append(entered(department="HEALTH", enterprise_id=chosen))
    log.move(first.key, "approved", on=D(2026, 3, 5), by="chief")
    log.move(first.key, "published", on=D(2026, 3, 6), by="chief")
    with pytest.raises(InvalidInputError, match="HEALTH"):
        make_notice(
            full,
            notice_id="N",
            task_id="T1",
            period="2026-03",
            departments=DEPARTMENTS[:1],
            items=ITEMS[:1],
            timestamp="2026-04-01T00:00:00Z",
            results=log,
        )
    with pytest.raises(InvalidTypeError):
        _notice(full, results=[object()])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["strata"].reverse(), "strata"),
        (
            lambda c: c["strata"][0].update(sample_size=c["strata"][0]["eligible"] + 1),
            "strata['A']",
        ),
        (lambda c: c["strata"][0].update(threshold=None), "strata['A'].threshold"),
        (lambda c: c["drawn"].reverse(), "drawn"),
        (lambda c: c["population_commitment"].update(units=1), "strata"),
        (
            lambda c: c["drawn"][0]["results"].append(
                {
                    "department": "POLICE",
                    "category": "lost",
                    "subtypes": ["x"],
                    "follow_ups": ["y"],
                    "inspection_end": "2026-03-01",
                    "published_on": "2026-03-02",
                    "result_record_digest": None,
                }
            ),
            "drawn[",
        ),
    ],
)
def test_resealed_inconsistent_notices_fail_public_checks(change, field: str) -> None:
    """A notice re-sealed after an inconsistent edit fails the checks anyone can run."""
    content = _notice(_full()).content
    change(content)
    report = verify_notice(PublicNotice(seal(content)))
    assert any(f.startswith(field) for f in report.fields), report


def test_drawn_sets_from_joint_draws_and_records() -> None:
    """Drawn sets follow replacements; bad inputs and a wrong period are typed errors."""
    pop = Population.from_columns([f"E{i}" for i in range(8)], strata="A")
    draw = make_record(
        draw_stratified(pop, {"A": 2}, Seed.from_bytes(bytes(range(16)))),
        authority="b",
        draw_id="T1",
        timestamp="2026-03-01T00:00:00Z",
    )
    gone = draw.selected_ids[0]
    replacement = replace_unit(
        draw,
        pop,
        unit_id=gone,
        reason="duplicate-entry",
        recorded_by="c",
        timestamp="2026-03-02T00:00:00Z",
        previous=draw,
    )
    drawn = Drawn.from_record(draw, department="SAMR", period="2026-03", replacements=[replacement])
    assert gone not in drawn.units["T1", "SAMR"][1]
    assert replacement["replacement"]["id"] in drawn.units["T1", "SAMR"][1]
    assert "Drawn(1 department draws, 2 results possible)" == repr(drawn)
    with pytest.raises(InvalidInputError, match="drawn in 2026-03"):
        drawn.check("T1", "SAMR", draw.selected_ids[1], "2026-04")
    other = make_record(
        draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(1, 17)))),
        authority="b",
        draw_id="T2",
        timestamp="2026-03-01T00:00:00Z",
    )
    with pytest.raises(InvalidInputError, match="another draw"):
        Drawn.from_record(other, department="SAMR", period="2026-03", replacements=[replacement])
    with pytest.raises(InvalidTypeError):
        Drawn.from_joint([draw])
    with pytest.raises(InvalidTypeError):
        Drawn.from_record(draw, department="SAMR", period="2026-03", replacements=[draw])


def test_records_that_are_not_results_or_are_malformed() -> None:
    """Other kinds, bad digests and bad dates are reported or refused with typed errors."""
    records = _sealed_chain("E1")
    full = _full()
    assert "records[1].record_format" in verify_results([records[0], full]).fields
    with pytest.raises(InvalidInputError):
        log_from_records([full], DRAWN)
    content = records[0].content
    content["result"]["note"] = "edited"
    with pytest.raises(InvalidInputError, match="edited"):
        log_from_records([json.dumps(content, ensure_ascii=False)], DRAWN)
    content = records[0].content
    content["result"]["date"] = "2026-13-01"
    assert "records[0].result" in verify_results([ResultRecord(seal(content))]).fields
    content = records[0].content
    content["draw_record_digest"] = "xyz"
    with pytest.raises(RecordFormatError):
        ResultRecord(content)
    content = full.content
    content["algorithm"]["version"] = 2
    with pytest.raises(RecordFormatError):
        read_record(json.dumps(content))
    content = _notice(full).content
    content["population_commitment"]["version"] = 1
    with pytest.raises(RecordFormatError):
        PublicNotice(content)
    assert "result T1/SAMR/E1 pending-review" == records[0].label
    assert repr(entered()).startswith("InspectionResult(T1/SAMR/E1: corrected")
