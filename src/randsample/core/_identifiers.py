"""Unit identifiers: the strings that tickets are computed from.

Identifiers are opaque strings. They are checked, never repaired: a value with surrounding
whitespace, an empty string, a non-NFC string or a duplicate is an error, because silently
stripping or normalizing it would change the bytes that are hashed and so the draw.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .._validation import label
from ..errors import InvalidIdentifierError

__all__ = ["check_id", "check_ids"]


def check_id(value: object, *, field: str = "id") -> str:
    """Return ``value`` if it is an acceptable unit identifier, else raise.

    An identifier is a non-empty ``str`` in Unicode normalization form NFC, without leading or
    trailing whitespace, made only of printable characters (``str.isprintable``).

    >>> check_id("91350100M000100Y43")
    '91350100M000100Y43'
    >>> check_id(" 913501")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidIdentifierError: id: must not have ... whitespace, got ' 913501'
    """
    return label(value, field)


def check_ids(values: Iterable[object], *, field: str = "ids") -> list[str]:
    """Check every identifier and that none repeats; return them as a list.

    The rules are those of :func:`check_id`. For speed on millions of ids the checks run in
    bulk (C-level passes over the joined ids); only when one fails is the offending id
    located and reported by :func:`check_id`.

    >>> check_ids(["a", "b"])
    ['a', 'b']
    >>> check_ids(["a", "b", "a"])
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidIdentifierError: ids[2]: duplicate of ids[0], got 'a'
    """
    out = values if type(values) is list else list(values)
    if not out:
        raise InvalidIdentifierError(field, [], "must contain at least one identifier")
    types = set(map(type, out))
    if types != {str} and not all(issubclass(t, str) for t in types):
        _first_failure(out, field)
    # Bulk checks over the ids joined by NUL, which no valid id contains:
    # * printable: every character of every id is printable. After this, the only whitespace
    #   left is U+0020 SPACE (all other whitespace characters are not printable), so
    # * leading or trailing whitespace shows as a space next to a NUL (or at an end), and
    #   there is none to look for when the text has no space at all (credit codes);
    # * NFC: NUL is a starter that composes with nothing, so the joined text is NFC exactly
    #   when every id is.
    joined = "\x00".join(out)  # type: ignore[arg-type]  # all str, checked just above
    if (
        joined.count("\x00") != len(out) - 1  # an id containing NUL itself
        or not _printable(joined)
        or not all(out)  # an empty id
        or (" " in joined and _space_at_an_end(joined))
        or not unicodedata.is_normalized("NFC", joined)
    ):
        _first_failure(out, field)
    if len(set(out)) != len(out):
        seen: dict[object, int] = {}
        for index, ident in enumerate(out):
            first = seen.setdefault(ident, index)
            if first != index:
                raise InvalidIdentifierError(
                    f"{field}[{index}]", ident, f"duplicate of {field}[{first}]"
                )
    return out  # type: ignore[return-value]


# ASCII bytes that may appear in joined ids: the NUL separator and the printable characters.
_ASCII_ALLOWED = b"\x00" + bytes(range(0x20, 0x7F))


def _printable(joined: str) -> bool:
    # Every character of every id is printable (the NULs between them aside). ASCII text (all
    # credit codes) is checked as bytes: deleting the allowed bytes must leave nothing, which
    # takes a third of the time of removing the NULs and calling str.isprintable.
    if joined.isascii():
        return not joined.encode("ascii").translate(None, _ASCII_ALLOWED)
    return joined.replace("\x00", "").isprintable()


def _space_at_an_end(joined: str) -> bool:
    # Only U+0020 can be whitespace in printable text; it is at an id's end when it touches a
    # separator or an end of the joined text.
    return " \x00" in joined or "\x00 " in joined or joined[0] == " " or joined[-1] == " "


def _first_failure(values: list[object], field: str) -> None:
    for index, value in enumerate(values):
        check_id(value, field=f"{field}[{index}]")
    raise AssertionError("a bulk identifier check failed but no single id did")  # pragma: no cover
