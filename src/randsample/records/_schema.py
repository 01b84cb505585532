"""Record schemas: closed field sets and exact JSON types, checked at every level.

A schema is a ``dict`` from field name to a *spec*:

* a type or tuple of types (``str``, ``int``, ``bool``, ``type(None)``); ``int`` never
  accepts a boolean (``true`` is not ``1``) and ``bool`` never accepts an integer;
* a nested schema (``dict``): the value is an object with exactly those fields;
* a one-element list ``[spec]``: the value is an array whose every element matches ``spec``;
* ``Nullable(spec)``: ``null``, or a value matching ``spec`` (e.g. an optional object).

Extra fields are refused at every level: a verifier that ignored an unknown field would
verify a record whose meaning another reader could take differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core._rows import RowColumns, columns_of
from ..errors import RecordFormatError

#: Longest string (in characters) a record may hold (docs/spec.md section 16.5).
MAX_STRING_LENGTH = 65_536

__all__ = ["Nullable", "Schema", "check_schema"]

#: A record schema (see the module docstring).
Schema = Mapping[str, Any]


class Nullable:
    """A schema spec: ``null``, or a value matching ``spec``.

    >>> check_schema({"a": None}, {"a": Nullable({"b": int})})
    """

    def __init__(self, spec: Any) -> None:
        self.spec = spec

    def __repr__(self) -> str:
        return f"Nullable({self.spec!r})"


def _is(value: object, kinds: type | tuple[type, ...]) -> bool:
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    for kind in kinds:
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if kind is not int and isinstance(value, kind):
            return True
    return False


def _name(kinds: type | tuple[type, ...]) -> str:
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    names = {str: "a string", int: "an integer", bool: "a boolean", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def check_schema(
    value: object, schema: Schema, where: str = "", *, columns: RowColumns | None = None
) -> None:
    """Check ``value`` against ``schema``; raise RecordFormatError naming the first problem.

    Fields are named by their path from the record's top (``design.strata[0].units``).
    ``columns`` is internal (a record's checks share the columns they find): leave it None.

    >>> check_schema({"a": 1, "b": [{"c": "x"}]}, {"a": int, "b": [{"c": str}]})
    >>> check_schema({"a": 1, "b": [{"c": "x", "d": 2}]}, {"a": int, "b": [{"c": str}]})
    Traceback (most recent call last):
    ...
    randsample.errors.RecordFormatError: b[0].d: is not a field of b[0], got 2
    >>> check_schema({"a": True}, {"a": int})
    Traceback (most recent call last):
    ...
    randsample.errors.RecordFormatError: a: expected an integer, got True
    """
    if not isinstance(value, dict):
        raise RecordFormatError(where or "record", type(value).__name__, "expected a JSON object")
    columns = columns_of(columns)
    for field, spec in schema.items():
        path = f"{where}.{field}" if where else field
        if field not in value:
            raise RecordFormatError(path, None, "is missing")
        _check(value[field], spec, path, columns)
    extra = sorted(set(value) - set(schema))
    if extra:
        path = f"{where}.{extra[0]}" if where else extra[0]
        raise RecordFormatError(path, value[extra[0]], f"is not a field of {where or 'the record'}")


def _check(value: object, spec: Any, where: str, columns: RowColumns | None = None) -> None:
    if isinstance(spec, Nullable):
        if value is not None:
            _check(value, spec.spec, where, columns)
    elif isinstance(spec, Mapping):
        check_schema(value, spec, where, columns=columns)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise RecordFormatError(where, value, "expected an array")
        flat = _flat_fields(spec[0])
        if flat is not None and _plain_rows(value, flat, columns or RowColumns()):
            return  # the fast check below accepts only what the full one accepts
        for index, item in enumerate(value):
            _check(item, spec[0], f"{where}[{index}]", columns)
    elif not _is(value, spec):
        raise RecordFormatError(where, value, f"expected {_name(spec)}")
    elif type(value) is str and len(value) > MAX_STRING_LENGTH:
        raise RecordFormatError(
            where, value[:20] + "...", f"is over {MAX_STRING_LENGTH} characters"
        )


def _flat_fields(spec: Any) -> tuple[frozenset[str], tuple[tuple[str, type], ...]] | None:
    # A schema of plain ``str``/``int`` fields (the rows of a selection): its field names and
    # (name, type) pairs, for :func:`_plain_row`; None for anything else.
    if not isinstance(spec, Mapping) or not all(kind in (str, int) for kind in spec.values()):
        return None
    return frozenset(spec), tuple(spec.items())


def _plain_rows(
    rows: list[Any],
    flat: tuple[frozenset[str], tuple[tuple[str, type], ...]],
    columns: RowColumns,
) -> bool:
    # True only if every row certainly passes check_schema: a dict with exactly the fields,
    # each of exactly the type (an int that is not a bool, a str not over the length limit),
    # checked a column at a time. False sends the rows to the full check, which accepts them
    # or names the problem.
    names, fields = flat
    table, kinds, lengths = columns(rows), columns.kinds(rows), columns.lengths(rows)
    if table is None or kinds is None or lengths is None or (rows and table.keys() != names):
        return False
    for name, kind in fields:
        if not kinds.get(name, frozenset()) <= {kind}:
            return False
        if kind is str and max(lengths.get(name, ()), default=0) > MAX_STRING_LENGTH:
            return False
    return True
