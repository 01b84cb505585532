"""Reports: repeat-inspection burden, the plan's target ratios, the monthly report.

:func:`results_report` builds the monthly table from the departments' dated results
(:mod:`randsample.results`); the legacy :func:`monthly_report` from one shared
:class:`Outcome` per enterprise and period is kept for existing callers.
"""

from ._burden import BurdenReport, EnterpriseBurden, burden, exclude_recent_in_scopes
from ._from_results import (
    PLATFORM_ROWS,
    PLATFORMS,
    PROGRESS_DUE,
    Counting,
    ProgressReport,
    ResultsReport,
    ResultsRow,
    monthly_due_date,
    progress_due_dates,
    progress_report,
    results_report,
)
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
    "PLATFORMS",
    "PLATFORM_ROWS",
    "PROGRESS_DUE",
    "ROW_KINDS",
    "BurdenReport",
    "Counting",
    "EnterpriseBurden",
    "MetricTargets",
    "MonthlyReport",
    "Outcome",
    "PlanMetric",
    "PlanMetrics",
    "ProgressReport",
    "ReportRow",
    "ResultsReport",
    "ResultsRow",
    "RowKind",
    "burden",
    "exclude_recent_in_scopes",
    "monthly_due_date",
    "monthly_report",
    "plan_metrics",
    "progress_due_dates",
    "progress_report",
    "results_report",
]
