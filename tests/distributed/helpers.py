"""Inputs the partitioned-engine tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_parquet(folder: Path, *tables: dict[str, Any]) -> Path:
    """Write each dict of columns as one Parquet file (one partition each)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir()
    for k, columns in enumerate(tables):
        pq.write_table(pa.table(columns), folder / f"part-{k}.parquet")
    return folder


def units(ids: list[Any], stratum: str = "A", eligible: bool = True) -> dict[str, list[Any]]:
    """Columns of a partition: ``ids`` in one stratum, all eligible or none."""
    return {"id": ids, "stratum": [stratum] * len(ids), "eligible": [eligible] * len(ids)}
