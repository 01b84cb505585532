"""File readers fail with typed errors only: whatever a file holds, no builtin error escapes.

Every reader is given random bytes and random JSON values (right and wrong shapes); each call
either returns or raises a RandsampleError (an OSError only for a file that cannot be read).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randsample.errors import RandsampleError
from randsample.examples import demo_population
from randsample.files import (
    read_conflicts,
    read_design,
    read_directory,
    read_mapping,
    read_outcomes,
    read_plan,
    read_population,
    read_record,
    read_seed,
    read_visits,
)

POPULATION = demo_population(size=50)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

KEYS = {
    "seed": ["hex", "sources", "secret", "commitment", "name", "values"],
    "design": ["sizes", "rates", "rounding", "minimum", "maximum", "counts", "take_all", "A"],
    "directory": [
        "inspectors",
        "departments",
        "id",
        "department",
        "certified",
        "categories",
        "home_region",
        "capacity",
        "days_off",
    ],
    "visits": [
        "visits",
        "visit_id",
        "enterprise_id",
        "enterprise_region",
        "date",
        "departments",
        "items",
        "team_size",
        "lead",
    ],
    "conflicts": ["relations", "same_locality", "history", "rotation", "recusals", "exclusions"],
    "plan": ["departments", "items", "tasks", "industry_leads", "code", "name", "task_id"],
}


def shaped(keys: list[str]):
    """Objects whose keys are the reader's own field names, with random values."""
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys))


READERS = {
    "seed": read_seed,
    "design": lambda p: read_design(p, POPULATION),
    "directory": read_directory,
    "visits": read_visits,
    "conflicts": read_conflicts,
    "plan": read_plan,
    "mapping": read_mapping,
    "record": read_record,
}


def _call(reader, path: Path) -> None:
    with contextlib.suppress(RandsampleError):
        reader(path)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_json_readers_raise_only_typed_errors(name, data, tmp_path: Path):
    """Random JSON of the reader's own shape or any shape: a value or a RandsampleError."""
    keys = KEYS.get(name, ["a"])
    top = data.draw(
        shaped(keys)
        | json_values
        | st.fixed_dictionaries({keys[0]: st.lists(shaped(keys), max_size=3)})
    )
    path = tmp_path / "input.json"
    path.write_text(json.dumps(top, allow_nan=True), encoding="utf-8")
    _call(READERS[name], path)


@pytest.mark.parametrize("suffix", [".json", ".toml", ".csv", ".parquet"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=200))
def test_random_bytes_give_typed_errors(suffix, blob, tmp_path: Path):
    """Undecodable or malformed bytes in any reader are typed errors."""
    path = tmp_path / f"input{suffix}"
    path.write_bytes(blob)
    for reader in (read_mapping, read_seed, read_record, read_outcomes, read_population):
        _call(reader, path)
