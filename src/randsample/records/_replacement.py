"""Replacements: a drawn enterprise that cannot be inspected is replaced by the next in line.

When a selected unit turns out not to be inspectable (deregistered, not found at its address,
already under investigation), the authority does not redraw. The replacement is the eligible
unit of the same stratum with the next ticket after every unit already used: for the ``k``-th
replacement in stratum ``h`` it is the unit of rank ``n_h + k`` in ticket order. Nothing
already selected is re-drawn or reordered.

Each replacement is its own sealed record (format ``randsample.replacement-record/1``),
chained to the authority's previous record and pointing at the draw record, with the reason
and who recorded it; :func:`verify_replacements` re-derives every replacement.

Probabilities, honestly: the draw's inclusion probabilities ``n_h / M_h`` describe the draw.
If being inspectable is a fixed property of a unit, the final set is the first ``n_h``
inspectable units in ticket order, a simple random sample of the inspectable units with
``pi = n_h / M'_h``, where ``M'_h`` (the number of inspectable units) is unknown. Each
replacement record therefore states the *reach probability* ``(n_h + k) / M_h``: the chance
that a given eligible unit is among the first ``n_h + k`` in ticket order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any

from ..core import check_id, ticket_order, tickets
from ..design import DESIGNS, algorithm
from ..errors import InvalidInputError, RandsampleError, SampleSizeError
from ..population import Population
from ._checks import Findings, VerificationReport, check_seal
from ._formats import REPLACEMENT_FORMAT, DrawRecord, ReplacementRecord
from ._seal import SealedRecord, format_fraction, format_timestamp, seal
from ._verify import verify

__all__ = ["record_replacement", "verify_replacements"]


def _stratum_order(population: Population, subkey: bytes, stratum: str) -> list[tuple[str, bytes]]:
    mask = (population.strata == stratum) & population.eligible
    ids = population.ids[mask].tolist()
    if not ids:
        return []
    ticket_array = tickets(subkey, ids, validate=False)
    return [
        (ids[i], ticket_array[i].tobytes()) for i in ticket_order(ticket_array, ids=ids).tolist()
    ]


def _used(
    draw: DrawRecord, earlier: Sequence[ReplacementRecord], stratum: str
) -> tuple[list[str], set[str]]:
    """Return the current sample of ``stratum`` (in order) and every id ever used there."""
    current = [e["id"] for e in draw["selection"] if e["stratum"] == stratum]
    used = set(current)
    for record in earlier:
        if record["stratum"] != stratum:
            continue
        replaced, replacement = record["replaced"]["id"], record["replacement"]["id"]
        current = [replacement if unit == replaced else unit for unit in current]
        used.add(replacement)
    return current, used


def record_replacement(
    draw: DrawRecord,
    population: Population,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord] = (),
) -> ReplacementRecord:
    """Replace ``unit_id`` (currently in the sample) by the next unit in ticket order.

    ``earlier`` are this draw's replacements so far, in order; ``previous`` is the authority's
    latest record (the chain). The draw must verify against ``population`` first.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns([f"e{i}" for i in range(6)], strata="A")
    >>> draw = make_record(draw_stratified(pop, {"A": 2}, Seed.from_bytes(bytes(range(16)))),
    ...                    authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> gone = draw.selected_ids[0]
    >>> first = record_replacement(draw, pop, unit_id=gone, reason="deregistered",
    ...                            recorded_by="inspector 07", timestamp="2026-11-28T02:00:00Z",
    ...                            previous=draw)
    >>> first["replacement"]["rank"], first["replacement"]["reach_probability"]
    (3, '1/2')
    """
    if not algorithm(draw["algorithm"]["name"]).replaceable:
        replaceable = [name for name, entry in DESIGNS.items() if entry.replaceable]
        raise InvalidInputError(
            "draw.algorithm",
            draw["algorithm"],
            f"replacements are defined for {replaceable} draws only",
        )
    report = verify(draw, population)
    if not report.ok:
        raise InvalidInputError(
            "draw", draw.record_digest, f"does not verify against the population: {report}"
        )
    return _derive(
        draw,
        population,
        unit_id=unit_id,
        reason=reason,
        recorded_by=recorded_by,
        timestamp=timestamp,
        previous=previous,
        earlier=earlier,
    )


def _derive(
    draw: DrawRecord,
    population: Population,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord],
) -> ReplacementRecord:
    # The replacement rule itself, for a draw already known to verify.
    for field, value in (("reason", reason), ("recorded_by", recorded_by), ("unit_id", unit_id)):
        check_id(value, field=field)
    strata = {e["id"]: e["stratum"] for e in draw["selection"]}
    for record in earlier:
        strata[record["replacement"]["id"]] = record["stratum"]
    stratum = strata.get(unit_id)
    if stratum is None:
        raise InvalidInputError("unit_id", unit_id, "was never selected in this draw")
    current, used = _used(draw, earlier, stratum)
    if unit_id not in current:
        raise InvalidInputError("unit_id", unit_id, "was already replaced")
    order = _stratum_order(population, bytes.fromhex(draw["subkey"]), stratum)
    size = sum(1 for e in draw["selection"] if e["stratum"] == stratum)
    rank = size + sum(1 for r in earlier if r["stratum"] == stratum) + 1
    if rank > len(order):
        raise SampleSizeError(
            "unit_id",
            unit_id,
            f"cannot be replaced: all {len(order)} eligible units of stratum {stratum!r} are used",
        )
    replacement_id, replacement_ticket = order[rank - 1]
    if replacement_id in used:  # only when earlier replacements are out of order (verifying)
        raise InvalidInputError(
            "earlier",
            replacement_id,
            f"already took rank {rank} of stratum {stratum!r}: the replacements are out of order",
        )
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
            "reach_probability": format_fraction(Fraction(rank, len(order))),
        },
        "record_digest": "0" * 64,
    }
    return ReplacementRecord(seal(content))


def verify_replacements(
    draw: DrawRecord,
    population: Population,
    replacements: Sequence[ReplacementRecord],
    *,
    check_links: bool = True,
) -> VerificationReport:
    """Verify the draw, then re-derive every replacement in order and compare.

    Checks each replacement's seal, that it points at this draw, that its authority is the
    draw's, that the replaced unit was in the sample at that point, and that the replacement
    is the next unit in ticket order (rank ``n_h + k``). With ``check_links`` (the default),
    each replacement must link to the record before it among those given (the draw, then
    each replacement), so a withheld replacement is noticed; when other records of the
    authority come between them, check the whole ledger with :func:`randsample.records.audit`
    (which passes ``check_links=False`` and checks the chain itself).
    """
    findings = Findings()
    findings.extend(verify(draw, population).discrepancies)
    if findings or not algorithm(draw["algorithm"]["name"]).replaceable:
        findings.add("replacements", "cannot be checked: the draw does not verify")
        return findings.report(draw.record_digest)
    check_replacements(draw, population, replacements, findings, check_links=check_links)
    return findings.report(draw.record_digest)


def check_replacements(
    draw: DrawRecord,
    population: Population,
    replacements: Sequence[ReplacementRecord],
    findings: Findings,
    *,
    check_links: bool,
) -> None:
    """Re-derive the replacements of a draw already known to verify (see above)."""
    for index, record in enumerate(replacements):
        where = f"replacements[{index}]"
        check_seal(record, findings.under(where))
        if record["draw_record_digest"] != draw.record_digest:
            findings.add(f"{where}.draw_record_digest", "points at another draw")
            continue
        if record["authority"] != draw["authority"]:
            findings.add(
                f"{where}.authority",
                f"{record['authority']!r} is not the draw's authority {draw['authority']!r}",
            )
        before = replacements[index - 1] if index else draw
        if check_links and record["previous_record_digest"] != before.record_digest:
            findings.add(
                f"{where}.previous_record_digest",
                f"links to {record['previous_record_digest'][:16]}…, not to the "
                + ("previous replacement" if index else "draw")
                + " given: a replacement was withheld, or other records came between (audit "
                "the whole ledger to tell)",
            )
        replaced = record["replaced"]
        try:
            expected = _derive(
                draw,
                population,
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
