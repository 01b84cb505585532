"""Seeds: where a draw's randomness comes from, and how it is published.

A :class:`Seed` is built in one of two ways:

* from raw bytes (e.g. a randomness-beacon output), :meth:`Seed.from_hex`;
* from public random sources (lottery draws, index closes, beacon values) combined into a
  canonical *key* in the manner of RFC 3797 section 4, :meth:`Seed.from_sources`, optionally
  with an authority's secret that was committed to in advance (commit-reveal), so that neither
  the authority alone nor the public sources alone decide the draw.

The seed is never used directly: :meth:`Seed.subkey` derives an independent key per purpose
(enterprises, inspectors, ...), and tickets are computed from a sub-key. The byte layout of
every step is in ``docs/spec.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError, LowEntropySeedError, RecordFormatError
from ._encoding import lp
from ._identifiers import check_id

__all__ = [
    "MIN_SEED_BYTES",
    "MIN_SOURCE_DIGITS",
    "PURPOSE_ENTERPRISES",
    "PURPOSE_INSPECTORS",
    "PublicSource",
    "Seed",
    "canonical_key",
    "commitment_for",
]

#: Sub-key purpose for drawing enterprises (the first "random").
PURPOSE_ENTERPRISES = "enterprises"
#: Sub-key purpose for drawing inspectors (the second "random").
PURPOSE_INSPECTORS = "inspectors"

#: Raw seeds and committed secrets must have at least this many bytes (128 bits).
MIN_SEED_BYTES = 16
#: Public sources must contribute at least this many significant decimal digits in total.
#: 20 digits carry at most ~66 bits; a single 6-of-49 lottery carries ~24 bits in 11 digits,
#: so one lottery alone is refused and several independent sources are needed.
MIN_SOURCE_DIGITS = 20
#: Fewer distinct byte values than this in a >=16-byte seed means it was typed, not drawn
#: (a uniformly random 16-byte string has >= 8 distinct bytes with probability > 1 - 1e-11).
_MIN_DISTINCT_BYTES = 8

_SUBKEY_TAG = b"randsample/v1/subkey\x00"
_COMMIT_TAG = b"randsample/v1/commitment\x00"
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def _is_low_entropy(data: bytes) -> bool:
    return len(data) < MIN_SEED_BYTES or len(set(data)) < _MIN_DISTINCT_BYTES


def _check_bytes_entropy(field: str, data: bytes, allow_low_entropy: bool) -> None:
    if allow_low_entropy:
        return
    if len(data) < MIN_SEED_BYTES:
        raise LowEntropySeedError(
            field,
            data.hex(),
            f"has {len(data)} bytes; at least {MIN_SEED_BYTES} random bytes are required "
            "(pass allow_low_entropy=True to override; the override is recorded)",
        )
    if len(set(data)) < _MIN_DISTINCT_BYTES:
        raise LowEntropySeedError(
            field,
            data.hex(),
            f"has only {len(set(data))} distinct byte values, so it was not drawn at random "
            "(pass allow_low_entropy=True to override; the override is recorded)",
        )


def _check_flag(flag: bool, low: bool) -> None:
    # The override flag states a property of the material; it cannot be set on good material.
    if flag and not low:
        raise InvalidInputError(
            "low_entropy_allowed", flag, "the material meets the entropy rules; it must be False"
        )


def _parse_hex(field: str, text: object) -> bytes:
    if not isinstance(text, str):
        raise InvalidTypeError(field, text, "a hex string")
    if not _HEX.fullmatch(text):
        raise InvalidInputError(field, text, "expected a non-empty even number of hex digits")
    return bytes.fromhex(text)


def _canonical_number(field: str, value: object) -> str:
    # bool is an int subclass; True would silently become "1".
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidTypeError(field, value, "a non-negative integer or a string of digits")
    text = str(value) if isinstance(value, int) else value
    if not _DIGITS.fullmatch(text):
        raise InvalidInputError(
            field,
            value,
            "expected a non-negative integer written in decimal digits only "
            "(enter decimals in their smallest unit, e.g. 3245.67 as 324567)",
        )
    return text.lstrip("0") or "0"


def _as_tuple(values: Iterable[object]) -> tuple[Any, ...]:
    # Values are canonicalized (and type-checked) in PublicSource.__attrs_post_init__,
    # where the source's name is known for the error message.
    return tuple(values)


@attrs.frozen
class PublicSource:
    """One public random source: a name and the numbers it produced.

    ``values`` are non-negative integers (or strings of decimal digits) exactly as published;
    a decimal figure such as an index close is entered in its smallest unit (3245.67 as
    324567). The name is descriptive only and is not part of the key.

    >>> PublicSource("福利彩票双色球 2026-11-26", [9, 18, 26, 34, 41, 45]).canonical
    '9.18.26.34.41.45./'
    """

    name: str = attrs.field()
    values: tuple[str, ...] = attrs.field(converter=_as_tuple)

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[str], value: str) -> None:
        check_id(value, field="source.name")

    def __attrs_post_init__(self) -> None:
        if not self.values:
            raise InvalidInputError(f"source {self.name!r}.values", [], "must not be empty")
        canonical = tuple(
            _canonical_number(f"source {self.name!r}.values[{i}]", v)
            for i, v in enumerate(self.values)
        )
        object.__setattr__(self, "values", canonical)

    @classmethod
    def from_hex(cls, name: str, value: str) -> PublicSource:
        """Make a one-value source from a hex string (e.g. a randomness-beacon output).

        The value enters the key as its decimal integer, so that the key stays in the RFC 3797
        alphabet of digits, ``.`` and ``/``.

        >>> PublicSource.from_hex("beacon pulse 1", "ff01").values
        ('65281',)
        """
        data = _parse_hex(f"source {name!r}.hex", value)
        return cls(name, [int.from_bytes(data, "big")])

    @property
    def canonical(self) -> str:
        """Return this source's part of the key: sorted values, each + ``.``, then ``/``."""
        ordered = sorted(self.values, key=lambda s: (len(s), s))  # numeric order, no int()
        return "".join(v + "." for v in ordered) + "/"

    @property
    def significant_digits(self) -> int:
        """Number of decimal digits this source contributes (an upper bound on its entropy)."""
        return sum(len(v) for v in self.values if v != "0")


def canonical_key(sources: Iterable[PublicSource], *, secret: bytes | None = None) -> str:
    """Return the RFC 3797-style key for ``sources`` (in the given order) and an optional secret.

    The sources keep the order in which they were announced; within a source the numbers are
    sorted. A revealed secret is appended as lowercase hex followed by ``/``.

    >>> canonical_key([PublicSource("a", [9319]), PublicSource("b", [10, 2, 12, 5, 8]),
    ...                PublicSource("c", [9, 18, 26, 34, 41, 45])])
    '9319./2.5.8.10.12./9.18.26.34.41.45./'
    """
    key = "".join(source.canonical for source in sources)
    if secret is not None:
        key += secret.hex() + "/"
    return key


def commitment_for(secret: bytes) -> str:
    """Return the commitment to publish before the draw: SHA-256 over a tag and the secret.

    >>> commitment_for(bytes(range(32)))[:16]
    '11a366acf5d9795c'
    """
    return hashlib.sha256(_COMMIT_TAG + secret).hexdigest()


@attrs.frozen
class Seed:
    """The root of a draw's randomness, with the public material it was derived from.

    Build it with :meth:`from_hex`, :meth:`from_bytes` or :meth:`from_sources`; the
    attributes record how it was made so that a draw record can publish them.

    >>> sources = [PublicSource("lottery A", [9, 18, 26, 34, 41, 45]),
    ...            PublicSource("index close x100", [324567, 1187342]),
    ...            PublicSource("lottery B", [3, 1, 4, 1, 5])]
    >>> seed = Seed.from_sources(sources)
    >>> seed.key
    '9.18.26.34.41.45./324567.1187342./1.1.3.4.5./'
    >>> seed.value.hex()[:16]
    '7a255cd41d1a0334'
    """

    value: bytes
    sources: tuple[PublicSource, ...] = attrs.field(default=(), converter=tuple)
    key: str | None = None
    secret: bytes | None = None
    commitment: str | None = None
    #: True when the seed material is below the entropy rules and was accepted only because
    #: the caller passed ``allow_low_entropy=True``. It is a property of the material, so
    #: a verifier re-derives it rather than trusting it.
    low_entropy_allowed: bool = False

    def __attrs_post_init__(self) -> None:
        # A Seed cannot exist unchecked: whatever constructed it, every derived field must be
        # what the material gives, and the material must meet the entropy rules unless the
        # (recorded) override was used.
        check.boolean(self.low_entropy_allowed, "low_entropy_allowed")
        check.instance(self.value, "seed", bytes, "bytes")
        if not self.sources:
            for name in ("key", "secret", "commitment"):
                if getattr(self, name) is not None:
                    raise InvalidInputError(name, getattr(self, name), "needs public sources")
            _check_bytes_entropy("seed", self.value, self.low_entropy_allowed)
            _check_flag(self.low_entropy_allowed, _is_low_entropy(self.value))
            return
        for index, source in enumerate(self.sources):
            check.instance(source, f"sources[{index}]", PublicSource, "a PublicSource")
        names = [s.name for s in self.sources]
        for index, name in enumerate(names):
            if names.index(name) != index:
                raise InvalidInputError(f"sources[{index}].name", name, "duplicate source name")
        digits = sum(s.significant_digits for s in self.sources)
        if digits < MIN_SOURCE_DIGITS and not self.low_entropy_allowed:
            raise LowEntropySeedError(
                "sources",
                canonical_key(self.sources),
                f"contribute {digits} significant digits; at least {MIN_SOURCE_DIGITS} are "
                "required (add independent sources, or pass allow_low_entropy=True; the "
                "override is recorded)",
            )
        _check_flag(self.low_entropy_allowed, digits < MIN_SOURCE_DIGITS)
        if self.secret is not None:
            check.instance(self.secret, "secret", bytes, "bytes")
            _check_bytes_entropy("secret", self.secret, allow_low_entropy=False)
            expected = commitment_for(self.secret)
            if self.commitment != expected:
                raise InvalidInputError(
                    "commitment",
                    self.commitment,
                    f"does not match the revealed secret (its commitment is {expected})",
                )
        elif self.commitment is not None:
            raise InvalidInputError(
                "commitment", self.commitment, "was given without the secret it commits to"
            )
        key = canonical_key(self.sources, secret=self.secret)
        if self.key != key:
            raise InvalidInputError("key", self.key, f"does not match the sources ({key!r})")
        if self.value != hashlib.sha256(key.encode("ascii")).digest():
            raise InvalidInputError("seed", self.value.hex(), "is not SHA-256 of the key")

    @classmethod
    def from_bytes(cls, data: bytes, *, allow_low_entropy: bool = False) -> Seed:
        """Use ``data`` (at least 16 random bytes) as the seed.

        >>> Seed.from_bytes(bytes(range(16))).value.hex()
        '000102030405060708090a0b0c0d0e0f'
        """
        check.instance(data, "seed", bytes, "bytes")
        check.boolean(allow_low_entropy, "allow_low_entropy")
        return cls(data, low_entropy_allowed=allow_low_entropy and _is_low_entropy(data))

    @classmethod
    def from_hex(cls, text: str, *, allow_low_entropy: bool = False) -> Seed:
        """Use the bytes written in hex by ``text`` as the seed.

        >>> Seed.from_hex("2025")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        randsample.errors.LowEntropySeedError: seed: has 2 bytes; at least 16 random bytes ...
        """
        data = _parse_hex("seed", text)
        return cls.from_bytes(data, allow_low_entropy=allow_low_entropy)

    @classmethod
    def from_sources(
        cls,
        sources: Sequence[PublicSource],
        *,
        secret: bytes | None = None,
        commitment: str | None = None,
        allow_low_entropy: bool = False,
    ) -> Seed:
        """Derive the seed as SHA-256 of the canonical key of ``sources`` (and ``secret``).

        With commit-reveal, the authority publishes ``commitment_for(secret)`` before the
        sources exist and reveals ``secret`` after; pass both, and the commitment is checked.

        >>> secret = bytes.fromhex("8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4")
        >>> seed = Seed.from_sources(
        ...     [PublicSource("beacon", [int("9" * 24)])],
        ...     secret=secret, commitment=commitment_for(secret))
        >>> seed.key
        '999999999999999999999999./8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4/'
        """
        sources = check.sequence(sources, "sources", what="a list of PublicSource")
        if not sources:
            raise InvalidInputError("sources", [], "at least one public source is required")
        for index, source in enumerate(sources):
            check.instance(source, f"sources[{index}]", PublicSource, "a PublicSource")
        if secret is not None:
            check.instance(secret, "secret", bytes, "bytes")
            if commitment is None:
                commitment = commitment_for(secret)
        key = canonical_key(sources, secret=secret)
        digits = sum(s.significant_digits for s in sources)
        return cls(
            hashlib.sha256(key.encode("ascii")).digest(),
            sources=sources,
            key=key,
            secret=secret,
            commitment=commitment,
            # The flag records that the override was needed; if it was needed and not given,
            # construction refuses the material.
            low_entropy_allowed=digits < MIN_SOURCE_DIGITS and allow_low_entropy,
        )

    def subkey(self, purpose: str) -> bytes:
        """Derive the 32-byte sub-key for ``purpose`` (e.g. ``"enterprises"``).

        ``subkey = SHA-256("randsample/v1/subkey" 0x00 || lp(purpose) || lp(seed))``; keys of
        different purposes are unrelated, so one seed can serve several independent draws.

        >>> seed = Seed.from_bytes(bytes(range(16)))
        >>> seed.subkey("enterprises") != seed.subkey("inspectors")
        True
        """
        check_id(purpose, field="purpose")
        return hashlib.sha256(_SUBKEY_TAG + lp(purpose.encode("utf-8")) + lp(self.value)).digest()

    # -- serialization for draw records ------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form published in a draw record (everything needed to re-derive)."""
        return {
            "commitment": self.commitment,
            "key": self.key,
            "low_entropy_allowed": self.low_entropy_allowed,
            "secret": None if self.secret is None else self.secret.hex(),
            "sources": [{"name": s.name, "values": list(s.values)} for s in self.sources],
            "value": self.value.hex(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, field: str = "seed") -> Seed:
        """Rebuild a seed from its JSON form, re-deriving it from the sources if there are any.

        The stored ``value`` and ``key`` are *not* trusted here; :func:`randsample.verify`
        compares them with the re-derived ones.
        """
        if not isinstance(data, Mapping):
            raise RecordFormatError(field, data, "expected an object")
        allow = data.get("low_entropy_allowed", False)
        if not isinstance(allow, bool):
            raise RecordFormatError(f"{field}.low_entropy_allowed", allow, "expected a boolean")
        raw_sources = data.get("sources") or []
        if not isinstance(raw_sources, list):
            raise RecordFormatError(f"{field}.sources", raw_sources, "expected an array")
        if not raw_sources:
            return cls.from_hex(_require_str(data, "value", field), allow_low_entropy=allow)
        sources = []
        for index, item in enumerate(raw_sources):
            if not isinstance(item, Mapping):
                raise RecordFormatError(f"{field}.sources[{index}]", item, "expected an object")
            values = item.get("values")
            if not isinstance(values, list):
                raise RecordFormatError(
                    f"{field}.sources[{index}].values", values, "expected an array"
                )
            sources.append(PublicSource(_require_str(item, "name", field), values))
        secret_hex = data.get("secret")
        secret = None if secret_hex is None else _parse_hex(f"{field}.secret", secret_hex)
        return cls.from_sources(
            sources,
            secret=secret,
            commitment=data.get("commitment"),
            allow_low_entropy=allow,
        )


def _require_str(data: Mapping[str, Any], name: str, field: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise RecordFormatError(f"{field}.{name}", value, "expected a string")
    return value
