"""Shared fixtures of the results tests: a small draw, its result log, a publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from randsample import Population, Seed
from randsample.joint import Department, InspectionItem
from randsample.results import Drawn, InspectionResult, ResultLog, enter_result

D = dt.date
DRAWN = Drawn(
    {
        ("T1", "SAMR"): ("2026-03", frozenset({"E1", "E2", "E3"})),
        ("T1", "HEALTH"): ("2026-03", frozenset({"E1", "E2"})),
    }
)
DEPARTMENTS = [Department("SAMR", "市场监管局"), Department("HEALTH", "卫生健康局")]
ITEMS = [
    InspectionItem("SAMR", "F-01", "《食品安全法》", "食品安全", "on-site"),
    InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
]
SECRET = bytes(range(40, 72))
SEED = Seed.from_bytes(bytes(range(100, 132)))


def fields(**changes: Any) -> dict[str, Any]:
    """Keyword arguments of a valid enter_result for (T1, SAMR, E1), with changes."""
    out: dict[str, Any] = {
        "task_id": "T1",
        "department": "SAMR",
        "enterprise_id": "E1",
        "period": "2026-03",
        "category": "corrected",
        "methods": ["on-site"],
        "follow_ups": ["order-correction"],
        "officers": ["O-1", "O-2"],
        "leader": "O-1",
        "inspection_start": D(2026, 3, 2),
        "inspection_end": D(2026, 3, 3),
        "on": D(2026, 3, 4),
        "by": "O-1",
    }
    out.update(changes)
    return out


def entered(**changes: Any) -> InspectionResult:
    """A freshly entered result (待审核)."""
    return enter_result(**fields(**changes))


def published_log() -> ResultLog:
    """E1 published by SAMR (problem) and HEALTH (no problem), E2 entered by SAMR only."""
    log = ResultLog(DRAWN)
    a = log.enter(**{k: v for k, v in fields().items() if k != "period"})
    b = log.enter(
        **{
            k: v
            for k, v in fields(
                department="HEALTH", category="no-problem", follow_ups=["none"]
            ).items()
            if k != "period"
        }
    )
    log.enter(
        **{k: v for k, v in fields(enterprise_id="E2", on=D(2026, 3, 5)).items() if k != "period"}
    )
    for key, day in ((a.key, 6), (b.key, 6)):
        log.move(key, "approved", on=D(2026, 3, day), by="chief")
    for key, day in ((a.key, 9), (b.key, 10)):
        log.move(key, "published", on=D(2026, 3, day), by="chief")
    return log


def population(n: int = 60) -> Population:
    """A population with classes A-D and some ineligible units."""
    return Population.from_columns(
        [f"91350100M{i:08d}" for i in range(n)],
        strata=["ABCD"[i % 4] for i in range(n)],
        eligible=[i % 7 != 0 for i in range(n)],
    )
