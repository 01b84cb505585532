"""Dates and timestamps are converted at the edge, in the documented forms only."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.files import to_date, to_timestamp

UTC = datetime.timezone.utc
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_every_documented_date_form_reads_the_same_day(day: datetime.date):
    """ISO, dashes or slashes or dots without zero padding, 年月日, YYYYMMDD and a zero time
    all give the same date; so do the date itself and a datetime at midnight."""
    y, m, d = day.year, day.month, day.day
    forms = [
        day.isoformat(),
        f"{y}-{m}-{d}",
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y:04d}{m:02d}{d:02d}",
        f"{day.isoformat()} 00:00:00",
        f"{y}/{m}/{d} 0:00",
        f"{day.isoformat()}T00:00",
        int(f"{y:04d}{m:02d}{d:02d}"),
        day,
        datetime.datetime(y, m, d),
    ]
    assert [day] * len(forms) == [to_date(form) for form in forms]


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ("2025-02-30", InvalidInputError, "not a real date"),
        ("3/4/2025", InvalidInputError, "expected a date"),
        ("2025-03-04 09:00", InvalidInputError, "expected a date"),
        (45720, InvalidInputError, "YYYYMMDD"),
        (20250304.0, InvalidTypeError, "a date"),
        (True, InvalidTypeError, "a date"),
        (datetime.datetime(2025, 3, 4, 0, 0, 1), InvalidInputError, "time of day"),
        (" 2025-03-04", InvalidInputError, "expected a date"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(value, error, fragment):
    """Anything outside the documented forms is a typed error with the field and value."""
    with pytest.raises(error, match=fragment) as caught:
        to_date(value, "检查日期")
    assert str(caught.value).startswith("检查日期: ")


def test_pandas_dates():
    """A pandas Timestamp at midnight is its date; NaT is missing; a time of day is refused."""
    pd = pytest.importorskip("pandas")
    assert datetime.date(2025, 3, 4) == to_date(pd.Timestamp("2025-03-04"))
    with pytest.raises(InvalidInputError, match="missing"):
        to_date(pd.NaT)
    with pytest.raises(InvalidInputError, match="time of day"):
        to_date(pd.Timestamp("2025-03-04 00:00:00.000000001"))


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01T10:00:00+08:00",
        "2026-12-01 10:00+0800",
        "2026-12-01T02:00:00Z",
        "2026-12-01T02:00:00.000Z",
        "2026-11-30T21:00:00-05:00",
        datetime.datetime(2026, 12, 1, 10, tzinfo=BEIJING),
    ],
)
def test_timestamps_with_offsets_become_utc(value):
    """Aware datetimes and ISO text with an offset or Z give the record's UTC form."""
    assert "2026-12-01T02:00:00Z" == to_timestamp(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2026-12-01T10:00:00", "no time zone"),
        (datetime.datetime(2026, 12, 1, 10), "no time zone"),
        ("2026-12-01T10:00:00.5+08:00", "sub-second"),
        (datetime.datetime(2026, 12, 1, 2, 0, 0, 1, tzinfo=UTC), "sub-second"),
        ("2026-13-01T10:00:00Z", "not a real time"),
        ("2026-12-01T10:00:00+25:00", "not a real time"),
        ("yesterday", "expected a time"),
    ],
)
def test_bad_timestamps_are_refused(value, fragment):
    """No time zone, sub-second digits (without truncate) and nonsense are refused."""
    with pytest.raises(InvalidInputError, match=fragment):
        to_timestamp(value)


def test_truncate_is_explicit():
    """truncate=True drops sub-second digits (towards the earlier second); it is never implied,
    and must be a bool."""
    now = datetime.datetime(2026, 12, 1, 10, 0, 5, 999999, tzinfo=BEIJING)
    assert "2026-12-01T02:00:05Z" == to_timestamp(now, truncate=True)
    assert "2026-12-01T02:00:05Z" == to_timestamp("2026-12-01T10:00:05.9+08:00", truncate=True)
    with pytest.raises(InvalidTypeError, match="truncate"):
        to_timestamp(now, truncate=1)
    with pytest.raises(InvalidTypeError):
        to_timestamp(1733018400)


def test_pandas_timestamp():
    """An aware pandas Timestamp converts; nanoseconds count as sub-second digits."""
    pd = pytest.importorskip("pandas")
    assert "2026-12-01T02:00:00Z" == to_timestamp(
        pd.Timestamp("2026-12-01 10:00", tz="Asia/Shanghai")
    )
    with pytest.raises(InvalidInputError, match="sub-second"):
        to_timestamp(pd.Timestamp("2026-12-01 02:00:00.000000001", tz="UTC"))
    with pytest.raises(InvalidInputError, match="missing"):
        to_timestamp(pd.NaT)
