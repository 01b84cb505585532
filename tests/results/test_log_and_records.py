"""The result log (append-only, as-of) and sealed result records (tamper, chain, draw)."""

from __future__ import annotations

import json

import pytest

from randsample import Population, Seed, draw_stratified, make_record
from randsample.errors import InvalidInputError, RecordIntegrityError
from randsample.records import ResultRecord, read_record
from randsample.results import (
    Drawn,
    ResultLog,
    log_from_records,
    seal_result,
    verify_results,
)

from .helpers import DRAWN, D, entered, fields, published_log


def _sealed(log: ResultLog, authority: str = "SAMR") -> list[ResultRecord]:
    records: list[ResultRecord] = []
    last: dict[tuple, ResultRecord] = {}
    for index, entry in enumerate(log.entries):
        if entry.department != authority:
            continue
        record = seal_result(
            entry,
            authority=authority,
            timestamp=f"{entry.date.isoformat()}T08:{index:02d}:00Z",
            previous=records[-1] if records else None,
            previous_result=last.get(entry.key),
        )
        records.append(record)
        last[entry.key] = record
    return records


def test_a_result_for_an_undrawn_enterprise_is_refused() -> None:
    """Entering a result for an enterprise the department did not draw names the id."""
    log = ResultLog(DRAWN)
    with pytest.raises(InvalidInputError, match="E3") as info:
        log.enter(
            **{
                k: v
                for k, v in fields(department="HEALTH", enterprise_id="E3").items()
                if k != "period"
            }
        )
    assert "enterprise_id" == info.value.field
    with pytest.raises(InvalidInputError):
        log.enter(**{k: v for k, v in fields(task_id="T9").items() if k != "period"})


def test_the_log_is_append_only_in_date_order() -> None:
    """A back-dated entry and a move of a never-entered result are refused."""
    log = published_log()
    late = entered(enterprise_id="E3", on=D(2026, 3, 4))
    with pytest.raises(InvalidInputError, match="append-only"):
        log.append(late)
    with pytest.raises(InvalidInputError):
        log.move(("T1", "SAMR", "E3"), "approved", on=D(2026, 3, 20), by="chief")


def test_as_of_is_the_prefix_of_the_log() -> None:
    """The state as of a date is what the entries up to that date give."""
    log = published_log()
    key = ("T1", "HEALTH", "E1")
    assert "published" == log.state(key)
    assert "approved" == log.as_of(D(2026, 3, 9)).state(key)
    assert "not-entered" == log.as_of(D(2026, 3, 1)).state(key)
    assert 3 == len(log.history(key))


def test_sealed_records_verify_and_rebuild_the_log() -> None:
    """Each department's records verify; the log rebuilt from all records is the same log."""
    log = published_log()
    samr, health = _sealed(log, "SAMR"), _sealed(log, "HEALTH")
    assert verify_results(samr, drawn=DRAWN).ok
    assert verify_results(samr + health).ok
    rebuilt = log_from_records([r.to_json() for r in samr + health], DRAWN)
    assert log.current() == rebuilt.current()


def test_an_edited_record_is_caught() -> None:
    """Editing a published result's category breaks its seal (reading refuses it too)."""
    records = _sealed(published_log())
    content = json.loads(records[-1].to_json())
    content["result"]["category"] = "no-problem"
    text = json.dumps(content, ensure_ascii=False)
    with pytest.raises(RecordIntegrityError):
        read_record(text)
    report = verify_results([*records[:-1], text])
    assert "records[3].record_digest" in report.fields


def test_a_resealed_edit_after_publication_is_caught() -> None:
    """A new, properly sealed snapshot that changes a published result is reported."""
    log = published_log()
    records = _sealed(log)
    published = log.current()[("T1", "SAMR", "E1")]
    import attrs

    edited = attrs.evolve(published, state="closed", category="no-problem", follow_ups=("none",))
    forged = ResultRecord(
        {
            **records[-1].content,
            "result": {
                **records[-1]["result"],
                "state": "closed",
                "category": "no-problem",
                "follow_ups": ["none"],
            },
            "previous_result_digest": records[-1].record_digest,
            "previous_record_digest": records[-1].record_digest,
        }
    )
    from randsample.records import seal

    forged = ResultRecord(seal(forged.content))
    report = verify_results([*records, forged])
    assert ["records[4].result"] == list(report.fields)
    with pytest.raises(InvalidInputError):
        seal_result(
            edited,
            authority="SAMR",
            timestamp="2026-03-20T00:00:00Z",
            previous=records[-1],
            previous_result=records[-1],
        )


def test_chain_and_result_links_are_checked() -> None:
    """A dropped record shows as a broken chain and a broken result link."""
    records = _sealed(published_log())
    report = verify_results([records[0], records[2], records[3]])
    assert "records[1].previous_record_digest" in report.fields


def test_results_bound_to_a_sealed_draw() -> None:
    """With the draw, a result for a selected enterprise verifies; others are refused."""
    pop = Population.from_columns([f"E{i}" for i in range(8)], strata="A")
    draw = make_record(
        draw_stratified(pop, {"A": 3}, Seed.from_bytes(bytes(range(16)))),
        authority="SAMR",
        draw_id="T1",
        timestamp="2026-03-01T00:00:00Z",
    )
    drawn = Drawn.from_record(draw, department="SAMR", period="2026-03")
    chosen = sorted(draw.selected_ids)[0]
    result = entered(enterprise_id=chosen)
    record = seal_result(
        result, authority="SAMR", timestamp="2026-03-04T00:00:00Z", previous=draw, draw=draw
    )
    assert verify_results([record], draw=draw, drawn=drawn).ok
    outside = next(i for i in pop.ids.tolist() if i not in draw.selected_ids)
    with pytest.raises(InvalidInputError, match=outside):
        seal_result(
            entered(enterprise_id=outside),
            authority="SAMR",
            timestamp="2026-03-04T00:00:00Z",
            draw=draw,
        )
