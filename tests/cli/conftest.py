"""Shared inputs of the command-line tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN_V2 = Path(__file__).parents[1] / "data" / "golden_assignment_v2"


@pytest.fixture
def seven_visits(tmp_path: Path) -> Path:
    """The golden v2 visits without the last one: the complete record's inputs (spec 19.8)."""
    data = json.loads((GOLDEN_V2 / "visits.json").read_text(encoding="utf-8"))
    data["visits"] = data["visits"][:-1]
    path = tmp_path / "seven_visits.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
