"""Writing reports: the monthly report (月报表) as CSV for spreadsheets and platforms."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..errors import InvalidInputError, InvalidTypeError
from ..reports import ALL_DEPARTMENTS, COLUMNS, MonthlyReport
from ._atomic import write_atomic
from ._csv import spreadsheet_cell

__all__ = ["write_monthly_csv"]


def write_monthly_csv(
    report: MonthlyReport,
    target: TextIO | str | Path,
    *,
    department_names: Mapping[str, str] | None = None,
    force: bool = False,
) -> None:
    """Write the report's rows as CSV (headers in Chinese and English) to a handle or a file.

    ``target`` is an open text handle (opened with ``newline=""``) or a path, written
    atomically with a byte-order mark (so spreadsheet programs read the Chinese right; an
    existing file is replaced only with ``force``). With ``department_names`` (code -> name,
    e.g. from the plan) the department column shows names instead of codes; a code without a
    name is an error. Cells that spreadsheet software would run as formulas are neutralised
    (:func:`~randsample.files.spreadsheet_cell`).

    >>> import io
    >>> buffer = io.StringIO()
    >>> from randsample.examples import small_monthly_report
    >>> write_monthly_csv(small_monthly_report(), buffer)
    >>> print(buffer.getvalue().splitlines()[0])
    期间 period,单位 department,统计项目 item,次数 inspections,抽查总户数 enterprises drawn,\
完成检查户数 enterprises completed,发现问题户数 enterprises with problems
    >>> print(buffer.getvalue().splitlines()[1])
    2026-Q4,HEALTH,开展随机抽查情况-总计 all random inspections,1,3,2,1
    """
    if not isinstance(report, MonthlyReport):
        raise InvalidTypeError("report", report, "a MonthlyReport")
    if isinstance(target, (str, Path)):
        buffer = io.StringIO(newline="")
        write_monthly_csv(report, buffer, department_names=department_names)
        write_atomic(target, "\ufeff" + buffer.getvalue(), force=force)
        return
    handle = target
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(
        [
            "期间 period",
            "单位 department",
            "统计项目 item",
            *(f"{zh} {name.replace('_', ' ')}" for name, zh in COLUMNS),
        ]
    )
    for entry in report.table:
        if entry.department is None:
            department = f"{ALL_DEPARTMENTS[1]} {ALL_DEPARTMENTS[0]}"
        elif department_names is None:
            department = entry.department
        elif entry.department in department_names:
            department = department_names[entry.department]
        else:
            raise InvalidInputError("department_names", entry.department, "has no name")
        cells = [report.period, department, f"{entry.label_zh} {entry.label}", *entry.figures()]
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
