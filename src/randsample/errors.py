"""The one error hierarchy of randsample.

Every error the library raises on purpose is a :class:`RandsampleError`. Errors about a bad
argument are also :class:`ValueError` (or :class:`TypeError` for a value of the wrong kind),
so callers that already catch those keep working. Every message names the field and the
offending value, e.g. ``seed.hex: expected an even number of hex digits, got 'abc'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

__all__ = [
    "CalendarRangeError",
    "IllegalTransitionError",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidRowsError",
    "InvalidTypeError",
    "LowEntropySeedError",
    "MissingDependencyError",
    "RandsampleError",
    "RecordFormatError",
    "RecordIntegrityError",
    "RowProblem",
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


class RowProblem(NamedTuple):
    """One bad cell of a table: where (its row), which column, the value and what is wrong.

    ``row`` names the row in the one convention of :mod:`randsample.files`: ``file:line`` for
    CSV (the header is line 1), ``file[sheet]:row`` for a spreadsheet (the sheet row) and
    ``table[key=value]`` for a database table (the row's key); ``row N`` (1-based) for columns
    given in memory. ``column`` is empty for a problem of the whole row (a wrong number of
    fields).
    """

    row: str
    column: str
    value: object
    problem: str

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.row}{column}: {self.problem}, got {self.value!r}"


class InvalidRowsError(InvalidInputError):
    """Rows of a table are bad: *every* bad cell is in :attr:`problems`, none dropped.

    The message shows the first :attr:`SHOWN` problems and says how many more there are, so
    that a table with 512 missing classes is fixed in one pass, not 512.

    >>> error = InvalidRowsError("p.csv", [RowProblem("p.csv:3", "class", "E", "not a class")])
    >>> str(error)
    "p.csv: 1 bad row: p.csv:3, column 'class': not a class, got 'E'"
    """

    #: How many problems the message lists (all are in ``problems``).
    SHOWN = 20

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(problems)
        self.field = source
        self.value = len(self.problems)
        rows = len({problem.row for problem in self.problems})
        listed = "; ".join(str(problem) for problem in self.problems[: self.SHOWN])
        more = len(self.problems) - self.SHOWN
        if more > 0:
            listed += f"; and {more} more"
        self.problem = f"{rows} bad row{'s' if rows != 1 else ''}: {listed}"
        RandsampleError.__init__(self, f"{source}: {self.problem}")


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


class IllegalTransitionError(InvalidInputError):
    """A result's audit state cannot move as asked (e.g. 未录入 straight to 已公示)."""


class CalendarRangeError(InvalidInputError):
    """A date lies outside the years a working-day calendar knows: refused, never guessed."""


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
