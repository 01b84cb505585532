"""The monthly report (月报表) from dated results: per department, as of a date, by platform.

:func:`results_report` builds the plan's table from the year's joint draws and the
:class:`~randsample.results.ResultLog`, as the log stood at the end of ``as_of``: the report due
by the 23rd can be re-run later, exactly, from the same log. Unlike the legacy
:func:`~randsample.reports.monthly_report` (one shared ``Outcome`` per enterprise), every
department is counted from *its own* results only ("谁检查、谁录入、谁公开"): one department's
finding on a joint visit never changes another department's rows.

**Counting.** A row is a set of draws (as in the legacy report: a department's draw in a
merged task for a department row, a merged task for the all-departments rows). A *visit* of the
row is a (period, enterprise) pair drawn by one of its draws; its results are the results of
the row's departments for that enterprise in those draws.

* 次数 (``inspections``): the number of draws in the row;
* ``counting="户次"``: visits; ``counting="户"`` (default): distinct enterprises;
* 完成检查 (``completed``) = entered **and published** (已公示 or 完结) by ``as_of``: a visit is
  completed when every one of its results is; an enterprise when one of its visits is;
* 发现问题 (``problems``): completed, with a result whose category is a finding
  (:data:`~randsample.results.PROBLEM_CATEGORIES` by default).

**Platforms.** The attachment splits the table by platform: the provincial supervision platform
(all, internal, joint, enterprises, credit-risk rows) and other platforms (internal, enterprises,
credit-risk). ``platforms`` maps a task id (merged or a source task of the plan) to ``"other"``;
every other draw is on the platform. Departments are named by the plan's names, not codes.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from .. import _validation as check
from .._text import Column, Tabular
from ..errors import InvalidInputError
from ..joint import JointDraw, MergedTask, Plan
from ..results import PROBLEM_CATEGORIES, ResultLog
from ._burden import _check_results
from ._metrics import MetricTargets, PlanMetrics, plan_metrics
from ._monthly import ALL_DEPARTMENTS, ROW_LABELS, RowKind, _kinds

__all__ = [
    "PLATFORMS",
    "PLATFORM_ROWS",
    "PROGRESS_DUE",
    "Counting",
    "ProgressReport",
    "ResultsReport",
    "ResultsRow",
    "monthly_due_date",
    "progress_due_dates",
    "progress_report",
    "results_report",
]

Counting = Literal["户", "户次"]
Platform = Literal["platform", "other"]
#: Platforms, with their English and Chinese labels.
PLATFORMS: dict[str, tuple[str, str]] = {
    "platform": ("the supervision platform", "双随机监管平台"),
    "other": ("other platforms", "其他平台"),
}
#: The rows the attachment has for each platform.
PLATFORM_ROWS: dict[str, tuple[RowKind, ...]] = {
    "platform": ("all", "internal", "joint", "enterprises", "credit-risk"),
    "other": ("internal", "enterprises", "credit-risk"),
}
#: Progress reports are due by 1 Apr, 1 Jul, 28 Sep and 29 Dec (the Qinghe plan).
PROGRESS_DUE: tuple[tuple[int, int], ...] = ((4, 1), (7, 1), (9, 28), (12, 29))
#: The monthly table is due by the 23rd of each month (the Qinghe plan).
MONTHLY_DUE_DAY = 23

_ResultKey = tuple[str, str, str]


def monthly_due_date(year: int, month: int) -> datetime.date:
    """Return the day the monthly table of ``month`` is due (the 23rd).

    >>> monthly_due_date(2026, 3)
    datetime.date(2026, 3, 23)
    """
    check.integer(month, "month", minimum=1, maximum=12)
    return datetime.date(check.integer(year, "year", minimum=1), month, MONTHLY_DUE_DAY)


def progress_due_dates(year: int) -> tuple[datetime.date, ...]:
    """Return the four progress-report due dates of ``year``.

    >>> [d.isoformat() for d in progress_due_dates(2026)]
    ['2026-04-01', '2026-07-01', '2026-09-28', '2026-12-29']
    """
    check.integer(year, "year", minimum=1)
    return tuple(datetime.date(year, m, d) for m, d in PROGRESS_DUE)


@attrs.frozen
class ResultsRow:
    """One row: platform, department (None: all), row kind and the four figures."""

    platform: str
    department: str | None
    department_name: str
    kind: RowKind
    inspections: int
    drawn: int
    completed: int
    problems: int

    def figures(self) -> tuple[int, int, int, int]:
        """Return 次数, 抽查总户数, 完成检查户数, 发现问题户数."""
        return (self.inspections, self.drawn, self.completed, self.problems)


@attrs.frozen
class ResultsReport(Tabular):
    """The monthly report from results as of a date (see :func:`results_report`)."""

    as_of: datetime.date
    counting: str
    periods: tuple[str, ...]
    rows: tuple[ResultsRow, ...]
    metrics: PlanMetrics

    def __repr__(self) -> str:
        return f"ResultsReport(as of {self.as_of}, {self.counting}, {len(self.rows)} rows)"

    def row(
        self, department: str | None, kind: RowKind, *, platform: str = "platform"
    ) -> ResultsRow:
        """Return one row (``department`` a code, None for all departments)."""
        for entry in self.rows:
            if (entry.platform, entry.department, entry.kind) == (platform, department, kind):
                return entry
        raise InvalidInputError("row", (platform, department, kind), "is not a row of the report")

    def _columns(self) -> list[Column]:
        unit = self.counting
        return [
            Column("platform", "平台", align="<"),
            Column("department", "单位", align="<"),
            Column("label", "统计项目", align="<"),
            Column("inspections", "次数"),
            Column("drawn", f"抽查总{unit}数"),
            Column("completed", f"完成检查{unit}数"),
            Column("problems", f"发现问题{unit}数"),
        ]

    def _items(self) -> Iterable[Mapping[str, Any]]:
        for entry in self.rows:
            yield {
                "platform": PLATFORMS[entry.platform][1],
                "department": entry.department_name,
                "label": ROW_LABELS[entry.kind][1],
                "inspections": entry.inspections,
                "drawn": entry.drawn,
                "completed": entry.completed,
                "problems": entry.problems,
            }

    def _title(self) -> list[str]:
        span = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "-"
        return [f"monthly report as of {self.as_of} ({self.counting}), periods {span}"]


class _Tally:
    def __init__(self) -> None:
        self.inspections = 0
        self.visits: dict[tuple[str, str], set[_ResultKey]] = {}

    def add(
        self, period: str, task_id: str, department: str, ids: Iterable[str], *, count: bool = True
    ) -> None:
        # ``count``: this draw is one more inspection of the row (a merged task counts once).
        self.inspections += count
        for ident in ids:
            self.visits.setdefault((period, ident), set()).add((task_id, department, ident))


def _platform(task: MergedTask, department: str, platforms: Mapping[str, str]) -> str:
    names = [task.task_id, *task.part(department).source_tasks]
    found = {platforms[n] for n in names if n in platforms}
    if len(found) > 1:
        raise InvalidInputError("platforms", names, "give one task two different platforms")
    return found.pop() if found else "platform"


def results_report(
    draws: Sequence[JointDraw],
    log: ResultLog,
    *,
    plan: Plan,
    as_of: datetime.date,
    counting: Counting = "户",
    platforms: Mapping[str, str] | None = None,
    non_enterprises: Collection[str] = (),
    problem_categories: Collection[str] = PROBLEM_CATEGORIES,
    targets: MetricTargets | None = None,
) -> ResultsReport:
    """Build the monthly table from the draws and the result log as of ``as_of``.

    See the module documentation for every figure. Only log entries dated ``as_of`` or
    earlier count, so the report is the same whenever it is re-run.

    >>> import datetime as dt
    >>> from randsample.examples import small_joint_draw, small_joint_plan
    >>> from randsample.results import Drawn, ResultLog
    >>> draw = small_joint_draw()
    >>> log = ResultLog(Drawn.from_joint([draw]))
    >>> r = log.enter(task_id="joint/2026-Q4/餐饮", department="SAMR", enterprise_id="E01",
    ...               category="corrected", methods=["written"], follow_ups=["order-correction"],
    ...               officers=["O-1"], inspection_start=dt.date(2026, 11, 2),
    ...               inspection_end=dt.date(2026, 11, 2), on=dt.date(2026, 11, 3), by="O-1")
    >>> for state in ("approved", "published"):
    ...     _ = log.move(r.key, state, on=dt.date(2026, 11, 4), by="chief")
    >>> report = results_report([draw], log, plan=small_joint_plan(), as_of=dt.date(2026, 11, 30))
    >>> report.row("SAMR", "joint").figures(), report.row("HEALTH", "joint").figures()
    ((1, 3, 1, 1), (1, 3, 0, 0))
    """
    checked = _check_results(draws)
    check.instance(log, "log", ResultLog)
    check.instance(plan, "plan", Plan)
    day = check.date(as_of, "as_of")
    mode = check.one_of(counting, "counting", ("户", "户次"))
    where = check.mapping(platforms or {}, "platforms", key=check.label)
    for task, platform in where.items():
        check.one_of(platform, f"platforms[{task!r}]", tuple(PLATFORMS))
    excluded = frozenset(check.sequence(non_enterprises, "non_enterprises"))
    problem = frozenset(check.sequence(problem_categories, "problem_categories"))
    names = {d.code: d.name for d in plan.departments}
    current = log.as_of(day).current()
    published = {k for k, v in current.items() if v.state in ("published", "closed")}
    found = {k for k in published if current[k].category in problem}

    tallies: dict[tuple[str, str | None, RowKind], _Tally] = {}

    def tally(key: tuple[str, str | None, RowKind]) -> _Tally:
        return tallies.setdefault(key, _Tally())

    departments: set[str] = set()
    for result in checked:
        by_task: dict[str, list[Any]] = {}
        for draw in result.draws:
            by_task.setdefault(draw.task_id, []).append(draw)
            departments.add(draw.department)
        for task in result.tasks:
            task_draws = by_task.get(task.task_id, [])
            joint = task.kind == "joint"
            for draw in task_draws:
                platform = _platform(task, draw.department, where)
                for kind, units in _kinds(joint, draw.uses_credit_risk, draw.sample.ids, excluded):
                    tally((platform, draw.department, kind)).add(
                        result.period, task.task_id, draw.department, units
                    )
            if not task_draws:
                continue
            platform = _platform(task, task_draws[0].department, where)
            everyone = sorted({i for d in task_draws for i in d.sample.ids})
            credit = all(d.uses_credit_risk for d in task_draws)
            for kind, units in _kinds(joint, credit, everyone, excluded):
                units_set = set(units)
                for index, draw in enumerate(task_draws):
                    tally((platform, None, kind)).add(
                        result.period,
                        task.task_id,
                        draw.department,
                        [i for i in draw.sample.ids if i in units_set],
                        count=index == 0,
                    )
    rows = []
    for department in (*sorted(departments), None):
        name = ALL_DEPARTMENTS[1] if department is None else names.get(department, department)
        for platform, kinds in PLATFORM_ROWS.items():
            for kind in kinds:
                entry = tallies.get((platform, department, kind), _Tally())
                figures = _figures(entry, mode, published, found)
                rows.append(ResultsRow(platform, department, name, kind, *figures))
    metrics = plan_metrics(checked, targets=targets)
    return ResultsReport(day, mode, tuple(r.period for r in checked), tuple(rows), metrics)


def _figures(
    entry: _Tally, mode: str, published: set[_ResultKey], found: set[_ResultKey]
) -> tuple[int, int, int, int]:
    done = {v for v, keys in entry.visits.items() if keys <= published}
    problems = {v for v in done if entry.visits[v] & found}
    if mode == "户次":
        return (entry.inspections, len(entry.visits), len(done), len(problems))
    return (
        entry.inspections,
        len({ident for _, ident in entry.visits}),
        len({ident for _, ident in done}),
        len({ident for _, ident in problems}),
    )


@attrs.frozen
class ProgressReport(Tabular):
    """Progress per department at a progress-report due date (see :func:`progress_report`)."""

    due: datetime.date
    as_of: datetime.date
    rows: tuple[tuple[str, str, int, int, int, int, int | None], ...]

    def __repr__(self) -> str:
        return f"ProgressReport(due {self.due}, as of {self.as_of}, {len(self.rows)} departments)"

    def _columns(self) -> list[Column]:
        return [
            Column("department", "单位", align="<"),
            Column("drawn", "抽取"),
            Column("entered", "已录入"),
            Column("published", "已公示"),
            Column("closed", "完结"),
            Column("overdue", "超期未公示", lambda v: "-" if v is None else str(v)),
        ]

    def _items(self) -> Iterable[Mapping[str, Any]]:
        for _, name, drawn, entered, published, closed, late in self.rows:
            yield {
                "department": name,
                "drawn": drawn,
                "entered": entered,
                "published": published,
                "closed": closed,
                "overdue": late,
            }

    def _title(self) -> list[str]:
        return [f"progress report due {self.due}, results as of {self.as_of}"]


def progress_report(
    log: ResultLog,
    *,
    plan: Plan,
    due: datetime.date,
    calendar: Any = None,
    working_days: int = 20,
) -> ProgressReport:
    """Summarize each department's results for a progress report due on ``due``.

    Counts (department, task, enterprise) results as of the day before ``due``: drawn,
    entered (any state after 未录入), published (已公示 or 完结), closed (完结) and, with a
    :class:`~randsample.results.WorkdayCalendar`, overdue (past the publication deadline and
    not published). Due dates: :func:`progress_due_dates`.

    >>> import datetime as dt
    >>> from randsample.examples import small_joint_draw, small_joint_plan
    >>> from randsample.results import Drawn, ResultLog
    >>> draw = small_joint_draw()
    >>> log = ResultLog(Drawn.from_joint([draw]))
    >>> r = log.enter(task_id="joint/2026-Q4/餐饮", department="SAMR", enterprise_id="E01",
    ...               category="corrected", methods=["written"], follow_ups=["order-correction"],
    ...               officers=["O-1"], inspection_start=dt.date(2026, 11, 2),
    ...               inspection_end=dt.date(2026, 11, 2), on=dt.date(2026, 11, 3), by="O-1")
    >>> report = progress_report(log, plan=small_joint_plan(), due=dt.date(2026, 12, 29))
    >>> [(row["department"], row["drawn"], row["entered"]) for row in report.to_rows()]
    [('卫生健康局', 3, 0), ('市场监管局', 3, 1)]
    """
    from ..results import overdue

    check.instance(log, "log", ResultLog)
    check.instance(plan, "plan", Plan)
    day = check.date(due, "due") - datetime.timedelta(days=1)
    current = log.as_of(day).current()
    late: set[_ResultKey] = set()
    if calendar is not None:
        listed = overdue(log, as_of=day, calendar=calendar, working_days=working_days)
        late = {entry.key for entry in listed.entries}
    names = {d.code: d.name for d in plan.departments}
    by_department: dict[str, list[_ResultKey]] = {}
    for key in log.drawn.keys():  # noqa: SIM118 - Drawn is not a dict
        by_department.setdefault(key[1], []).append(key)
    rows = []
    for department, keys in sorted(by_department.items()):
        states = [current[k].state if k in current else "not-entered" for k in keys]
        rows.append(
            (
                department,
                names.get(department, department),
                len(keys),
                sum(s != "not-entered" for s in states),
                sum(s in ("published", "closed") for s in states),
                sum(s == "closed" for s in states),
                None if calendar is None else sum(k in late for k in keys),
            )
        )
    return ProgressReport(check.date(due, "due"), day, tuple(rows))
