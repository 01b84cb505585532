"""Verification: re-run a published draw and say exactly what differs.

:func:`verify` trusts nothing in the record but its structure. It re-derives the seed from
the published sources (checking the commitment), the sub-key, the population digest and
counts, and the selection, and compares each with what the record says. Every difference is
reported with the record field it concerns; an empty report means the draw is exactly what
the algorithm gives for this seed and population.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..core import Seed
from ..design import ALGORITHM, PIPS_ALGORITHM, draw_stratified, draw_stratified_pips
from ..errors import InvalidTypeError, RandsampleError
from ..population import Population
from ._seal import DrawRecord, SealedRecord, format_fraction

__all__ = ["Discrepancy", "VerificationReport", "chain_discrepancies", "verify"]

_Differ = Callable[[str, str], None]
# How to re-run each algorithm a record may name (the versions are checked on loading).
_DRAW = {ALGORITHM: draw_stratified, PIPS_ALGORITHM: draw_stratified_pips}

#: Selection differences beyond this many are counted, not listed.
MAX_LISTED = 20


@attrs.frozen
class Discrepancy:
    """One difference between a record and its re-computation."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@attrs.frozen
class VerificationReport:
    """The result of :func:`verify`; ``ok`` is true when nothing differs."""

    record_digest: str
    discrepancies: tuple[Discrepancy, ...]

    @property
    def ok(self) -> bool:
        """Whether the record verified with no difference at all."""
        return not self.discrepancies

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields that differ, in the order they were checked."""
        return tuple(d.field for d in self.discrepancies)

    def __str__(self) -> str:
        if self.ok:
            return f"VERIFIED: record {self.record_digest[:16]}… re-derives exactly"
        lines = [f"NOT VERIFIED: {len(self.discrepancies)} difference(s)"]
        lines.extend(f"  {d}" for d in self.discrepancies)
        return "\n".join(lines)


def _load(record: SealedRecord | str | bytes) -> SealedRecord:
    if isinstance(record, SealedRecord):
        return record
    if isinstance(record, (str, bytes)):
        return DrawRecord.from_json(record, check_digest=False)
    raise InvalidTypeError("record", record, "a DrawRecord or its JSON text")


def verify(
    record: DrawRecord | str | bytes,
    population: Population,
    *,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Re-run the draw described by ``record`` on ``population`` and compare.

    ``previous`` is the authority's previous record, if the chain link is to be checked.
    A record that is not even structurally valid raises :class:`RecordFormatError`.

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
    rec = _load(record)
    if not isinstance(rec, DrawRecord):
        raise InvalidTypeError("record", rec, "a DrawRecord (a draw, not another kind of record)")
    if not isinstance(population, Population):
        raise InvalidTypeError("population", population, "a Population")
    found: list[Discrepancy] = []

    def differ(field: str, message: str) -> None:
        found.append(Discrepancy(field, message))

    computed = rec.computed_digest()
    if computed != rec.record_digest:
        differ(
            "record_digest",
            f"record says {rec.record_digest}, its content hashes to {computed}: "
            "the record was edited after it was sealed",
        )

    seed = _check_seed(rec, differ)
    _check_population(rec, population, differ)
    sizes = _check_design(rec, population, differ)
    if seed is not None and sizes is not None:
        _check_selection(rec, population, seed, sizes, differ)
    if previous is not None:
        found.extend(chain_discrepancies(rec, _load(previous)))
    return VerificationReport(rec.record_digest, tuple(found))


def _check_seed(rec: DrawRecord, differ: _Differ) -> Seed | None:
    stored = rec["seed"]
    try:
        seed = Seed.from_json(stored)
    except RandsampleError as exc:
        differ("seed", f"cannot be re-derived: {exc}")
        return None
    checks = (
        ("value", seed.value.hex()),
        ("key", seed.key),
        ("commitment", seed.commitment),
        ("low_entropy_allowed", seed.low_entropy_allowed),
    )
    for name, actual in checks:
        if stored.get(name) != actual:
            differ(f"seed.{name}", f"record says {stored.get(name)!r}, re-derived {actual!r}")
    try:
        subkey = seed.subkey(rec["purpose"]).hex()
    except RandsampleError as exc:
        differ("purpose", str(exc))
        return None
    if rec["subkey"] != subkey:
        differ("subkey", f"record says {rec['subkey']}, re-derived {subkey}")
    return seed


def _check_population(rec: DrawRecord, population: Population, differ: _Differ) -> None:
    stored = rec["population"]
    actual = {
        "digest": population.digest(),
        "units": len(population),
        "eligible": int(population.eligible.sum()),
    }
    for name, value in actual.items():
        if stored[name] != value:
            differ(f"population.{name}", f"record says {stored[name]}, population gives {value}")


def _check_design(
    rec: DrawRecord, population: Population, differ: _Differ
) -> dict[str, int] | None:
    strata = rec["design"]["strata"]
    sizes: dict[str, int] = {}
    for entry in strata:
        if entry["stratum"] in sizes:
            differ("design.strata", f"stratum {entry['stratum']!r} is listed twice")
            return None
        sizes[entry["stratum"]] = entry["sample_size"]
    labels = [entry["stratum"] for entry in strata]
    if labels != sorted(labels):
        differ("design.strata", "strata are not in canonical (code point) order")
    strata_list = population.strata.tolist()
    eligible_list = population.eligible.tolist()
    units: dict[str, int] = {}
    eligible: dict[str, int] = {}
    for label, ok in zip(strata_list, eligible_list, strict=True):
        units[label] = units.get(label, 0) + 1
        eligible[label] = eligible.get(label, 0) + int(ok)
    for label in sorted(set(units) - set(sizes)):
        differ("design.strata", f"stratum {label!r} of the population has no sample size")
    for entry in strata:
        label = entry["stratum"]
        for name, table in (("units", units), ("eligible", eligible)):
            if entry[name] != table.get(label, 0):
                differ(
                    f"design.strata[{label!r}].{name}",
                    f"record says {entry[name]}, population gives {table.get(label, 0)}",
                )
    return sizes


def _check_selection(
    rec: DrawRecord, population: Population, seed: Seed, sizes: dict[str, int], differ: _Differ
) -> None:
    try:
        draw = _DRAW[rec["algorithm"]["name"]]
        redrawn = draw(population, sizes, seed, purpose=rec["purpose"])
    except RandsampleError as exc:
        differ("design", f"the draw cannot be re-run on this population: {exc}")
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
    for problem in problems[:MAX_LISTED]:
        differ(problem.field, problem.message)
    if len(problems) > MAX_LISTED:
        differ("selection", f"... and {len(problems) - MAX_LISTED} more differences")


def chain_discrepancies(record: SealedRecord, previous: SealedRecord) -> list[Discrepancy]:
    """Check the hash-chain link from ``record`` to the authority's ``previous`` record.

    The link must be the previous record's digest *recomputed from its content* (so an edited
    predecessor is caught), the authority the same, and the time not earlier.
    """
    linked, before = record["previous_record_digest"], previous.record_digest
    ours, theirs = record["authority"], previous["authority"]
    now, then = record["timestamp"], previous["timestamp"]
    checks = [
        (
            linked != before,
            "previous_record_digest",
            f"record says {linked}, the previous record's digest is {before}",
        ),
        (
            previous.computed_digest() != before,
            "previous_record_digest",
            "the previous record itself was edited after sealing",
        ),
        (ours != theirs, "authority", f"{ours!r} differs from the previous record's {theirs!r}"),
        (now < then, "timestamp", f"{now} is earlier than the previous record's {then}"),
    ]
    return [Discrepancy(field, message) for failed, field, message in checks if failed]
