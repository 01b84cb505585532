"""Sealing results: every snapshot a sealed, chained record (spec section 13.3).

:func:`seal_result` turns a snapshot into a :class:`~randsample.records.ResultRecord` linked to
the authority's previous record, to the draw, and to the result's previous snapshot.
:func:`verify_results` re-checks a sequence of result records: seals, chain links, the state
machine, that no content changed after approval (so a published result cannot be silently
edited), and, given the draw, that every enterprise was drawn. :func:`log_from_records`
rebuilds the :class:`~randsample.results.ResultLog` from the records.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from .. import _validation as check
from ..errors import InvalidInputError, RandsampleError
from ..records import (
    DrawRecord,
    Findings,
    ResultRecord,
    SealedRecord,
    VerificationReport,
    chain_discrepancies,
    chain_link,
    check_seal,
    format_timestamp,
    load,
    seal,
)
from ..records._result_format import RESULT_FORMAT
from ._log import Drawn, ResultLog
from ._result import InspectionResult, check_step

__all__ = ["log_from_records", "result_content", "seal_result", "verify_results"]


def result_content(result: InspectionResult) -> dict[str, Any]:
    """Return the ``result`` object of a result record (dates as ``YYYY-MM-DD``)."""
    return {
        "task_id": result.task_id,
        "department": result.department,
        "enterprise_id": result.enterprise_id,
        "period": result.period,
        "category": result.category,
        "subtypes": list(result.subtypes),
        "methods": list(result.methods),
        "follow_ups": list(result.follow_ups),
        "officers": list(result.officers),
        "leader": result.leader,
        "inspection_start": result.inspection_start.isoformat(),
        "inspection_end": result.inspection_end.isoformat(),
        "state": result.state,
        "date": result.date.isoformat(),
        "by": result.by,
        "note": result.note,
    }


def _day(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field, value, "expected a date YYYY-MM-DD") from None


def result_from_content(content: dict[str, Any]) -> InspectionResult:
    """Rebuild the snapshot a record's ``result`` object describes (typed errors if invalid)."""
    fields = dict(content)
    for name in ("inspection_start", "inspection_end", "date"):
        fields[name] = _day(fields[name], f"result.{name}")
    for name in ("subtypes", "methods", "follow_ups", "officers"):
        fields[name] = tuple(fields[name])
    return InspectionResult(**fields)


def seal_result(
    result: InspectionResult,
    *,
    authority: str,
    timestamp: datetime.datetime | str,
    previous: SealedRecord | None = None,
    draw: DrawRecord | None = None,
    previous_result: ResultRecord | None = None,
) -> ResultRecord:
    """Seal one snapshot, chained to the authority's ``previous`` record of any kind.

    ``previous_result`` is the record of this result's previous snapshot (None for the entry);
    ``draw`` is the sealed draw the enterprise was selected in, if there is one.

    >>> import datetime as dt
    >>> from randsample.results import enter_result
    >>> r = enter_result(task_id="T1", department="SAMR", enterprise_id="E1", period="2026-03",
    ...                  category="no-problem", methods=["written"], follow_ups=["none"],
    ...                  officers=["O-1"], inspection_start=dt.date(2026, 3, 2),
    ...                  inspection_end=dt.date(2026, 3, 2), on=dt.date(2026, 3, 3), by="O-1")
    >>> record = seal_result(r, authority="SAMR", timestamp="2026-03-03T08:00:00Z")
    >>> record["result"]["state"], record.record_digest == record.computed_digest()
    ('pending-review', True)
    """
    check.instance(result, "result", InspectionResult)
    check.label(authority, "authority")
    stamp = format_timestamp(timestamp)
    link = chain_link(previous, authority=authority, timestamp=stamp)
    if draw is not None:
        check.instance(draw, "draw", DrawRecord)
        if result.enterprise_id not in draw.selected_ids:
            raise InvalidInputError(
                "result.enterprise_id", result.enterprise_id, f"is not selected in {draw.label!r}"
            )
    before = None
    if previous_result is not None:
        check.instance(previous_result, "previous_result", ResultRecord)
        before = result_from_content(previous_result["result"])
    check_step(before, result)
    content: dict[str, Any] = {
        "record_format": RESULT_FORMAT,
        "authority": authority,
        "timestamp": stamp,
        "previous_record_digest": link,
        "draw_record_digest": None if draw is None else draw.record_digest,
        "previous_result_digest": None
        if previous_result is None
        else previous_result.record_digest,
        "result": result_content(result),
        "record_digest": "0" * 64,
    }
    return ResultRecord(seal(content))


def _key(record: ResultRecord) -> tuple[str, str, str]:
    r = record["result"]
    return (r["task_id"], r["department"], r["enterprise_id"])


def verify_results(
    records: Sequence[ResultRecord | str | bytes],
    *,
    draw: DrawRecord | None = None,
    drawn: Drawn | None = None,
) -> VerificationReport:
    """Check a sequence of result records, in the order they were sealed.

    Per record: its seal; the link to the same authority's record before it in the sequence;
    the link to its result's previous snapshot; a legal state move; no content change after
    approval; with ``draw``, that it names the draw and the enterprise was selected; with
    ``drawn``, that the department drew the enterprise in that task and period.

    >>> import datetime as dt
    >>> from randsample.results import enter_result
    >>> r = enter_result(task_id="T1", department="SAMR", enterprise_id="E1", period="2026-03",
    ...                  category="no-problem", methods=["written"], follow_ups=["none"],
    ...                  officers=["O-1"], inspection_start=dt.date(2026, 3, 2),
    ...                  inspection_end=dt.date(2026, 3, 2), on=dt.date(2026, 3, 3), by="O-1")
    >>> first = seal_result(r, authority="SAMR", timestamp="2026-03-03T08:00:00Z")
    >>> a = r.advance("approved", on=dt.date(2026, 3, 4), by="chief")
    >>> second = seal_result(a, authority="SAMR", timestamp="2026-03-04T08:00:00Z",
    ...                      previous=first, previous_result=first)
    >>> verify_results([first, second]).ok, verify_results([second]).fields
    (True, ('records[0].previous_result_digest', 'records[0].result'))
    """
    loaded = [
        load(r, field=f"records[{i}]") for i, r in enumerate(check.sequence(records, "records"))
    ]
    findings = Findings()
    last_of: dict[str, SealedRecord] = {}
    snapshot_of: dict[tuple[str, str, str], tuple[ResultRecord, InspectionResult]] = {}
    for index, record in enumerate(loaded):
        here = findings.under(f"records[{index}]")
        if not isinstance(record, ResultRecord):
            here.add("record_format", f"is {record.FORMAT!r}, not a result record")
            continue
        check_seal(record, here)
        authority = record["authority"]
        if authority in last_of:
            here.extend(chain_discrepancies(record, last_of[authority]))
        last_of[authority] = record
        key = _key(record)
        earlier = snapshot_of.get(key)
        expected_link = None if earlier is None else earlier[0].record_digest
        if record["previous_result_digest"] != expected_link:
            here.add(
                "previous_result_digest",
                f"record says {record['previous_result_digest']}, the result's previous "
                f"snapshot is {expected_link}",
            )
        try:
            snapshot = result_from_content(record["result"])
            check_step(None if earlier is None else earlier[1], snapshot)
            if drawn is not None:
                drawn.check(*key[:2], key[2], snapshot.period)
        except RandsampleError as exc:
            here.add("result", str(exc))
            continue
        if draw is not None:
            if record["draw_record_digest"] != draw.record_digest:
                here.add("draw_record_digest", "does not name the given draw")
            if key[2] not in draw.selected_ids:
                here.add("result.enterprise_id", f"{key[2]!r} is not selected in the draw")
        snapshot_of[key] = (record, snapshot)
    digest = loaded[-1].record_digest if loaded else "0" * 64
    return findings.report(digest)


def log_from_records(records: Sequence[ResultRecord | str | bytes], drawn: Drawn) -> ResultLog:
    """Rebuild the result log from sealed records (in date order); refuse edited records.

    >>> import datetime as dt
    >>> from randsample.results import Drawn, enter_result
    >>> r = enter_result(task_id="T1", department="SAMR", enterprise_id="E1", period="2026-03",
    ...                  category="no-problem", methods=["written"], follow_ups=["none"],
    ...                  officers=["O-1"], inspection_start=dt.date(2026, 3, 2),
    ...                  inspection_end=dt.date(2026, 3, 2), on=dt.date(2026, 3, 3), by="O-1")
    >>> record = seal_result(r, authority="SAMR", timestamp="2026-03-03T08:00:00Z")
    >>> drawn = Drawn({("T1", "SAMR"): ("2026-03", frozenset({"E1"}))})
    >>> log_from_records([record.to_json()], drawn).state(r.key)
    'pending-review'
    """
    log = ResultLog(drawn)
    loaded = [
        load(r, field=f"records[{i}]") for i, r in enumerate(check.sequence(records, "records"))
    ]
    for index, record in enumerate(loaded):
        if not isinstance(record, ResultRecord):
            raise InvalidInputError(f"records[{index}]", record.FORMAT, "is not a result record")
        if record.computed_digest() != record.record_digest:
            raise InvalidInputError(
                f"records[{index}]", record.label, "was edited after it was sealed"
            )
    for record in sorted(loaded, key=lambda r: str(r["result"]["date"])):
        log.append(result_from_content(record["result"]))
    return log
