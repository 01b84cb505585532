"""The columns of a list of uniform rows, found once for all the checks of one value.

Large records are mostly such rows (a selection's units): checking and encoding them a column
at a time keeps the per-value loops in C.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import Any

from ..errors import InvalidTypeError

__all__ = ["RowColumns", "columns_of", "row_columns"]


def row_columns(rows: Sequence[Any]) -> dict[str, list[Any]] | None:
    """Return the columns of ``rows`` if they are dicts with one set of keys, else None.

    Large records are mostly such rows (a selection's units); checking them a column at a
    time keeps the per-value loops in C. Empty ``rows`` have no columns (``{}``).

    >>> row_columns([{"a": 1, "b": "x"}, {"b": "y", "a": 2}])
    {'a': [1, 2], 'b': ['x', 'y']}
    >>> row_columns([{"a": 1}, {"b": 2}]) is None
    True
    """
    if not rows:
        return {}
    if set(map(type, rows)) != {dict}:
        return None
    keys = list(rows[0])
    if set(map(len, rows)) != {len(keys)}:
        return None
    # Every key must be a str itself (not just compare equal to one); then rows with as many
    # keys as the first, each holding all of the first's, have exactly its keys.
    if set(map(type, itertools.chain.from_iterable(rows))) - {str}:
        return None
    try:
        return {key: list(map(operator.itemgetter(key), rows)) for key in keys}
    except KeyError:
        return None


class RowColumns:
    """:func:`row_columns`, each column's types and string lengths, found once per list.

    Sealing or reading a record checks its rows three times (structure, value rules, canonical
    encoding); one ``RowColumns`` passed to each finds them once. The lists must not change
    while it is in use (it keeps each list it has seen, so an id is never reused).

    >>> rows = [{"a": 1, "b": "xy"}, {"a": 2, "b": "z"}]
    >>> columns = RowColumns()
    >>> columns(rows) is columns(rows), columns(rows)
    (True, {'a': [1, 2], 'b': ['xy', 'z']})
    >>> columns.kinds(rows) == {"a": {int}, "b": {str}}, columns.lengths(rows)
    (True, {'b': frozenset({1, 2})})
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[int, list[Any]] = {}  # id -> [rows, columns, kinds, lengths]

    def _entry(self, rows: Sequence[Any]) -> list[Any]:
        entry = self._seen.get(id(rows))
        if entry is None or entry[0] is not rows:
            entry = self._seen[id(rows)] = [rows, row_columns(rows), None, None]
        return entry

    def __call__(self, rows: Sequence[Any]) -> dict[str, list[Any]] | None:
        """Return ``row_columns(rows)``."""
        return self._entry(rows)[1]  # type: ignore[no-any-return]

    def kinds(self, rows: Sequence[Any]) -> dict[str, frozenset[type]] | None:
        """Return the exact types of each column's values (None when the rows are not uniform)."""
        entry = self._entry(rows)
        if entry[2] is None and entry[1] is not None:
            entry[2] = {key: frozenset(map(type, values)) for key, values in entry[1].items()}
        return entry[2]  # type: ignore[no-any-return]

    def lengths(self, rows: Sequence[Any]) -> dict[str, frozenset[int]] | None:
        """Return the lengths in each column of nothing but strings (``str`` itself)."""
        entry, kinds = self._entry(rows), self.kinds(rows)
        if entry[3] is None and kinds is not None:
            strings = (key for key, found in kinds.items() if found == {str})
            entry[3] = {key: frozenset(map(len, entry[1][key])) for key in strings}
        return entry[3]  # type: ignore[no-any-return]


def columns_of(columns: object) -> RowColumns:
    """Return ``columns``, or a new :class:`RowColumns` for ``None``; anything else is refused.

    The ``columns=`` keyword of the canonical encoding and of the record checks is internal:
    one record's checks share what they find. Leave it ``None``.

    >>> isinstance(columns_of(None), RowColumns)
    True
    """
    if columns is None:
        return RowColumns()
    if not isinstance(columns, RowColumns):
        raise InvalidTypeError(
            "columns", columns, "None (an internal cache of one record's checks)"
        )
    return columns
