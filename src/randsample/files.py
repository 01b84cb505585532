"""Reading and writing the published files: population CSV and draw-record JSON.

This is the edge of the library: the only module of the core pipeline that touches the file
system. The CSV layout is fixed by ``docs/spec.md`` section 4.3 (header
``id,stratum,eligible,weight``; UTF-8; optional BOM).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from .errors import InvalidInputError
from .population import Population
from .record import DrawRecord

__all__ = ["read_population_csv", "read_record", "write_population_csv", "write_record"]

POPULATION_HEADER = ["id", "stratum", "eligible", "weight"]
# The weight grammar of spec 4.3 (what repr(float) writes for finite non-negative values).
# float() alone would also accept "nan", "inf", "1_000", "+1" and surrounding spaces.
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def write_population_csv(population: Population, path: str | Path) -> None:
    """Write ``population`` in the published CSV layout (rows in the population's order).

    Weights are written with Python's shortest round-trip ``repr``, so reading the file back
    gives the same binary64 values and the same digest.
    """
    weights = None if population.weights is None else population.weights.tolist()
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(POPULATION_HEADER)
        for i, (ident, stratum, eligible) in enumerate(
            zip(
                population.ids.tolist(),
                population.strata.tolist(),
                population.eligible.tolist(),
                strict=True,
            )
        ):
            weight = "" if weights is None else repr(weights[i])
            writer.writerow([ident, stratum, "1" if eligible else "0", weight])


def read_population_csv(path: str | Path, *, id_scheme: str = "opaque") -> Population:
    """Read a population CSV; every malformed cell is an error naming its line and column.

    >>> import tempfile, os
    >>> from randsample.examples import demo_population
    >>> pop = demo_population(50)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_population_csv(pop, os.path.join(tmp, "p.csv"))
    ...     read_population_csv(os.path.join(tmp, "p.csv")).digest() == pop.digest()
    True
    """
    ids: list[str] = []
    strata: list[str] = []
    eligible: list[bool] = []
    weights: list[float | None] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != POPULATION_HEADER:
            raise InvalidInputError(
                f"{path}: header", header, f"expected {','.join(POPULATION_HEADER)}"
            )
        for line, row in enumerate(reader, start=2):
            if len(row) != len(POPULATION_HEADER):
                raise InvalidInputError(f"{path}:{line}", row, "expected 4 columns")
            ident, stratum, flag, weight = row
            if flag not in ("0", "1"):
                raise InvalidInputError(f"{path}:{line}: eligible", flag, "expected 1 or 0")
            ids.append(ident)
            strata.append(stratum)
            eligible.append(flag == "1")
            weights.append(_parse_weight(f"{path}:{line}: weight", weight))
    present = [w is not None for w in weights]
    if any(present) and not all(present):
        line = present.index(not present[0]) + 2
        raise InvalidInputError(
            f"{path}:{line}: weight", "", "weights must be given for all rows or none"
        )
    return Population.from_columns(
        ids,
        strata=strata,
        eligible=eligible,
        weights=[w for w in weights if w is not None] if all(present) else None,
        id_scheme=id_scheme,  # type: ignore[arg-type]  # checked by Population
    )


def _parse_weight(field: str, text: str) -> float | None:
    if text == "":
        return None
    if not _DECIMAL.fullmatch(text):
        raise InvalidInputError(
            field, text, "expected a non-negative decimal number like 2.5 or 1e-05"
        )
    value = float(text)  # correctly rounded to the nearest binary64
    if not math.isfinite(value):
        raise InvalidInputError(field, text, "must be finite")
    return value


def write_record(record: DrawRecord, path: str | Path) -> None:
    """Write ``record`` as canonical JSON (UTF-8, no trailing newline)."""
    Path(path).write_text(record.to_json(), encoding="utf-8")


def read_record(path: str | Path, *, check_digest: bool = True) -> DrawRecord:
    """Read a draw record written by :func:`write_record` (or by anyone, as JSON)."""
    return DrawRecord.from_json(Path(path).read_bytes(), check_digest=check_digest)
