"""Joint inspections: plans, coordinated department draws merged into visits, verification."""

from ._coordination import CellFigures, CoordinationReport, PairOverlap
from ._draw import JointDraw, draw_joint
from ._merge import MergedPlan, MergedTask, TaskPart, merge_plan
from ._plan import METHODS, Department, Design, InspectionItem, Method, Plan, Task
from ._verify import JointVerificationReport, verify_joint
from ._visits import DepartmentDraw, DrawnUnit, MergedVisit, merge_drawn_units

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
