"""Joint inspections: plans, coordinated draws merged into visits, verification."""

from ._draw import (
    CellFigures,
    CoordinationReport,
    DepartmentDraw,
    DrawnUnit,
    JointDraw,
    MergedVisit,
    PairOverlap,
    draw_joint,
    merge_drawn_units,
)
from ._plan import (
    METHODS,
    Department,
    Design,
    InspectionItem,
    MergedPlan,
    MergedTask,
    Method,
    Plan,
    Task,
    TaskPart,
    merge_plan,
)
from ._verify import JointVerificationReport, verify_joint

__all__ = [
    "METHODS",
    "CellFigures",
    "CoordinationReport",
    "Department",
    "DepartmentDraw",
    "Design",
    "DrawnUnit",
    "InspectionItem",
    "JointDraw",
    "JointVerificationReport",
    "MergedPlan",
    "MergedTask",
    "MergedVisit",
    "Method",
    "PairOverlap",
    "Plan",
    "Task",
    "TaskPart",
    "draw_joint",
    "merge_drawn_units",
    "merge_plan",
    "verify_joint",
]
