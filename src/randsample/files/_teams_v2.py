"""Files for team-assignment v2: the team visits and the expert pool, as JSON or TOML.

The directory and the conflicts are read as for version 1 (:mod:`randsample.files._teams`).

* team visits: ``{"visits": [{"visit_id", "enterprise_id", "date": "YYYY-MM-DD",
  "departments": [...], "items": {department: [categories]}, "lead", "minimums":
  {department: n}, "experts": n, "expert_categories": [...], "location"}]}`` (``lead``: the
  initiating department, default the first listed; ``minimums``: officers per department,
  default 2; ``experts``, ``expert_categories`` and ``location`` optional, ``location`` may be
  null);
* experts: ``{"experts": [{"id", "categories": [...], "home_region", "capacity",
  "days_off": ["YYYY-MM-DD", ...]}]}`` (``days_off`` optional).

Every value is then checked by :class:`~randsample.teams.TeamVisit` and
:class:`~randsample.teams.Expert`, which name the field and the value on error.
"""

from __future__ import annotations

from pathlib import Path

from ..teams import Expert, ExpertPool, TeamVisit
from ._population import read_mapping
from ._shapes import Shape, date_text, list_of, mapping_of, obj

__all__ = ["read_experts", "read_team_visits"]

_TEAM_VISIT: dict[str, Shape] = {
    "visit_id": str,
    "enterprise_id": str,
    "date": date_text,
    "departments": list_of(str),
    "items": mapping_of(list_of(str)),
}
_TEAM_VISIT_OPTIONAL: dict[str, Shape] = {
    "lead": str,
    "minimums": mapping_of(int),
    "experts": int,
    "expert_categories": list_of(str),
    "location": (str, type(None)),  # spec 19.1: a label or null
}
_EXPERT: dict[str, Shape] = {
    "id": str,
    "categories": list_of(str),
    "home_region": str,
    "capacity": int,
}


def read_team_visits(path: str | Path) -> list[TeamVisit]:
    """Read a team-assignment v2 visits file (JSON or TOML).

    >>> import json, tempfile, os
    >>> visit = {"visit_id": "V-1", "enterprise_id": "E-1", "date": "2026-03-02",
    ...          "departments": ["SAMR", "HEALTH"],
    ...          "items": {"SAMR": ["食品安全"], "HEALTH": ["卫生"]}, "minimums": {"SAMR": 3}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "visits.json")
    ...     with open(path, "w", encoding="utf-8") as f:
    ...         _ = f.write(json.dumps({"visits": [visit]}))
    ...     [(v.lead, v.minimum("SAMR"), v.minimum("HEALTH")) for v in read_team_visits(path)]
    [('SAMR', 3, 2)]
    """
    data = obj(read_mapping(path), f"{path}:", {"visits": list_of(dict)})
    visits = []
    for index, raw in enumerate(data["visits"]):
        item = obj(raw, f"{path}: visits[{index}]", _TEAM_VISIT, _TEAM_VISIT_OPTIONAL)
        item["items"] = {d: set(categories) for d, categories in item["items"].items()}
        if "expert_categories" in item:
            item["expert_categories"] = set(item["expert_categories"])
        visits.append(TeamVisit(**item))
    return visits


def read_experts(path: str | Path) -> ExpertPool:
    """Read an expert pool file (JSON or TOML).

    >>> import json, tempfile, os
    >>> expert = {"id": "X-01", "categories": ["特种设备"], "home_region": "城关镇", "capacity": 4}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "experts.json")
    ...     with open(path, "w", encoding="utf-8") as f:
    ...         _ = f.write(json.dumps({"experts": [expert]}))
    ...     len(read_experts(path))
    1
    """
    data = obj(read_mapping(path), f"{path}:", {"experts": list_of(dict)})
    experts = []
    for index, raw in enumerate(data["experts"]):
        item = obj(raw, f"{path}: experts[{index}]", _EXPERT, {"days_off": list_of(date_text)})
        item["categories"] = set(item["categories"])
        item["days_off"] = set(item.get("days_off", []))
        experts.append(Expert(**item))
    return ExpertPool(experts)
