"""Verification and replacements of a draw whose population is partitioned.

:func:`verify_dataset` checks a draw record against a :class:`PartitionedPopulation` exactly
as :func:`randsample.verify` checks it against an in-memory population (spec 6.4): the seal,
the seed, the population digest and counts, the design, and the selection re-drawn on the
cluster, compared id by id. The report is the one :func:`randsample.verify` gives on the same
units: same fields, same messages.

:func:`record_replacement_dataset` and :func:`verify_replacements_dataset` apply spec
section 10 (the unit of rank ``n_h + k`` in ticket order replaces the ``k``-th unit dropped
from stratum ``h``) with the stratum's ticket order computed on the cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any

from ..core import check_id
from ..core._kernel import KernelName
from ..design import ALGORITHM
from ..design._srswor import _check_sizes  # the same size checks as a local draw
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError, SampleSizeError
from ..records import (
    REPLACEMENT_FORMAT,
    Discrepancy,
    DrawRecord,
    Findings,
    ReplacementRecord,
    SealedRecord,
    VerificationReport,
    check_chain,
    check_seal,
    check_seed,
    format_fraction,
    format_timestamp,
    load,
    seal,
)
from ._commitment import POPULATION_DIGEST_V1, Commitment
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._draw import sample_from, stratum_orders
from ._partition import Scan

__all__ = ["record_replacement_dataset", "verify_dataset", "verify_replacements_dataset"]


def verify_dataset(
    record: SealedRecord | str | bytes,
    population: PartitionedPopulation,
    *,
    previous: SealedRecord | str | bytes | None = None,
    client: Any = None,
    kernel: KernelName = "auto",
    commitment: Commitment = POPULATION_DIGEST_V1,
) -> VerificationReport:
    """Re-run the draw of ``record`` on the partitioned ``population`` and compare.

    The same report as :func:`randsample.verify` on the same units. Records of the
    ``stratified-srswor`` algorithm are re-drawn on the engine; for another algorithm the
    selection is reported as not checked.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population, Seed, draw_stratified, make_record, verify
    >>> pop = Population.from_columns([f"e{i}" for i in range(6)], strata=["A", "B"] * 3)
    >>> sample = draw_stratified(pop, {"A": 1, "B": 2}, Seed.from_bytes(bytes(range(16))))
    >>> record = make_record(sample, authority="bureau", draw_id="d1",
    ...                      timestamp="2026-11-27T02:00:00Z")
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[3, 3])
    >>> verify_dataset(record, parts).ok
    True
    """
    rec = load(record)
    if not isinstance(rec, DrawRecord):
        raise InvalidTypeError("record", rec, "a DrawRecord (a draw, not another kind of record)")
    if not isinstance(population, PartitionedPopulation):
        raise InvalidTypeError("population", population, "a PartitionedPopulation")
    runner = _as_runner(client)
    findings = Findings()
    check_seal(rec, findings)
    seed = check_seed(rec, findings)
    scan = population.scan(client=runner)
    digest = commitment.compute(population, scan.rows, runner)
    _check_population(rec, scan, digest, findings)
    sizes = _check_design(rec, scan, findings)
    if seed is not None and sizes is not None:
        if rec["algorithm"]["name"] != ALGORITHM:
            findings.add("algorithm", f"{rec['algorithm']['name']!r} is not re-drawn on partitions")
        else:
            try:
                checked = _check_sizes(sizes, tuple(sorted(scan.strata)))
                redrawn = sample_from(
                    population,
                    checked,
                    seed,
                    purpose=rec["purpose"],
                    scan=scan,
                    digest=digest,
                    runner=runner,
                    kernel=kernel,
                )
            except RandsampleError as exc:
                findings.add("design", f"the draw cannot be re-run on this population: {exc}")
            else:
                _compare_selection(rec, redrawn.selection, findings)
    check_chain(rec, None if previous is None else load(previous, field="previous"), findings)
    return findings.report(rec.record_digest)


def _check_population(rec: DrawRecord, scan: Scan, digest: str, findings: Findings) -> None:
    stored = rec["population"]
    actual = {
        "digest": digest,
        "units": scan.rows,
        "eligible": sum(counts[1] for counts in scan.strata.values()),
    }
    for name, value in actual.items():
        if stored[name] != value:
            findings.add(
                f"population.{name}", f"record says {stored[name]}, population gives {value}"
            )


def _check_design(rec: DrawRecord, scan: Scan, findings: Findings) -> dict[str, int] | None:
    strata = rec["design"]["strata"]
    sizes: dict[str, int] = {}
    for entry in strata:
        if entry["stratum"] in sizes:
            findings.add("design.strata", f"stratum {entry['stratum']!r} is listed twice")
            return None
        sizes[entry["stratum"]] = entry["sample_size"]
    labels = [entry["stratum"] for entry in strata]
    if labels != sorted(labels):
        findings.add("design.strata", "strata are not in canonical (code point) order")
    units = {label: counts[0] for label, counts in scan.strata.items()}
    eligible = {label: counts[1] for label, counts in scan.strata.items()}
    for label in sorted(set(units) - set(sizes)):
        findings.add("design.strata", f"stratum {label!r} of the population has no sample size")
    for entry in strata:
        label = entry["stratum"]
        for name, table in (("units", units), ("eligible", eligible)):
            if entry[name] != table.get(label, 0):
                findings.add(
                    f"design.strata[{label!r}].{name}",
                    f"record says {entry[name]}, population gives {table.get(label, 0)}",
                )
    return sizes


def _compare_selection(rec: DrawRecord, selection: Sequence[Any], findings: Findings) -> None:
    expected = {
        u.id: {
            "id": u.id,
            "stratum": u.stratum,
            "rank": u.rank,
            "ticket": u.ticket.hex(),
            "inclusion_probability": format_fraction(u.inclusion_probability),
        }
        for u in selection
    }
    stored = rec["selection"]
    problems: list[Discrepancy] = []
    seen: set[str] = set()
    for entry in stored:
        unit = entry["id"]
        if unit in seen:
            problems.append(Discrepancy("selection", f"unit {unit!r} is listed twice"))
            continue
        seen.add(unit)
        want = expected.get(unit)
        if want is None:
            problems.append(
                Discrepancy(
                    "selection", f"unit {unit!r} is in the record but not selected by the algorithm"
                )
            )
            continue
        for name in ("stratum", "rank", "ticket", "inclusion_probability"):
            if entry[name] != want[name]:
                problems.append(
                    Discrepancy(
                        f"selection[{unit!r}].{name}",
                        f"record says {entry[name]!r}, re-derived {want[name]!r}",
                    )
                )
    problems.extend(
        Discrepancy(
            "selection", f"unit {unit!r} is selected by the algorithm but missing from the record"
        )
        for unit in expected
        if unit not in seen
    )
    if not problems and [e["id"] for e in stored] != list(expected):
        problems.append(
            Discrepancy("selection", "entries are not in canonical order (stratum, then rank)")
        )
    findings.listed(problems, "selection")


# -- replacements (spec section 10) ------------------------------------------------------------


def record_replacement_dataset(
    draw: DrawRecord,
    population: PartitionedPopulation,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord] = (),
    client: Any = None,
) -> ReplacementRecord:
    """Replace ``unit_id`` by the next unit in ticket order; the draw must verify first.

    The same record as :func:`randsample.record_replacement` on the same units.
    """
    if draw["algorithm"]["name"] != ALGORITHM:
        raise InvalidInputError(
            "draw.algorithm",
            draw["algorithm"],
            f"replacements are defined for {[ALGORITHM]} draws only",
        )
    runner = _as_runner(client)
    report = verify_dataset(draw, population, client=runner)
    if not report.ok:
        raise InvalidInputError(
            "draw", draw.record_digest, f"does not verify against the population: {report}"
        )
    return _derive(
        draw,
        population,
        runner,
        unit_id=unit_id,
        reason=reason,
        recorded_by=recorded_by,
        timestamp=timestamp,
        previous=previous,
        earlier=earlier,
    )


def _derive(
    draw: DrawRecord,
    population: PartitionedPopulation,
    runner: Runner,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord],
) -> ReplacementRecord:
    for field, value in (("reason", reason), ("recorded_by", recorded_by), ("unit_id", unit_id)):
        check_id(value, field=field)
    strata = {e["id"]: e["stratum"] for e in draw["selection"]}
    for record in earlier:
        strata[record["replacement"]["id"]] = record["stratum"]
    stratum = strata.get(unit_id)
    if stratum is None:
        raise InvalidInputError("unit_id", unit_id, "was never selected in this draw")
    current = [e["id"] for e in draw["selection"] if e["stratum"] == stratum]
    for record in earlier:
        if record["stratum"] == stratum:
            replaced, replacement = record["replaced"]["id"], record["replacement"]["id"]
            current = [replacement if unit == replaced else unit for unit in current]
    if unit_id not in current:
        raise InvalidInputError("unit_id", unit_id, "was already replaced")
    size = sum(1 for e in draw["selection"] if e["stratum"] == stratum)
    rank = size + sum(1 for r in earlier if r["stratum"] == stratum) + 1
    eligible = {label: counts[1] for label, counts in population.scan(client=runner).strata.items()}
    total = eligible.get(stratum, 0)
    if rank > total:
        raise SampleSizeError(
            "unit_id",
            unit_id,
            f"cannot be replaced: all {total} eligible units of stratum {stratum!r} are used",
        )
    order = stratum_orders(
        population, {stratum: rank}, eligible, subkey=bytes.fromhex(draw["subkey"]), runner=runner
    )[stratum]
    replacement_id, replacement_ticket, _ = order[rank - 1]
    stamp = format_timestamp(timestamp)
    if stamp < draw["timestamp"] or stamp < previous["timestamp"]:
        raise InvalidInputError(
            "timestamp", stamp, "is earlier than the draw or the previous record"
        )
    content: dict[str, Any] = {
        "record_format": REPLACEMENT_FORMAT,
        "authority": draw["authority"],
        "timestamp": stamp,
        "previous_record_digest": previous.record_digest,
        "draw_record_digest": draw.record_digest,
        "stratum": stratum,
        "replaced": {"id": unit_id, "reason": reason, "recorded_by": recorded_by},
        "replacement": {
            "id": replacement_id,
            "rank": rank,
            "ticket": replacement_ticket.hex(),
            "reach_probability": format_fraction(Fraction(rank, total)),
        },
        "record_digest": "0" * 64,
    }
    return ReplacementRecord(seal(content))


def verify_replacements_dataset(
    draw: DrawRecord,
    population: PartitionedPopulation,
    replacements: Sequence[ReplacementRecord],
    *,
    client: Any = None,
) -> VerificationReport:
    """Verify the draw, then re-derive every replacement in order, on partitions.

    The same report as :func:`randsample.verify_replacements` on the same units.
    """
    runner = _as_runner(client)
    findings = Findings()
    findings.extend(verify_dataset(draw, population, client=runner).discrepancies)
    if findings or draw["algorithm"]["name"] != ALGORITHM:
        findings.add("replacements", "cannot be checked: the draw does not verify")
        return findings.report(draw.record_digest)
    for index, record in enumerate(replacements):
        where = f"replacements[{index}]"
        check_seal(record, findings.under(where))
        if record["draw_record_digest"] != draw.record_digest:
            findings.add(f"{where}.draw_record_digest", "points at another draw")
            continue
        if index and record["previous_record_digest"] != replacements[index - 1].record_digest:
            findings.add(
                f"{where}.previous_record_digest", "does not link to the previous replacement"
            )
        replaced = record["replaced"]
        try:
            expected = _derive(
                draw,
                population,
                runner,
                unit_id=replaced["id"],
                reason=replaced["reason"],
                recorded_by=replaced["recorded_by"],
                timestamp=record["timestamp"],
                previous=replacements[index - 1] if index else draw,
                earlier=replacements[:index],
            )
        except RandsampleError as exc:
            findings.add(f"{where}.replaced", str(exc))
            continue
        for name in ("stratum", "replacement"):
            if record[name] != expected[name]:
                findings.add(
                    f"{where}.{name}",
                    f"record says {record[name]!r}, re-derived {expected[name]!r}",
                )
    return findings.report(draw.record_digest)
