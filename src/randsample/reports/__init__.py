"""Reports: repeat-inspection burden, the plan's target ratios, the monthly report."""

from ._burden import BurdenReport, EnterpriseBurden, burden, exclude_recent_in_scopes
from ._metrics import MetricTargets, PlanMetric, PlanMetrics, plan_metrics
from ._monthly import (
    ALL_DEPARTMENTS,
    COLUMNS,
    ROW_KINDS,
    MonthlyReport,
    ReportRow,
    RowKind,
    monthly_report,
)
from ._outcome import Outcome

__all__ = [
    "ALL_DEPARTMENTS",
    "COLUMNS",
    "ROW_KINDS",
    "BurdenReport",
    "EnterpriseBurden",
    "MetricTargets",
    "MonthlyReport",
    "Outcome",
    "PlanMetric",
    "PlanMetrics",
    "ReportRow",
    "RowKind",
    "burden",
    "exclude_recent_in_scopes",
    "monthly_report",
    "plan_metrics",
]
