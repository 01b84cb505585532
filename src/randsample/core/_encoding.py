"""Byte-exact encodings shared by seeds, tickets, digests and draw records.

Everything that is hashed is built from three primitives, all specified in ``docs/spec.md``:

* ``lp(b)``: a 4-byte big-endian unsigned length followed by the bytes ``b``;
* UTF-8 text exactly as given (identifiers must already be NFC; nothing is normalized here);
* canonical JSON: RFC 8785 (JCS) restricted to objects with ASCII keys, arrays, strings,
  integers in the IEEE-754 safe range, booleans and null. Floats are refused, so every
  number round-trips exactly in any language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..errors import InvalidInputError, InvalidTypeError
from ._rows import RowColumns, columns_of, row_columns

__all__ = ["canonical_json", "lp", "row_columns", "sha256_hex"]

#: Largest integer canonical JSON may carry: beyond it a JavaScript reader loses digits.
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_FIELD = 2**32 - 1


def lp(data: bytes) -> bytes:
    """Return ``data`` prefixed by its length as a 4-byte big-endian unsigned integer.

    >>> lp(b"abc").hex()
    '00000003616263'
    """
    if len(data) > _MAX_FIELD:
        raise InvalidInputError("field length", len(data), f"must be at most {_MAX_FIELD} bytes")
    return len(data).to_bytes(4, "big") + data


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 digest of ``data``.

    >>> sha256_hex(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


#: Rows from this many on are checked a column at a time by :func:`_valid`.
_BULK_ROWS = 64


def _valid_rows(rows: list[Any]) -> bool | None:
    # _valid of uniform rows of strings, ints and nulls, a column at a time; None when the
    # rows are not such (the item-by-item walk then decides).
    columns = row_columns(rows)
    if not columns or not all(type(key) is str and key.isascii() for key in columns):
        return None
    for column in columns.values():
        kinds = set(map(type, column))
        if not kinds <= {str, int, type(None)}:
            return None
        if str in kinds:
            text = "".join(v for v in column if type(v) is str) if len(kinds) > 1 else None
            joined = "".join(column) if text is None else text
            # A lone surrogate anywhere stays one in the joined text, and fails to encode.
            if not (joined.isascii() or _encodable(joined)):
                return False
        if int in kinds:
            numbers = [v for v in column if type(v) is int] if len(kinds) > 1 else column
            if not -MAX_SAFE_INTEGER <= min(numbers) <= max(numbers) <= MAX_SAFE_INTEGER:
                return False
    return True


def _valid(value: Any) -> bool:
    # The fast walk: no path strings are built unless something is wrong. Strings and ints,
    # the leaves of almost every record, are checked in place rather than by a call each (a
    # 50k-unit selection has a quarter of a million leaves), and long lists of uniform rows
    # a column at a time.
    kind = type(value)
    if kind is list and len(value) >= _BULK_ROWS:
        bulk = _valid_rows(value)
        if bulk is not None:
            return bulk
    if kind is dict:
        for key in value:
            if type(key) is not str or not key.isascii():
                return False
        return _valid_items(value.values())
    if kind is list or kind is tuple:
        return _valid_items(value)
    return _valid_leaf(value)


def _valid_items(items: Iterable[Any]) -> bool:
    for item in items:
        kind = type(item)
        if kind is str:
            if not (item.isascii() or _encodable(item)):
                return False
        elif kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                return False
        elif not _valid(item):
            return False
    return True


def _valid_leaf(value: Any) -> bool:
    if type(value) is str:
        return value.isascii() or _encodable(value)
    if value is None or type(value) is bool:
        return True
    if type(value) is int:
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    return False  # anything else (subclasses included) gets the careful walk


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check(value: Any, path: str) -> None:
    # Walk the value once so that a float or a stray type deep inside a record is reported
    # with its path, instead of json.dumps either accepting it or failing without context.
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInputError(
                path, value, "contains a lone surrogate (not valid UTF-8)"
            ) from None
        return
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise InvalidInputError(path, value, "integer outside the exact JSON range ±(2**53-1)")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise InvalidInputError(path, key, "object keys must be ASCII strings")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, float):
        raise InvalidTypeError(
            path, value, "an integer or an exact string (floats are not canonical)"
        )
    raise InvalidTypeError(path, value, "a JSON value (object, array, string, integer, bool, null)")


def canonical_json(value: Any, *, field: str = "record") -> bytes:
    """Serialize ``value`` as canonical JSON (UTF-8 bytes, sorted keys, no spaces).

    >>> canonical_json({"b": 1, "a": ["统一", None]}).decode()
    '{"a":["统一",null],"b":1}'
    """
    return canonical_text(value, field=field).encode("utf-8")


def canonical_text(value: Any, *, field: str = "record", columns: RowColumns | None = None) -> str:
    """Return the canonical JSON of ``value`` as text (:func:`canonical_json` before encoding).

    ``columns`` is internal (a record's checks share the columns they find): leave it None.

    >>> canonical_text({"b": 1, "a": ["统一", None]})
    '{"a":["统一",null],"b":1}'
    """
    pieces = _pieces(value, columns_of(columns))
    if pieces is not None:
        return "".join(_texts(pieces))
    if not _valid(value):
        _check(value, field)  # walks again, with paths, to raise the precise error
    return _dumps(value)


def _dumps(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


#: Characters of canonical text encoded and hashed at a time by :func:`canonical_digest`.
_DIGEST_CHUNK = 1 << 22


def canonical_digest(
    value: Any, *, field: str = "record", columns: RowColumns | None = None
) -> str:
    """Return ``sha256_hex(canonical_json(value))`` without holding the whole UTF-8 copy.

    The text is encoded a slice at a time (UTF-8 encodes each character alone, so the bytes
    hashed are those of the whole): a record of half a million units needs no second copy of
    its hundred megabytes of JSON to be hashed. ``columns`` as for :func:`canonical_text`.

    >>> canonical_digest({"a": "统一"}) == sha256_hex(canonical_json({"a": "统一"}))
    True
    """
    columns = columns_of(columns)
    pieces = _pieces(value, columns)
    if pieces is None:
        whole = canonical_text(value, field=field, columns=columns)
        step = _DIGEST_CHUNK
        pieces = (whole[start : start + step] for start in range(0, len(whole), step))
    hasher = hashlib.sha256()
    for text in _texts(pieces):
        hasher.update(text.encode("utf-8"))
    return hasher.hexdigest()


# -- the fast path for large lists of uniform rows --------------------------------------------
# json.dumps walks half a million row dicts one value at a time, sorting each row's keys. When
# the rows share one set of keys and every value is written as it is (a string needing no
# escape, an integer in the exact range), the text of the rows is their columns interleaved with
# constant separators, joined in C. The fast path only ever says "these exact pieces": whatever
# it does not certainly cover goes to json.dumps and the checks above, which name the problem.
#: UTF-8 bytes a JSON string cannot hold as they are (JCS escapes them): controls, '"', '\\'.
#: UTF-8 encodes no other character with such a byte, so a column's joined UTF-8 text without
#: them has no value that json.dumps (ensure_ascii=False) would escape.
_ESCAPED = bytes(range(0x20)) + b'"\\'
#: Rows joined (and hashed) at a time.
_CHUNK_ROWS = 1 << 14


class _Rows:
    # The canonical text of a list of rows, from its columns' texts and constant separators.
    __slots__ = ("count", "first", "heads", "tail", "texts")

    def __init__(self, keys: list[str], texts: list[list[str]], quoted: list[bool]) -> None:
        opens = [_dumps(key) + (':"' if q else ":") for key, q in zip(keys, quoted, strict=True)]
        closes = ['"' if q else "" for q in quoted]
        self.count = len(texts[0])
        self.texts = texts
        self.first = "[{" + opens[0]
        pairs = zip(closes[:-1], opens[1:], strict=True)
        self.heads = [closes[-1] + "},{" + opens[0]] + [end + "," + key for end, key in pairs]
        self.tail = closes[-1] + "}]"

    def chunks(self) -> Iterator[str]:
        step = 2 * len(self.texts)
        for start in range(0, self.count, _CHUNK_ROWS):
            size = min(self.count - start, _CHUNK_ROWS)
            parts = [""] * (step * size)
            for index, (head, texts) in enumerate(zip(self.heads, self.texts, strict=True)):
                parts[2 * index :: step] = [head] * size
                parts[2 * index + 1 :: step] = texts[start : start + size]
            if not start:
                parts[0] = self.first
            yield "".join(parts)
        yield self.tail


def _plain_column(column: list[Any], kinds: frozenset[type]) -> tuple[bool, list[str]] | None:
    # (quoted, texts) of a column whose values are all written as they are: strings of valid
    # UTF-8 needing no escape, or integers in the exact range. None for anything else.
    if kinds == {str}:
        try:
            data = "".join(column).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
        if len(data.translate(None, _ESCAPED)) != len(data):
            return None
        return True, column
    if kinds == {int} and -MAX_SAFE_INTEGER <= min(column) and max(column) <= MAX_SAFE_INTEGER:
        return False, list(map(int.__repr__, column))
    return None


def _plain_rows(rows: list[Any], columns: RowColumns) -> _Rows | None:
    table, kinds = columns(rows), columns.kinds(rows)
    if not table or kinds is None or not all(key.isascii() for key in table):
        return None
    keys = sorted(table)
    texts, quoted = [], []
    for key in keys:
        plain = _plain_column(table[key], kinds[key])
        if plain is None:
            return None
        quoted.append(plain[0])
        texts.append(plain[1])
    return _Rows(keys, texts, quoted)


def _pieces(value: Any, columns: RowColumns) -> Iterable[str | _Rows] | None:
    # The canonical text of a valid ``value`` as texts and rows, if it is (or is an object
    # holding) a large list of plain rows; None otherwise (the general path then runs).
    if type(value) is list:
        rows = _plain_rows(value, columns) if len(value) >= _BULK_ROWS else None
        return None if rows is None else [rows]
    if (
        type(value) is not dict
        or not any(type(item) is list and len(item) >= _BULK_ROWS for item in value.values())
        or not all(type(key) is str and key.isascii() for key in value)
    ):
        return None  # small values (almost all) go straight to json.dumps
    pieces: list[str | _Rows] = []
    text = "{"
    for number, key in enumerate(sorted(value)):
        text += ("," if number else "") + _dumps(key) + ":"
        item = value[key]
        big = type(item) is list and len(item) >= _BULK_ROWS
        if big and (rows := _plain_rows(item, columns)) is not None:
            pieces += [text, rows]
            text = ""
        elif _valid(item):
            text += _dumps(item)
        else:
            return None
    pieces.append(text + "}")
    return pieces


def _texts(pieces: Iterable[str | _Rows]) -> Iterator[str]:
    for piece in pieces:
        if isinstance(piece, str):
            yield piece
        else:
            yield from piece.chunks()
