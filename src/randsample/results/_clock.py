"""The publication clock: each result's deadline in working days, and what is overdue.

企业信息公示暂行条例 (2014, revised 2024) Art. 6: inspection results are published "within 20
working days from the day the information is produced" (SAMR's 2018-06-11 briefing says about
20 days after the inspection ends). The period starts the day *after* the inspection ends (民法典
Art. 201: the first day of a period counted in days is not counted), so the deadline is the
``working_days``-th working day after ``inspection_end``.

Working days follow the State Council's annual holiday notice, including the make-up workdays
(调休) that turn a Saturday or Sunday into a working day. :class:`WorkdayCalendar` holds such a
table for the years it knows; :func:`official_calendar` builds it from the maintained
``chinesecalendar`` package (the optional ``calendar`` extra), updated every November. A date
outside the known years raises :class:`~randsample.errors.CalendarRangeError`: never a guess.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .. import _validation as check
from .._text import Column, Tabular
from ..errors import CalendarRangeError, InvalidInputError, require
from ._log import ResultLog
from ._result import ResultKey

__all__ = [
    "DEFAULT_WORKING_DAYS",
    "OverdueList",
    "WorkdayCalendar",
    "official_calendar",
    "overdue",
    "publication_deadline",
]

#: 企业信息公示暂行条例 Art. 6: within 20 working days.
DEFAULT_WORKING_DAYS = 20


def _dates(values: Iterable[datetime.date], field: str) -> frozenset[datetime.date]:
    items = check.sequence(values, field, what="a collection of datetime.date")
    return frozenset(check.date(v, f"{field}[{i}]") for i, v in enumerate(items))


def _holidays(values: Iterable[datetime.date]) -> frozenset[datetime.date]:
    return _dates(values, "holidays")


def _makeup(values: Iterable[datetime.date]) -> frozenset[datetime.date]:
    return _dates(values, "makeup_workdays")


@attrs.frozen
class WorkdayCalendar:
    """Working days of ``first_year``..``last_year``: weekdays less holidays, plus make-up days.

    Make-up workdays (调休上班) are weekend days worked instead of a holiday.

    >>> import datetime as dt
    >>> cal = WorkdayCalendar(first_year=2025, last_year=2025, name="hand",
    ...                       holidays=[dt.date(2025, 1, 28)],
    ...                       makeup_workdays=[dt.date(2025, 1, 26)])
    >>> cal.is_workday(dt.date(2025, 1, 26)), cal.is_workday(dt.date(2025, 1, 28))
    (True, False)
    >>> cal.is_workday(dt.date(2027, 1, 4))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.CalendarRangeError: date: is outside the years 2025-2025 that the calendar ...
    """

    first_year: int
    last_year: int
    holidays: frozenset[datetime.date] = attrs.field(converter=_holidays)
    makeup_workdays: frozenset[datetime.date] = attrs.field(converter=_makeup)
    name: str = "hand-made"

    def __attrs_post_init__(self) -> None:
        check.integer(self.first_year, "first_year", minimum=1)
        check.integer(self.last_year, "last_year", minimum=self.first_year)
        check.label(self.name, "name")
        days = self.makeup_workdays
        for day in sorted(days | self.holidays):
            self._in_range(day, "holidays" if day in self.holidays else "makeup_workdays")
        for day in sorted(days):
            if day.weekday() < 5:
                raise InvalidInputError("makeup_workdays", day, "is a weekday, not a weekend day")
            if day in self.holidays:
                raise InvalidInputError("makeup_workdays", day, "is also listed as a holiday")

    def __repr__(self) -> str:
        return f"WorkdayCalendar({self.name!r}, {self.first_year}-{self.last_year})"

    def _in_range(self, day: datetime.date, field: str) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise CalendarRangeError(
                field,
                day,
                f"is outside the years {self.first_year}-{self.last_year} that the calendar "
                f"{self.name!r} knows (update it; a working day is never guessed)",
            )

    def is_workday(self, day: datetime.date, *, field: str = "date") -> bool:
        """Whether ``day`` is a working day (CalendarRangeError outside the known years)."""
        check.date(day, field)
        self._in_range(day, field)
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def official_calendar() -> WorkdayCalendar:
    """Return the State Council calendar as ``chinesecalendar`` knows it (extra ``calendar``).

    Its known years are those its holiday table covers (2004-2026 in version 1.11.0).

    >>> import datetime as dt
    >>> cal = official_calendar()
    >>> cal.is_workday(dt.date(2025, 2, 8)), cal.is_workday(dt.date(2025, 1, 29))  # 调休, 春节
    (True, False)
    """
    module = require(
        "chinese_calendar",
        feature="the official working-day calendar",
        package="chinesecalendar",
        extra="calendar",
    )
    constants: Any = module.constants
    years = sorted({day.year for day in constants.holidays})
    try:
        from importlib.metadata import version

        name = f"chinesecalendar {version('chinesecalendar')}"
    except Exception:  # pragma: no cover - metadata missing in an unusual install
        name = "chinesecalendar"
    return WorkdayCalendar(
        first_year=years[0],
        last_year=years[-1],
        holidays=frozenset(constants.holidays),
        makeup_workdays=frozenset(constants.workdays),
        name=name,
    )


def publication_deadline(
    inspection_end: datetime.date,
    *,
    calendar: WorkdayCalendar,
    working_days: int = DEFAULT_WORKING_DAYS,
) -> datetime.date:
    """Return the last day to publish a result: the ``working_days``-th working day after the end.

    >>> import datetime as dt
    >>> cal = WorkdayCalendar(first_year=2026, last_year=2026, holidays=[], makeup_workdays=[])
    >>> publication_deadline(dt.date(2026, 3, 6), calendar=cal, working_days=1)  # a Friday
    datetime.date(2026, 3, 9)
    """
    end = check.date(inspection_end, "inspection_end")
    check.instance(calendar, "calendar", WorkdayCalendar)
    count = check.integer(working_days, "working_days", minimum=1)
    day = end
    try:
        calendar.is_workday(end, field="inspection_end")
        while count:
            day += datetime.timedelta(days=1)
            count -= calendar.is_workday(day, field="deadline")
    except CalendarRangeError as exc:
        raise CalendarRangeError(
            "inspection_end",
            end,
            f"its {working_days}-working-day deadline reaches {day}, which {exc.problem}",
        ) from None
    return day


@attrs.frozen
class OverdueEntry:
    """One result past its publication deadline: not yet published, or published late."""

    key: ResultKey
    state: str
    inspection_end: datetime.date
    deadline: datetime.date
    published_on: datetime.date | None


@attrs.frozen
class OverdueList(Tabular):
    """Results past their deadline as of a date (see :func:`overdue`)."""

    as_of: datetime.date
    entries: tuple[OverdueEntry, ...]

    def __repr__(self) -> str:
        return f"OverdueList(as of {self.as_of}, {len(self.entries)} results)"

    def _columns(self) -> Sequence[Column]:
        return [
            Column("task_id", "task", align="<"),
            Column("department", "department", align="<"),
            Column("enterprise_id", "enterprise", align="<"),
            Column("state", "state", align="<"),
            Column("inspection_end", "inspection end", str, "<"),
            Column("deadline", "deadline", str, "<"),
            Column("published_on", "published", lambda v: "-" if v is None else str(v), "<"),
        ]

    def _items(self) -> Iterable[Mapping[str, Any]]:
        for e in self.entries:
            task_id, department, enterprise = e.key
            yield {
                "task_id": task_id,
                "department": department,
                "enterprise_id": enterprise,
                "state": e.state,
                "inspection_end": e.inspection_end,
                "deadline": e.deadline,
                "published_on": e.published_on,
            }

    def _title(self) -> Sequence[str]:
        return [f"results past their publication deadline, as of {self.as_of}: {len(self.entries)}"]


def overdue(
    log: ResultLog,
    *,
    as_of: datetime.date,
    calendar: WorkdayCalendar,
    working_days: int = DEFAULT_WORKING_DAYS,
    task_ends: Mapping[str, datetime.date] | None = None,
    include_late: bool = False,
) -> OverdueList:
    """List the results not published by their deadline, as of ``as_of`` (from the log then).

    A result is overdue when its deadline is before ``as_of`` and it was not published by
    then. A drawn enterprise with no result entered has no inspection end of its own: give
    ``task_ends`` (task id → the task's last inspection day) to hold it to that date's
    deadline. ``include_late`` also lists results published after their deadline.

    >>> import datetime as dt
    >>> from randsample.results import Drawn, ResultLog
    >>> log = ResultLog(Drawn({("T1", "SAMR"): ("2026-03", frozenset({"E1", "E2"}))}))
    >>> cal = WorkdayCalendar(first_year=2026, last_year=2026, holidays=[], makeup_workdays=[])
    >>> late = overdue(log, as_of=dt.date(2026, 4, 1), calendar=cal,
    ...                task_ends={"T1": dt.date(2026, 3, 3)})
    >>> [(e.key[2], e.state, str(e.deadline)) for e in late.entries]
    [('E1', 'not-entered', '2026-03-31'), ('E2', 'not-entered', '2026-03-31')]
    """
    check.instance(log, "log", ResultLog)
    day = check.date(as_of, "as_of")
    ends = check.mapping(task_ends or {}, "task_ends", key=check.label, item=check.date)
    seen = log.as_of(day)
    published: dict[ResultKey, datetime.date] = {}
    for snapshot in seen.entries:
        if snapshot.state == "published":
            published.setdefault(snapshot.key, snapshot.date)
    current = seen.current()
    rows: list[OverdueEntry] = []
    for key in log.drawn.keys():  # noqa: SIM118 - Drawn is not a dict
        entry = current.get(key)
        end = entry.inspection_end if entry is not None else ends.get(key[0])
        if end is None:
            continue
        deadline = publication_deadline(end, calendar=calendar, working_days=working_days)
        done = published.get(key)
        late = done is not None and done > deadline
        if (done is None and deadline < day) or (include_late and late):
            state = "not-entered" if entry is None else entry.state
            rows.append(OverdueEntry(key, state, end, deadline, done))
    return OverdueList(day, tuple(rows))
