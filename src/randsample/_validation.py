"""The one argument-validation layer: every public call checks its arguments here.

Each helper returns the value in its canonical Python form or raises, and the same mistake
always raises the same error type wherever it is made (hypothesis' ``internal/validation.py``
is the model):

* a value of the wrong *kind* (a float or a bool where an integer is required, a string where
  a mapping is required) raises :class:`~randsample.errors.InvalidTypeError`;
* a value of the right kind but outside what is allowed (a negative count, a rate above 1, an
  empty label) raises :class:`~randsample.errors.InvalidInputError` or the subclass named by
  the caller (for instance :class:`~randsample.errors.SampleSizeError` for sample sizes).

Every message names the field and the value. ``bool`` is never accepted as a number: ``True``
is an ``int`` to Python, and silently reading it as 1 hides a mistake.
"""

from __future__ import annotations

import datetime
import math
import numbers
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

from .errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError

__all__ = [
    "boolean",
    "date",
    "instance",
    "integer",
    "label",
    "labels",
    "mapping",
    "one_of",
    "rate",
    "real",
    "sequence",
    "subkey",
]

_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")

_RATE_HINT = "a rate such as '3%', '0.03', '3/100', 0.03 or Fraction(3, 100)"


def integer(
    value: object,
    field: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    error: type[InvalidInputError] = InvalidInputError,
) -> int:
    """Return ``value`` as an ``int``; numpy integers are accepted, bools and floats are not.

    ``3.0`` is refused even though it is whole: a float where a count belongs is a mistake
    upstream (a division, a mean), and accepting it would hide it.

    >>> integer(3, "n"), integer(5, "n", minimum=0)
    (3, 5)
    >>> integer(3.0, "n")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: n: expected an integer, got float 3.0
    >>> integer(-1, "n", minimum=0)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: n: must be >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidTypeError(field, value, "an integer")
    number = int(value)
    if minimum is not None and number < minimum:
        raise error(field, number, f"must be >= {minimum}")
    if maximum is not None and number > maximum:
        raise error(field, number, f"must be <= {maximum}")
    return number


def real(
    value: object,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
) -> float:
    """Return a finite real number (int, float, Fraction, Decimal or numpy scalar) as a float.

    >>> real(2, "weight"), real(0.5, "weight", minimum=0)
    (2.0, 0.5)
    >>> real(float("nan"), "weight")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: weight: must be a finite number, got nan
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        raise InvalidTypeError(field, value, "a real number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInputError(field, value, "must be a finite number")
    if positive and number <= 0:
        raise InvalidInputError(field, value, "must be > 0")
    if minimum is not None and number < minimum:
        raise InvalidInputError(field, value, f"must be >= {minimum:g}")
    if maximum is not None and number > maximum:
        raise InvalidInputError(field, value, f"must be <= {maximum:g}")
    return number


def rate(value: object, field: str = "rate") -> Fraction:
    """Read a rate in [0, 1] exactly: ``"3%"``, ``"0.03"``, ``"3/100"``, Fraction, Decimal, float.

    A float is read as the shortest decimal that prints as it (``0.07`` is 7/100), i.e. as the
    number the user typed; an int must be 0 or 1.

    >>> [str(rate(v)) for v in ("3%", "0.05", "1/3", 0.07, 1, Fraction(2, 100))]
    ['3/100', '1/20', '1/3', '7/100', '1', '1/50']
    >>> rate("3 %")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: rate: expected a rate such as '3%', '0.03', \
'3/100', 0.03 or Fraction(3, 100), got '3 %'
    """
    if isinstance(value, bool):
        raise InvalidTypeError(field, value, _RATE_HINT)
    try:
        if isinstance(value, str):
            text = value
            if not text or text != text.strip() or " " in text:
                raise InvalidInputError(field, value, f"expected {_RATE_HINT}")
            number = Fraction(Decimal(text[:-1])) / 100 if text.endswith("%") else Fraction(text)
        elif isinstance(value, float):
            number = Fraction(repr(value))
        elif isinstance(value, (numbers.Rational, Decimal)):
            number = Fraction(value)
        else:
            raise InvalidTypeError(field, value, _RATE_HINT)
    except (ValueError, InvalidOperation, ZeroDivisionError):
        raise InvalidInputError(field, value, f"expected {_RATE_HINT}") from None
    if not 0 <= number <= 1:
        raise InvalidInputError(field, value, "must be in [0, 1]")
    return number


def boolean(value: object, field: str) -> bool:
    """Return ``value`` if it is a ``bool`` (numpy's ``bool_`` included); 0 and 1 are refused.

    >>> boolean(True, "partial")
    True
    >>> boolean(1, "partial")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: partial: expected True or False, got int 1
    """
    if type(value).__name__ == "bool_" or isinstance(value, bool):
        return bool(value)
    raise InvalidTypeError(field, value, "True or False")


def date(value: object, field: str) -> datetime.date:
    """Return ``value`` if it is a ``datetime.date``; a ``datetime`` is refused.

    A datetime's time of day would be silently dropped. Text and spreadsheet dates are
    converted at the edge (``randsample.files``), not here.

    >>> date(datetime.date(2026, 3, 4), "day")
    datetime.date(2026, 3, 4)
    >>> date("2026-03-04", "day")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: day: expected a datetime.date, got str '2026-03-04'
    """
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidTypeError(field, value, "a datetime.date")
    return value


def label(value: object, field: str = "id") -> str:
    """Return ``value`` if it is an acceptable identifier or label (docs/spec.md section 1).

    A non-empty ``str`` in Unicode normalization form NFC, without leading or trailing
    whitespace, made only of printable characters. Checked, never repaired: stripping or
    normalizing would change the bytes that are hashed.

    >>> label("C|餐饮", "stratum")
    'C|餐饮'
    >>> label(" 913501")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidIdentifierError: id: must not have leading or trailing \
whitespace, got ' 913501'
    """
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a str identifier")
    if not value:
        raise InvalidIdentifierError(field, value, "must not be empty")
    if value != value.strip():
        raise InvalidIdentifierError(field, value, "must not have leading or trailing whitespace")
    if not value.isprintable():
        # Rejects control, format (e.g. zero-width) and line/paragraph separator characters:
        # invisible characters would let two identifiers look the same in a published list.
        raise InvalidIdentifierError(field, value, "must contain only printable characters")
    if not unicodedata.is_normalized("NFC", value):
        raise InvalidIdentifierError(field, value, "must be in Unicode normalization form NFC")
    return value


def labels(values: object, field: str) -> frozenset[str]:
    """Return a set of labels from any iterable of labels except a bare string.

    A string is an iterable of characters; taking ``"food"`` as ``{"f", "o", "d"}`` would be a
    silent misreading, so it is refused.

    >>> sorted(labels(["food", "drugs"], "qualifications"))
    ['drugs', 'food']
    >>> labels("food", "qualifications")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: qualifications: expected a collection of labels \
(not a single string), got str 'food'
    """
    items = sequence(values, field, what="a collection of labels (not a single string)")
    return frozenset(label(item, f"{field}[{index}]") for index, item in enumerate(items))


def sequence(
    values: object,
    field: str,
    *,
    what: str = "a list or tuple",
    item: Callable[[Any, str], _T] | None = None,
) -> tuple[Any, ...]:
    """Return ``values`` as a tuple; strings, bytes and mappings are refused as sequences.

    ``item(value, field)``, if given, checks and converts each element.

    >>> sequence([1, 2], "counts", item=integer)
    (1, 2)
    >>> sequence({"a": 1}, "counts")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: counts: expected a list or tuple, got dict {'a': 1}
    """
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InvalidTypeError(field, values, what)
    items = tuple(values)
    if item is None:
        return items
    return tuple(item(value, f"{field}[{index}]") for index, value in enumerate(items))


def mapping(
    value: object,
    field: str,
    *,
    key: Callable[[Any, str], _K] | None = None,
    item: Callable[[Any, str], _V] | None = None,
    what: str = "a mapping",
) -> dict[Any, Any]:
    """Return ``value`` as a new dict, checking keys with ``key`` and values with ``item``.

    Key errors are reported as ``field (key)``, value errors as ``field[key]``.

    >>> mapping({"A": 3}, "sizes", key=label, item=integer)
    {'A': 3}
    >>> mapping({"A": 2.5}, "sizes", key=label, item=integer)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: sizes['A']: expected an integer, got float 2.5
    """
    if not isinstance(value, Mapping):
        raise InvalidTypeError(field, value, what)
    out: dict[Any, Any] = {}
    for k, v in value.items():
        checked_key = k if key is None else key(k, f"{field} (key)")
        out[checked_key] = v if item is None else item(v, f"{field}[{k!r}]")
    return out


def instance(value: object, field: str, kind: type[_T], expected: str | None = None) -> _T:
    """Return ``value`` if it is an instance of ``kind``, else raise InvalidTypeError.

    >>> instance(3, "n", int)
    3
    >>> instance("3", "n", int, "an integer")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: n: expected an integer, got str '3'
    """
    if not isinstance(value, kind):
        raise InvalidTypeError(field, value, expected or f"a {kind.__name__}")
    return value


def one_of(value: object, field: str, choices: Iterable[_T]) -> _T:
    """Return ``value`` if it is one of ``choices`` (compared with ``==``), else raise.

    >>> one_of("floor", "rounding", ("ceiling", "floor"))
    'floor'
    >>> one_of("up", "rounding", ("ceiling", "floor"))
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: rounding: must be one of 'ceiling', 'floor', got 'up'
    """
    options = tuple(choices)
    for option in options:
        if type(value) is type(option) and value == option:
            return option
    raise InvalidInputError(field, value, f"must be one of {', '.join(map(repr, options))}")


def subkey(value: object, field: str = "subkey") -> bytes:
    """Return ``value`` if it is a 32-byte sub-key (from ``Seed.subkey``).

    >>> len(subkey(bytes(32)))
    32
    >>> subkey(bytes(16))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: subkey: must be exactly 32 bytes, got '0000...'
    """
    if not isinstance(value, bytes):
        raise InvalidTypeError(field, value, "32 bytes (from Seed.subkey)")
    if len(value) != 32:
        raise InvalidInputError(field, value.hex(), "must be exactly 32 bytes")
    return value
