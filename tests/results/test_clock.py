"""The publication clock against a hand-made calendar (make-up workday, Spring Festival)."""

from __future__ import annotations

import datetime as dt

import pytest

from randsample.errors import CalendarRangeError, InvalidInputError, InvalidTypeError
from randsample.results import (
    WorkdayCalendar,
    official_calendar,
    overdue,
    publication_deadline,
)

from .helpers import D, published_log

# The 2025 State Council notice (国办发明电〔2024〕12号), Spring Festival: 28 Jan - 4 Feb off;
# Sunday 26 Jan and Saturday 8 Feb worked (make-up workdays). New Year's Day 1 Jan off.
HAND_2025 = WorkdayCalendar(
    first_year=2025,
    last_year=2025,
    holidays=[D(2025, 1, 1)] + [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)],
    makeup_workdays=[D(2025, 1, 26), D(2025, 2, 8)],
    name="2025 by hand",
)

# (inspection end, working days, deadline) counted by hand on a wall calendar.
CASES = [
    (D(2025, 1, 24), 1, D(2025, 1, 26)),  # Fri -> Sun 26 Jan, a make-up workday
    (D(2025, 1, 24), 2, D(2025, 1, 27)),  # -> Mon 27
    (D(2025, 1, 24), 3, D(2025, 2, 5)),  # the festival week 28 Jan - 4 Feb is skipped
    (D(2025, 2, 4), 4, D(2025, 2, 8)),  # Wed 5, Thu 6, Fri 7, Sat 8 (make-up)
    (D(2025, 1, 20), 20, D(2025, 2, 21)),  # the default term across the festival
    (D(2025, 3, 3), 20, D(2025, 3, 31)),  # an ordinary month: 4 weeks
]


@pytest.mark.parametrize(("end", "days", "deadline"), CASES)
def test_deadlines_match_the_hand_counted_table(end: dt.date, days: int, deadline: dt.date) -> None:
    """The deadline is the N-th working day after the inspection ended."""
    assert deadline == publication_deadline(end, calendar=HAND_2025, working_days=days)


def test_the_default_term_is_twenty_working_days() -> None:
    """Without working_days the term is 20 (企业信息公示暂行条例 Art. 6)."""
    assert D(2025, 2, 21) == publication_deadline(D(2025, 1, 20), calendar=HAND_2025)


def test_a_deadline_outside_the_calendar_is_a_typed_error() -> None:
    """A term running past the known years raises CalendarRangeError naming the end date."""
    with pytest.raises(CalendarRangeError) as info:
        publication_deadline(D(2025, 12, 15), calendar=HAND_2025)
    assert ("inspection_end", D(2025, 12, 15)) == (info.value.field, info.value.value)
    assert "2026" in str(info.value)
    with pytest.raises(CalendarRangeError):
        publication_deadline(D(2024, 12, 31), calendar=HAND_2025, working_days=1)


def test_bad_calendar_input() -> None:
    """A weekday make-up day, a day listed twice, a non-date and a bad term are typed errors."""
    with pytest.raises(InvalidInputError):
        WorkdayCalendar(
            first_year=2025, last_year=2025, holidays=[], makeup_workdays=[D(2025, 1, 27)]
        )
    with pytest.raises(InvalidInputError):
        WorkdayCalendar(
            first_year=2025,
            last_year=2025,
            holidays=[D(2025, 1, 26)],
            makeup_workdays=[D(2025, 1, 26)],
        )
    with pytest.raises(InvalidTypeError):
        WorkdayCalendar(
            first_year=2025, last_year=2025, holidays=["2025-01-01"], makeup_workdays=[]
        )
    with pytest.raises(CalendarRangeError):
        WorkdayCalendar(
            first_year=2025, last_year=2025, holidays=[D(2026, 1, 1)], makeup_workdays=[]
        )
    with pytest.raises(InvalidInputError):
        publication_deadline(D(2025, 3, 3), calendar=HAND_2025, working_days=0)


def test_the_official_calendar_agrees_with_the_hand_table() -> None:
    """chinesecalendar (the `calendar` extra, in `test`) gives the same working days in 2025."""
    official = official_calendar()
    day = D(2025, 1, 1)
    while day.year == 2025 and day.month < 4:
        assert HAND_2025.is_workday(day) == official.is_workday(day), day
        day += dt.timedelta(days=1)
    for end, days, deadline in CASES:
        assert deadline == publication_deadline(end, calendar=official, working_days=days)
    with pytest.raises(CalendarRangeError):
        official.is_workday(D(official.last_year + 1, 1, 4))


def test_overdue_lists_unpublished_results_past_their_deadline() -> None:
    """As of a date, results past their deadline and not published are listed."""
    calendar = WorkdayCalendar(first_year=2026, last_year=2026, holidays=[], makeup_workdays=[])
    log = published_log()  # E1 published by both departments; (T1, SAMR, E2) entered only
    assert D(2026, 3, 31) == publication_deadline(D(2026, 3, 3), calendar=calendar)
    assert () == overdue(log, as_of=D(2026, 3, 31), calendar=calendar).entries
    late = overdue(log, as_of=D(2026, 4, 1), calendar=calendar)
    assert [("T1", "SAMR", "E2")] == [e.key for e in late.entries]
    with_tasks = overdue(
        log, as_of=D(2026, 4, 1), calendar=calendar, task_ends={"T1": D(2026, 3, 3)}
    )
    assert {("T1", "SAMR", "E2"), ("T1", "SAMR", "E3"), ("T1", "HEALTH", "E2")} == {
        e.key for e in with_tasks.entries
    }
    assert "results past their publication deadline" in late.summary()
    tight = overdue(log, as_of=D(2026, 4, 1), calendar=calendar, working_days=4, include_late=True)
    assert ("T1", "HEALTH", "E1") in {e.key for e in tight.entries}
