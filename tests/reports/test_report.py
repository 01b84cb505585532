"""The monthly report against figures counted by hand: legacy outcomes, and dated results."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Department, InspectionItem, Plan, Population, Seed, Task, merge_plan
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.files import write_monthly_csv
from randsample.joint import JointDraw, draw_joint
from randsample.reports import (
    ROW_KINDS,
    MetricTargets,
    MonthlyReport,
    Outcome,
    ProgressReport,
    monthly_due_date,
    monthly_report,
    progress_due_dates,
    progress_report,
    results_report,
)
from randsample.results import CATEGORIES, Drawn, ResultLog, WorkdayCalendar

# The fixture. Every design is take-all, so which enterprises are drawn is known by hand.
#
# 2026-01  scope 餐饮 (E1 A, E2 A, E3 B): SAMR and HEALTH  -> joint task, draws E1 E2 E3 (each)
#          scope 药店 (P1 A, P2 B):       SAMR only        -> internal task, draws P1 P2
# 2026-02  scope 餐饮 (E1, E4; stratum "all", not a credit class):
#                                        HEALTH only      -> internal task, draws E1 E4,
#                                                            does NOT use the credit classes
#          scope 药店 (P1 A, P3 A):       SAMR and HEALTH  -> joint task, draws P1 P3 (each)
#
# P2 is not an enterprise (an individual business): non_enterprises={"P2"}.
#
# Outcomes (missing = not completed):
#   2026-01: E1 completed+problem, E2 completed, E3 (none), P1 completed+problem, P2 completed
#   2026-02: E1 completed, E4 completed+problem, P1 explicitly not completed,
#            P3 completed+problem

DONE = Outcome(completed=True)
PROBLEM = Outcome(completed=True, problem_found=True)
OUTCOMES = {
    ("2026-01", "E1"): PROBLEM,
    ("2026-01", "E2"): DONE,
    ("2026-01", "P1"): PROBLEM,
    ("2026-01", "P2"): DONE,
    ("2026-02", "E1"): DONE,
    ("2026-02", "E4"): PROBLEM,
    ("2026-02", "P1"): Outcome(completed=False, problem_found=False),
    ("2026-02", "P3"): PROBLEM,
}


def _plan() -> Plan:
    def task(task_id: str, department: str, scope: str, period: str, strata: list[str]) -> Task:
        item = "F-01" if department == "SAMR" else "H-01"
        return Task(
            task_id=task_id,
            department=department,
            items=[item],
            scope=scope,
            period=period,
            take_all=strata,
            # Take-all over every class is a uniform rate, not a credit-risk-based design by
            # its rates: the tasks over the classes declare that they use the classification.
            uses_credit_risk=True if strata != ["all"] else None,
        )

    return Plan(
        departments=[Department("SAMR", "市场监管局"), Department("HEALTH", "卫生健康局")],
        items=[
            InspectionItem("SAMR", "F-01", "《食品安全法》", "食品安全", "on-site"),
            InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
        ],
        tasks=[
            task("S-jan-food", "SAMR", "餐饮", "2026-01", ["A", "B"]),
            task("H-jan-food", "HEALTH", "餐饮", "2026-01", ["A", "B"]),
            task("S-jan-drug", "SAMR", "药店", "2026-01", ["A", "B"]),
            task("H-feb-food", "HEALTH", "餐饮", "2026-02", ["all"]),
            task("S-feb-drug", "SAMR", "药店", "2026-02", ["A"]),
            task("H-feb-drug", "HEALTH", "药店", "2026-02", ["A"]),
        ],
        industry_leads={"餐饮": "SAMR", "药店": "SAMR"},
    )


def _draws() -> list[JointDraw]:
    merged = merge_plan(_plan())
    jan = {
        "餐饮": Population.from_columns(["E1", "E2", "E3"], strata=["A", "A", "B"]),
        "药店": Population.from_columns(["P1", "P2"], strata=["A", "B"]),
    }
    feb = {
        "餐饮": Population.from_columns(["E1", "E4"], strata="all"),
        "药店": Population.from_columns(["P1", "P3"], strata="A"),
    }
    return [
        draw_joint(merged, Seed.from_bytes(bytes(range(16))), jan, period="2026-01"),
        draw_joint(merged, Seed.from_bytes(bytes(range(16, 32))), feb, period="2026-02"),
    ]


def _table(report: MonthlyReport) -> dict[tuple[str | None, str], tuple[int, int, int, int]]:
    return {(row.department, row.kind): row.figures() for row in report.table}


def test_fixture_draws_what_the_comments_say() -> None:
    """The fixture draws exactly what its comments say."""
    jan, feb = _draws()
    assert {(t.task_id, t.kind) for t in jan.tasks} == {
        ("joint/2026-01/餐饮", "joint"),
        ("internal/2026-01/药店", "internal"),
    }
    assert {(d.department, d.task_id): set(d.sample.ids) for d in feb.draws} == {
        ("HEALTH", "internal/2026-02/餐饮"): {"E1", "E4"},
        ("HEALTH", "joint/2026-02/药店"): {"P1", "P3"},
        ("SAMR", "joint/2026-02/药店"): {"P1", "P3"},
    }
    assert {d.task_id: d.uses_credit_risk for d in feb.draws} == {
        "internal/2026-02/餐饮": False,
        "joint/2026-02/药店": True,
    }


def test_cumulative_report_equals_hand_counts() -> None:
    """The legacy cumulative report equals the figures counted by hand."""
    report = monthly_report(_draws(), OUTCOMES, non_enterprises={"P2"})
    assert report.period == "2026-02"
    assert report.periods == ("2026-01", "2026-02")
    assert report.departments == ("HEALTH", "SAMR")
    # (次数 inspections, 抽查总户数 drawn, 完成检查户数 completed, 发现问题户数 problems)
    expected = {
        # SAMR draws: jan joint 餐饮 {E1 E2 E3}, jan internal 药店 {P1 P2}, feb joint 药店 {P1 P3}
        # drawn 3 + 2 + 2 = 7; completed jan E1 E2 P1 P2 + feb P3 = 5; problems E1 P1 + P3 = 3
        ("SAMR", "all"): (3, 7, 5, 3),
        ("SAMR", "internal"): (1, 2, 2, 1),  # jan 药店: P1 P2 both completed, P1 problem
        ("SAMR", "joint"): (2, 5, 3, 2),  # E1 E2 E3 + P1 P3: done E1 E2 P3, problem E1 P3
        ("SAMR", "enterprises"): (3, 6, 4, 3),  # "all" without P2 (completed, no problem)
        ("SAMR", "credit-risk"): (3, 7, 5, 3),  # every SAMR draw used credit classes A-D
        # HEALTH draws: jan joint 餐饮 {E1 E2 E3}, feb internal 餐饮 {E1 E4}, feb joint 药店
        # {P1 P3}: drawn 3 + 2 + 2 = 7 (E1 in two periods counts twice); completed jan E1 E2,
        # feb E1 E4 P3 = 5; problems jan E1, feb E4 P3 = 3
        ("HEALTH", "all"): (3, 7, 5, 3),
        ("HEALTH", "internal"): (1, 2, 2, 1),  # feb 餐饮: E1 E4 completed, E4 problem
        ("HEALTH", "joint"): (2, 5, 3, 2),  # E1 E2 E3 + P1 P3
        ("HEALTH", "enterprises"): (3, 7, 5, 3),  # HEALTH never drew P2
        ("HEALTH", "credit-risk"): (2, 5, 3, 2),  # feb 餐饮 (stratum "all") does not count
        # All departments: merged tasks, a joint task once. jan joint 餐饮, jan internal 药店,
        # feb internal 餐饮, feb joint 药店 = 4. Drawn: jan {E1 E2 E3 P1 P2} 5 + feb
        # {E1 E4 P1 P3} 4 = 9; completed jan E1 E2 P1 P2 + feb E1 E4 P3 = 7;
        # problems jan E1 P1 + feb E4 P3 = 4
        (None, "all"): (4, 9, 7, 4),
        (None, "internal"): (2, 4, 4, 2),  # jan P1 P2 + feb E1 E4; problems P1, E4
        (None, "joint"): (2, 5, 3, 2),  # jan E1 E2 E3 + feb P1 P3
        (None, "enterprises"): (4, 8, 6, 4),  # "all" without (2026-01, P2)
        # tasks all of whose draws used credit classes: all but feb internal 餐饮 = 3;
        # drawn jan 5 + feb P1 P3 = 7; completed jan 4 + P3 = 5; problems E1 P1 + P3 = 3
        (None, "credit-risk"): (3, 7, 5, 3),
    }
    assert expected == _table(report)
    # Target ratios (plan_metrics over both periods):
    # joint tasks 2/4 (= total joint / all 次数) < 60%
    assert (report.metrics.joint_tasks.numerator, report.metrics.joint_tasks.denominator) == (2, 4)
    assert report.metrics.joint_tasks.passed is False
    # joint enterprises 5/9 (= total joint / all 户数) >= 50%
    m = report.metrics.joint_enterprises
    assert (m.numerator, m.denominator, m.passed) == (5, 9, True)
    # credit-risk department draws: 5 of 6 (all but HEALTH feb 餐饮) = sum of department rows
    m = report.metrics.credit_risk_draws
    assert (m.numerator, m.denominator, m.passed) == (5, 6, False)
    assert m.numerator == sum(expected[d, "credit-risk"][0] for d in ("SAMR", "HEALTH"))
    assert m.denominator == sum(expected[d, "all"][0] for d in ("SAMR", "HEALTH"))


def test_first_month_counts_only_the_first_period() -> None:
    """A report for the first period counts only its draws."""
    report = monthly_report(_draws(), OUTCOMES, period="2026-01", non_enterprises={"P2"})
    assert report.periods == ("2026-01",)
    expected = {
        ("SAMR", "all"): (2, 5, 4, 2),  # E1 E2 E3 P1 P2; done E1 E2 P1 P2; problems E1 P1
        ("SAMR", "internal"): (1, 2, 2, 1),
        ("SAMR", "joint"): (1, 3, 2, 1),
        ("SAMR", "enterprises"): (2, 4, 3, 2),
        ("SAMR", "credit-risk"): (2, 5, 4, 2),
        ("HEALTH", "all"): (1, 3, 2, 1),
        ("HEALTH", "internal"): (0, 0, 0, 0),  # HEALTH's internal task is in 2026-02
        ("HEALTH", "joint"): (1, 3, 2, 1),
        ("HEALTH", "enterprises"): (1, 3, 2, 1),
        ("HEALTH", "credit-risk"): (1, 3, 2, 1),
        (None, "all"): (2, 5, 4, 2),
        (None, "internal"): (1, 2, 2, 1),
        (None, "joint"): (1, 3, 2, 1),
        (None, "enterprises"): (2, 4, 3, 2),
        (None, "credit-risk"): (2, 5, 4, 2),
    }
    assert expected == _table(report)
    assert report.metrics.joint_tasks.value == 0.5


def test_rows_csv_and_pandas_agree_with_the_table() -> None:
    """Rows, CSV and pandas hold the same figures as the table."""
    report = monthly_report(_draws(), OUTCOMES)
    rows = report.to_rows()
    assert len(rows) == 3 * len(ROW_KINDS)
    total = rows[-5]
    assert total["department"] == "all departments"
    assert total["department_zh"] == "全部门合计"
    assert (total["label_zh"], total["inspections"], total["enterprises_drawn"]) == (
        "开展随机抽查情况-总计",
        4,
        9,
    )
    buffer = io.StringIO()
    write_monthly_csv(report, buffer)
    parsed = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert parsed[0][3:] == [
        "次数 inspections",
        "抽查总户数 enterprises drawn",
        "完成检查户数 enterprises completed",
        "发现问题户数 enterprises with problems",
    ]
    assert [[int(v) for v in line[3:]] for line in parsed[1:]] == [
        list(row.figures()) for row in report.table
    ]
    frame = report.to_pandas()
    assert frame["inspections"].tolist() == [row.inspections for row in report.table]
    assert "all departments  joint" in report.summary()


def test_without_non_enterprises_the_enterprise_row_equals_all() -> None:
    """With no non-enterprises the enterprise row equals the all row."""
    report = monthly_report(_draws(), OUTCOMES)
    for department in (*report.departments, None):
        assert report.row(department, "enterprises") == report.row(department, "all").__class__(
            department, "enterprises", *report.row(department, "all").figures()
        )


def test_a_draw_of_only_non_enterprises_is_not_an_enterprise_inspection() -> None:
    """A draw of only non-enterprises does not count as an enterprise inspection."""
    report = monthly_report(_draws(), {}, period="2026-01", non_enterprises={"P1", "P2"})
    assert report.row("SAMR", "enterprises").figures() == (1, 3, 0, 0)
    assert report.row(None, "enterprises").figures() == (1, 3, 0, 0)


def test_targets_are_passed_through() -> None:
    """Targets given are the ones the metrics use."""
    report = monthly_report(_draws(), OUTCOMES, targets=MetricTargets(joint_tasks="50%"))
    assert report.metrics.joint_tasks.passed is True


@pytest.mark.parametrize(
    ("outcomes", "error", "field"),
    [
        ({("2026-03", "E1"): DONE}, InvalidInputError, "outcomes"),
        ({("2026-01", "E4"): DONE}, InvalidInputError, "outcomes"),  # E4 drawn only in 02
        ({("2026-01",): DONE}, InvalidTypeError, "outcomes"),
        ({("2026-01", "E1"): True}, InvalidTypeError, "outcomes[('2026-01', 'E1')]"),
        ([], InvalidTypeError, "outcomes"),
    ],
)
def test_bad_outcomes_are_refused(outcomes: object, error: type[Exception], field: str) -> None:
    """Malformed outcomes raise typed errors naming the field."""
    with pytest.raises(error) as info:
        monthly_report(_draws(), outcomes)  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]


def test_bad_arguments_are_refused() -> None:
    """Bad arguments raise typed errors naming the field and value."""
    draws = _draws()
    with pytest.raises(InvalidInputError, match="period") as info:
        monthly_report(draws, {}, period="2026-03")
    assert info.value.value == "2026-03"
    with pytest.raises(InvalidInputError, match="appears twice"):
        monthly_report([draws[0], draws[0]], {})
    with pytest.raises(InvalidTypeError, match="non_enterprises"):
        monthly_report(draws, {}, non_enterprises="P2")
    with pytest.raises(InvalidInputError, match="requires completed=True"):
        Outcome(completed=False, problem_found=True)
    with pytest.raises(InvalidTypeError, match=r"outcome\.completed"):
        Outcome(completed=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="is not a row"):
        monthly_report(draws, {}).row("POLICE", "all")
    with pytest.raises(InvalidTypeError, match="report"):
        write_monthly_csv(object(), io.StringIO())  # type: ignore[arg-type]


# -- the monthly report from dated results (randsample.results) --------------------------------

JAN_FOOD, JAN_DRUG = "joint/2026-01/餐饮", "internal/2026-01/药店"
FEB_FOOD, FEB_DRUG = "internal/2026-02/餐饮", "joint/2026-02/药店"
# (task, department, enterprise, category, entered on, published on or None)
EVENTS = [
    (JAN_FOOD, "SAMR", "E1", "corrected", dt.date(2026, 2, 9), dt.date(2026, 2, 10)),
    (JAN_FOOD, "HEALTH", "E1", "no-problem", dt.date(2026, 2, 9), dt.date(2026, 2, 12)),
    (JAN_FOOD, "SAMR", "E2", "no-problem", dt.date(2026, 2, 9), dt.date(2026, 2, 11)),
    (JAN_FOOD, "HEALTH", "E2", "corrected", dt.date(2026, 2, 9), None),
    (JAN_DRUG, "SAMR", "P1", "pending-follow-up", dt.date(2026, 2, 13), dt.date(2026, 2, 15)),
    (FEB_DRUG, "HEALTH", "P1", "refused-inspection", dt.date(2026, 3, 2), dt.date(2026, 3, 5)),
    (FEB_FOOD, "HEALTH", "E1", "no-problem", dt.date(2026, 3, 2), dt.date(2026, 3, 6)),
]


def _log(events=EVENTS) -> ResultLog:
    """A result log holding ``events`` (entered, then approved and published), in date order."""
    steps = []
    for task, department, enterprise, category, entered, published in events:
        steps.append((entered, 0, task, department, enterprise, category))
        if published is not None:
            steps.append((published, 1, task, department, enterprise, category))
    log = ResultLog(Drawn.from_joint(_draws()))
    for day, kind, task, department, enterprise, category in sorted(steps):
        if kind == 0:
            log.enter(
                task_id=task,
                department=department,
                enterprise_id=enterprise,
                category=category,
                subtypes=["false-disclosure"] if category == "pending-follow-up" else [],
                methods=["written"],
                follow_ups=["none"],
                officers=["O-1"],
                inspection_start=dt.date(2026, 2, 2),
                inspection_end=dt.date(2026, 2, 2),
                on=day,
                by="O-1",
            )
        else:
            log.move((task, department, enterprise), "approved", on=day, by="chief")
            log.move((task, department, enterprise), "published", on=day, by="chief")
    return log


def _figures(report, department, kind="all", platform="platform"):
    return report.row(department, kind, platform=platform).figures()


def test_results_report_equals_hand_counts() -> None:
    """户次 and 户 figures per department and in total, counted by hand from EVENTS."""
    draws, log = _draws(), _log()
    visits = results_report(draws, log, plan=_plan(), as_of=dt.date(2026, 3, 31), counting="户次")
    # SAMR visits: jan E1 E2 E3 P1 P2, feb P1 P3 = 7; published jan E1 E2 P1; problems E1 P1
    assert (3, 7, 3, 2) == _figures(visits, "SAMR")
    # HEALTH visits: jan E1 E2 E3, feb E1 E4 P1 P3 = 7; published jan E1, feb E1 P1; problem P1
    assert (3, 7, 3, 1) == _figures(visits, "HEALTH")
    # All: 4 merged tasks, 9 visits; complete when every department published: jan E1, jan P1,
    # feb E1 (jan E2 waits for HEALTH, feb P1 for SAMR); problems jan E1, jan P1
    assert (4, 9, 3, 2) == _figures(visits, None)
    assert (1, 2, 1, 1) == _figures(visits, "SAMR", "internal")
    households = results_report(draws, log, plan=_plan(), as_of=dt.date(2026, 3, 31))
    assert (3, 6, 3, 2) == _figures(households, "SAMR")  # E1 E2 E3 P1 P2 P3
    assert (3, 6, 2, 1) == _figures(households, "HEALTH")  # E1 E2 E3 E4 P1 P3; done E1 P1
    early = results_report(draws, log, plan=_plan(), as_of=dt.date(2026, 2, 11))
    assert ((3, 6, 2, 1), (3, 6, 0, 0)) == (_figures(early, "SAMR"), _figures(early, "HEALTH"))


def test_results_report_rows_platforms_and_names() -> None:
    """Departments are named by the plan; platform rows as in the attachment; text and rows."""
    report = results_report(
        _draws(),
        _log(),
        plan=_plan(),
        as_of=dt.date(2026, 3, 31),
        platforms={"S-jan-drug": "other"},
    )
    assert (0, 0, 0, 0) == _figures(report, "SAMR", "internal")
    assert (1, 2, 1, 1) == _figures(report, "SAMR", "internal", platform="other")
    assert (2, 5, 2, 1) == _figures(report, "SAMR")  # the other platform's draw is not here
    names = {row["department"] for row in report.to_rows()}
    assert {"市场监管局", "卫生健康局", "全部门合计"} == names
    assert 3 * 8 == len(report.rows)
    assert "其他平台" in report.summary()
    with pytest.raises(InvalidInputError):
        report.row("SAMR", "joint", platform="other")
    with pytest.raises(InvalidInputError):
        results_report(
            _draws(),
            _log(),
            plan=_plan(),
            as_of=dt.date(2026, 3, 31),
            platforms={"S-jan-drug": "paper"},
        )
    with pytest.raises(InvalidInputError):
        results_report(_draws(), _log(), plan=_plan(), as_of=dt.date(2026, 3, 31), counting="户数")
    with pytest.raises(InvalidTypeError):
        results_report(_draws(), _log(), plan=_plan(), as_of="2026-03-31")


_HEALTH_KEYS = [
    (JAN_FOOD, "E1"),
    (JAN_FOOD, "E2"),
    (JAN_FOOD, "E3"),
    (FEB_FOOD, "E1"),
    (FEB_FOOD, "E4"),
    (FEB_DRUG, "P1"),
    (FEB_DRUG, "P3"),
]
_health_events = st.lists(
    st.tuples(
        st.sampled_from(_HEALTH_KEYS),
        st.sampled_from(sorted(CATEGORIES)),
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(0, 20)),
    ),
    unique_by=lambda e: e[0],
)


def _events(health) -> list:
    samr = [e for e in EVENTS if e[1] == "SAMR"]
    out = list(samr)
    for (task, enterprise), drawn_category, start, wait in health:
        entered = dt.date(2026, 2, 3) + dt.timedelta(days=start)
        published = None if wait is None else entered + dt.timedelta(days=wait)
        category = "corrected" if drawn_category == "pending-follow-up" else drawn_category
        out.append((task, "HEALTH", enterprise, category, entered, published))
    return out


@settings(max_examples=30)
@given(_health_events)
def test_one_departments_results_never_change_anothers_rows(health) -> None:
    """Whatever HEALTH enters on the joint visits, every SAMR row stays the same."""
    plan, draws = _plan(), _draws()
    day = dt.date(2026, 4, 30)
    alone = results_report(draws, _log(_events([])), plan=plan, as_of=day, counting="户次")
    joint = results_report(draws, _log(_events(health)), plan=plan, as_of=day, counting="户次")
    samr = [r for r in alone.rows if r.department == "SAMR"]
    assert samr == [r for r in joint.rows if r.department == "SAMR"]


@settings(max_examples=30)
@given(_health_events, st.integers(0, 70), st.sampled_from(["户", "户次"]))
def test_report_as_of_a_date_equals_the_report_of_the_log_then(health, offset, counting) -> None:
    """The report as of a date equals the one rebuilt from only the entries logged by then."""
    plan, draws = _plan(), _draws()
    log = _log(_events(health))
    day = dt.date(2026, 2, 1) + dt.timedelta(days=offset)
    kept = ResultLog(log.drawn, [e for e in log.entries if e.date <= day])
    full = results_report(draws, log, plan=plan, as_of=day, counting=counting)
    rebuilt = results_report(draws, kept, plan=plan, as_of=day, counting=counting)
    later = results_report(
        draws, log.as_of(day), plan=plan, as_of=dt.date(2027, 1, 1), counting=counting
    )
    assert full.rows == rebuilt.rows == later.rows


def test_progress_report_and_due_dates() -> None:
    """The progress report counts each department's results the day before it is due."""
    assert dt.date(2026, 4, 23) == monthly_due_date(2026, 4)
    due = progress_due_dates(2026)[0]
    calendar = WorkdayCalendar(first_year=2026, last_year=2026, holidays=[], makeup_workdays=[])
    report = progress_report(_log(), plan=_plan(), due=due, calendar=calendar, working_days=20)
    assert isinstance(report, ProgressReport)
    rows = {row["department"]: row for row in report.to_rows()}
    # SAMR: 7 results drawn (jan 餐饮 3, jan 药店 2, feb 药店 2), 3 entered and published
    assert (7, 3, 3, 0) == tuple(
        rows["市场监管局"][k] for k in ("drawn", "entered", "published", "closed")
    )
    # HEALTH: E2 entered 9 Feb, term ends 10 Mar (20 working days after 2 Feb): overdue by 31 Mar
    assert (7, 4, 3, 1) == tuple(
        rows["卫生健康局"][k] for k in ("drawn", "entered", "published", "overdue")
    )
    assert "progress report due 2026-04-01" in report.summary()
