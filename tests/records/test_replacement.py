"""Replacements: next unit in ticket order, sealed records, re-derived by verification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    Population,
    SampleSizeError,
    Seed,
    draw_stratified,
    make_record,
    ticket_order,
    tickets,
)
from randsample.design import draw_stratified_pips
from randsample.records import ReplacementRecord, record_replacement, verify_replacements
from randsample.records._seal import compute_digest

SEED = Seed.from_bytes(bytes(range(16)))
POP = Population.from_columns(
    [f"a{i}" for i in range(8)] + [f"d{i}" for i in range(3)],
    strata=["A"] * 8 + ["D"] * 3,
    eligible=[i != 2 for i in range(11)],
    weights=[1.0 + i for i in range(11)],
)
DRAW = make_record(
    draw_stratified(POP, {"A": 3, "D": 1}, SEED),
    authority="bureau",
    draw_id="d1",
    timestamp="2026-11-27T02:00:00Z",
)


def _order(stratum: str) -> list[str]:
    ids = [
        i for i, s, e in zip(POP.ids, POP.strata, POP.eligible, strict=True) if s == stratum and e
    ]
    return [ids[k] for k in ticket_order(tickets(SEED.subkey("enterprises"), ids), ids=ids)]


def _replace(
    unit: str, earlier: list[ReplacementRecord], day: int = 28, month: int = 11
) -> ReplacementRecord:
    return record_replacement(
        DRAW,
        POP,
        unit_id=unit,
        reason="注销 (deregistered)",
        recorded_by="执法人员 07",
        timestamp=f"2026-{month:02d}-{day:02d}T02:00:00Z",
        previous=earlier[-1] if earlier else DRAW,
        earlier=earlier,
    )


def test_replacements_take_the_next_tickets_and_verify():
    """The k-th replacement in a stratum is rank n_h + k; replacing a replacement works; the
    whole chain verifies and every earlier unit stays."""
    order = _order("A")
    assert list(order[:3]) == [e["id"] for e in DRAW["selection"] if e["stratum"] == "A"]
    first = _replace(order[1], [])
    second = _replace(first["replacement"]["id"], [first], day=29)
    third = _replace(order[0], [first, second], day=30)
    assert [order[3], order[4], order[5]] == [
        r["replacement"]["id"] for r in (first, second, third)
    ]
    assert [4, 5, 6] == [r["replacement"]["rank"] for r in (first, second, third)]
    assert "4/7" == first["replacement"]["reach_probability"]  # 7 eligible units in A
    assert verify_replacements(DRAW, POP, [first, second, third]).ok
    again = ReplacementRecord.from_json(third.to_json())
    assert third.to_json() == again.to_json()


@given(st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=4))
def test_any_sequence_of_replacements_keeps_the_sample_size(positions):
    """Whatever is replaced, the current sample keeps n_h distinct units, all eligible."""
    records: list[ReplacementRecord] = []
    current = [e["id"] for e in DRAW["selection"] if e["stratum"] == "A"]
    for day, position in enumerate(positions, start=1):
        record = _replace(current[position], records, day=day, month=12)
        current[position] = record["replacement"]["id"]
        records.append(record)
    assert 3 == len(set(current))
    assert "a2" not in current  # the ineligible unit is never used
    assert verify_replacements(DRAW, POP, records).ok


def test_tampered_replacement_is_named():
    """Choosing another replacement (even resealed) is caught and named."""
    first = _replace(DRAW["selection"][0]["id"], [])
    content = first.content
    content["replacement"]["id"] = _order("A")[6]
    content["record_digest"] = compute_digest(content)
    report = verify_replacements(DRAW, POP, [ReplacementRecord(content)])
    assert ("replacements[0].replacement",) == report.fields
    content["draw_record_digest"] = "0" * 64
    assert (
        "replacements[0].draw_record_digest"
        in verify_replacements(DRAW, POP, [ReplacementRecord(content)]).fields
    )


def test_bad_requests():
    """Unknown or already-replaced units, an exhausted stratum and πps draws are refused."""
    with pytest.raises(InvalidInputError, match="never selected"):
        _replace("a2", [])
    d_unit = next(e["id"] for e in DRAW["selection"] if e["stratum"] == "D")
    first = _replace(d_unit, [])
    with pytest.raises(InvalidInputError, match="already replaced"):
        _replace(d_unit, [first])
    second = _replace(first["replacement"]["id"], [first], day=29)
    with pytest.raises(SampleSizeError, match="all 3 eligible units of stratum 'D' are used"):
        _replace(second["replacement"]["id"], [first, second], day=30)
    pips = make_record(
        draw_stratified_pips(POP, {"A": 1, "D": 1}, SEED),
        authority="b",
        draw_id="p",
        timestamp="2026-11-27T02:00:00Z",
    )
    with pytest.raises(InvalidInputError, match=r"draw\.algorithm"):
        record_replacement(
            pips,
            POP,
            unit_id=pips.selected_ids[0],
            reason="x",
            recorded_by="y",
            timestamp="2026-11-28T00:00:00Z",
            previous=pips,
        )
