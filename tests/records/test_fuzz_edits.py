"""Every single-field edit of every record kind is caught, or listed as unprotected.

For a draw (announced; and raw-seed, chained), a replacement, an assignment and an
announcement, hypothesis edits one field (a new value of the same or another JSON type, a
deleted or added field, an array element dropped or repeated), re-sealed or not, and the
record is verified with all its inputs. The edit must be caught (the record is malformed, or
does not verify) unless the field is listed as unprotected in docs/spec.md section 16.6 for
that context: what an authority may write as it likes (its own ids, informative text), or
bounded only by order (a timestamp between its neighbours).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from randsample.errors import RandsampleError
from randsample.files import (
    read_conflicts,
    read_directory,
    read_population_csv,
    read_record,
    read_visits,
)
from randsample.records import (
    AnnouncedSource,
    SealedRecord,
    announce_assignment,
    check_announcement,
    compute_digest,
    verify,
    verify_replacements,
)
from randsample.records import read_record as parse
from randsample.teams import verify_assignment

from .verdicts import cases

DATA = Path(__file__).parents[1] / "data"
GOLDEN = DATA / "golden_draw"
TEAMS = DATA / "golden_assignment"

#: docs/spec.md section 16.6, by context: the fields an edit of which no verifier can catch.
_ORDER = "seed.sources[].values (order)"
UNPROTECTED: dict[str, set[str]] = {
    "draw-announced": {"timestamp", "library.version", "previous_record_digest", _ORDER},
    "draw-chained": {"draw_id", "timestamp", "library.version"},
    "replacement": {"timestamp", "replaced.reason", "replaced.recorded_by"},
    "assignment": {"timestamp", "library.version", _ORDER},
    "announcement": {"timestamp", "library.version", "previous_record_digest", "sources[].date"},
}


@cache
def _population() -> Any:
    return read_population_csv(GOLDEN / "population.csv")


@cache
def _teams_inputs() -> tuple[Any, Any, Any]:
    visits = read_visits(TEAMS / "visits.json")[:7]
    return (
        read_directory(TEAMS / "directory.json"),
        visits,
        read_conflicts(TEAMS / "conflicts.json"),
    )


def _announcement_text() -> str:
    return str(cases()["ok-announced"]["announcement"])


def _ok(report: Any) -> bool:
    return bool(report.ok)


def _verify_draw_announced(record: SealedRecord) -> bool:
    return _ok(verify(record, _population(), announcement=_announcement_text()))


def _verify_draw_chained(record: SealedRecord) -> bool:
    previous = read_record(GOLDEN / "record1.json")
    return _ok(verify(record, _population(), previous=previous))


def _verify_replacement(record: SealedRecord) -> bool:
    draw = read_record(GOLDEN / "record1.json")
    first = read_record(GOLDEN / "replacement1.json")
    return _ok(verify_replacements(draw, _population(), [first, record]))  # type: ignore[arg-type, list-item]


@cache
def _teams_announcement() -> str:
    # The announcement the golden complete assignment follows (its digests, sources, secret).
    record = json.loads((TEAMS / "record_complete.json").read_text("utf-8"))
    return announce_assignment(
        directory_digest=record["directory"]["digest"],
        input_digest=record["input"]["digest"],
        conflicts_digest=record["input"]["conflicts_digest"],
        sources=[
            AnnouncedSource(s["name"], datetime.date(2026, 2, 25), len(s["values"]))
            for s in record["seed"]["sources"]
        ],
        authority=record["authority"],
        assignment_id=record["assignment_id"],
        timestamp="2026-02-20T02:00:00Z",
        secret=bytes.fromhex(record["seed"]["secret"]),
    ).to_json()


def _verify_assignment(record: SealedRecord) -> bool:
    directory, visits, conflicts = _teams_inputs()
    previous = read_record(TEAMS / "record_partial.json")
    report = verify_assignment(
        record,
        directory,
        visits,
        conflicts=conflicts,
        previous=previous,  # type: ignore[arg-type]
    )
    notice = parse(_teams_announcement())
    return _ok(report) and not check_announcement(record, notice)  # type: ignore[arg-type]


def _verify_announcement(record: SealedRecord) -> bool:
    draw = read_record(GOLDEN / "record1.json")
    return _ok(verify(draw, _population(), announcement=record))  # type: ignore[arg-type]


CONTEXTS: dict[str, tuple[Callable[[], str], Callable[[SealedRecord], bool]]] = {
    "draw-announced": (
        lambda: (GOLDEN / "record1.json").read_text("utf-8"),
        _verify_draw_announced,
    ),
    "draw-chained": (lambda: (GOLDEN / "record2.json").read_text("utf-8"), _verify_draw_chained),
    "replacement": (lambda: (GOLDEN / "replacement2.json").read_text("utf-8"), _verify_replacement),
    "assignment": (lambda: (TEAMS / "record_complete.json").read_text("utf-8"), _verify_assignment),
    "announcement": (_announcement_text, _verify_announcement),
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):  # the first entries stand for the rest
            found += _paths(item, (*prefix, index))
    return found


def _name(path: tuple[Any, ...]) -> str:
    text = ""
    for key in path:
        if key == "(order)":
            text += " (order)"
        else:
            text += "[]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def _strings(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, dict):
        return [s for v in content.values() for s in _strings(v)]
    if isinstance(content, list):
        return [s for v in content for s in _strings(v)]
    return []


@st.composite
def _new_value(draw: st.DrawFn, old: Any, content: dict[str, Any]) -> Any:
    others = st.sampled_from(sorted(set(_strings(content)) - {str(old)}) or ["x"])
    anything = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.text(max_size=8), others
    )
    if isinstance(old, bool):
        return draw(st.one_of(st.just(not old), st.just(int(old)), anything))
    if isinstance(old, int):
        return draw(st.one_of(st.integers(old - 3, old + 3), st.just(str(old)), anything))
    if isinstance(old, str):
        changed = st.one_of(
            st.just(old + "0"), st.just(old[:-1]), st.just(old.upper()), st.just(" " + old),
            st.just(old[::-1]), others,
        )  # fmt: skip
        return draw(st.one_of(changed, anything))
    if isinstance(old, list):
        shorter = st.just(old[1:]) if old else st.just(["x"])
        longer = st.just([*old, old[0]]) if old else st.just([1])
        return draw(st.one_of(shorter, longer, st.just(old[::-1]), anything))
    if isinstance(old, dict):
        return draw(st.one_of(st.just({**old, "extra": 1}), st.just({}), anything))
    return draw(anything)


@st.composite
def edits(draw: st.DrawFn, text: str) -> tuple[str, str, bool]:
    """(edited record text, the edited field's name, re-sealed?)."""
    content = json.loads(text)
    path = draw(st.sampled_from(_paths(content)))
    edited = copy.deepcopy(content)
    parent = edited
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(path[-1], str) and draw(st.booleans()) and draw(st.booleans()):
        del parent[path[-1]]
    else:
        old = parent[path[-1]]
        parent[path[-1]] = new = draw(_new_value(old, content))
        if (
            isinstance(old, list)
            and isinstance(new, list)
            and sorted(map(str, old)) == sorted(map(str, new))
        ):
            path = (*path, "(order)")
    resealed = draw(st.booleans())
    if resealed and isinstance(edited, dict):
        # A value canonical JSON cannot hold cannot be sealed: the reader refuses it anyway.
        with contextlib.suppress(RandsampleError):
            edited["record_digest"] = compute_digest(edited)
    return json.dumps(edited, ensure_ascii=False), _name(path), resealed


def _caught(context: str, text: str) -> bool:
    try:
        record = parse(text, check_digest=False)
        return not CONTEXTS[context][1](record)
    except RandsampleError:
        return True


def test_every_context_verifies_unedited():
    """Each unedited record verifies in its context (so a caught edit is the edit's doing)."""
    for context, (text, _) in CONTEXTS.items():
        assert not _caught(context, text()), context


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")))
@given(st.data())
def test_every_single_field_edit_is_caught_or_unprotected(data: st.DataObject):
    """An edit of one field, re-sealed or not, is caught unless the spec lists it unprotected."""
    context = data.draw(st.sampled_from(sorted(CONTEXTS)))
    original = CONTEXTS[context][0]()
    text, field, resealed = data.draw(edits(original))
    if json.loads(text) == json.loads(original):
        event("no edit")
        return  # no edit at all (e.g. the digest re-sealed to itself)
    if _caught(context, text):
        event(f"{context}: caught")
        return
    event(f"{context}: unprotected {field}")
    assert resealed, f"{context}: an unsealed edit of {field} verified"
    assert field in UNPROTECTED[context], f"{context}: a re-sealed edit of {field} verified"
