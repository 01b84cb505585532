"""Reading a partitioned Parquet population for the distributed engine.

The dataset is a folder (or a glob, or a list) of Parquet files with the columns of a
population file (spec 4.3): ``id`` and ``stratum`` (strings), ``eligible`` (booleans) and an
optional ``weight`` (floats). Nothing is read here but the schema: the partitions are read by
Dask, on the cluster's workers, when a draw runs; each is checked as it is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidInputError, require

__all__ = ["read_population_dataset"]


def read_population_dataset(
    path: str | Path | list[str], *, weighted: bool | None = None, blocksize: Any = None
) -> Any:
    """Open a partitioned Parquet population (a ``PartitionedPopulation``) for the engine.

    Ids and labels are read as Arrow strings. ``weighted`` defaults to whether the files have a
    ``weight`` column; ``blocksize`` is passed to ``dask.dataframe.read_parquet`` (e.g.
    ``"256MiB"`` to split large files). Needs the ``dask`` extra.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> import tempfile, os, pyarrow as pa, pyarrow.parquet as pq
    >>> from randsample import Population, Seed, draw_stratified
    >>> from randsample.distributed import draw_dataset
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for k, ids in enumerate((["e1", "e2"], ["e3"])):
    ...         table = pa.table({"id": ids, "stratum": ["A"] * len(ids),
    ...                           "eligible": [True] * len(ids)})
    ...         pq.write_table(table, os.path.join(folder, f"part-{k}.parquet"))
    ...     dataset = read_population_dataset(folder)
    ...     sample = draw_dataset(dataset, {"A": 2}, Seed.from_bytes(bytes(range(16))))
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> sample == draw_stratified(pop, {"A": 2}, Seed.from_bytes(bytes(range(16))))
    True
    """
    dd = require(
        "dask.dataframe", feature="reading a Parquet dataset", package="dask", extra="dask"
    )
    from ..distributed import PartitionedPopulation

    options: dict[str, Any] = {"dtype_backend": "pyarrow"}
    if blocksize is not None:
        options["blocksize"] = blocksize
    try:
        frame = dd.read_parquet(path if isinstance(path, list) else str(path), **options)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InvalidInputError(
            str(path), type(exc).__name__, f"is not a Parquet dataset ({exc})"
        ) from None
    columns = [str(c) for c in frame.columns]
    if weighted is None:
        weighted = "weight" in columns
    for name in ("id", "stratum", "eligible", *(("weight",) if weighted else ())):
        if name not in columns:
            raise InvalidInputError(f"{path}: columns", sorted(columns), f"has no {name!r} column")
    return PartitionedPopulation.from_frame(frame, weighted=weighted)
