"""Verification of a draw: re-run it and say exactly what differs.

:func:`verify` trusts nothing in the record but its structure. It re-derives the seed from
the published sources (checking the commitment), the sub-key, the population digest and
counts, and the selection, and compares each with what the record says. Every difference is
reported with the record field it concerns; an empty report means the draw is exactly what
the algorithm gives for this seed and population.
"""

from __future__ import annotations

from ..core import Seed
from ..design import algorithm
from ..errors import InvalidTypeError, RandsampleError
from ..population import Population
from ._announce import AnnouncementRecord
from ._announced import check_announcement, randomness_notes
from ._checks import (
    Discrepancy,
    Findings,
    VerificationReport,
    check_chain,
    check_seal,
    check_seed,
)
from ._formats import DrawRecord
from ._seal import SealedRecord, format_fraction, read_record

__all__ = ["verify"]


def load(record: object, *, field: str = "record") -> SealedRecord:
    """Return ``record`` as a sealed record: as given, or read from its JSON text.

    Edited records load (their digest is checked, and reported, by the verifier).
    """
    if isinstance(record, SealedRecord):
        return record
    if isinstance(record, (str, bytes)):
        return read_record(record, check_digest=False)
    raise InvalidTypeError(field, record, "a sealed record or its JSON text")


def verify(
    record: SealedRecord | str | bytes,
    population: Population,
    *,
    previous: SealedRecord | str | bytes | None = None,
    announcement: AnnouncementRecord | str | bytes | None = None,
) -> VerificationReport:
    """Re-run the draw described by ``record`` on ``population`` and compare.

    ``previous`` is the authority's previous record (of any kind: draw, replacement or
    assignment), if the chain link is to be checked. ``announcement`` is the announcement the
    draw must follow (spec section 15); without one the report's notes say the draw is not
    shown to be publicly random. A record that is not even structurally valid raises
    :class:`RecordFormatError`.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns(["e1", "e2", "e3", "e4"], strata=["A", "A", "B", "B"])
    >>> sample = draw_stratified(pop, {"A": 1, "B": 1}, Seed.from_bytes(bytes(range(16))))
    >>> record = make_record(sample, authority="bureau", draw_id="d1",
    ...                      timestamp="2026-11-27T02:00:00Z")
    >>> verify(record, pop).ok
    True
    >>> other = Population.from_columns(["e1", "e2", "e3", "e5"], strata=["A", "A", "B", "B"])
    >>> verify(record, other).fields[:1]
    ('population.digest',)
    """
    rec = load(record)
    if not isinstance(rec, DrawRecord):
        raise InvalidTypeError("record", rec, "a DrawRecord (a draw, not another kind of record)")
    if not isinstance(population, Population):
        raise InvalidTypeError("population", population, "a Population")
    findings = Findings()
    check_seal(rec, findings)
    seed = check_seed(rec, findings)
    _check_population(rec, population, findings)
    sizes = _check_design(rec, population, findings)
    if seed is not None and sizes is not None:
        _check_selection(rec, population, seed, sizes, findings)
    check_chain(rec, None if previous is None else load(previous, field="previous"), findings)
    notice = announcement_of(announcement)
    followed = False
    if notice is not None:
        differences = check_announcement(rec, notice, population=population)
        findings.extend(differences)
        followed = not differences
    return findings.report(rec.record_digest, randomness_notes(rec, notice, followed=followed))


def announcement_of(value: object) -> AnnouncementRecord | None:
    """Return ``value`` (an announcement or its JSON text, or None) as an announcement."""
    if value is None:
        return None
    notice = load(value, field="announcement")
    if not isinstance(notice, AnnouncementRecord):
        raise InvalidTypeError("announcement", notice, "an announcement record")
    return notice


def _check_population(rec: DrawRecord, population: Population, findings: Findings) -> None:
    stored = rec["population"]
    actual = {
        "digest": population.digest(),
        "units": len(population),
        "eligible": int(population.eligible.sum()),
    }
    for name, value in actual.items():
        if stored[name] != value:
            findings.add(
                f"population.{name}", f"record says {stored[name]}, population gives {value}"
            )


def _check_design(
    rec: DrawRecord, population: Population, findings: Findings
) -> dict[str, int] | None:
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
    strata_list = population.strata.tolist()
    eligible_list = population.eligible.tolist()
    units: dict[str, int] = {}
    eligible: dict[str, int] = {}
    for label, ok in zip(strata_list, eligible_list, strict=True):
        units[label] = units.get(label, 0) + 1
        eligible[label] = eligible.get(label, 0) + int(ok)
    for label in sorted(set(units) - set(sizes)):
        findings.add("design.strata", f"stratum {label!r} of the population has no sample size")
    selected: dict[str, int] = {}
    for unit in rec["selection"]:
        selected[unit["stratum"]] = selected.get(unit["stratum"], 0) + 1
    for entry in strata:
        label = entry["stratum"]
        if entry["sample_size"] != selected.get(label, 0):
            findings.add(
                f"design.strata[{label!r}].sample_size",
                f"record says {entry['sample_size']}, the selection has "
                f"{selected.get(label, 0)} units of the stratum",
            )
        for name, table in (("units", units), ("eligible", eligible)):
            if entry[name] != table.get(label, 0):
                findings.add(
                    f"design.strata[{label!r}].{name}",
                    f"record says {entry[name]}, population gives {table.get(label, 0)}",
                )
    return sizes


def _check_selection(
    rec: DrawRecord, population: Population, seed: Seed, sizes: dict[str, int], findings: Findings
) -> None:
    try:
        draw = algorithm(rec["algorithm"]["name"]).draw
        redrawn = draw(population, sizes, seed, purpose=rec["purpose"])
    except RandsampleError as exc:
        findings.add("design", f"the draw cannot be re-run on this population: {exc}")
        return
    expected = {
        u.id: {
            "id": u.id,
            "stratum": u.stratum,
            "rank": u.rank,
            "ticket": u.ticket.hex(),
            "inclusion_probability": format_fraction(u.inclusion_probability),
        }
        for u in redrawn.selection
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
    for unit in expected:
        if unit not in seen:
            problems.append(
                Discrepancy(
                    "selection",
                    f"unit {unit!r} is selected by the algorithm but missing from the record",
                )
            )
    if not problems and [e["id"] for e in stored] != list(expected):
        problems.append(
            Discrepancy("selection", "entries are not in canonical order (stratum, then rank)")
        )
    findings.listed(problems, "selection")
