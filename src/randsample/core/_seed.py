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

A secret comes from :meth:`Seed.new_secret` (the operating system's CSPRNG, the only OS
randomness in the library). A secret that looks chosen by a person (:func:`secret_weakness`)
and sources whose values carry fewer than 20 entropy digits (:func:`entropy_digits`) are
refused when a seed is made, unless the caller overrides; verifiers do not refuse them (the
v1 rules of section 2.4 are frozen) but say so in the verdict (spec section 15).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, LowEntropySeedError, RecordFormatError
from ._encoding import lp
from ._entropy import MIN_DISTINCT_BYTES, MIN_SEED_BYTES, secret_weakness
from ._identifiers import check_id
from ._sources import (
    MAX_SOURCE_VALUE_DIGITS,
    MIN_SOURCE_DIGITS,
    PublicSource,
    canonical_key,
    entropy_digits,
    parse_hex,
)

__all__ = [
    "MAX_SOURCE_VALUE_DIGITS",
    "MIN_SEED_BYTES",
    "MIN_SOURCE_DIGITS",
    "PURPOSE_ENTERPRISES",
    "PURPOSE_INSPECTORS",
    "SECRET_BYTES",
    "PublicSource",
    "Seed",
    "canonical_key",
    "commitment_for",
    "entropy_digits",
    "secret_weakness",
]

#: Sub-key purpose for drawing enterprises (the first "random").
PURPOSE_ENTERPRISES = "enterprises"
#: Sub-key purpose for drawing inspectors (the second "random").
PURPOSE_INSPECTORS = "inspectors"

_MIN_DISTINCT_BYTES = MIN_DISTINCT_BYTES

#: Bytes of a secret made by :meth:`Seed.new_secret` (256 bits).
SECRET_BYTES = 32
_SUBKEY_TAG = b"randsample/v1/subkey\x00"
_COMMIT_TAG = b"randsample/v1/commitment\x00"


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

    @staticmethod
    def new_secret() -> bytes:
        """Return a new 32-byte secret from the operating system's CSPRNG.

        This is the only place the library reads OS randomness. Keep the secret private, put
        its commitment (:func:`commitment_for`) in the announcement before the sources are
        published, and reveal it in the draw.

        >>> secret = Seed.new_secret()
        >>> len(secret), secret_weakness(secret)
        (32, None)
        """
        while True:  # a weak-looking draw has probability < 1e-12; redraw rather than refuse
            secret = secrets.token_bytes(SECRET_BYTES)
            if secret_weakness(secret) is None:
                return secret

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
        data = parse_hex("seed", text)
        return cls.from_bytes(data, allow_low_entropy=allow_low_entropy)

    @classmethod
    def from_sources(
        cls,
        sources: Sequence[PublicSource],
        *,
        secret: bytes | None = None,
        commitment: str | None = None,
        allow_low_entropy: bool = False,
        allow_weak_secret: bool = False,
    ) -> Seed:
        """Derive the seed as SHA-256 of the canonical key of ``sources`` (and ``secret``).

        With commit-reveal, the authority publishes ``commitment_for(secret)`` before the
        sources exist and reveals ``secret`` after; pass both, and the commitment is checked.

        Sources with fewer than 20 entropy digits (:func:`entropy_digits`) are refused unless
        ``allow_low_entropy``; a secret that looks chosen (:func:`secret_weakness`) unless
        ``allow_weak_secret``. Make secrets with :meth:`new_secret`. Every verdict on the
        record says when either override was needed.

        >>> secret = bytes.fromhex("8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4")
        >>> seed = Seed.from_sources(
        ...     [PublicSource.from_hex("beacon pulse 1", "6c4f1d0e2a9b3c5d7e8f90a1b2c3d4e5")],
        ...     secret=secret, commitment=commitment_for(secret))
        >>> seed.key
        '143967404308853985735600690737021441253./8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4/'
        """
        sources = check.sequence(sources, "sources", what="a list of PublicSource")
        if not sources:
            raise InvalidInputError("sources", [], "at least one public source is required")
        for index, source in enumerate(sources):
            check.instance(source, f"sources[{index}]", PublicSource, "a PublicSource")
        check.boolean(allow_low_entropy, "allow_low_entropy")
        check.boolean(allow_weak_secret, "allow_weak_secret")
        if secret is not None:
            check.instance(secret, "secret", bytes, "bytes")
            weakness = secret_weakness(secret)
            if weakness is not None and not allow_weak_secret and not _is_low_entropy(secret):
                raise LowEntropySeedError(
                    "secret",
                    secret.hex(),
                    f"looks chosen, not drawn: {weakness}; make secrets with "
                    "Seed.new_secret() (or pass allow_weak_secret=True; verdicts say so)",
                )
            if commitment is None:
                commitment = commitment_for(secret)
        entropy = entropy_digits(sources)
        v1_digits = sum(source.significant_digits for source in sources)
        if entropy < MIN_SOURCE_DIGITS <= v1_digits and not allow_low_entropy:
            # Below the v1 count, the v1 rule itself refuses (in _derive), with its message.
            raise LowEntropySeedError(
                "sources",
                canonical_key(sources),
                f"carry {entropy} entropy digits (a run of four or more equal digits counts "
                f"as one); at least {MIN_SOURCE_DIGITS} are required (add independent "
                "sources, or pass allow_low_entropy=True; verdicts say so)",
            )
        return cls._derive(sources, secret, commitment, allow_low_entropy)

    @classmethod
    def _derive(
        cls,
        sources: tuple[Any, ...],  # PublicSource; Any for the attrs converter's typing
        secret: bytes | None,
        commitment: str | None,
        allow_low_entropy: bool,
    ) -> Seed:
        # The v1 derivation (sections 2.2-2.4) with the v1 rules only: what a verifier re-runs.
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
        secret = None if secret_hex is None else parse_hex(f"{field}.secret", secret_hex)
        commitment = data.get("commitment")
        if secret is not None and commitment is None:
            commitment = commitment_for(secret)
        # The v1 rules only: a record with weak material re-derives; verdicts say it is weak.
        return cls._derive(tuple(sources), secret, commitment, allow)


def _require_str(data: Mapping[str, Any], name: str, field: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise RecordFormatError(f"{field}.{name}", value, "expected a string")
    return value
