"""Verification and replacements on partitions give the single-process reports and records."""

from __future__ import annotations

import json

import pytest

from randsample import Seed, draw_stratified, make_record, read_record, verify
from randsample.distributed import (
    PartitionedPopulation,
    record_replacement_dataset,
    verify_dataset,
    verify_replacements_dataset,
)
from randsample.errors import InvalidInputError
from randsample.examples import demo_population
from randsample.records import record_replacement, verify_replacements

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")
STAMP = "2026-11-27T02:00:00Z"
POPULATION = demo_population(size=60)
SIZES = {h: m // 3 for h, m in POPULATION.eligible_counts().items()}
RECORD = make_record(
    draw_stratified(POPULATION, SIZES, SEED), authority="bureau", draw_id="d1", timestamp=STAMP
)


def _edited(change):
    content = json.loads(RECORD.to_json())
    change(content)
    return json.dumps(content, ensure_ascii=False)


def _swap_rank(content):
    content["selection"][0]["rank"], content["selection"][1]["rank"] = (
        content["selection"][1]["rank"],
        content["selection"][0]["rank"],
    )


EDITS = {
    "intact": lambda c: None,
    "rank swapped": _swap_rank,
    "unit dropped": lambda c: c["selection"].pop(),
    "digest": lambda c: c["population"].update(digest="0" * 64),
    "units": lambda c: c["design"]["strata"][0].update(units=c["design"]["strata"][0]["units"] + 1),
    "seed": lambda c: c["seed"].update(value="11" * 32),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_reports_identical_to_local_verify(client, edit):
    """For an intact record and for edited ones, the cluster report names the same fields
    with the same messages as randsample.verify, for several partitionings."""
    text = _edited(EDITS[edit])
    local = verify(text, POPULATION)
    for partitions, where in (([60], client), ([0, 20, 0, 40], None)):
        dataset = PartitionedPopulation.from_population(POPULATION, partitions=partitions)
        assert local.to_rows() == verify_dataset(text, dataset, client=where).to_rows()
    assert (edit == "intact") == local.ok


@pytest.mark.slow
def test_one_partition_per_unit_verifies(client):
    """With one partition per unit the record verifies on the cluster as it does locally."""
    dataset = PartitionedPopulation.from_population(POPULATION, partitions=[1] * 60)
    assert verify_dataset(RECORD, dataset, client=client).ok


def test_other_population_fails_the_same_way():
    """A record checked against other units fails on the digest and counts, as locally."""
    other = demo_population(size=61)
    dataset = PartitionedPopulation.from_population(other, partitions=3)
    assert verify(RECORD, other).to_rows() == verify_dataset(RECORD, dataset).to_rows()


def test_replacements_identical_to_local():
    """Two replacements in one stratum, made on partitions, are the local records byte for
    byte, and verify the same way on both engines."""
    dataset = PartitionedPopulation.from_population(POPULATION, partitions=[7, 0, 53])
    stratum = RECORD["selection"][0]["stratum"]
    gone = [e["id"] for e in RECORD["selection"] if e["stratum"] == stratum][:2]
    local, remote = [], []
    for k, unit in enumerate(gone):
        common = {
            "unit_id": unit,
            "reason": "注销",
            "recorded_by": "inspector 07",
            "timestamp": f"2026-11-2{8 + k}T02:00:00Z",
        }
        local.append(
            record_replacement(
                RECORD,
                POPULATION,
                previous=local[-1] if local else RECORD,
                earlier=local,
                **common,
            )
        )
        remote.append(
            record_replacement_dataset(
                RECORD,
                dataset,
                previous=remote[-1] if remote else RECORD,
                earlier=remote,
                **common,
            )
        )
    assert [r.to_json() for r in local] == [r.to_json() for r in remote]
    assert verify_replacements(RECORD, POPULATION, local).to_rows() == (
        verify_replacements_dataset(RECORD, dataset, remote).to_rows()
    )
    tampered = read_record(
        remote[1].to_json().replace(remote[1]["replacement"]["id"], "X"), check_digest=False
    )
    assert verify_replacements(RECORD, POPULATION, [local[0], tampered]).to_rows() == (
        verify_replacements_dataset(RECORD, dataset, [remote[0], tampered]).to_rows()
    )


def test_replacing_an_unselected_unit_is_refused():
    """A unit that was never selected cannot be replaced (typed error, as locally)."""
    dataset = PartitionedPopulation.from_population(POPULATION, partitions=2)
    outside = next(i for i in POPULATION.ids.tolist() if i not in RECORD.selected_ids)
    with pytest.raises(InvalidInputError, match="never selected"):
        record_replacement_dataset(
            RECORD,
            dataset,
            unit_id=outside,
            reason="x",
            recorded_by="y",
            timestamp=STAMP,
            previous=RECORD,
        )
