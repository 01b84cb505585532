"""Strict record values: every format of ``docs/spec.md`` checked when a record is read.

The schema (``_schema.py``) fixes the fields and their JSON types; this module fixes their
*values*: labels (spec section 1), timestamps, lowercase hex of the right length, canonical
decimal source values, reduced fractions, non-negative counts, the ``library`` object, and the
seed's shape (a raw seed carries no key, secret or commitment). A record breaking any of these
is malformed (:class:`~randsample.errors.RecordFormatError`, exit code 2 in the CLI), never
"verified" and never repaired. What needs re-computation (digests, the seed, the selection) is
left to the verifiers.

It also holds the one strict JSON reader of the library (:func:`parse_json`), with the limits
that keep a hostile file from exhausting the parser (spec section 16.5).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError, RecordFormatError
from ._schema import MAX_STRING_LENGTH as _SCHEMA_MAX_STRING

__all__ = [
    "MAX_INPUT_INTEGER_DIGITS",
    "MAX_JSON_DEPTH",
    "MAX_STRING_LENGTH",
    "check_count",
    "check_fraction",
    "check_hex",
    "check_label",
    "check_labels",
    "check_library",
    "check_seed_values",
    "check_timestamp",
    "parse_json",
    "plain_label_text",
    "plain_labels",
]

#: Deepest nesting of arrays and objects any JSON file randsample reads may have.
MAX_JSON_DEPTH = 32
#: Longest string (in characters) a record or input file may hold.
MAX_STRING_LENGTH = _SCHEMA_MAX_STRING
#: Longest integer (in digits) an input file may hold; records hold at most 16 (2**53 - 1).
MAX_INPUT_INTEGER_DIGITS = 1_000
#: Longest integer (in digits, without sign) a record may hold: 2**53 - 1 has 16.
_MAX_RECORD_INTEGER_DIGITS = 16

_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HEX = re.compile(r"(?:[0-9a-f]{2})+")
_DIGITS = re.compile(r"0|[1-9][0-9]*")
_FRACTION = re.compile(r"(0|1|[1-9][0-9]*/[1-9][0-9]*)")
# PEP 440 public version with an optional local part, in its normalized spelling.
_PEP440 = re.compile(
    r"(?:[1-9][0-9]*!)?(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*"
    r"(?:(?:a|b|rc)(?:0|[1-9][0-9]*))?(?:\.post(?:0|[1-9][0-9]*))?(?:\.dev(?:0|[1-9][0-9]*))?"
    r"(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?"
)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def check_label(value: Any, field: str) -> str:
    """Refuse a value that is not a label of spec section 1 (checked, never repaired).

    >>> check_label("清河县市场监管局", "authority")
    '清河县市场监管局'
    >>> check_label("2026-001 ", "draw_id")
    Traceback (most recent call last):
    ...
    randsample.errors.RecordFormatError: draw_id: is not a label (leading or trailing \
whitespace), got '2026-001 '
    """
    problem = _label_problem(value)
    if problem is not None:
        raise RecordFormatError(field, value, f"is not a label ({problem})")
    return str(value)


def _label_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "not a string"
    if not value:
        return "empty"
    if value != value.strip():
        return "leading or trailing whitespace"
    if value.isascii():
        return None if value.isprintable() else "a control character"
    for char in value:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES or (category == "Zs" and char != " "):
            return f"U+{ord(char):04X} of category {category}"
    return None if unicodedata.is_normalized("NFC", value) else "not in Unicode NFC"


def check_labels(values: Iterable[Any], field: str) -> None:
    """Check every label of ``values`` (``field[i]`` names the first bad one)."""
    values = values if isinstance(values, (list, tuple)) else list(values)
    if plain_labels(values):
        return
    for index, value in enumerate(values):
        # Fast path: printable ASCII without edge spaces is a label.
        if not (
            type(value) is str
            and value.isascii()
            and value.isprintable()
            and value
            and value[0] != " "
            and value[-1] != " "
        ):
            check_label(value, f"{field}[{index}]")


def plain_labels(values: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every value is a label (:func:`check_label` accepts each), checked in C.

    Checked on the joined text: ``str.isprintable`` is false exactly for the characters of the
    categories a label may not hold (Cc, Cf, Cs, Co, Cn, Zl, Zp, and Zs but the space), so
    the only whitespace left to look for at a value's ends is the space; NFC is checked on the
    values joined by a newline, a starter that composes with nothing and so normalizes each
    value apart. False means "check each one" (:func:`check_label` names the problem).
    """
    if not values:
        return True
    if set(map(type, values)) != {str} or not min(map(len, values)):
        return False
    return plain_label_text(values)


def plain_label_text(values: list[str] | tuple[str, ...]) -> bool:
    """:func:`plain_labels` of non-empty ``str`` values (their types and lengths known).

    >>> plain_label_text(["e1", "统一"]), plain_label_text(["e1", "a "])
    (True, False)
    >>> plain_label_text(["e\u0301"]), plain_label_text(["\u00e9"])  # NFC: é is one character
    (False, True)
    """
    if not values:
        return True
    joined = "\n".join(values)  # "\n" is in no printable value: it marks the ends
    return (
        "".join(values).isprintable()
        and joined[0] != " "
        and joined[-1] != " "
        and "\n " not in joined
        and " \n" not in joined
        and (joined.isascii() or unicodedata.is_normalized("NFC", joined))
    )


def check_timestamp(value: Any, field: str = "timestamp") -> str:
    """Refuse a timestamp that is not ``YYYY-MM-DDTHH:MM:SSZ``, a real UTC date and time.

    >>> check_timestamp("2026-11-27 02:00:00Z")
    Traceback (most recent call last):
    ...
    randsample.errors.RecordFormatError: timestamp: expected YYYY-MM-DDTHH:MM:SSZ \
(UTC, a real date and time), got '2026-11-27 02:00:00Z'
    """
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        try:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            pass
        else:
            return value
    raise RecordFormatError(
        field, value, "expected YYYY-MM-DDTHH:MM:SSZ (UTC, a real date and time)"
    )


def check_hex(value: Any, field: str, *, length: int | None = None) -> str:
    """Refuse a value that is not non-empty lowercase hex (of ``length`` bytes, if given)."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise RecordFormatError(field, value, "expected lowercase hexadecimal (pairs of 0-9a-f)")
    if length is not None and len(value) != 2 * length:
        raise RecordFormatError(field, value, f"expected {2 * length} hex digits")
    return value


def check_count(value: Any, field: str, *, minimum: int = 0) -> int:
    """Refuse an integer count below ``minimum`` (the schema already refused non-integers)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RecordFormatError(field, value, f"expected an integer >= {minimum}")
    return value


def check_fraction(value: Any, field: str, *, zero: bool = True) -> Fraction:
    """Refuse a probability that is not ``"0"``, ``"1"`` or a reduced ``"p/q"`` with p < q.

    >>> check_fraction("7/135", "p")
    Fraction(7, 135)
    >>> check_fraction("2/4", "p")
    Traceback (most recent call last):
    ...
    randsample.errors.RecordFormatError: p: expected "0", "1" or a reduced fraction "p/q" \
with 0 < p < q, got '2/4'
    """
    expected = 'expected "0", "1" or a reduced fraction "p/q" with 0 < p < q'
    if (
        not isinstance(value, str)
        or len(value) > MAX_STRING_LENGTH
        or not _FRACTION.fullmatch(value)
    ):
        raise RecordFormatError(field, value, expected)
    number = Fraction(value)
    if str(number) != value or number > 1 or (number == 0 and not zero):
        raise RecordFormatError(field, value, expected)
    return number


def check_library(library: dict[str, Any]) -> None:
    """Refuse a ``library`` object that is not randsample with a PEP 440 version."""
    if library["name"] != "randsample":
        raise RecordFormatError("library.name", library["name"], "expected 'randsample'")
    if not _PEP440.fullmatch(library["version"]):
        raise RecordFormatError(
            "library.version", library["version"], "expected a normalized PEP 440 version"
        )


def check_seed_values(seed: dict[str, Any], field: str = "seed") -> None:
    """Check the published seed's shape and formats (spec sections 2 and 6.2).

    A raw seed (no sources) has a null key, secret and commitment; a seed from sources has a
    key, canonical digit strings as values (``"7"``, never ``"07"``) and a secret exactly when
    it has a commitment. Whether the values re-derive is the verifier's business.
    """
    check_hex(seed["value"], f"{field}.value")
    sources = seed["sources"]
    if not sources:
        for name in ("key", "secret", "commitment"):
            if seed[name] is not None:
                raise RecordFormatError(
                    f"{field}.{name}", seed[name], "must be null for a raw seed (no sources)"
                )
        return
    if not isinstance(seed["key"], str):
        raise RecordFormatError(f"{field}.key", seed["key"], "expected the key of the sources")
    for index, source in enumerate(sources):
        where = f"{field}.sources[{index}]"
        check_label(source["name"], f"{where}.name")
        if not source["values"]:
            raise RecordFormatError(f"{where}.values", [], "expected at least one value")
        for number, value in enumerate(source["values"]):
            if len(value) > MAX_STRING_LENGTH or not _DIGITS.fullmatch(value):
                raise RecordFormatError(
                    f"{where}.values[{number}]",
                    value,
                    "expected a canonical decimal string (digits 0-9, no leading zeros)",
                )
    if (seed["secret"] is None) != (seed["commitment"] is None):
        raise RecordFormatError(
            f"{field}.commitment",
            seed["commitment"],
            "a secret and its commitment are both given or both null",
        )
    if seed["secret"] is not None:
        check_hex(seed["secret"], f"{field}.secret")
        check_hex(seed["commitment"], f"{field}.commitment", length=32)


# -- the strict JSON reader ---------------------------------------------------------------------


def _depth(text: str) -> int:
    # Strings can hold brackets: blank them first, then count the brackets left.
    brackets = _NOT_BRACKET.sub("", _STRING.sub('""', text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _pairs(error: Callable[[str, Any, str], Exception]) -> Callable[[list[tuple[str, Any]]], Any]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json.loads keeps the last of two equal keys; another reader may keep the first. A
        # file that reads differently in different tools must be refused, not interpreted.
        result = dict(pairs)
        if len(result) != len(pairs):
            keys = [key for key, _ in pairs]
            duplicate = next(key for key in keys if keys.count(key) > 1)
            raise error("record", duplicate, "has a duplicate key in one object")
        return result

    return hook


def parse_json(
    text: str | bytes,
    *,
    field: str = "record",
    record: bool = True,
) -> Any:
    """Parse JSON strictly, within the limits of spec section 16.5; raise a typed error.

    Refused: invalid JSON or UTF-8, an object with two equal keys, a non-integer number
    (``1.5``, ``NaN``), nesting deeper than :data:`MAX_JSON_DEPTH`, a string longer than
    :data:`MAX_STRING_LENGTH`, and an integer longer than 16 digits in a record
    (:data:`MAX_INPUT_INTEGER_DIGITS` in an input file). ``record`` picks the error type
    (:class:`RecordFormatError` for records, :class:`InvalidInputError` naming ``field``
    for input files) and the integer limit. No ``RecursionError`` or ``ValueError`` escapes.

    >>> parse_json('{"a": [1, "x"]}')
    {'a': [1, 'x']}
    >>> parse_json('[' * 40 + ']' * 40, field="seed.json", record=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: seed.json: is nested deeper than 32 levels...
    """
    error: Callable[[str, Any, str], Exception] = RecordFormatError if record else InvalidInputError
    digits = _MAX_RECORD_INTEGER_DIGITS if record else MAX_INPUT_INTEGER_DIGITS
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(field, text[exc.start : exc.start + 4], "is not valid UTF-8 text") from None
    elif not isinstance(text, str):
        raise error(field, type(text).__name__, "expected JSON text")
    text = text.removeprefix("\ufeff")
    # A record's schema bounds its nesting and checks its strings (and json.loads' own
    # RecursionError is caught below); an input file is scanned before it is parsed.
    if not record and _depth(text) > MAX_JSON_DEPTH:
        raise error(field, _shorten(text), f"is nested deeper than {MAX_JSON_DEPTH} levels")

    def integer(token: str) -> int:
        if len(token.lstrip("-")) > digits:
            raise error(field, _shorten(token), f"has an integer longer than {digits} digits")
        return int(token)

    def refuse_float(token: str) -> Any:
        raise error(field, token, "contains a non-integer number; only integers are exact")

    try:
        value = json.loads(
            text,
            parse_int=integer,
            parse_float=refuse_float,
            parse_constant=refuse_float,
            object_pairs_hook=_pairs(error),
        )
    except (json.JSONDecodeError, RecursionError) as exc:
        raise error(field, _shorten(text), f"is not valid JSON ({exc})") from None
    if not record:
        _check_strings(value, field, error)
    return value


def _check_strings(value: Any, field: str, error: Callable[[str, Any, str], Exception]) -> None:
    # Iterative (nesting is bounded already, but no recursion is needed at all).
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_STRING_LENGTH:
                raise error(
                    field, _shorten(item), f"has a string over {MAX_STRING_LENGTH} characters"
                )
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
