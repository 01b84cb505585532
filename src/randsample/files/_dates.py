"""Dates and timestamps as bureaus write them, converted once, at the edge.

The core takes a ``datetime.date`` for a day (visit dates, days off, last inspections) and a
``YYYY-MM-DDTHH:MM:SSZ`` UTC string (or an aware ``datetime`` without sub-second digits) for a
record's timestamp; it refuses anything else, so that nothing is guessed deep inside. Files,
spreadsheets and databases hold dates in many forms; :func:`to_date` and :func:`to_timestamp`
are the one place they are converted, and every conversion is listed here:

**Dates** (:func:`to_date`):

* a ``datetime.date`` is returned as it is;
* a ``datetime.datetime`` or pandas ``Timestamp`` *at midnight* becomes its calendar date
  (spreadsheet readers and pandas give dates that way); one with a time of day is refused,
  since the time would be lost;
* text ``2025-03-04`` (ISO 8601), ``2025-3-4``, ``2025/3/4``, ``2025.3.4``, ``2025年3月4日``
  and ``20250304``, each optionally followed by a zero time ``00:00``, ``0:00`` or
  ``00:00:00`` (after a space or ``T``), as spreadsheets export date cells;
* an integer written ``20250304`` (a database column of type INTEGER);
* anything else (``"3/4/2025"``, a spreadsheet serial number such as 45720, an impossible
  date such as ``2025-02-30``) is an error naming the field and the value.

**Timestamps** (:func:`to_timestamp`), always converted to UTC:

* a timezone-aware ``datetime`` or pandas ``Timestamp``;
* ISO 8601 text with an offset or ``Z``: ``2026-12-01T10:00:00+08:00``,
  ``2026-12-01 10:00+0800``, ``2026-12-01T02:00:00Z``;
* a time without a time zone is refused: give the offset (China Standard Time is
  ``+08:00``);
* sub-second digits are refused unless ``truncate=True`` is passed, which drops them
  (towards the earlier second): a record's timestamp has whole seconds, and nothing is
  changed silently. ``make_record`` itself never truncates; its error says to pass
  ``.replace(microsecond=0)``, or convert here with ``truncate=True``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["to_date", "to_timestamp"]

_ZERO_TIME = r"(?:[ T]0?0:00(?::00(?:\.0+)?)?)?"
_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _ZERO_TIME),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _ZERO_TIME),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})" + _ZERO_TIME),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日" + _ZERO_TIME),
    re.compile(r"(\d{4})(\d{2})(\d{2})" + _ZERO_TIME),
)
_DATE_HINT = "expected a date such as 2025-03-04, 2025/3/4, 2025年3月4日 or 20250304"
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_TIMESTAMP_HINT = "expected a time with its offset such as 2026-12-01T10:00:00+08:00"


def _nanoseconds(value: object) -> int:
    return int(getattr(value, "nanosecond", 0))  # a pandas Timestamp's digits below 1 µs


def _is_nat(value: object) -> bool:
    return type(value).__name__ == "NaTType"  # pandas' missing time: a datetime subclass


def to_date(value: Any, field: str = "date") -> datetime.date:
    """Return ``value`` as a ``datetime.date``; see the module docstring for every form.

    Parameters
    ----------
    value
        A date, a datetime at midnight, a pandas Timestamp at midnight, text or an integer
        ``YYYYMMDD``.
    field
        Named in the error, with the value.

    Examples
    --------
    >>> [to_date(v).isoformat() for v in ("2025-03-04", "2025/3/4", "2025年3月4日", 20250304)]
    ['2025-03-04', '2025-03-04', '2025-03-04', '2025-03-04']
    >>> to_date(datetime.datetime(2025, 3, 4, 9, 30), "visit date")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: visit date: has a time of day (09:30:00) that a date \
would drop; give the date alone, got datetime.datetime(2025, 3, 4, 9, 30)
    """
    if _is_nat(value):
        raise InvalidInputError(field, None, "is missing (NaT)")
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0) or _nanoseconds(value):
            raise InvalidInputError(
                field,
                value,
                f"has a time of day ({value.time()}) that a date would drop; give the date alone",
            )
        return datetime.date(value.year, value.month, value.day)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise InvalidTypeError(field, value, "a date")
    if isinstance(value, int):
        if not 10_000_000 <= value <= 99_991_231:
            raise InvalidInputError(
                field, value, f"{_DATE_HINT} (a number is read only as YYYYMMDD)"
            )
        value = str(value)
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a date or date text")
    for form in _DATE_FORMS:
        match = form.fullmatch(value)
        if match is not None:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError as exc:
                raise InvalidInputError(field, value, f"is not a real date ({exc})") from None
    raise InvalidInputError(field, value, _DATE_HINT)


def to_timestamp(value: Any, field: str = "timestamp", *, truncate: bool = False) -> str:
    """Return ``value`` as a record timestamp ``YYYY-MM-DDTHH:MM:SSZ`` (UTC).

    Parameters
    ----------
    value
        A timezone-aware datetime or pandas Timestamp, or ISO 8601 text with an offset.
    field
        Named in the error, with the value.
    truncate
        Drop sub-second digits instead of refusing them (keyword only; never implied).

    Examples
    --------
    >>> to_timestamp("2026-12-01T10:00:00+08:00")
    '2026-12-01T02:00:00Z'
    >>> now = datetime.datetime(2026, 12, 1, 2, 0, 5, 123456, tzinfo=datetime.timezone.utc)
    >>> to_timestamp(now, truncate=True)
    '2026-12-01T02:00:05Z'
    >>> to_timestamp(now)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: timestamp: has sub-second digits; a record keeps \
whole seconds: pass truncate=True to drop them, or .replace(microsecond=0), got ...
    """
    if not isinstance(truncate, bool):
        raise InvalidTypeError("truncate", truncate, "True or False")
    if _is_nat(value):
        raise InvalidInputError(field, None, "is missing (NaT)")
    if isinstance(value, str):
        value = _parse_timestamp(value, field)
    if not isinstance(value, datetime.datetime):
        raise InvalidTypeError(field, value, "a timezone-aware datetime or ISO 8601 text")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(
            field, value, "has no time zone: give its offset, e.g. +08:00 for Beijing time"
        )
    if (value.microsecond or _nanoseconds(value)) and not truncate:
        raise InvalidInputError(
            field,
            value,
            "has sub-second digits; a record keeps whole seconds: pass truncate=True to drop "
            "them, or .replace(microsecond=0)",
        )
    whole = datetime.datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        tzinfo=value.tzinfo,
    )  # fmt: skip
    return whole.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_timestamp(text: str, field: str) -> datetime.datetime:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise InvalidInputError(field, text, _TIMESTAMP_HINT)
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None:
        raise InvalidInputError(
            field, text, "has no time zone: give its offset, e.g. +08:00 for Beijing time"
        )
    try:
        if offset == "Z":
            zone = datetime.timezone.utc
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = datetime.timezone(
                sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            )
        parsed = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError as exc:
        raise InvalidInputError(field, text, f"is not a real time ({exc})") from None
    if fraction is not None and fraction.strip("0"):
        micro = int((fraction + "000000")[:6]) or 1  # a nonzero fraction stays nonzero
        parsed = parsed.replace(microsecond=micro)
    return parsed
