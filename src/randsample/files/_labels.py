"""Identifiers and labels checked row by row, so that every bad one is named by its row."""

from __future__ import annotations

from collections.abc import Sequence

from ..core import check_id, check_ids
from ..errors import InvalidInputError, InvalidTypeError, RowProblem

__all__ = ["label_problems"]


def label_problems(
    values: Sequence[object], rows: Sequence[str], column: str, *, unique: bool = False
) -> list[RowProblem]:
    """Return a problem for every value that is not a label (spec section 1).

    With ``unique``, also one for every repeat, naming the row of its first occurrence. The
    common case, all good, is checked in bulk.

    >>> [str(p) for p in label_problems(["a", " b", "a"], ["f:2", "f:3", "f:4"], "id",
    ...                                 unique=True)]  # doctest: +NORMALIZE_WHITESPACE
    ["f:3, column 'id': must not have leading or trailing whitespace, got ' b'",
     "f:4, column 'id': repeats the id of f:2, got 'a'"]
    """
    try:
        if unique:
            check_ids(list(values), field=column)
            return []
        if all(isinstance(value, str) for value in values):
            for label in set(values):
                check_id(label, field=column)
            return []
    except (InvalidInputError, InvalidTypeError):
        pass  # find and name every bad one below
    problems: list[RowProblem] = []
    first: dict[object, str] = {}
    for row, item in zip(rows, values, strict=True):
        try:
            check_id(item, field=column)
        except InvalidInputError as exc:
            problems.append(RowProblem(row, column, item, exc.problem))
            continue
        except InvalidTypeError as exc:
            problems.append(RowProblem(row, column, item, f"expected {exc.expected}"))
            continue
        if unique and item in first:
            problems.append(RowProblem(row, column, item, f"repeats the id of {first[item]}"))
        else:
            first.setdefault(item, row)
    return problems
