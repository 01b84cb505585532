"""Shapes of input files: objects with known fields, lists of things, dates as text.

Configuration files (seeds, designs, directories, visits, conflicts, plans) are JSON or TOML
written by people. Before any value reaches the library's own checks, its *shape* is checked
here, so that a list where an object belongs, a number where a list belongs or a missing field
is an :class:`~randsample.errors.InvalidInputError` naming the file, the field and the value,
never a ``TypeError`` from deep inside. Nothing is coerced: a string is not a list of its
characters, a number is not a string.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvalidInputError

__all__ = ["Shape", "date_text", "list_of", "mapping_of", "obj", "text"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: A shape: a type (or tuple of types) the value must be, or a function (value, where) -> value.
Shape = type | tuple[type, ...] | Callable[[Any, str], Any]

_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    float: "a number",
    type(None): "null",
}


def _describe(shape: type | tuple[type, ...]) -> str:
    kinds = shape if isinstance(shape, tuple) else (shape,)
    return " or ".join(_NAMES.get(k, k.__name__) for k in kinds)


def check(value: Any, shape: Shape, where: str) -> Any:
    """Return ``value`` if it has ``shape`` (see :data:`Shape`), else raise naming ``where``."""
    if isinstance(shape, (type, tuple)):
        kinds = shape if isinstance(shape, tuple) else (shape,)
        ok = any(isinstance(value, k) and not (k is int and isinstance(value, bool)) for k in kinds)
        if not ok:
            raise InvalidInputError(where, value, f"expected {_describe(shape)}")
        return value
    return shape(value, where)


def _join(where: str, name: str) -> str:
    # "data.json:" + "secret" -> "data.json: secret"; "visits[0]" + "date" -> "visits[0].date"
    return f"{where} {name}" if where.endswith(":") else f"{where}.{name}"


def obj(
    value: Any,
    where: str,
    required: Mapping[str, Shape],
    optional: Mapping[str, Shape] | None = None,
) -> dict[str, Any]:
    """Return ``value`` if it is an object with every required field and no unknown one."""
    optional = optional or {}
    if not isinstance(value, dict):
        raise InvalidInputError(where, value, "expected an object")
    for name in required:
        if name not in value:
            raise InvalidInputError(_join(where, name), None, "is missing")
    extra = sorted(set(value) - set(required) - set(optional), key=str)
    if extra:
        raise InvalidInputError(_join(where, extra[0]), value[extra[0]], "is not a known field")
    return {
        name: check(item, required.get(name) or optional[name], _join(where, name))
        for name, item in value.items()
    }


def list_of(shape: Shape) -> Callable[[Any, str], list[Any]]:
    """Return a shape: a list whose every element has ``shape``."""

    def checked(value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise InvalidInputError(where, value, "expected a list")
        return [check(item, shape, f"{where}[{index}]") for index, item in enumerate(value)]

    return checked


def mapping_of(shape: Shape) -> Callable[[Any, str], dict[str, Any]]:
    """Return a shape: an object from names to values of ``shape``."""

    def checked(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise InvalidInputError(where, value, "expected an object")
        return {key: check(item, shape, f"{where}[{key!r}]") for key, item in value.items()}

    return checked


def text(value: Any, where: str) -> str:
    """Shape: a string."""
    return check(value, str, where)  # type: ignore[no-any-return]


def date_text(value: Any, where: str) -> datetime.date:
    """Shape: a date written ``YYYY-MM-DD``, returned as a ``datetime.date``."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidInputError(where, value, "expected a date YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(where, value, "expected a date YYYY-MM-DD") from None
