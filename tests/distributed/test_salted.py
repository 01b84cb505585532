"""The salted draw (stratified-srswor-salted v1) on partitions seals the local draw's record
byte for byte, whatever the partitioning; its verification gives the local auditor's report;
bad partitions are typed errors naming the partition."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified, make_record
from randsample.distributed import (
    PartitionedPopulation,
    draw_salted_dataset,
    verify_salted_dataset,
)
from randsample.errors import InvalidInputError, InvalidTypeError, RandsampleError
from randsample.examples import demo_population
from randsample.files import read_population_dataset
from randsample.records import SaltedDrawRecord, seal
from randsample.results import draw_salted, make_receipts, make_salted_record, verify_salted

from .helpers import units, write_parquet

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")
SECRET = bytes(range(7, 39))
STAMP = "2026-03-01T02:00:00Z"

pytest.importorskip("pyarrow.parquet")  # the Parquet files of these tests


def _record(sample):
    return make_salted_record(sample, authority="县市场监管局", draw_id="d1", timestamp=STAMP)


def _sizes(population, share=4):
    return {h: m // share for h, m in population.eligible_counts().items()}


def _local(population, sizes, buckets=16):
    return _record(draw_salted(population, sizes, SEED, SECRET, buckets=buckets))


def test_records_identical_on_a_cluster(client):
    """On a LocalCluster the sealed record is byte-identical to the local salted draw's, for
    one partition, several and empty partitions (weighted population, 16 buckets)."""
    population = demo_population(size=60)
    sizes = _sizes(population)
    expected = _local(population, sizes).to_json()
    n = len(population)
    for partitions in (1, 4, [0, n // 3, 0, n - n // 3, 0]):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        sample = draw_salted_dataset(parts, sizes, SEED, SECRET, buckets=16, client=client)
        assert expected == _record(sample).to_json()


@pytest.mark.slow  # 2-3 s; the quick suite keeps other splits of the same path
def test_records_identical_on_the_local_scheduler():
    """On the local scheduler: one partition, several, empty ones and one partition per unit,
    with the default bucket count."""
    population = demo_population(size=24)
    sizes = _sizes(population, share=2)
    expected = _record(draw_salted(population, sizes, SEED, SECRET)).to_json()
    n = len(population)
    for partitions in (1, 3, [0, n // 2, 0, n - n // 2, 0], [1] * n):
        parts = PartitionedPopulation.from_population(population, partitions=partitions)
        assert expected == _record(draw_salted_dataset(parts, sizes, SEED, SECRET)).to_json()


def _outcome(draw):
    """The record's JSON, or the error's type and text."""
    try:
        return _record(draw()).to_json()
    except RandsampleError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=12, deadline=None)
@given(st.data(), st.integers(1, 40))
def test_draw_equals_local_draw_for_any_split(data, buckets):
    """Any population, any split, any bucket count, feasible sizes or not (too large, a
    stratum missing, an absent stratum): the same record or the same error as in memory."""
    from randsample import testing

    population = data.draw(testing.populations())
    sizes = data.draw(testing.feasible_sizes(population))
    change = data.draw(st.sampled_from(["none", "too large", "missing", "absent", "absent 0"]))
    label = data.draw(st.sampled_from(sorted(sizes)))
    if change == "too large":
        sizes[label] = population.eligible_counts()[label] + 1
    elif change == "missing":
        del sizes[label]
    elif change.startswith("absent"):
        sizes["ZZ-absent"] = 0 if change == "absent 0" else 1
    cuts = data.draw(st.lists(st.integers(0, len(population)), max_size=4))
    bounds = [0, *sorted(cuts), len(population)]
    parts = [b - a for a, b in itertools.pairwise(bounds)]
    dataset = PartitionedPopulation.from_population(population, partitions=parts)
    expected = _outcome(lambda: draw_salted(population, sizes, SEED, SECRET, buckets=buckets))
    actual = _outcome(lambda: draw_salted_dataset(dataset, sizes, SEED, SECRET, buckets=buckets))
    assert expected == actual


def test_margin_too_small_is_widened(monkeypatch):
    """If a stratum's cut lets fewer than n_h candidates through, the cut is widened: the
    sample is still the exact one (forced here with a zero margin)."""
    from randsample.distributed import _salted

    monkeypatch.setattr(_salted, "_MARGIN", 0.0)
    population = demo_population(size=300)
    sizes = _sizes(population, share=2)
    dataset = PartitionedPopulation.from_population(population, partitions=5)
    expected = draw_salted(population, sizes, SEED, SECRET, buckets=8)
    assert expected == draw_salted_dataset(dataset, sizes, SEED, SECRET, buckets=8)


def test_a_population_that_changes_during_the_draw_is_an_error(monkeypatch):
    """If the partitions hold fewer eligible units when ticketed than when counted (a file
    rewritten mid-draw), the draw raises once the cut keeps every unit: no endless widening,
    no short sample."""
    from randsample.distributed import _salted

    calls = []

    def fewer(*args, **kwargs):
        calls.append(1)
        assert len(calls) < 100, "the cut is widened without end"
        found = original(*args, **kwargs)
        return {label: kept[1:] for label, kept in found.items()}

    original = _salted.salted_candidates
    monkeypatch.setattr(_salted, "salted_candidates", fewer)
    population = Population.from_columns([f"u{i}" for i in range(6)], strata="A")
    dataset = PartitionedPopulation.from_population(population, partitions=2)
    with pytest.raises(InvalidInputError, match="population: changed during the draw"):
        draw_salted_dataset(dataset, {"A": 5}, SEED, SECRET, buckets=2)


def test_receipts_from_a_sample_drawn_on_partitions():
    """A sample drawn on partitions keeps no Merkle trees; receipts built from it and the
    population in memory equal the local ones, and another secret is refused."""
    from randsample.joint import Department
    from randsample.results import make_notice

    population = demo_population(size=30)
    sizes = _sizes(population)
    local = draw_salted(population, sizes, SEED, SECRET, buckets=4)
    dataset = PartitionedPopulation.from_population(population, partitions=3)
    remote = draw_salted_dataset(dataset, sizes, SEED, SECRET, buckets=4)
    assert remote.tree is None
    notice = make_notice(
        _record(remote),
        notice_id="n1",
        task_id="T1",
        period="2026-03",
        departments=[Department("SAMR", "市场监管局")],
        items=[],
        timestamp="2026-03-01T03:00:00Z",
    )
    expected = list(make_receipts(local, population, SECRET, notice))
    assert expected == list(make_receipts(remote, population, SECRET, notice))
    with pytest.raises(InvalidInputError, match="secret: does not give the sample's commitment"):
        list(make_receipts(remote, population, bytes(range(60, 92)), notice))


def _resealed(record, edit):
    content = record.content
    edit(content)
    return SaltedDrawRecord(seal(content))


def _other_unit(population, record):
    """An eligible unit of the first selected unit's stratum that was not selected."""
    first = record["selection"][0]
    chosen = set(record.selected_ids)
    mask = (population.strata == first["stratum"]) & population.eligible
    return next(i for i in population.ids[mask].tolist() if i not in chosen)


@pytest.mark.slow  # a cluster run (about 4 s); the chain test below runs quick
def test_verification_accepts_and_rejects_as_in_memory(client):
    """The partitioned auditor accepts the record and rejects, with the local auditor's
    report, an edited unit, an edited ticket, another secret (other salts), an edited
    commitment and sizes that do not fit (on a LocalCluster and the local scheduler)."""
    population = demo_population(size=50)
    sizes = _sizes(population)
    record = _local(population, sizes, buckets=8)
    other = _other_unit(population, record)
    edited = {
        "as sealed": record,
        "unit": _resealed(record, lambda c: c["selection"][0].update(id=other)),
        "ticket": _resealed(record, lambda c: c["selection"][1].update(ticket="0" * 64)),
        "commitment": _resealed(
            record, lambda c: c["population"]["commitment"].update(root="ab" * 32)
        ),
        "sizes": _resealed(record, lambda c: c["design"]["strata"][0].update(sample_size=10**6)),
    }
    split = PartitionedPopulation.from_population(population, partitions=[20, 0, 30])
    cases = [(name, None, secret) for name in edited for secret in (SECRET, bytes(range(60, 92)))]
    cases += [("as sealed", client, SECRET), ("unit", client, SECRET)]
    for name, runner, secret in cases:
        expected = verify_salted(edited[name], population, secret)
        actual = verify_salted_dataset(edited[name], split, secret, client=runner)
        assert expected.discrepancies == actual.discrepancies, (name, secret)
        assert (name == "as sealed" and secret == SECRET) == actual.ok, (name, secret)
    fields = verify_salted_dataset(edited["unit"], split, SECRET).fields
    assert "selection[0].id" in fields
    assert (
        "population.commitment.root"
        in verify_salted_dataset(edited["commitment"], split, SECRET).fields
    )


def test_verification_checks_the_chain():
    """A previous record is checked as by the local auditor (the chain link)."""
    population = demo_population(size=20)
    sizes = _sizes(population)
    first = _local(population, sizes)
    second = make_salted_record(
        draw_salted(population, sizes, SEED, SECRET, buckets=16),
        authority="县市场监管局",
        draw_id="d2",
        timestamp="2026-03-02T02:00:00Z",
        previous=first,
    )
    split = PartitionedPopulation.from_population(population, partitions=2)
    assert verify_salted_dataset(second, split, SECRET, previous=first).ok
    unrelated = verify_salted_dataset(second, split, SECRET, previous=second)
    assert verify_salted(second, population, SECRET, previous=second) == unrelated
    assert not unrelated.ok


def _record_of(ids):
    population = Population.from_columns(ids, strata="A")
    return _record(draw_salted(population, {"A": 1}, SEED, SECRET, buckets=4))


@pytest.mark.parametrize("on_cluster", [False, True])
def test_duplicates_across_partitions_name_both(tmp_path, request, on_cluster):
    """An id in two partitions is refused by the draw and by the verification, naming the id
    and both partitions."""
    client = request.getfixturevalue("client") if on_cluster else None
    folder = write_parquet(tmp_path / "d", units(["a", "b"]), units(["c"]), units(["d", "b"]))
    dataset = read_population_dataset(folder)
    with pytest.raises(InvalidInputError, match="in partition 0 and in partition 2, got 'b'"):
        draw_salted_dataset(dataset, {"A": 1}, SEED, SECRET, client=client)
    with pytest.raises(InvalidInputError, match="in partition 0 and in partition 2, got 'b'"):
        verify_salted_dataset(_record_of(["a", "b", "c", "d"]), dataset, SECRET, client=client)


@pytest.mark.parametrize(
    ("column", "row", "fragment"),
    [
        ("id", 1, r"partition 1: id\[1\]"),
        ("stratum", 0, r"partition 1: stratum\[0\]"),
        ("eligible", 1, r"partition 1: eligible\[1\]"),
    ],
)
def test_nulls_are_named(tmp_path, column, row, fragment):
    """A null id, label or eligibility flag is refused by the draw and the verification,
    naming the partition and the row."""
    bad = units(["c", "d"])
    bad[column] = list(bad[column])
    bad[column][row] = None
    dataset = read_population_dataset(write_parquet(tmp_path / "d", units(["a", "b"]), bad))
    with pytest.raises(InvalidInputError, match=fragment + ": must not be null"):
        draw_salted_dataset(dataset, {"A": 1}, SEED, SECRET)
    with pytest.raises(InvalidInputError, match=fragment + ": must not be null"):
        verify_salted_dataset(_record_of(["a", "b", "c", "d"]), dataset, SECRET)


def test_missing_column_names_the_partition():
    """A partition without a needed column is refused, naming the partition."""
    import pandas as pd

    whole = PartitionedPopulation.from_frame(pd.DataFrame(units(["a", "b"])))
    broken = PartitionedPopulation(
        whole.frame.map_partitions(lambda p: p.drop(columns="stratum")), False
    )
    with pytest.raises(InvalidInputError, match="partition 0: columns"):
        draw_salted_dataset(broken, {"A": 1}, SEED, SECRET)
    with pytest.raises(InvalidInputError, match="partition 0: columns"):
        verify_salted_dataset(_record_of(["a", "b"]), broken, SECRET)


def test_bad_arguments_fail_as_in_memory():
    """Wrong argument types and values raise the local draw's typed errors and messages."""
    population = Population.from_columns(["a", "b", "c"], strata="A")
    dataset = PartitionedPopulation.from_population(population, partitions=2)
    for args, kwargs in [
        (({"A": 1}, "seed", SECRET), {}),
        (({"A": 1}, SEED, b"short"), {}),
        (({"A": 1}, SEED, "text"), {}),
        (({"A": 1}, SEED, SECRET), {"purpose": " x"}),
        (({"A": 1}, SEED, SECRET), {"buckets": 0}),
        (({"A": 1.0}, SEED, SECRET), {}),
    ]:
        with pytest.raises((InvalidInputError, InvalidTypeError)) as local:
            draw_salted(population, *args, **kwargs)
        with pytest.raises(type(local.value), match="^" + re.escape(str(local.value)) + "$"):
            draw_salted_dataset(dataset, *args, **kwargs)
    with pytest.raises(InvalidTypeError, match="population"):
        draw_salted_dataset(population, {"A": 1}, SEED, SECRET)
    plain = make_record(
        draw_stratified(population, {"A": 1}, SEED), authority="b", draw_id="d", timestamp=STAMP
    )
    with pytest.raises(InvalidTypeError, match="record: expected a SaltedDrawRecord"):
        verify_salted_dataset(plain, dataset, SECRET)
