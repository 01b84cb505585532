"""Reports: repeat-inspection burden, the plan's target ratios, the monthly report."""

from ._burden import BurdenReport, EnterpriseBurden, burden, exclude_recent_in_scopes
from ._metrics import MetricTargets, PlanMetric, PlanMetrics, plan_metrics
from ._monthly import (
    ALL_DEPARTMENTS,
    COLUMNS,
    ROW_KINDS,
    MonthlyReport,
    Outcome,
    ReportRow,
    RowKind,
    monthly_report,
    write_csv,
)

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
    "write_csv",
]
