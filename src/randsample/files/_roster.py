"""The inspector roster and the inspection history from tables; visits from a draw.

* :class:`RosterMapping` and :func:`directory_from_table`: the officers' directory (执法检查人员
  名录库) from a spreadsheet or database table, e.g. columns 执法证号, 姓名, 科室, 专业领域,
  所在片区, 本批最多检查户数, 休假日期. Several categories (or days off) in one cell are
  separated by ``、``, ``;``, ``；``, ``,`` or ``，``.
* :func:`history_from_table`: past inspections (enterprise, date, and optionally visit and
  officer) as the last inspection date of each enterprise, for
  :func:`~randsample.population.exclude_recently_inspected`, and each enterprise's past teams,
  oldest first, for :class:`~randsample.teams.Conflicts` ``history``.
* :func:`visits_from_draw`: the visits of a single department's draw, from its record and the
  enterprises' inspection categories, ready for :func:`~randsample.teams.assign_inspectors`
  (a joint draw has :func:`~randsample.teams.visits_from_joint`); :func:`write_visits` writes
  them in the visits file format.

Every bad cell of every row is reported at once (:class:`~randsample.errors.InvalidRowsError`),
named by the table's row labels.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import InvalidInputError, InvalidRowsError, InvalidTypeError, RowProblem
from ..teams import Directory, Inspector, Visit
from ._dates import to_date
from ._tables import Table

__all__ = [
    "History",
    "RosterMapping",
    "directory_from_table",
    "history_from_table",
    "write_visits",
]

_SEPARATORS = re.compile(r"[、;；,，]")
_YES = {"1", "是", "true", "True", "TRUE", "Y", "y"}
_NO = {"0", "否", "false", "False", "FALSE", "N", "n"}


def _split(value: object) -> list[str] | None:
    if not isinstance(value, str):
        return None
    parts = [part.strip() for part in _SEPARATORS.split(value)]
    return parts if all(parts) else None


@attrs.frozen(kw_only=True)
class RosterMapping:
    """Which roster column is what.

    ``certified_column`` None: every listed officer holds a certificate; ``capacity_column``
    None: every officer serves up to ``capacity`` visits.

    >>> RosterMapping(id_column="执法证号", department_column="科室", categories_column="专业",
    ...               region_column="片区", capacity=4).capacity
    4
    """

    id_column: str = "id"
    department_column: str = "department"
    categories_column: str = "categories"
    region_column: str = "home_region"
    certified_column: str | None = None
    capacity_column: str | None = None
    capacity: int | None = None
    days_off_column: str | None = None
    name_column: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.capacity_column is None) == (self.capacity is None):
            raise InvalidInputError(
                "capacity", self.capacity, "give a capacity column or one capacity for all"
            )


def directory_from_table(
    table: Table, mapping: RosterMapping, *, departments: Sequence[str] = ()
) -> Directory:
    """Return the inspector :class:`~randsample.teams.Directory` of a roster table.

    >>> table = Table("r", "r:1", {"id": ["F-01", "F-02"], "department": ["食品科"] * 2,
    ...     "categories": ["餐饮、生产", "餐饮"], "home_region": ["北", "南"]}, ("r:2", "r:3"))
    >>> directory = directory_from_table(table, RosterMapping(capacity=3))
    >>> sorted(directory.get("F-01").categories)
    ['生产', '餐饮']
    """
    if not isinstance(table, Table):
        raise InvalidTypeError("table", table, "a Table")
    problems: list[RowProblem] = []

    def cell(row: int, column: str, convert: Callable[[Any], Any], hint: str) -> Any:
        value = table.column(column)[row]
        converted = convert(value)
        if converted is None:
            problems.append(RowProblem(table.rows[row], column, value, hint))
        return converted

    inspectors = []
    for row in range(len(table)):
        fields = {
            "id": cell(row, mapping.id_column, _text, "expected the officer's id (text)"),
            "department": cell(row, mapping.department_column, _text, "expected a department"),
            "categories": cell(
                row, mapping.categories_column, _split, "expected categories separated by 、"
            ),
            "home_region": cell(row, mapping.region_column, _text, "expected a region"),
            "certified": True,
            "capacity": mapping.capacity,
            "days_off": [],
        }
        if mapping.certified_column is not None:
            fields["certified"] = cell(row, mapping.certified_column, _yes_no, "expected 是 or 否")
        if mapping.capacity_column is not None:
            fields["capacity"] = cell(row, mapping.capacity_column, _count, "expected a count")
        if mapping.days_off_column is not None:
            fields["days_off"] = cell(row, mapping.days_off_column, _days, "expected dates")
        if any(value is None for value in fields.values()):
            continue
        try:
            inspectors.append(Inspector(**fields))
        except (InvalidInputError, InvalidTypeError) as exc:
            problems.append(RowProblem(table.rows[row], "", fields["id"], str(exc)))
    if problems:
        raise InvalidRowsError(table.source, problems)
    return Directory(inspectors, departments=set(departments))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _yes_no(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value in _YES | _NO:
        return value in _YES
    return None


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _days(value: object) -> list[datetime.date] | None:
    if value is None or value == "":
        return []
    if isinstance(value, (datetime.date, int)):
        parts: list[Any] = [value]
    else:
        split = _split(value)
        if split is None:
            return None
        parts = list(split)
    try:
        return [to_date(part, "days_off") for part in parts]
    except (InvalidInputError, InvalidTypeError):
        return None


@attrs.frozen
class History:
    """Past inspections: each enterprise's last inspection date, and its past teams."""

    last_inspected: Mapping[str, datetime.date]
    teams: Mapping[str, list[set[str]]]

    def __repr__(self) -> str:
        return f"History({len(self.last_inspected)} enterprises)"


def history_from_table(
    table: Table,
    *,
    enterprise_column: str,
    date_column: str,
    visit_column: str | None = None,
    inspector_column: str | None = None,
) -> History:
    """Read past inspections: one row per inspection (or per officer of an inspection).

    Dates are converted by :func:`randsample.files.to_date`. With ``inspector_column`` (and
    ``visit_column`` to tell visits apart; else one visit per enterprise and date), the
    officers of each past visit form a team.

    >>> table = Table("h", "h:1", {"企业": ["E1", "E1", "E2"],
    ...     "日期": ["2025年3月4日", "2026/1/9", "20251120"]}, ("h:2", "h:3", "h:4"))
    >>> history = history_from_table(table, enterprise_column="企业", date_column="日期")
    >>> {e: d.isoformat() for e, d in history.last_inspected.items()}
    {'E1': '2026-01-09', 'E2': '2025-11-20'}
    """
    if not isinstance(table, Table):
        raise InvalidTypeError("table", table, "a Table")
    problems: list[RowProblem] = []
    last: dict[str, datetime.date] = {}
    visits: dict[tuple[str, object], tuple[datetime.date, set[str]]] = {}
    enterprises, dates = table.column(enterprise_column), table.column(date_column)
    visit_ids = table.column(visit_column) if visit_column else None
    officers = table.column(inspector_column) if inspector_column else None
    for row, label in enumerate(table.rows):
        enterprise, raw = enterprises[row], dates[row]
        if not isinstance(enterprise, str) or not enterprise:
            problems.append(RowProblem(label, enterprise_column, enterprise, "expected an id"))
            continue
        try:
            day = to_date(raw, date_column)
        except (InvalidInputError, InvalidTypeError) as exc:
            problems.append(RowProblem(label, date_column, raw, str(exc).split(": ", 1)[-1]))
            continue
        last[enterprise] = max(day, last.get(enterprise, day))
        if officers is not None:
            officer = officers[row]
            if not isinstance(officer, str) or not officer:
                problems.append(RowProblem(label, str(inspector_column), officer, "expected an id"))
                continue
            key = (enterprise, visit_ids[row] if visit_ids is not None else day)
            visits.setdefault(key, (day, set()))[1].add(officer)
    if problems:
        raise InvalidRowsError(table.source, problems)
    teams: dict[str, list[set[str]]] = {}
    for (enterprise, _), (_day, team) in sorted(
        visits.items(), key=lambda item: (item[0][0], item[1][0], str(item[0][1]))
    ):
        teams.setdefault(enterprise, []).append(team)
    return History(last, teams)


def write_visits(visits: Sequence[Visit], path: str | Path) -> str:
    """Write ``visits`` in the visits file format (JSON) and return the text written.

    ``path`` ``"-"`` writes nothing (the caller prints the text).
    """
    data = {
        "visits": [
            {
                "visit_id": v.visit_id,
                "enterprise_id": v.enterprise_id,
                "enterprise_region": v.enterprise_region,
                "date": v.date.isoformat(),
                "departments": list(v.departments),
                "items": {d: sorted(v.items[d]) for d in v.departments},
                "team_size": v.team_size,
                "lead": v.lead,
            }
            for v in visits
        ]
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if str(path) != "-":
        Path(path).write_text(text, encoding="utf-8")
    return text
