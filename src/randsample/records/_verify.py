"""Verification of a draw: re-run it and say exactly what differs.

:func:`verify` trusts nothing in the record but its structure. It re-derives the seed from
the published sources (checking the commitment), the sub-key, the population digest and
counts, and the selection, and compares each with what the record says. Every difference is
reported with the record field it concerns; an empty report means the draw is exactly what
the algorithm gives for this seed and population.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core import Seed
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
from ._draw import selection_rows
from ._formats import DrawRecord
from ._seal import SealedRecord, read_record
from ._view import LocalView, PopulationFacts, PopulationView, view_of

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
    population: Population | PopulationView,
    *,
    previous: SealedRecord | str | bytes | None = None,
    announcement: AnnouncementRecord | str | bytes | None = None,
) -> VerificationReport:
    """Re-run the draw described by ``record`` on ``population`` and compare.

    ``population`` is a :class:`randsample.Population`, or any
    :class:`randsample.records.PopulationView` (the partitioned populations of
    :mod:`randsample.distributed` are checked by these same rules). ``previous`` is the
    authority's previous record (of any kind: draw, replacement or assignment), if the chain
    link is to be checked. ``announcement`` is the announcement the draw must follow (spec
    section 15); without one the report's notes say the draw is not shown to be publicly
    random. A record that is not even structurally valid raises :class:`RecordFormatError`.

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
    view = view_of(population)
    findings = Findings()
    check_seal(rec, findings)
    seed = check_seed(rec, findings)
    redrawn: Sequence[Any] | RandsampleError | None = None
    if isinstance(view, LocalView) and seed is not None:
        # Re-run first: the draw digests an in-memory population in a second thread while it
        # selects, so facts() below finds the digest computed. What is reported, and in what
        # order, is as if the facts came first.
        sizes = _record_sizes(rec)
        if sizes is not None:
            redrawn = _redraw(view, rec, sizes, seed)
    facts = view.facts()
    _check_population(rec, facts, findings)
    sizes = _check_design(rec, facts, findings)
    if seed is not None and sizes is not None:
        if redrawn is None:
            redrawn = _redraw(view, rec, sizes, seed)
        if isinstance(redrawn, RandsampleError):
            findings.add("design", f"the draw cannot be re-run on this population: {redrawn}")
        else:
            _compare_selection(rec, redrawn, findings)
    check_chain(rec, None if previous is None else load(previous, field="previous"), findings)
    notice = announcement_of(announcement)
    followed = False
    if notice is not None:
        local = population if isinstance(population, Population) else None
        differences = check_announcement(rec, notice, population=local)
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


def _record_sizes(rec: DrawRecord) -> dict[str, int] | None:
    # The sample sizes the record states, as _check_design reads them (None: a stratum twice).
    sizes: dict[str, int] = {}
    for entry in _read(rec, "design")["strata"]:
        if entry["stratum"] in sizes:
            return None
        sizes[entry["stratum"]] = entry["sample_size"]
    return sizes


def _redraw(
    view: PopulationView, rec: DrawRecord, sizes: dict[str, int], seed: Seed
) -> Sequence[Any] | RandsampleError:
    # The selection the record's design gives, or why it cannot be re-run here.
    try:
        return view.redraw(rec["algorithm"]["name"], dict(sizes), seed, rec["purpose"])
    except RandsampleError as exc:
        return exc


def _check_population(rec: DrawRecord, facts: PopulationFacts, findings: Findings) -> None:
    stored = _read(rec, "population")
    actual = {"digest": facts.digest, "units": facts.units, "eligible": facts.eligible}
    for name, value in actual.items():
        if stored[name] != value:
            findings.add(
                f"population.{name}", f"record says {stored[name]}, population gives {value}"
            )


def _check_design(
    rec: DrawRecord, facts: PopulationFacts, findings: Findings
) -> dict[str, int] | None:
    strata = _read(rec, "design")["strata"]
    sizes: dict[str, int] = {}
    for entry in strata:
        if entry["stratum"] in sizes:
            findings.add("design.strata", f"stratum {entry['stratum']!r} is listed twice")
            return None
        sizes[entry["stratum"]] = entry["sample_size"]
    labels = [entry["stratum"] for entry in strata]
    if labels != sorted(labels):
        findings.add("design.strata", "strata are not in canonical (code point) order")
    units, eligible = facts.strata_units, facts.strata_eligible
    for label in sorted(set(units) - set(sizes)):
        findings.add("design.strata", f"stratum {label!r} of the population has no sample size")
    selected: dict[str, int] = {}
    for unit in _read(rec, "selection"):
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


def _read(rec: SealedRecord, field: str) -> Any:
    # The record's own value, not the copy rec[field] returns: verification only reads it,
    # and copying a large selection would cost more than checking it.
    return rec._content[field]


def _compare_selection(rec: DrawRecord, selection: Sequence[Any], findings: Findings) -> None:
    stored = _read(rec, "selection")
    rows = selection_rows(selection)
    # Entry i of the record equal to row i of the re-run, field for field: then the full
    # comparison below would find nothing (the re-run's ids are distinct, so none is listed
    # twice, missing or extra, and the order is the canonical one).
    if stored == rows:
        return
    expected = {row["id"]: row for row in rows}
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
