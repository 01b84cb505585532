"""The salted draw (algorithm ``stratified-srswor-salted`` v1) and its auditor's record.

Equal-probability stratified sampling exactly as ``stratified-srswor`` v1 (spec section 5:
in each stratum the ``n_h`` eligible units with the smallest tickets; SRSWOR by order
sampling with uniform keys, Tillé 2006 §4.4), with **v2 tickets**
(:func:`randsample.population.salted_ticket`): each ticket mixes in the unit's salt from the
population commitment v2, so nobody but the auditor and the unit itself can compute it. The
inclusion probability of an eligible unit of stratum ``h`` is exactly ``n_h / M_h``.

The stratum's **threshold** is the largest selected ticket (the ticket of rank ``n_h``; none
when ``n_h = 0``): an eligible unit is selected exactly when its ticket is at most the
threshold, which is what a receipt lets one enterprise check.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from .. import _validation as check
from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import SelectedUnit
from ..errors import InvalidInputError, SampleSizeError
from ..population import (
    DEFAULT_BUCKETS,
    CommitmentTree,
    Population,
    PopulationCommitment,
    salted_tickets,
)
from ..population._commitment import check_secret
from ..records import (
    SALTED_DRAW_FORMAT,
    SALTED_SRSWOR,
    Findings,
    SaltedDrawRecord,
    SealedRecord,
    VerificationReport,
    check_chain,
    check_seal,
    check_seed,
    load,
    seal,
)
from ..records._draw import draw_content

__all__ = ["SaltedSample", "SaltedStratum", "draw_salted", "make_salted_record", "verify_salted"]


@attrs.frozen
class SaltedStratum:
    """One stratum of a salted draw: counts, sample size and threshold (None when n_h = 0)."""

    stratum: str
    units: int
    eligible: int
    sample_size: int
    threshold: bytes | None


@attrs.frozen
class SaltedSample:
    """The outcome of :func:`draw_salted`: the selection, the strata and the commitment.

    ``tree`` holds the commitment's Merkle trees, from which receipts take their proofs
    (``None`` for a draw on partitions, :func:`randsample.distributed.draw_salted_dataset`,
    which never holds the whole population).
    """

    seed: Seed
    purpose: str
    subkey: bytes
    population_digest: str
    commitment: PopulationCommitment
    population_size: int
    eligible_count: int
    strata: tuple[SaltedStratum, ...]
    selection: tuple[SelectedUnit, ...]
    tree: CommitmentTree | None = attrs.field(default=None, repr=False, eq=False)

    def __repr__(self) -> str:
        return (
            f"SaltedSample({len(self.selection)} of {self.population_size} units, "
            f"{len(self.strata)} strata, commitment {self.commitment.root[:16]}…)"
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """Selected ids, by stratum then rank."""
        return tuple(unit.id for unit in self.selection)


def check_salted_sizes(counts: Mapping[str, int], sizes: Mapping[str, int]) -> dict[str, int]:
    """Return ``sizes`` checked against the eligible ``counts`` of every stratum (label order).

    Every stratum needs a size in ``[0, eligible]``; a size for an absent stratum must be 0.
    The one rule of the salted draw, in memory and on partitions.
    """
    checked = check.mapping(sizes, "sizes", key=check.label, item=check.integer)
    for label in counts:
        if label not in checked:
            raise SampleSizeError(
                "sizes", label, "names no size for this stratum of the population"
            )
    for label, size in checked.items():
        available = counts.get(label, 0)
        if not 0 <= size <= available:
            raise SampleSizeError(
                f"sizes[{label!r}]", size, f"must be in [0, {available}] (eligible units)"
            )
    return checked


def draw_salted(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    secret: bytes,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
    buckets: int = DEFAULT_BUCKETS,
) -> SaltedSample:
    """Draw ``sizes[h]`` eligible units of every stratum ``h`` by salted tickets.

    ``secret`` is the authority secret the salts derive from; its commitment (the v2 root)
    must be published before the seed exists.

    >>> from randsample import Seed
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 2}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=4)
    >>> len(sample.selection), [s.sample_size for s in sample.strata]
    (3, [1, 2])
    """
    check.instance(population, "population", Population)
    checked = check_salted_sizes(population.eligible_counts(), sizes)
    check.instance(seed, "seed", Seed)
    secret = check_secret(secret)
    check.label(purpose, "purpose")
    tree = CommitmentTree(population, secret, buckets=buckets)
    subkey = seed.subkey(purpose)
    ids = population.ids.tolist()
    salts = tree.salts
    tickets = salted_tickets(subkey, salts, ids)
    strata_list = population.strata.tolist()
    eligible_list = population.eligible.tolist()
    members: dict[str, list[tuple[bytes, bytes, str]]] = {}
    totals: dict[str, int] = {}
    for ident, label, ok, ticket in zip(ids, strata_list, eligible_list, tickets, strict=True):
        totals[label] = totals.get(label, 0) + 1
        if ok:
            members.setdefault(label, []).append((ticket, ident.encode("utf-8"), ident))
    strata: list[SaltedStratum] = []
    selection: list[SelectedUnit] = []
    for label in sorted(set(totals) | set(checked)):
        ordered = sorted(members.get(label, []))
        size = checked[label]
        chosen = ordered[:size]
        probability = Fraction(size, len(ordered)) if ordered else Fraction(0)
        selection.extend(
            SelectedUnit(ident, label, rank, ticket, probability)
            for rank, (ticket, _, ident) in enumerate(chosen, start=1)
        )
        threshold = chosen[-1][0] if chosen else None
        strata.append(SaltedStratum(label, totals.get(label, 0), len(ordered), size, threshold))
    return SaltedSample(
        seed,
        purpose,
        subkey,
        population.digest(),
        tree.commitment,
        len(population),
        int(population.eligible.sum()),
        tuple(strata),
        tuple(selection),
        tree,
    )


def _strata_json(strata: tuple[SaltedStratum, ...]) -> list[dict[str, Any]]:
    return [
        {
            "stratum": s.stratum,
            "units": s.units,
            "eligible": s.eligible,
            "sample_size": s.sample_size,
            "threshold": None if s.threshold is None else s.threshold.hex(),
        }
        for s in strata
    ]


def make_salted_record(
    sample: SaltedSample,
    *,
    authority: str,
    draw_id: str,
    timestamp: datetime.datetime | str,
    previous: SealedRecord | None = None,
) -> SaltedDrawRecord:
    """Seal a salted draw into the auditor's record (spec 14.5), chained to ``previous``.

    >>> from randsample import Population, Seed
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> record["algorithm"], len(record.selected_ids)
    ({'name': 'stratified-srswor-salted', 'version': 1}, 2)
    """
    check.instance(sample, "sample", SaltedSample)
    check.label(authority, "authority")
    check.label(draw_id, "draw_id")
    content = draw_content(
        sample,
        record_format=SALTED_DRAW_FORMAT,
        algorithm={"name": SALTED_SRSWOR, "version": 1},
        authority=authority,
        draw_id=draw_id,
        timestamp=timestamp,
        previous=previous,
    )
    content["population"]["commitment"] = sample.commitment.to_json()
    content["design"]["strata"] = _strata_json(sample.strata)
    return SaltedDrawRecord(seal(content))


def verify_salted(
    record: SaltedDrawRecord | str | bytes,
    population: Population,
    secret: bytes,
    *,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Check a salted draw as the auditor does: re-run it from the population and the secret.

    Compares the seal, seed, sub-key, population digest, counts and commitment, every
    stratum's counts and threshold, and the selection id by id.

    >>> from randsample import Population, Seed
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> verify_salted(record, pop, bytes(range(32))).ok
    True
    >>> verify_salted(record, pop, bytes(range(1, 33))).fields[:1]  # another authority secret
    ('population.commitment.root',)
    """
    rec = check.instance(load(record), "record", SaltedDrawRecord, "a SaltedDrawRecord")
    check.instance(population, "population", Population)

    def redraw(sizes: dict[str, int], seed: Seed, purpose: str, buckets: int) -> SaltedSample:
        return draw_salted(population, sizes, seed, secret, purpose=purpose, buckets=buckets)

    return check_salted(rec, redraw, previous=previous)


#: Re-runs a salted draw: ``(sizes, seed, purpose, buckets) -> SaltedSample``.
SaltedRedraw = Callable[[dict[str, int], Seed, str, int], SaltedSample]


def check_salted(
    rec: SaltedDrawRecord,
    redraw: SaltedRedraw,
    *,
    previous: SealedRecord | str | bytes | None = None,
) -> VerificationReport:
    """Return the auditor's report on ``rec``, re-drawn by ``redraw`` (spec 14.5).

    The one set of rules of :func:`verify_salted` (in memory) and
    :func:`randsample.distributed.verify_salted_dataset` (on partitions): only how the draw
    is re-run differs. A redraw that raises :class:`~randsample.errors.InvalidInputError`
    (sizes that do not fit the population) is a finding on ``design``.
    """
    findings = Findings()
    check_seal(rec, findings)
    seed = check_seed(rec, findings)
    sizes = {s["stratum"]: s["sample_size"] for s in rec["design"]["strata"]}
    commitment = rec["population"]["commitment"]
    redrawn = None
    if seed is not None:
        try:
            redrawn = redraw(sizes, seed, rec["purpose"], commitment["buckets"])
        except InvalidInputError as exc:
            findings.add("design", f"the draw cannot be re-run on this population: {exc}")
    if redrawn is not None:
        expected = make_salted_record(
            redrawn, authority=rec["authority"], draw_id=rec["draw_id"], timestamp=rec["timestamp"]
        )
        for name in ("population", "design", "selection"):
            _compare(rec[name], expected[name], name, findings)
    check_chain(rec, None if previous is None else load(previous, field="previous"), findings)
    return findings.report(rec.record_digest)


def _compare(stored: Any, expected: Any, field: str, findings: Findings) -> None:
    # Field-by-field difference of two JSON values, naming the deepest differing field.
    if isinstance(stored, dict) and isinstance(expected, dict) and stored.keys() == expected.keys():
        for key in expected:
            _compare(stored[key], expected[key], f"{field}.{key}", findings)
    elif isinstance(stored, list) and isinstance(expected, list) and len(stored) == len(expected):
        for index, (a, b) in enumerate(zip(stored, expected, strict=True)):
            _compare(a, b, f"{field}[{index}]", findings)
    elif stored != expected:
        findings.add(field, f"record says {stored!r}, re-derived {expected!r}")
