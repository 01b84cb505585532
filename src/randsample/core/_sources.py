"""Public random sources (RFC 3797 style) and the key they make (``docs/spec.md`` 2.2, 15.3).

A :class:`PublicSource` is a name and the numbers it produced (lottery numbers, an index close
in its smallest unit, a beacon value as a decimal integer); :func:`canonical_key` joins the
sources in their announced order; :func:`entropy_digits` bounds what they can carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ._entropy import value_entropy_digits
from ._identifiers import check_id

__all__ = [
    "MAX_SOURCE_VALUE_DIGITS",
    "MIN_SOURCE_DIGITS",
    "PublicSource",
    "canonical_key",
    "entropy_digits",
    "parse_hex",
]

#: Public sources must contribute at least this many significant decimal digits in total.
#: 20 digits carry at most ~66 bits; a single 6-of-49 lottery carries ~24 bits in 11 digits,
#: so one lottery alone is refused and several independent sources are needed.
MIN_SOURCE_DIGITS = 20
#: Longest source value, in decimal digits (a 512-bit beacon value has 155).
MAX_SOURCE_VALUE_DIGITS = 1_000

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def parse_hex(field: str, text: object) -> bytes:
    if not isinstance(text, str):
        raise InvalidTypeError(field, text, "a hex string")
    if not _HEX.fullmatch(text):
        raise InvalidInputError(field, text, "expected a non-empty even number of hex digits")
    return bytes.fromhex(text)


def _canonical_number(field: str, value: object) -> str:
    # bool is an int subclass; True would silently become "1".
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidTypeError(field, value, "a non-negative integer or a string of digits")
    if isinstance(value, int) and value.bit_length() > 10 * MAX_SOURCE_VALUE_DIGITS // 3:
        raise InvalidInputError(field, "an integer", f"has over {MAX_SOURCE_VALUE_DIGITS} digits")
    text = str(value) if isinstance(value, int) else value
    if len(text) > MAX_SOURCE_VALUE_DIGITS:
        raise InvalidInputError(
            field, text[:20] + "...", f"has over {MAX_SOURCE_VALUE_DIGITS} digits"
        )
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
        data = parse_hex(f"source {name!r}.hex", value)
        if len(data) > MAX_SOURCE_VALUE_DIGITS // 3:  # 333 bytes have at most 803 digits
            raise InvalidInputError(
                f"source {name!r}.hex", value[:20] + "...", "is longer than 333 bytes"
            )
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


def entropy_digits(sources: Iterable[PublicSource]) -> int:
    """Count the decimal digits of entropy the sources can carry at most (spec 15.3).

    Like the v1 count of section 2.4 (every digit of every value, a repeated value each time,
    ``0`` nothing), except that within a value every run of four or more equal digits counts
    as one digit: ``10000000000000000000`` carries 2, not 20.

    >>> entropy_digits([PublicSource("typed", ["10000000000000000000"])])
    2
    >>> entropy_digits([PublicSource("lottery", [3, 11, 19, 24, 30, 33]),
    ...                 PublicSource("index close x100", [324567, 1187342])])
    24
    """
    values: list[str] = []
    for index, source in enumerate(sources):
        check.instance(source, f"sources[{index}]", PublicSource, "a PublicSource")
        values.extend(source.values)
    return value_entropy_digits(values)
