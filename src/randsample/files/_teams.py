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

from pathlib import Path

from ..errors import InvalidInputError
from ..teams import Conflicts, Directory, ExcludedPair, Inspector, Relation, Visit
from ._population import read_mapping
from ._shapes import Shape, date_text, list_of, mapping_of, obj

__all__ = ["read_conflicts", "read_directory", "read_visits"]


_INSPECTOR: dict[str, Shape] = {
    "id": str,
    "department": str,
    "certified": bool,
    "categories": list_of(str),
    "home_region": str,
    "capacity": int,
}
_VISIT: dict[str, Shape] = {
    "visit_id": str,
    "enterprise_id": str,
    "enterprise_region": str,
    "date": date_text,
    "departments": list_of(str),
    "items": mapping_of(list_of(str)),
}
_CONFLICTS: dict[str, Shape] = {
    "relations": list_of(list_of(str)),
    "same_locality": bool,
    "history": mapping_of(list_of(list_of(str))),
    "rotation": int,
    "recusals": mapping_of(list_of(str)),
    "exclusions": list_of(list_of(str)),
}


def read_directory(path: str | Path) -> Directory:
    """Read an inspector directory file (JSON or TOML)."""
    data = obj(
        read_mapping(path),
        f"{path}:",
        {"inspectors": list_of(dict)},
        {"departments": list_of(str)},
    )
    inspectors = []
    for index, raw in enumerate(data["inspectors"]):
        item = obj(
            raw, f"{path}: inspectors[{index}]", _INSPECTOR, {"days_off": list_of(date_text)}
        )
        inspectors.append(Inspector(**{**item, "days_off": set(item.get("days_off", []))}))
    return Directory(inspectors, departments=data.get("departments") or set())


def read_visits(path: str | Path) -> list[Visit]:
    """Read a visits file (JSON or TOML)."""
    data = obj(read_mapping(path), f"{path}:", {"visits": list_of(dict)})
    visits = []
    for index, raw in enumerate(data["visits"]):
        item = obj(raw, f"{path}: visits[{index}]", _VISIT, {"team_size": int, "lead": str})
        visits.append(
            Visit(**{**item, "items": {d: set(cats) for d, cats in item["items"].items()}})
        )
    return visits


def _triples(rows: list[list[str]], where: str) -> list[tuple[str, str, str]]:
    for index, row in enumerate(rows):
        if len(row) != 3:
            raise InvalidInputError(
                f"{where}[{index}]", row, "expected [inspector, enterprise, kind or reason]"
            )
    return [(a, b, c) for a, b, c in rows]


def read_conflicts(path: str | Path) -> Conflicts:
    """Read a conflicts file (JSON or TOML); every key is optional."""
    data = obj(read_mapping(path), f"{path}:", {}, _CONFLICTS)
    return Conflicts(
        relations=[
            Relation(*row)  # type: ignore[arg-type]  # the kind is checked by Relation
            for row in _triples(data.get("relations", []), f"{path}: relations")
        ],
        same_locality=data.get("same_locality", False),
        history={e: [set(team) for team in teams] for e, teams in data.get("history", {}).items()},
        rotation=data.get("rotation", 1),
        recusals={e: set(ids) for e, ids in data.get("recusals", {}).items()},
        exclusions=[
            ExcludedPair(*row)
            for row in _triples(data.get("exclusions", []), f"{path}: exclusions")
        ],
    )
