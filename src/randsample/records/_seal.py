"""Sealed records: canonical JSON sealed by its own SHA-256, one base for every record kind.

A record is a JSON object serialized as canonical JSON (``docs/spec.md`` section 6.1) whose
``record_digest`` is the SHA-256 of that JSON without the digest field. Each kind (draw,
replacement, assignment, ...) is a subclass with its ``FORMAT`` (the ``record_format`` value)
and ``SCHEMA`` (closed field sets and exact types at every level); :func:`read_record` and
``SealedRecord.from_json`` read any kind by its ``record_format``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

import attrs

from ..core import canonical_digest, canonical_text
from ..core._rows import RowColumns
from ..errors import InvalidInputError, InvalidTypeError, RecordFormatError, RecordIntegrityError
from ._schema import Schema, check_schema
from ._strict import check_hex, check_label, check_library, check_timestamp, parse_json

__all__ = [
    "SealedRecord",
    "compute_digest",
    "format_fraction",
    "format_timestamp",
    "read_record",
    "seal",
]

_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


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


def compute_digest(content: Mapping[str, Any], *, columns: RowColumns | None = None) -> str:
    """SHA-256 of the canonical JSON of ``content`` without its ``record_digest`` field.

    ``columns`` is internal (a record's checks share the columns they find): leave it None.
    """
    body = {k: v for k, v in content.items() if k != "record_digest"}
    return canonical_digest(body, columns=columns)


def seal(content: dict[str, Any]) -> dict[str, Any]:
    """Set ``content["record_digest"]`` to the digest of the rest, and return ``content``."""
    content["record_digest"] = compute_digest(content)
    return content


_R = TypeVar("_R", bound="SealedRecord")


@attrs.frozen(eq=False)
class SealedRecord:
    """A JSON record sealed by the SHA-256 of its canonical form (``record_digest``).

    The content is kept as the parsed JSON object; accessors return copies, so a record cannot
    be changed after sealing. Every kind declares ``FORMAT`` and ``SCHEMA``; construction
    checks the structure (closed field sets, exact types) and the kind's own value rules.
    """

    #: The ``record_format`` value of this kind.
    FORMAT: ClassVar[str] = ""
    #: The closed structure of this kind (see ``records/_schema.py``).
    SCHEMA: ClassVar[Schema] = {}
    #: Every kind by its FORMAT, filled as the kinds are defined.
    _KINDS: ClassVar[dict[str, type[SealedRecord]]] = {}

    _content: dict[str, Any] = attrs.field(alias="content")
    # The digest of the content (without record_digest), computed once at construction.
    _computed: str = attrs.field(init=False, default="", repr=False)
    # While construction checks the content: the columns of its lists of rows, found once for
    # the structure, the value rules (a kind's _check_values may pass it on) and the encoding;
    # None afterwards.
    _columns: RowColumns | None = attrs.field(init=False, default=None, repr=False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.FORMAT:
            SealedRecord._KINDS[cls.FORMAT] = cls

    def __attrs_post_init__(self) -> None:
        content = self._content
        if not isinstance(content, dict):
            raise RecordFormatError("record", type(content).__name__, "expected a JSON object")
        if content.get("record_format") != self.FORMAT:
            raise RecordFormatError(
                "record_format", content.get("record_format"), f"expected {self.FORMAT!r}"
            )
        columns = RowColumns()
        object.__setattr__(self, "_columns", columns)
        try:
            self._check_content(content, columns)
        finally:
            object.__setattr__(self, "_columns", None)

    def _check_content(self, content: dict[str, Any], columns: RowColumns) -> None:
        check_schema(content, self.SCHEMA, columns=columns)
        # The fields every kind shares, in their exact formats (docs/spec.md section 16).
        for name in ("record_digest", "previous_record_digest"):
            if content.get(name) is not None:
                check_hex(content[name], name, length=32)
        check_label(content["authority"], "authority")
        check_timestamp(content["timestamp"])
        if "library" in content:
            check_library(content["library"])
        self._check_values(content)
        try:  # every value must be canonically encodable (no lone surrogates, no huge integers)
            computed = compute_digest(content, columns=columns)
        except (InvalidInputError, InvalidTypeError) as exc:
            raise RecordFormatError(exc.field, exc.value, "cannot be encoded canonically") from None
        object.__setattr__(self, "_computed", computed)

    @classmethod
    def sealed(cls: type[_R], content: dict[str, Any]) -> _R:
        """Seal ``content`` and return it as a record: ``cls(seal(content))``, hashed once.

        Construction computes the digest of the content anyway (to check that it encodes);
        that digest is the seal, so the canonical JSON is built once instead of twice.
        ``content`` becomes the record's own (do not change it afterwards).
        """
        content["record_digest"] = "0" * 64  # a placeholder of the right form, replaced below
        record = cls(content)
        content["record_digest"] = record._computed
        return record

    def _check_values(self, content: dict[str, Any]) -> None:
        """Check what the schema cannot say (algorithm versions, ...); kinds override this."""

    @property
    def content(self) -> dict[str, Any]:
        """A deep copy of the record as a JSON-ready dict."""
        return copy.deepcopy(self._content)

    def __getitem__(self, field: str) -> Any:
        return copy.deepcopy(self._content[field])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.FORMAT!r}, record_digest={self.record_digest[:16]!r}…)"

    @property
    def record_digest(self) -> str:
        """The digest stored in the record."""
        return str(self._content["record_digest"])

    @property
    def kind(self) -> str:
        """The record's ``record_format``."""
        return self.FORMAT

    def computed_digest(self) -> str:
        """Return the digest of the record's content (differs from the stored one if edited)."""
        return self._computed

    def to_json(self) -> str:
        """Serialize as canonical JSON text (what is published and what is hashed)."""
        return canonical_text(self._content)

    @classmethod
    def from_json(cls: type[_R], text: str | bytes, *, check_digest: bool = True) -> _R:
        """Parse a published record of this kind (any kind, on ``SealedRecord`` itself).

        By default a record whose digest does not match its content is refused;
        ``check_digest=False`` loads an edited record anyway, so that a verifier can report
        every field that differs.
        """
        record = read_record(text, check_digest=check_digest)
        if not isinstance(record, cls):
            raise RecordFormatError(
                "record_format", record.FORMAT, f"expected a {cls.__name__} ({cls.FORMAT!r})"
            )
        return record


def read_record(text: str | bytes, *, check_digest: bool = True) -> SealedRecord:
    """Read any published record, of whichever kind its ``record_format`` names.

    A chain mixing draws, replacements and assignments loads without the caller knowing the
    kinds. Not JSON, an ambiguous JSON (duplicate keys, non-integer numbers), an unknown
    format or a malformed structure raise :class:`RecordFormatError`; with ``check_digest``
    (the default) an edited record raises :class:`RecordIntegrityError`.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns(["e1", "e2"], strata="A")
    >>> record = make_record(draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(16)))),
    ...                      authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> type(read_record(record.to_json())).__name__
    'DrawRecord'
    """
    if not isinstance(text, (str, bytes)):
        raise InvalidTypeError("record", text, "the record's JSON text (str or bytes)")
    content = parse_json(text)
    if not isinstance(content, dict):
        raise RecordFormatError("record", type(content).__name__, "expected a JSON object")
    kind = SealedRecord._KINDS.get(content.get("record_format"))  # type: ignore[arg-type]
    if kind is None:
        raise RecordFormatError(
            "record_format",
            content.get("record_format"),
            f"unsupported; this version reads {sorted(SealedRecord._KINDS)}",
        )
    record = kind(content)
    if check_digest and record.computed_digest() != record.record_digest:
        raise RecordIntegrityError(
            "record_digest",
            record.record_digest,
            f"does not match the record's content (which hashes to "
            f"{record.computed_digest()}): the record was edited after it was sealed",
        )
    return record
