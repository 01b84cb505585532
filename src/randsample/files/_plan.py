"""Files for joint plans and inspection outcomes (the edge for ``randsample report``).

* plan (JSON or TOML): ``{"departments": [{"code", "name"}], "items": [{"department",
  "item_id", "legal_basis", "category", "method"}], "tasks": [{"task_id", "department",
  "items": [...], "scope", "period", and one of "rates" / "sizes" / "take_all", optional
  "rounding", "uses_credit_risk"}], "leads": {scope: department}}``;
* outcomes (CSV, UTF-8): header ``period,enterprise_id,completed,problem_found`` with ``1`` /
  ``0`` flags; an enterprise not listed was not completed.

Every value is checked by :class:`~randsample.joint.Plan` and its parts, or by
:class:`~randsample.reports.Outcome`, which name the field and the value on error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from ..joint import Department, InspectionItem, Plan, Task
from ..reports import Outcome
from ._csv import read_rows
from ._population import read_mapping

__all__ = ["OUTCOMES_HEADER", "read_outcomes", "read_plan"]

OUTCOMES_HEADER = ["period", "enterprise_id", "completed", "problem_found"]
_TASK_FIELDS = {
    "task_id", "department", "items", "scope", "period",
    "rates", "sizes", "take_all", "rounding", "uses_credit_risk",
}  # fmt: skip


def _records(data: dict[str, Any], key: str, path: str | Path) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInputError(f"{path}: {key}", value, "expected a list of objects")
    return value


def read_plan(path: str | Path) -> Plan:
    """Read a plan file (JSON or TOML) into a validated :class:`~randsample.joint.Plan`."""
    data = read_mapping(path)
    unknown = sorted(set(data) - {"departments", "items", "tasks", "leads"})
    if unknown:
        raise InvalidInputError(f"{path}: {unknown[0]}", data[unknown[0]], "is not a plan field")
    try:
        departments = [
            Department(d["code"], d["name"]) for d in _records(data, "departments", path)
        ]
        items = [
            InspectionItem(
                i["department"], i["item_id"], i["legal_basis"], i["category"], i["method"]
            )
            for i in _records(data, "items", path)
        ]
    except KeyError as exc:
        raise InvalidInputError(
            str(path), exc.args[0], "is missing from a department or item"
        ) from None
    tasks = []
    for index, task in enumerate(_records(data, "tasks", path)):
        extra = sorted(set(task) - _TASK_FIELDS)
        if extra:
            raise InvalidInputError(
                f"{path}: tasks[{index}].{extra[0]}", task[extra[0]], "is not a task field"
            )
        try:
            tasks.append(Task(**task))
        except TypeError as exc:  # a required field is missing
            raise InvalidInputError(f"{path}: tasks[{index}]", sorted(task), str(exc)) from None
    return Plan(departments, items, tasks, data.get("leads", {}))


def read_outcomes(path: str | Path) -> dict[tuple[str, str], Outcome]:
    """Read inspection outcomes: one CSV row per (period, enterprise)."""
    outcomes: dict[tuple[str, str], Outcome] = {}
    for line, row in read_rows(path, OUTCOMES_HEADER):
        if row[2] not in ("0", "1") or row[3] not in ("0", "1"):
            raise InvalidInputError(f"{path}:{line}", row, "expected period,enterprise_id,1|0,1|0")
        key = (row[0], row[1])
        if key in outcomes:
            raise InvalidInputError(f"{path}:{line}", row[:2], "repeats a (period, enterprise)")
        outcomes[key] = Outcome(row[2] == "1", row[3] == "1")
    return outcomes
