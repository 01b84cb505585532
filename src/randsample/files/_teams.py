"""Files for inspector assignment: the directory, the visits and the conflicts as JSON.

The edge of the library for the ``randsample assign`` command: these readers turn JSON (or
TOML) files into :class:`~randsample.teams.Directory`, a list of
:class:`~randsample.teams.Visit` and :class:`~randsample.teams.Conflicts`; every
value is then checked by those classes, which name the field and the value on error.

* directory: ``{"inspectors": [{"id", "department", "certified", "categories": [...],
  "home_region", "capacity", "days_off": ["YYYY-MM-DD", ...]}], "departments": [...]}``
  (``days_off`` and ``departments`` optional);
* visits: ``{"visits": [{"visit_id", "enterprise_id", "enterprise_region", "date",
  "departments": [...], "items": {department: [categories]}, "team_size", "lead"}]}``
  (``team_size`` and ``lead`` optional);
* conflicts: ``{"relations": [[inspector, enterprise, kind]], "same_locality": true,
  "history": {enterprise: [[inspector ids], ...]}, "rotation": 1,
  "recusals": {enterprise: [inspector ids]}, "exclusions": [[inspector, enterprise, reason]]}``
  (every key optional).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from ..teams import Conflicts, Directory, ExcludedPair, Inspector, Relation, Visit
from ._population import read_mapping

__all__ = ["read_conflicts", "read_directory", "read_visits"]


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise InvalidInputError(f"{where}: {key}", value, "expected a list")
    return value


def _object(value: object, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInputError(where, value, "expected an object")
    missing = sorted(required - set(value))
    if missing:
        raise InvalidInputError(f"{where}.{missing[0]}", None, "is missing")
    extra = sorted(set(value) - required - optional)
    if extra:
        raise InvalidInputError(f"{where}.{extra[0]}", value[extra[0]], "is not a known field")
    return value


def _date(value: object, where: str) -> datetime.date:
    if not isinstance(value, str):
        raise InvalidInputError(where, value, "expected a date YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(where, value, "expected a date YYYY-MM-DD") from None


def read_directory(path: str | Path) -> Directory:
    """Read an inspector directory file (JSON or TOML)."""
    data = read_mapping(path)
    inspectors = []
    for index, raw in enumerate(_list(data, "inspectors", str(path))):
        where = f"{path}: inspectors[{index}]"
        item = _object(
            raw,
            where,
            {"id", "department", "certified", "categories", "home_region", "capacity"},
            {"days_off"},
        )
        inspectors.append(
            Inspector(
                id=item["id"],
                department=item["department"],
                certified=item["certified"],
                categories=item["categories"],
                home_region=item["home_region"],
                capacity=item["capacity"],
                days_off={_date(d, f"{where}.days_off") for d in item.get("days_off", [])},
            )
        )
    departments = data.get("departments")
    return Directory(inspectors, departments=departments or set())


def read_visits(path: str | Path) -> list[Visit]:
    """Read a visits file (JSON or TOML)."""
    data = read_mapping(path)
    visits = []
    for index, raw in enumerate(_list(data, "visits", str(path))):
        where = f"{path}: visits[{index}]"
        item = _object(
            raw,
            where,
            {"visit_id", "enterprise_id", "enterprise_region", "date", "departments", "items"},
            {"team_size", "lead"},
        )
        optional = {k: item[k] for k in ("team_size", "lead") if k in item}
        visits.append(
            Visit(
                visit_id=item["visit_id"],
                enterprise_id=item["enterprise_id"],
                enterprise_region=item["enterprise_region"],
                date=_date(item["date"], f"{where}.date"),
                departments=item["departments"],
                items={department: set(cats) for department, cats in dict(item["items"]).items()},
                **optional,
            )
        )
    return visits


def read_conflicts(path: str | Path) -> Conflicts:
    """Read a conflicts file (JSON or TOML); every key is optional."""
    data = _object(
        read_mapping(path),
        str(path),
        set(),
        {"relations", "same_locality", "history", "rotation", "recusals", "exclusions"},
    )
    relations = [Relation(*triple) for triple in data.get("relations", [])]
    exclusions = [ExcludedPair(*triple) for triple in data.get("exclusions", [])]
    return Conflicts(
        relations=relations,
        same_locality=data.get("same_locality", True),
        history={e: [set(team) for team in teams] for e, teams in data.get("history", {}).items()},
        rotation=data.get("rotation", 1),
        recusals={e: set(ids) for e, ids in data.get("recusals", {}).items()},
        exclusions=exclusions,
    )
