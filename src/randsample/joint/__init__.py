"""Joint inspections: declared joint tasks of a year plan, or coordinated department draws.

Two explicitly named modes of joint work; joint status always comes from the plan:

* **declared** (the default model, as bureaus run it): :class:`YearPlan` with a joint item
  list (:class:`JointItem`: initiating and cooperating departments, level, items),
  :class:`JointTask` (the initiator draws one list; every cooperating department inspects all
  of it) and :class:`InternalTask`; annual sizing over periods (:meth:`YearPlan.sizing`,
  :func:`allocate_over_periods`), exclusion rules as data (:class:`ExclusionRule`), class
  bands and per-enterprise caps (:class:`Band`, :func:`annual_check`); one period at a time
  with :func:`draw_period` and :func:`verify_period`.
* **coordinated** (一业一查 merging of departments' own designs): :class:`Plan`,
  :func:`merge_plan`, :func:`draw_joint`, :func:`verify_joint`.

Both give a :class:`JointDraw` per period (tasks, draws, one :class:`MergedVisit` per
enterprise), which the reports, the burden and the team bridge read. Credit-risk classes:
:class:`CreditScheme`, :func:`credit_risk_based`.
"""

from ._annual import (
    AnnualCapError,
    AnnualReport,
    Band,
    BandConflictError,
    ClassStanding,
    EnterpriseCount,
    allocate_over_periods,
)
from ._coordination import CellFigures, CoordinationReport, PairOverlap
from ._credit import FIVE_CLASSES, FOUR_CLASSES, CreditScheme, credit_risk_based, nominal_rates
from ._draw import JointDraw, draw_joint
from ._exclusion import ExclusionSummary, apply_exclusions
from ._merge import MergedPlan, MergedTask, TaskPart, merge_plan
from ._period import annual_check, draw_period, inspections_from, verify_period
from ._plan import (
    ITEM_KINDS,
    METHODS,
    Department,
    Design,
    InspectionItem,
    ItemKind,
    Method,
    Plan,
    Task,
)
from ._quota import OBJECT_TYPES, ObjectType, Quota, object_type_of, parse_quota
from ._rules import (
    COMPLAINT,
    NO_PROBLEM,
    PROBLEM_FOUND,
    RANDOM,
    RISK_ALERT,
    ExclusionRule,
    InspectionHistory,
    PastInspection,
)
from ._sizing import AnnualSizing, SizingRow
from ._tasks import LEVELS, TARGETINGS, InternalTask, JointItem, JointTask, Level, Targeting
from ._verify import JointVerificationReport, verify_joint
from ._visits import DepartmentDraw, DrawnUnit, MergedVisit, merge_drawn_units
from ._year import YearPlan

__all__ = [
    "COMPLAINT",
    "FIVE_CLASSES",
    "FOUR_CLASSES",
    "ITEM_KINDS",
    "LEVELS",
    "METHODS",
    "NO_PROBLEM",
    "OBJECT_TYPES",
    "PROBLEM_FOUND",
    "RANDOM",
    "RISK_ALERT",
    "TARGETINGS",
    "AnnualCapError",
    "AnnualReport",
    "AnnualSizing",
    "Band",
    "BandConflictError",
    "CellFigures",
    "ClassStanding",
    "CoordinationReport",
    "CreditScheme",
    "Department",
    "DepartmentDraw",
    "Design",
    "DrawnUnit",
    "EnterpriseCount",
    "ExclusionRule",
    "ExclusionSummary",
    "InspectionHistory",
    "InspectionItem",
    "InternalTask",
    "ItemKind",
    "JointDraw",
    "JointItem",
    "JointTask",
    "JointVerificationReport",
    "Level",
    "MergedPlan",
    "MergedTask",
    "MergedVisit",
    "Method",
    "ObjectType",
    "PairOverlap",
    "PastInspection",
    "Plan",
    "Quota",
    "SizingRow",
    "Targeting",
    "Task",
    "TaskPart",
    "YearPlan",
    "allocate_over_periods",
    "annual_check",
    "apply_exclusions",
    "credit_risk_based",
    "draw_joint",
    "draw_period",
    "inspections_from",
    "merge_drawn_units",
    "merge_plan",
    "nominal_rates",
    "object_type_of",
    "parse_quota",
    "verify_joint",
    "verify_period",
]
