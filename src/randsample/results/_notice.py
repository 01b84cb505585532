"""The public notice (公示): what goes public about a draw and its results (spec 14.6).

:func:`make_notice` projects the auditor's salted draw record onto what the public may see:
the task with its items and departments, the drawn enterprises' ids (sorted by id bytes, not
by stratum or rank) with their published results, the seed material, per-stratum eligible
counts, sample sizes and thresholds, and the population commitment v2, and binds it to the
full record by its digest. It contains no unit's class, eligibility flag or inclusion
probability; because tickets are salted (v2), nobody can compute a listed enterprise's ticket
and read its class off the thresholds.

:func:`verify_notice` checks a notice as anyone can (its seal, seed, internal consistency),
and, for an auditor given the full record (and the population and secret), that the notice is
exactly the projection of the verified draw.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from .. import _validation as check
from .._version import __version__
from ..errors import InvalidInputError
from ..joint import Department, InspectionItem
from ..population import Population
from ..records import (
    NOTICE_FORMAT,
    Findings,
    PublicNotice,
    ResultRecord,
    SaltedDrawRecord,
    SealedRecord,
    VerificationReport,
    chain_link,
    check_chain,
    check_seal,
    check_seed,
    format_timestamp,
    load,
    seal,
)
from ._log import ResultLog
from ._salted import verify_salted
from ._sealing import result_content
from ._vocabulary import CATEGORIES, FOLLOW_UPS, SUBTYPES

__all__ = ["make_notice", "verify_notice"]


def _snapshots(
    results: ResultLog | Sequence[ResultRecord] | None,
) -> list[tuple[tuple[str, str, str], dict[str, Any], str | None]]:
    # Every snapshot as (key, the record's ``result`` object, the record digest or None).
    if results is None:
        return []
    if isinstance(results, ResultLog):
        return [(e.key, result_content(e), None) for e in results.entries]
    out = []
    for index, record in enumerate(check.sequence(results, "results")):
        check.instance(record, f"results[{index}]", ResultRecord)
        r = record["result"]
        out.append(((r["task_id"], r["department"], r["enterprise_id"]), r, record.record_digest))
    return out


def _published(
    results: ResultLog | Sequence[ResultRecord] | None, task_id: str, drawn: set[str], day: str
) -> dict[str, list[dict[str, Any]]]:
    # enterprise id -> its published results (one per department), as of ``day``.
    latest: dict[tuple[str, str, str], tuple[dict[str, Any], str | None]] = {}
    published_on: dict[tuple[str, str, str], str] = {}
    for key, r, digest in _snapshots(results):
        if key[0] != task_id or r["date"] > day:
            continue
        latest[key] = (r, digest)
        if r["state"] == "published":
            published_on.setdefault(key, r["date"])
    out: dict[str, list[dict[str, Any]]] = {}
    for (_, department, enterprise), (r, digest) in sorted(latest.items()):
        if r["state"] not in ("published", "closed"):
            continue
        if enterprise not in drawn:
            raise InvalidInputError(
                "results", enterprise, f"has a result but was not drawn in {task_id!r}"
            )
        out.setdefault(enterprise, []).append(
            {
                "department": department,
                "category": r["category"],
                "subtypes": list(r["subtypes"]),
                "follow_ups": list(r["follow_ups"]),
                "inspection_end": r["inspection_end"],
                "published_on": published_on.get((task_id, department, enterprise), r["date"]),
                "result_record_digest": digest,
            }
        )
    return out


def make_notice(
    record: SaltedDrawRecord,
    *,
    notice_id: str,
    task_id: str,
    period: str,
    departments: Sequence[Department],
    items: Sequence[InspectionItem],
    timestamp: datetime.datetime | str,
    results: ResultLog | Sequence[ResultRecord] | None = None,
    previous: SealedRecord | None = None,
) -> PublicNotice:
    """Build the public notice of a salted draw and its results published so far.

    ``results`` is the result log or the sealed result records; results of ``task_id`` that
    are published (已公示 or 完结) by the notice's date are listed with their department.
    Sealed with the draw's authority and chained to its ``previous`` record.

    >>> from randsample import Population, Seed
    >>> from randsample.results import draw_salted
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> from randsample.results import make_salted_record
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> from randsample.joint import Department
    >>> notice = make_notice(record, notice_id="n1", task_id="T1", period="2026-03",
    ...                      departments=[Department("SAMR", "市场监管局")], items=[],
    ...                      timestamp="2026-03-01T01:00:00Z")
    >>> [sorted(entry) for entry in notice["drawn"]]
    [['id', 'results'], ['id', 'results']]
    """
    check.instance(record, "record", SaltedDrawRecord, "a SaltedDrawRecord")
    check.label(notice_id, "notice_id")
    check.label(task_id, "task_id")
    check.label(period, "period")
    deps = check.sequence(departments, "departments")
    for index, department in enumerate(deps):
        check.instance(department, f"departments[{index}]", Department)
    codes = {d.code for d in deps}
    listed = check.sequence(items, "items")
    for index, item in enumerate(listed):
        check.instance(item, f"items[{index}]", InspectionItem)
        if item.department not in codes:
            raise InvalidInputError(f"items[{index}].department", item.department, "is not listed")
    stamp = format_timestamp(timestamp)
    authority = record["authority"]
    drawn = sorted(record.selected_ids, key=lambda i: i.encode("utf-8"))
    results_of = _published(results, task_id, set(drawn), stamp[:10])
    for enterprise, entries in results_of.items():
        for entry in entries:
            if entry["department"] not in codes:
                raise InvalidInputError(
                    "results",
                    entry["department"],
                    f"is not a department of the notice ({enterprise})",
                )
    content: dict[str, Any] = {
        "record_format": NOTICE_FORMAT,
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "notice_id": notice_id,
        "timestamp": stamp,
        "previous_record_digest": chain_link(previous, authority=authority, timestamp=stamp),
        "draw_record_digest": record.record_digest,
        "algorithm": record["algorithm"],
        "task": {
            "task_id": task_id,
            "period": period,
            "departments": [
                {"code": d.code, "name": d.name} for d in sorted(deps, key=lambda d: d.code)
            ],
            "items": [
                {
                    "item_id": i.item_id,
                    "department": i.department,
                    "legal_basis": i.legal_basis,
                    "category": i.category,
                    "method": i.method,
                }
                for i in sorted(listed, key=lambda i: i.item_id)
            ],
        },
        "seed": record["seed"],
        "purpose": record["purpose"],
        "subkey": record["subkey"],
        "population_commitment": record["population"]["commitment"],
        "strata": _public_strata(record),
        "drawn": [{"id": ident, "results": results_of.get(ident, [])} for ident in drawn],
        "record_digest": "0" * 64,
    }
    return PublicNotice(seal(content))


def _public_strata(record: SaltedDrawRecord) -> list[dict[str, Any]]:
    return [
        {
            "stratum": s["stratum"],
            "eligible": s["eligible"],
            "sample_size": s["sample_size"],
            "threshold": s["threshold"],
        }
        for s in record["design"]["strata"]
    ]


def _check_public(notice: PublicNotice, findings: Findings) -> None:
    strata = notice["strata"]
    labels = [s["stratum"] for s in strata]
    if labels != sorted(set(labels)):
        findings.add("strata", "strata are not unique and in code point order")
    for s in strata:
        where = f"strata[{s['stratum']!r}]"
        if not 0 <= s["sample_size"] <= s["eligible"]:
            findings.add(where, f"sample size {s['sample_size']} is not in [0, {s['eligible']}]")
        if (s["threshold"] is None) != (s["sample_size"] == 0):
            findings.add(f"{where}.threshold", "must be null exactly when the sample size is 0")
    drawn = notice.drawn_ids
    if list(drawn) != sorted(set(drawn), key=lambda i: i.encode("utf-8")):
        findings.add("drawn", "ids are not unique and in UTF-8 byte order")
    if len(drawn) != sum(s["sample_size"] for s in strata):
        findings.add(
            "drawn",
            f"lists {len(drawn)} ids, the strata's sample sizes add up to "
            f"{sum(s['sample_size'] for s in strata)}",
        )
    commitment = notice["population_commitment"]
    if sum(s["eligible"] for s in strata) > commitment["units"]:
        findings.add("strata", "count more eligible units than the committed population has")
    _check_results(notice, findings)


def _check_results(notice: PublicNotice, findings: Findings) -> None:
    codes = {d["code"] for d in notice["task"]["departments"]}
    for entry in notice["drawn"]:
        for result in entry["results"]:
            where = f"drawn[{entry['id']!r}].results"
            if result["department"] not in codes:
                findings.add(where, f"department {result['department']!r} is not in the task")
            if result["category"] not in CATEGORIES:
                findings.add(where, f"category {result['category']!r} is not a result category")
            for code in result["subtypes"]:
                if code not in SUBTYPES:
                    findings.add(where, f"sub-type {code!r} is unknown")
            for code in result["follow_ups"]:
                if code not in FOLLOW_UPS:
                    findings.add(where, f"follow-up {code!r} is unknown")


def verify_notice(
    notice: PublicNotice | str | bytes,
    *,
    draw_record: SaltedDrawRecord | str | bytes | None = None,
    population: Population | None = None,
    secret: bytes | None = None,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Check a public notice; with the full record (auditor), check it is its projection.

    Anyone: the seal, the seed and sub-key, the strata and the drawn list's consistency, the
    result vocabularies, the chain link to ``previous``. With ``draw_record``: the digest
    binding, the same seed, sub-key, algorithm and commitment, the same strata (eligible
    counts, sizes, thresholds) and the same drawn ids. With ``population`` and ``secret`` as
    well: the full record re-runs (:func:`~randsample.results.verify_salted`).

    >>> from randsample import Population, Seed
    >>> from randsample.results import draw_salted
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> from randsample.results import make_notice, make_salted_record
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> from randsample.joint import Department
    >>> notice = make_notice(record, notice_id="n1", task_id="T1", period="2026-03",
    ...                      departments=[Department("SAMR", "市场监管局")], items=[],
    ...                      timestamp="2026-03-01T01:00:00Z")
    >>> verify_notice(notice.to_json()).ok, verify_notice(notice, draw_record=record).ok
    (True, True)
    """
    rec = check.instance(load(notice, field="notice"), "notice", PublicNotice, "a PublicNotice")
    findings = Findings()
    check_seal(rec, findings)
    check_seed(rec, findings)
    _check_public(rec, findings)
    check_chain(rec, None if previous is None else load(previous, field="previous"), findings)
    if draw_record is not None:
        full = check.instance(
            load(draw_record, field="draw_record"), "draw_record", SaltedDrawRecord
        )
        if rec["draw_record_digest"] != full.computed_digest():
            findings.add("draw_record_digest", "does not match the full draw record's content")
        pairs = (
            ("seed", full["seed"]),
            ("purpose", full["purpose"]),
            ("subkey", full["subkey"]),
            ("algorithm", full["algorithm"]),
            ("population_commitment", full["population"]["commitment"]),
            ("strata", _public_strata(full)),
        )
        for name, value in pairs:
            if rec[name] != value:
                findings.add(name, "differs from the full draw record")
        if set(rec.drawn_ids) != set(full.selected_ids):
            findings.add("drawn", "differs from the full draw record's selection")
        if population is not None:
            if secret is None:
                raise InvalidInputError("secret", None, "is needed with the population")
            findings.under("draw_record").extend(
                verify_salted(full, population, secret).discrepancies
            )
    return findings.report(rec.record_digest)
