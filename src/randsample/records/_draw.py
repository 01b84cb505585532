"""Sealing a draw: :func:`make_record` turns a sample into a draw record (spec section 6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._version import __version__
from ..core import check_id
from ..design import StratifiedSample, algorithm
from ._checks import chain_link
from ._formats import DRAW_FORMAT, DrawRecord
from ._seal import SealedRecord, format_fraction, format_timestamp

__all__ = ["make_record"]


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
    stamp = format_timestamp(timestamp)
    previous_digest = chain_link(previous, authority=authority, timestamp=stamp)
    content: dict[str, Any] = {
        "record_format": DRAW_FORMAT,
        "algorithm": {"name": sample.algorithm, "version": algorithm(sample.algorithm).version},
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "draw_id": draw_id,
        "timestamp": stamp,
        "previous_record_digest": previous_digest,
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
        "selection": [
            {
                "id": u.id,
                "stratum": u.stratum,
                "rank": u.rank,
                "ticket": u.ticket.hex(),
                "inclusion_probability": format_fraction(u.inclusion_probability),
            }
            for u in sample.selection
        ],
        "record_digest": "0" * 64,
    }
    return DrawRecord.sealed(content)  # the same record as DrawRecord(seal(content))
