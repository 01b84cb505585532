"""The plan's monthly report (月报表): cumulative figures per department, and the target ratios.

The plan's attachment asks each department for a table of *cumulative figures for the year*
(本年度累计数据), submitted monthly. :func:`monthly_report` builds it from the year's joint
draws (one :class:`~randsample.joint.JointDraw` per period, months or quarters, in
chronological order) and the inspection outcomes, for every department and for all
departments together, up to and including a reporting period.

**How things are counted.** Every row is a set of *draws*; the four columns are counted from
that set the same way:

* 次数 (``inspections``): the number of draws in the set. For a department a draw is its
  :class:`~randsample.joint.DepartmentDraw` in one merged task: its part of a joint task
  counts as one inspection for it, and several of its own tasks over one scope and period,
  merged into one draw by :func:`~randsample.joint.merge_plan`, count once. For the
  all-departments total a draw is a merged task: a joint task counts once, however many
  departments take part.
* 抽查总户数 (``enterprises_drawn``): the distinct (period, enterprise) pairs drawn by some
  draw of the set. An enterprise drawn in two periods counts twice (the figures are sums of
  the periods), an enterprise drawn by several draws in one period counts once.
* 完成检查户数 (``enterprises_completed``): those of them whose outcome is completed.
* 发现问题户数 (``enterprises_with_problems``): those of them whose outcome found a problem.

An outcome belongs to an enterprise in a period (its one merged visit or off-site check), so
every department that drew it shares it. An enterprise without an outcome is not completed.

The rows (统计项目) are these sets of draws:

* ``all`` (总计): every draw;
* ``internal`` (部门内部): draws of internal tasks (one department);
* ``joint`` (部门联合): draws of joint tasks (several departments, 一业一查). An enterprise
  drawn in the same period by an internal and a joint draw counts in both rows and once in
  ``all``, so the two rows' enterprise counts may add up to more than ``all``'s;
* ``enterprises`` (涉及企业): draws that drew at least one enterprise, with only enterprises
  counted (units listed in ``non_enterprises``, e.g. individual businesses, are left out);
* ``credit-risk`` (利用信用风险分级分类): draws that used the credit-risk classification
  (:attr:`DepartmentDraw.uses_credit_risk <randsample.joint.DepartmentDraw>`); for the
  all-departments total, merged tasks all of whose department draws used it.

**Target ratios** are :func:`randsample.reports.plan_metrics` over the same periods, so they
agree with the table: joint tasks / all tasks and joint enterprises / all enterprises are the
all-departments ``joint`` and ``all`` rows; credit-risk draws / all draws counts *department*
draws (each department's own draw record), i.e. the sums of the department rows
``credit-risk`` and ``all`` in column 次数.

Everything here is pure: :func:`write_csv` writes to a text handle the caller opened.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from .._text import pad as _pad
from ..errors import InvalidInputError, InvalidTypeError
from ..joint import DepartmentDraw, JointDraw
from ._burden import _check_results
from ._metrics import MetricTargets, PlanMetrics, plan_metrics
from ._outcome import Outcome

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "ALL_DEPARTMENTS",
    "COLUMNS",
    "ROW_KINDS",
    "MonthlyReport",
    "ReportRow",
    "RowKind",
    "monthly_report",
]

#: The rows of the table, in the attachment's order.
RowKind = Literal["all", "internal", "joint", "enterprises", "credit-risk"]
ROW_KINDS: tuple[RowKind, ...] = ("all", "internal", "joint", "enterprises", "credit-risk")

#: Row labels: English, and Chinese as in the plan's attachment.
ROW_LABELS: dict[RowKind, tuple[str, str]] = {
    "all": ("all random inspections", "开展随机抽查情况-总计"),
    "internal": ("of which internal", "其中：部门内部"),
    "joint": ("of which joint", "其中：部门联合"),
    "enterprises": ("random inspections involving enterprises", "涉及企业的随机抽查情况-总计"),
    "credit-risk": (
        "random inspections using the credit-risk classification",
        "利用企业信用风险分级分类开展随机抽查情况-总计",
    ),
}

#: The figure columns: attribute / dict key, and Chinese label as in the attachment.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("inspections", "次数"),
    ("enterprises_drawn", "抽查总户数"),
    ("enterprises_completed", "完成检查户数"),
    ("enterprises_with_problems", "发现问题户数"),
)

#: How the all-departments total is labelled in :meth:`MonthlyReport.rows` and the CSV.
ALL_DEPARTMENTS = ("all departments", "全部门合计")


@attrs.frozen
class ReportRow:
    """One row of the table: a department (None: all departments), a row kind, four figures."""

    department: str | None
    kind: RowKind
    inspections: int
    enterprises_drawn: int
    enterprises_completed: int
    enterprises_with_problems: int

    @property
    def label(self) -> str:
        """Return the row's English label."""
        return ROW_LABELS[self.kind][0]

    @property
    def label_zh(self) -> str:
        """Return the row's Chinese label (统计项目)."""
        return ROW_LABELS[self.kind][1]

    def figures(self) -> tuple[int, int, int, int]:
        """Return the four figures in the attachment's column order."""
        return (
            self.inspections,
            self.enterprises_drawn,
            self.enterprises_completed,
            self.enterprises_with_problems,
        )


@attrs.frozen
class MonthlyReport:
    """The monthly report: cumulative figures up to ``period``, and the target ratios.

    ``table`` holds, for each department (by code) and then for all departments
    (``department`` None), the five rows of :data:`ROW_KINDS`. See the module documentation
    for how each figure is counted.
    """

    period: str
    periods: tuple[str, ...]
    departments: tuple[str, ...]
    table: tuple[ReportRow, ...]
    metrics: PlanMetrics

    def row(self, department: str | None, kind: RowKind) -> ReportRow:
        """Return the row ``kind`` of ``department`` (None: all departments).

        >>> from randsample.examples import small_monthly_report
        >>> report = small_monthly_report()
        >>> report.row(None, "joint").figures()
        (1, 3, 2, 1)
        """
        for entry in self.table:
            if (entry.department, entry.kind) == (department, kind):
                return entry
        raise InvalidInputError(
            "row", (department, kind), f"is not a row of the report {self.departments}"
        )

    def to_rows(self) -> list[dict[str, object]]:
        """Return one dict per row, with English and Chinese labels and the four figures.

        >>> from randsample.examples import small_monthly_report
        >>> small_monthly_report().to_rows()[0]  # doctest: +NORMALIZE_WHITESPACE
        {'period': '2026-Q4', 'department': 'HEALTH', 'department_zh': 'HEALTH',
         'row': 'all', 'label': 'all random inspections', 'label_zh': '开展随机抽查情况-总计',
         'inspections': 1, 'enterprises_drawn': 3, 'enterprises_completed': 2,
         'enterprises_with_problems': 1}
        """
        out: list[dict[str, object]] = []
        for entry in self.table:
            english, chinese = (
                ALL_DEPARTMENTS if entry.department is None else (entry.department,) * 2
            )
            record: dict[str, object] = {
                "period": self.period,
                "department": english,
                "department_zh": chinese,
                "row": entry.kind,
                "label": entry.label,
                "label_zh": entry.label_zh,
            }
            record.update(zip((name for name, _ in COLUMNS), entry.figures(), strict=True))
            out.append(record)
        return out

    def to_pandas(self) -> pd.DataFrame:
        """Return :meth:`rows` as a pandas DataFrame (needs the optional pandas).

        >>> from randsample.examples import small_monthly_report
        >>> small_monthly_report().to_pandas().shape
        (15, 10)
        """
        import pandas as pd

        return pd.DataFrame(self.to_rows())

    def summary(self) -> str:
        """Return the table and the target ratios as text.

        >>> from randsample.examples import small_monthly_report
        >>> print(small_monthly_report().summary())  # doctest: +ELLIPSIS
        monthly report, cumulative 2026-Q4..2026-Q4 (1 period)
        department       row             次数  抽查总户数  完成检查户数  发现问题户数
        HEALTH           all                1           3             2             1
        ...
        all departments  credit-risk        1           3             2             1
        metric ...
        """
        periods = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "-"
        count = len(self.periods)
        lines = [
            f"monthly report, cumulative {periods} ({count} period{'s' if count != 1 else ''})",
            f"{'department':<16} {'row':<12}    次数  抽查总户数  完成检查户数  发现问题户数",
        ]
        for entry in self.table:
            name = ALL_DEPARTMENTS[0] if entry.department is None else entry.department
            a, b, c, d = entry.figures()
            lines.append(f"{_pad(name, 16)} {entry.kind:<12} {a:>7} {b:>11} {c:>13} {d:>13}")
        lines.append(self.metrics.summary())
        return "\n".join(lines)


# -- building the report -----------------------------------------------------------------------


def _check_outcomes(
    outcomes: object, drawn: Mapping[str, set[str]]
) -> dict[tuple[str, str], Outcome]:
    if not isinstance(outcomes, Mapping):
        raise InvalidTypeError("outcomes", outcomes, "a mapping (period, enterprise) -> Outcome")
    out: dict[tuple[str, str], Outcome] = {}
    for key, outcome in outcomes.items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise InvalidTypeError("outcomes", key, "a (period, enterprise_id) pair of str")
        if not isinstance(outcome, Outcome):
            raise InvalidTypeError(f"outcomes[{key!r}]", outcome, "an Outcome")
        period, enterprise = key
        if period not in drawn:
            raise InvalidInputError(
                "outcomes", key, f"names a period without a draw {tuple(drawn)}"
            )
        if enterprise not in drawn[period]:
            raise InvalidInputError("outcomes", key, f"names an enterprise not drawn in {period}")
        out[key] = outcome
    return out


class _Tally:
    """Accumulates one row: draws counted, and the (period, enterprise) pairs they drew."""

    def __init__(self) -> None:
        self.inspections = 0
        self.drawn: set[tuple[str, str]] = set()

    def add(self, period: str, ids: Collection[str]) -> None:
        self.inspections += 1
        self.drawn.update((period, ident) for ident in ids)

    def row(
        self,
        department: str | None,
        kind: RowKind,
        outcomes: Mapping[tuple[str, str], Outcome],
    ) -> ReportRow:
        found = [outcomes.get(key) for key in self.drawn]
        return ReportRow(
            department,
            kind,
            self.inspections,
            len(self.drawn),
            sum(o is not None and o.completed for o in found),
            sum(o is not None and o.problem_found for o in found),
        )


def _kinds(
    joint: bool, credit: bool, ids: Collection[str], non_enterprises: Collection[str]
) -> list[tuple[RowKind, Collection[str]]]:
    # The rows a draw counts in, each with the units it contributes to that row.
    out: list[tuple[RowKind, Collection[str]]] = [("all", ids)]
    out.append(("joint" if joint else "internal", ids))
    enterprises = [ident for ident in ids if ident not in non_enterprises]
    if enterprises:
        out.append(("enterprises", enterprises))
    if credit:
        out.append(("credit-risk", ids))
    return out


def monthly_report(
    draws: Sequence[JointDraw],
    outcomes: Mapping[tuple[str, str], Outcome],
    *,
    period: str | None = None,
    non_enterprises: Collection[str] = (),
    targets: MetricTargets | None = None,
) -> MonthlyReport:
    """Build the monthly report: cumulative figures for the year up to and including ``period``.

    Parameters
    ----------
    draws : sequence of JointDraw
        The year's draws, one per period (months ``"2026-01"``... or quarters), in
        chronological order.
    outcomes : mapping of (period, enterprise id) to Outcome
        The outcome of each enterprise drawn in a period; a missing one means not completed.
        Outcomes of later periods than ``period`` are checked but not counted.
    period : str, optional
        The reporting period, one of the draws' periods (default: the last).
    non_enterprises : collection of str
        Ids of drawn units that are not enterprises (for the 涉及企业 row; default none).
    targets : MetricTargets, optional
        The target ratios (default: the plan's 60%, 50%, 95%).

    Returns
    -------
    MonthlyReport
        Rows per department (by code) and for all departments; the module documentation
        defines every figure.

    Examples
    --------
    >>> from randsample.examples import small_monthly_report
    >>> report = small_monthly_report()
    >>> report.row("SAMR", "all").figures(), report.row(None, "all").figures()
    ((1, 3, 2, 1), (1, 3, 2, 1))
    >>> monthly_report([], {})
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: draws: must hold at least one period's draw, got []
    """
    checked = _check_results(draws)
    if not checked:
        raise InvalidInputError("draws", [], "must hold at least one period's draw")
    periods = tuple(result.period for result in checked)
    if period is None:
        period = periods[-1]
    if period not in periods:
        raise InvalidInputError("period", period, f"is not a period of the draws {periods}")
    if isinstance(non_enterprises, str) or not isinstance(non_enterprises, Collection):
        raise InvalidTypeError("non_enterprises", non_enterprises, "a collection of ids")
    excluded = frozenset(non_enterprises)
    drawn = {
        result.period: {v.enterprise for v in result.visits + result.off_site_checks}
        for result in checked
    }
    checked_outcomes = _check_outcomes(outcomes, drawn)
    covered = checked[: periods.index(period) + 1]
    departments = tuple(sorted({d.department for r in checked for d in r.draws}))

    tallies: dict[tuple[str | None, RowKind], _Tally] = {
        (department, kind): _Tally() for department in (*departments, None) for kind in ROW_KINDS
    }
    for result in covered:
        by_task: dict[str, list[DepartmentDraw]] = {}
        for draw in result.draws:
            by_task.setdefault(draw.task_id, []).append(draw)
        for task in result.tasks:
            task_draws = by_task.get(task.task_id, [])
            joint = task.kind == "joint"
            for draw in task_draws:
                ids = draw.sample.ids
                for kind, units in _kinds(joint, draw.uses_credit_risk, ids, excluded):
                    tallies[draw.department, kind].add(result.period, units)
            everyone = sorted({ident for draw in task_draws for ident in draw.sample.ids})
            credit = bool(task_draws) and all(d.uses_credit_risk for d in task_draws)
            for kind, units in _kinds(joint, credit, everyone, excluded):
                tallies[None, kind].add(result.period, units)

    table = tuple(
        tallies[department, kind].row(department, kind, checked_outcomes)
        for department in (*departments, None)
        for kind in ROW_KINDS
    )
    metrics = plan_metrics(covered, targets=targets)
    return MonthlyReport(period, tuple(r.period for r in covered), departments, table, metrics)
