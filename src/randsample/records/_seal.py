"""Draw records: the published certificate of a draw, sealed by its own digest.

A record holds everything a third party needs to re-run the draw (seed material, population
digest, design, selection with tickets and inclusion probabilities) plus a timestamp and the
digest of the authority's previous record, so that an authority's records form a hash chain.
It is serialized as canonical JSON (``docs/spec.md`` section 6) and its ``record_digest`` is
the SHA-256 of that JSON without the digest field.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from .._version import __version__
from ..core import canonical_json, check_id, sha256_hex
from ..design import ALGORITHM, ALGORITHM_VERSION, PIPS_ALGORITHM, StratifiedSample
from ..errors import (
    InvalidInputError,
    InvalidTypeError,
    RecordFormatError,
    RecordIntegrityError,
)

__all__ = [
    "RECORD_FORMAT",
    "DrawRecord",
    "SealedRecord",
    "chain_link",
    "format_fraction",
    "make_record",
]

RECORD_FORMAT = "randsample.draw-record/1"
#: The algorithms a v1 record may name, with their versions.
ALGORITHMS = {ALGORITHM: ALGORITHM_VERSION, PIPS_ALGORITHM: 1}

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")

# Field name -> expected JSON type(s); the structural schema of a v1 record.
_FIELDS: dict[str, tuple[type, ...]] = {
    "record_format": (str,),
    "algorithm": (dict,),
    "library": (dict,),
    "authority": (str,),
    "draw_id": (str,),
    "timestamp": (str,),
    "previous_record_digest": (str, type(None)),
    "seed": (dict,),
    "purpose": (str,),
    "subkey": (str,),
    "population": (dict,),
    "design": (dict,),
    "selection": (list,),
    "record_digest": (str,),
}


def format_fraction(value: Fraction) -> str:
    """Write an exact probability as the spec does: ``"0"``, ``"1"`` or reduced ``"p/q"``.

    >>> format_fraction(Fraction(6, 200)), format_fraction(Fraction(1))
    ('3/100', '1')
    """
    return str(value)  # Fraction is always reduced, and str(Fraction(1)) == "1".


def format_timestamp(timestamp: datetime | str) -> str:
    """Return ``timestamp`` as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC); refuse anything ambiguous.

    >>> from datetime import timedelta
    >>> format_timestamp(datetime(2026, 11, 27, 18, 30, tzinfo=timezone(timedelta(hours=8))))
    '2026-11-27T10:30:00Z'
    """
    if isinstance(timestamp, str):
        if not _TIMESTAMP.fullmatch(timestamp):
            raise InvalidInputError("timestamp", timestamp, "expected YYYY-MM-DDTHH:MM:SSZ (UTC)")
        try:
            datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError as exc:
            raise InvalidInputError(
                "timestamp", timestamp, f"is not a real date/time ({exc})"
            ) from None
        return timestamp
    if not isinstance(timestamp, datetime):
        raise InvalidTypeError("timestamp", timestamp, "a timezone-aware datetime or a UTC string")
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise InvalidInputError("timestamp", timestamp, "must be timezone-aware")
    if timestamp.microsecond:
        raise InvalidInputError(
            "timestamp", timestamp, "has sub-second digits; pass .replace(microsecond=0)"
        )
    return timestamp.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_R = TypeVar("_R", bound="SealedRecord")


@attrs.frozen(eq=False)
class SealedRecord:
    """A JSON record sealed by the SHA-256 of its canonical form (``record_digest``).

    The content is kept as the parsed JSON object; accessors return copies, so a record cannot
    be changed after sealing. Subclasses define the structure they accept in ``_check``.
    """

    _content: dict[str, Any] = attrs.field(alias="content")

    def __attrs_post_init__(self) -> None:
        self._check(self._content)

    @staticmethod
    def _check(content: object) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError

    @property
    def content(self) -> dict[str, Any]:
        """A deep copy of the record as a JSON-ready dict."""
        return copy.deepcopy(self._content)

    def __getitem__(self, field: str) -> Any:
        return copy.deepcopy(self._content[field])

    @property
    def record_digest(self) -> str:
        """The digest stored in the record."""
        return str(self._content["record_digest"])

    def computed_digest(self) -> str:
        """Return the digest of the record's content (differs from the stored one if edited)."""
        return compute_digest(self._content)

    def to_json(self) -> str:
        """Serialize as canonical JSON text (what is published and what is hashed)."""
        return canonical_json(self._content).decode("utf-8")

    @classmethod
    def from_json(cls: type[_R], text: str | bytes, *, check_digest: bool = True) -> _R:
        """Parse a published record; by default refuse one whose digest does not match.

        ``check_digest=False`` loads an edited record anyway, so that a verifier can report
        every field that differs.
        """
        try:
            content = json.loads(
                text,
                parse_float=_refuse_float,
                parse_constant=_refuse_float,
                object_pairs_hook=_refuse_duplicate_keys,
            )
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RecordFormatError(
                "record", _shorten(text), f"is not valid JSON ({exc})"
            ) from None
        record = cls(content)
        if check_digest and record.computed_digest() != record.record_digest:
            raise RecordIntegrityError(
                "record_digest",
                record.record_digest,
                f"does not match the record's content (which hashes to "
                f"{record.computed_digest()}): the record was edited after it was sealed",
            )
        return record


@attrs.frozen(eq=False)
class DrawRecord(SealedRecord):
    """A sealed draw record. Build with :func:`make_record`, load with :meth:`from_json`."""

    @staticmethod
    def _check(content: object) -> None:
        _check_structure(content)

    @property
    def selected_ids(self) -> tuple[str, ...]:
        """The selected ids, in record order (stratum, then rank)."""
        return tuple(entry["id"] for entry in self._content["selection"])


def _shorten(text: str | bytes) -> str:
    shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; another reader may keep the first. A record
    # that reads differently in different tools must be refused, not interpreted.
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise RecordFormatError("record", key, "has a duplicate key in one object")
    return dict(pairs)


def _refuse_float(token: str) -> Any:
    raise RecordFormatError("record", token, "contains a non-integer number; records are exact")


def compute_digest(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``content`` without its ``record_digest`` field."""
    body = {k: v for k, v in content.items() if k != "record_digest"}
    return sha256_hex(canonical_json(body))


def check_fields(content: object, fields: Mapping[str, tuple[type, ...]], what: str) -> None:
    """Check a record's top level: a JSON object with exactly ``fields``, each of its types."""
    if not isinstance(content, dict):
        raise RecordFormatError("record", type(content).__name__, "expected a JSON object")
    for field, types in fields.items():
        if field not in content:
            raise RecordFormatError(field, None, "is missing")
        if not isinstance(content[field], types):
            raise RecordFormatError(field, content[field], "has the wrong type")
    extra = sorted(set(content) - set(fields))
    if extra:
        raise RecordFormatError(extra[0], content[extra[0]], f"is not a field of {what}")


def _check_structure(content: object) -> None:
    check_fields(content, _FIELDS, "a v1 draw record")
    assert isinstance(content, dict)  # checked just above; narrows the type
    _check_versions_and_digests(content)
    strata = content["design"].get("strata")
    if not isinstance(strata, list):
        raise RecordFormatError("design.strata", strata, "expected an array")
    for index, entry in enumerate(strata):
        _check_entry(
            f"design.strata[{index}]",
            entry,
            {"stratum": str, "units": int, "eligible": int, "sample_size": int},
        )
    for index, entry in enumerate(content["selection"]):
        _check_entry(
            f"selection[{index}]",
            entry,
            {"id": str, "stratum": str, "rank": int, "ticket": str, "inclusion_probability": str},
        )
    _check_entry(
        "population", content["population"], {"digest": str, "units": int, "eligible": int}
    )
    try:  # every value must be canonically encodable (no lone surrogates, no huge integers)
        canonical_json(content)
    except (InvalidInputError, InvalidTypeError) as exc:
        raise RecordFormatError(exc.field, exc.value, "cannot be encoded canonically") from None


def _check_versions_and_digests(content: dict[str, Any]) -> None:
    if content["record_format"] != RECORD_FORMAT:
        raise RecordFormatError(
            "record_format",
            content["record_format"],
            f"unsupported; this version reads {RECORD_FORMAT!r}",
        )
    algorithm = content["algorithm"]
    known = [{"name": name, "version": version} for name, version in ALGORITHMS.items()]
    if algorithm not in known:
        raise RecordFormatError("algorithm", algorithm, f"unsupported; this version runs {known}")
    if not _HEX64.fullmatch(content["record_digest"]):
        raise RecordFormatError(
            "record_digest", content["record_digest"], "expected 64 lowercase hex digits"
        )
    previous = content["previous_record_digest"]
    if previous is not None and not _HEX64.fullmatch(previous):
        raise RecordFormatError(
            "previous_record_digest", previous, "expected 64 lowercase hex digits or null"
        )


def _check_entry(field: str, entry: object, schema: Mapping[str, type]) -> None:
    if not isinstance(entry, dict):
        raise RecordFormatError(field, entry, "expected an object")
    if set(entry) != set(schema):
        raise RecordFormatError(
            field, sorted(entry), f"expected exactly the fields {sorted(schema)}"
        )
    for name, kind in schema.items():
        value = entry[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise RecordFormatError(f"{field}.{name}", value, f"expected {kind.__name__}")


def chain_link(previous: SealedRecord | None, *, authority: str, timestamp: str) -> str | None:
    """Check that a new record of ``authority`` at ``timestamp`` may follow ``previous``.

    Returns the digest the new record links to (None for an authority's first record). The
    previous record may be of any format: an authority's draws, replacements and assignments
    form one chain.
    """
    if previous is None:
        return None
    if not isinstance(previous, SealedRecord):
        raise InvalidTypeError("previous", previous, "a sealed record")
    if previous["authority"] != authority:
        raise InvalidInputError(
            "previous", previous["authority"], f"belongs to another authority than {authority!r}"
        )
    if previous["timestamp"] > timestamp:
        raise InvalidInputError(
            "timestamp", timestamp, f"is earlier than the previous record's {previous['timestamp']}"
        )
    return previous.record_digest


def make_record(
    sample: StratifiedSample,
    *,
    authority: str,
    draw_id: str,
    timestamp: datetime | str,
    previous: SealedRecord | None = None,
) -> DrawRecord:
    """Seal ``sample`` into a draw record, chained to the authority's ``previous`` record.

    The timestamp is passed in (the core never reads a clock).

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
        "record_format": RECORD_FORMAT,
        "algorithm": {"name": sample.algorithm, "version": ALGORITHMS[sample.algorithm]},
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
    content["record_digest"] = compute_digest(content)
    return DrawRecord(content)
