"""Bad partitioned input is a typed error naming the partition and the value; a cluster that
dies mid-draw raises and leaves nothing to seal."""

from __future__ import annotations

import threading
import time

import pytest

from randsample import Seed
from randsample.distributed import PartitionedPopulation, draw_dataset
from randsample.errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError
from randsample.files import read_population_dataset

from .helpers import units, write_parquet

pytest.importorskip("pyarrow.parquet")  # the Parquet files of these tests

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")


@pytest.mark.parametrize("on_cluster", [False, True])
def test_duplicate_across_partitions_names_both(tmp_path, request, on_cluster):
    """An id in two partitions is refused, naming the id and both partitions (the local
    in-memory sort and the cluster's shuffle sort alike)."""
    client = request.getfixturevalue("client") if on_cluster else None
    folder = write_parquet(tmp_path / "d", units(["a", "b"]), units(["c"]), units(["d", "b"]))
    with pytest.raises(InvalidInputError, match=r"'b'") as caught:
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED, client=client)
    assert "in partition 0 and in partition 2" in str(caught.value)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_duplicate_within_a_partition(tmp_path, request, on_cluster):
    """An id twice in one partition is refused, naming that partition."""
    client = request.getfixturevalue("client") if on_cluster else None
    folder = write_parquet(tmp_path / "d", units(["a"]), units(["b", "c", "b"]))
    with pytest.raises(InvalidInputError, match="twice in partition 1"):
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED, client=client)


@pytest.mark.parametrize(
    ("column", "row", "fragment"),
    [("id", 1, "partition 1: id\\[1\\]"), ("stratum", 0, "partition 1: stratum\\[0\\]")],
)
def test_nulls_are_named(tmp_path, column, row, fragment):
    """A null id or label is refused, naming the partition and the row."""
    bad = units(["c", "d"])
    bad[column] = list(bad[column])
    bad[column][row] = None
    folder = write_parquet(tmp_path / "d", units(["a", "b"]), bad)
    with pytest.raises(InvalidInputError, match=fragment + ": must not be null"):
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED)


def test_null_eligibility_and_bad_weight(tmp_path):
    """A null eligibility flag and a negative weight are refused, naming partition and row."""
    flags = units(["c", "d"])
    flags["eligible"] = [True, None]
    folder = write_parquet(tmp_path / "e", units(["a"]), flags)
    with pytest.raises(InvalidInputError, match=r"partition 1: eligible\[1\]"):
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED)
    heavy = {**units(["a", "b"]), "weight": [1.0, -2.0]}
    folder = write_parquet(tmp_path / "w", heavy)
    with pytest.raises(InvalidInputError, match=r"partition 0: weight\[1\]") as caught:
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED)
    assert "-2.0" in str(caught.value)


def test_bad_identifier_is_named(tmp_path):
    """An id with surrounding whitespace is refused (never trimmed), naming partition and row."""
    folder = write_parquet(tmp_path / "d", units(["a"]), units(["b", " c"]))
    with pytest.raises(InvalidIdentifierError, match=r"partition 1: id\[1\]") as caught:
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED)
    assert "' c'" in str(caught.value)
    folder = write_parquet(tmp_path / "n", units(["统一", "统一 "]))
    with pytest.raises(InvalidIdentifierError, match=r"partition 0: id\[1\]"):
        draw_dataset(read_population_dataset(folder), {"A": 1}, SEED)


def test_missing_column(tmp_path):
    """A dataset without a needed column is refused, naming the column; a partition whose
    file lacks it is refused naming the partition."""
    folder = write_parquet(tmp_path / "d", {"id": ["a"], "eligible": [True]})
    with pytest.raises(InvalidInputError, match="has no 'stratum' column"):
        read_population_dataset(folder)
    import pandas as pd

    whole = PartitionedPopulation.from_frame(pd.DataFrame(units(["a", "b"])))
    broken = PartitionedPopulation(
        whole.frame.map_partitions(lambda p: p.drop(columns="stratum")), False
    )
    with pytest.raises(InvalidInputError, match="partition 0: columns"):
        draw_dataset(broken, {"A": 1}, SEED)


def test_wrong_types(tmp_path):
    """Ids that are not strings and eligibility that is not boolean are typed errors."""
    import pandas as pd

    numbers = PartitionedPopulation.from_frame(
        pd.DataFrame({"id": [1, 2], "stratum": ["A", "A"], "eligible": [True, True]})
    )
    with pytest.raises(InvalidTypeError, match="partition 0: id"):
        draw_dataset(numbers, {"A": 1}, SEED)
    flags = PartitionedPopulation.from_frame(
        pd.DataFrame({"id": ["a", "b"], "stratum": ["A", "A"], "eligible": ["yes", "no"]})
    )
    with pytest.raises(InvalidTypeError, match="partition 0: eligible"):
        draw_dataset(flags, {"A": 1}, SEED)
    with pytest.raises(InvalidTypeError, match="frame"):
        PartitionedPopulation.from_frame([1, 2])


def _slow(part):
    time.sleep(0.5)
    return part


def test_a_cluster_that_dies_mid_draw_leaves_no_sample():
    """Closing the cluster while a draw runs makes the draw raise; nothing is returned, so
    there is nothing to seal."""
    import pandas as pd

    from distributed import Client, LocalCluster

    frame = pd.DataFrame(units([f"u{i}" for i in range(40)]))
    dataset = PartitionedPopulation.from_frame(frame)
    slow = PartitionedPopulation(
        dataset.frame.repartition(npartitions=8).map_partitions(_slow), False
    )
    outcome: dict[str, object] = {}
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    client = Client(cluster)

    def run() -> None:
        try:
            outcome["sample"] = draw_dataset(slow, {"A": 5}, SEED, client=client)
        except Exception as exc:  # whatever the cluster raises
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(1.0)
    client.close()
    cluster.close()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert "sample" not in outcome
    assert "error" in outcome
