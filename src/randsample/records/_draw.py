"""Sealing a draw: :func:`make_record` turns a sample into a draw record (spec section 6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any, Protocol

from .._version import __version__
from ..core import Seed, check_id
from ..design import SelectedUnit, Selection, StratifiedSample, algorithm
from ._checks import chain_link
from ._formats import DRAW_FORMAT, DrawRecord
from ._seal import SealedRecord, format_fraction, format_timestamp

__all__ = ["make_record", "selection_rows"]


def make_record(
    sample: StratifiedSample,
    *,
    authority: str,
    draw_id: str,
    timestamp: datetime | str,
    previous: SealedRecord | None = None,
) -> DrawRecord:
    """Seal ``sample`` into a draw record, chained to the authority's ``previous`` record.

    The timestamp is passed in (the core never reads a clock). ``previous`` may be a record of
    any kind (draw, replacement, assignment) of the same authority.

    >>> from randsample import Population, Seed, draw_stratified
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> sample = draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(16))))
    >>> first = make_record(sample, authority="县市场监管局", draw_id="2026-001",
    ...                     timestamp="2026-11-27T02:00:00Z")
    >>> second = make_record(sample, authority="县市场监管局", draw_id="2026-002",
    ...                      timestamp="2026-11-28T02:00:00Z", previous=first)
    >>> second["previous_record_digest"] == first.record_digest
    True
    """
    check_id(authority, field="authority")
    check_id(draw_id, field="draw_id")
    content = draw_content(
        sample,
        record_format=DRAW_FORMAT,
        algorithm={"name": sample.algorithm, "version": algorithm(sample.algorithm).version},
        authority=authority,
        draw_id=draw_id,
        timestamp=timestamp,
        previous=previous,
    )
    return DrawRecord.sealed(content)  # the same record as DrawRecord(seal(content)), hashed once


class _Counts(Protocol):
    @property
    def stratum(self) -> str: ...
    @property
    def units(self) -> int: ...
    @property
    def eligible(self) -> int: ...
    @property
    def sample_size(self) -> int: ...


class DrawnSample(Protocol):
    """What a draw record states of a sample (a :class:`StratifiedSample` or a salted one)."""

    @property
    def seed(self) -> Seed: ...
    @property
    def purpose(self) -> str: ...
    @property
    def subkey(self) -> bytes: ...
    @property
    def population_digest(self) -> str: ...
    @property
    def population_size(self) -> int: ...
    @property
    def eligible_count(self) -> int: ...
    @property
    def strata(self) -> Sequence[_Counts]: ...
    @property
    def selection(self) -> Sequence[SelectedUnit]: ...


def draw_content(
    sample: DrawnSample,
    *,
    record_format: str,
    algorithm: dict[str, Any],
    authority: str,
    draw_id: str,
    timestamp: datetime | str,
    previous: SealedRecord | None,
) -> dict[str, Any]:
    """Return the content of a draw record (spec 6.2) before sealing, fields checked.

    Record kinds defined "as a draw record" with differences (the salted draw record of spec
    14.5) start from it and change what differs.
    """
    stamp = format_timestamp(timestamp)
    return {
        "record_format": record_format,
        "algorithm": algorithm,
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "draw_id": draw_id,
        "timestamp": stamp,
        "previous_record_digest": chain_link(previous, authority=authority, timestamp=stamp),
        "seed": sample.seed.to_json(),
        "purpose": sample.purpose,
        "subkey": sample.subkey.hex(),
        "population": {
            "digest": sample.population_digest,
            "units": sample.population_size,
            "eligible": sample.eligible_count,
        },
        "design": {
            "strata": [
                {
                    "stratum": s.stratum,
                    "units": s.units,
                    "eligible": s.eligible,
                    "sample_size": s.sample_size,
                }
                for s in sample.strata
            ]
        },
        "selection": selection_rows(sample.selection),
        "record_digest": "0" * 64,
    }


def selection_rows(units: Sequence[SelectedUnit]) -> list[dict[str, Any]]:
    """Return the record's ``selection`` (spec 6.2) for ``units``, from their columns.

    The draw writes these rows and verification compares a record's rows with them.
    """
    selection = Selection.of(units)
    return [
        {
            "id": ident,
            "stratum": stratum,
            "rank": rank,
            "ticket": ticket,
            "inclusion_probability": probability,
        }
        for ident, stratum, rank, ticket, probability in zip(
            selection.ids,
            selection.strata,
            selection.ranks,
            selection.ticket_hexes(),
            _fraction_texts(selection.probabilities),
            strict=True,
        )
    ]


def _fraction_texts(values: Sequence[Fraction]) -> list[str]:
    """Return ``format_fraction`` of each value, formatting a run of equal values once.

    Under SRSWOR a stratum's selected units share one probability, and they are adjacent.
    """
    texts: list[str] = []
    last: Fraction | None = None
    text = ""
    for value in values:
        if value is not last and value != last:  # one shared object per stratum, usually
            last, text = value, format_fraction(value)
        texts.append(text)
    return texts
