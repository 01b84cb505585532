"""The one error hierarchy of randsample.

Every error the library raises on purpose is a :class:`RandsampleError`. Errors about a bad
argument are also :class:`ValueError` (or :class:`TypeError` for a value of the wrong kind),
so callers that already catch those keep working. Every message names the field and the
offending value, e.g. ``seed.hex: expected an even number of hex digits, got 'abc'``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidTypeError",
    "LowEntropySeedError",
    "MissingDependencyError",
    "RandsampleError",
    "RecordFormatError",
    "RecordIntegrityError",
    "SampleSizeError",
]


class RandsampleError(Exception):
    """Base class of every error randsample raises on purpose."""


class InvalidInputError(RandsampleError, ValueError):
    """An argument has the right type but a value the library cannot accept."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field}: {problem}, got {value!r}")

    def __reduce__(self) -> tuple[type, tuple[str, object, str]]:
        # Rebuilt from its parts when pickled (errors raised on a Dask worker or in a
        # process pool reach the caller as the same typed error).
        return (type(self), (self.field, self.value, self.problem))


class InvalidTypeError(RandsampleError, TypeError):
    """An argument is of the wrong type (e.g. an integer where an id string is required)."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: expected {expected}, got {type(value).__name__} {value!r}")

    def __reduce__(self) -> tuple[type, tuple[str, object, str]]:
        return (type(self), (self.field, self.value, self.expected))


class InvalidIdentifierError(InvalidInputError):
    """A unit identifier is malformed (whitespace, empty, duplicate, failed USCC check...)."""


class LowEntropySeedError(InvalidInputError):
    """The seed material is too guessable to be used without an explicit override."""


class SampleSizeError(InvalidInputError):
    """A requested sample size is impossible (negative, or larger than the eligible units)."""


class RecordFormatError(InvalidInputError):
    """A draw record is malformed: not JSON, a missing or mistyped field, an unknown version."""


class RecordIntegrityError(RecordFormatError):
    """A draw record's stored digest does not match its content: it was edited after sealing."""


class MissingDependencyError(RandsampleError, ImportError):
    """An optional extra is needed and not installed; the message says what to install."""

    def __init__(self, feature: str, package: str, extra: str) -> None:
        self.feature = feature
        self.package = package
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {package!r}: "
            f"pip install 'randsample[{extra}]' (or pip install {package})"
        )

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (type(self), (self.feature, self.package, self.extra))


def require(module: str, *, feature: str, package: str | None = None, extra: str) -> Any:
    """Import and return an optional module, or raise MissingDependencyError saying how.

    >>> require("json", feature="reading JSON", extra="none").__name__
    'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            feature, package or module.split(".", maxsplit=1)[0], extra
        ) from None
