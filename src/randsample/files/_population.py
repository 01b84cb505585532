"""Reading and writing the published files: population CSV and draw-record JSON.

This is the edge of the library: the only module of the core pipeline that touches the file
system. The CSV layout is fixed by ``docs/spec.md`` section 4.3 (header
``id,stratum,eligible,weight``; UTF-8; optional BOM).
"""

from __future__ import annotations

import csv
import importlib
import io
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, overload

from .. import _validation as check
from .. import records
from ..core import PublicSource, Seed
from ..design import Sizes, sizes_from_rates
from ..errors import (
    InvalidInputError,
    InvalidRowsError,
    InvalidTypeError,
    RecordFormatError,
    RowProblem,
    require,
)
from ..population import Population, columns_from_arrow
from ..records import SealedRecord
from ._atomic import write_atomic
from ._csv import decode, formula_cells, read_rows
from ._labels import label_problems
from ._shapes import list_of, obj

__all__ = [
    "read_design",
    "read_population",
    "read_population_csv",
    "read_record",
    "read_seed",
    "write_population_csv",
    "write_record",
]


class Counted(Protocol):
    """A population that counts its eligible units per stratum (in memory or partitioned)."""

    def eligible_counts(self) -> Mapping[str, int]:
        """Return the eligible units of every stratum."""


POPULATION_HEADER = ["id", "stratum", "eligible", "weight"]
# The weight grammar of spec 4.3 (what repr(float) writes for finite non-negative values).
# float() alone would also accept "nan", "inf", "1_000", "+1" and surrounding spaces.
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def write_population_csv(
    population: Population,
    path: str | Path,
    *,
    force: bool = False,
    allow_formula_cells: bool = False,
) -> None:
    """Write ``population`` in the published CSV layout (rows in the population's order).

    Weights are written with Python's shortest round-trip ``repr``, so reading the file back
    gives the same binary64 values and the same digest. The write is atomic and refuses to
    replace an existing file unless ``force``.

    The cells are the exact ids and labels the digest covers (spec 4.3), so they cannot be
    neutralised for spreadsheets: an id or stratum beginning with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return is refused, because a spreadsheet opening the file would run it;
    ``allow_formula_cells=True`` writes it exactly anyway (open such a file as text).
    """
    weights = None if population.weights is None else population.weights.tolist()
    ids, strata = population.ids.tolist(), population.strata.tolist()
    if not allow_formula_cells:
        bad = formula_cells(ids) or formula_cells(strata)
        if bad is not None:
            raise InvalidInputError(
                "population",
                bad,
                "has a cell that spreadsheet software would run as a formula; pass "
                "allow_formula_cells=True to write it exactly (open the file as text)",
            )
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(POPULATION_HEADER)
    for i, (ident, stratum, eligible) in enumerate(
        zip(ids, strata, population.eligible.tolist(), strict=True)
    ):
        weight = "" if weights is None else repr(weights[i])
        writer.writerow([ident, stratum, "1" if eligible else "0", weight])
    write_atomic(path, handle.getvalue(), force=force)


def read_population_csv(path: str | Path, *, id_scheme: str = "opaque") -> Population:
    """Read a population CSV; every malformed cell is reported, by file line and column.

    All bad rows come at once, in one :class:`~randsample.errors.InvalidRowsError`.

    >>> import tempfile, os
    >>> from randsample.examples import demo_population
    >>> pop = demo_population(size=50)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_population_csv(pop, os.path.join(tmp, "p.csv"))
    ...     read_population_csv(os.path.join(tmp, "p.csv")).digest() == pop.digest()
    True
    """
    lines: list[int] = []
    ids: list[str] = []
    strata: list[str] = []
    flags: list[str] = []
    weight_texts: list[str] = []
    # Columns of strings only (no row objects kept: a million kept rows cost more in garbage
    # collection than the parsing); row labels ("file:line") are made only for rows with a
    # problem.
    for line, (ident, stratum, flag, weight) in read_rows(path, POPULATION_HEADER):
        lines.append(line)
        ids.append(ident)
        strata.append(stratum)
        flags.append(flag)
        weight_texts.append(weight)
    labels = _RowLabels(str(path), lines)
    problems: list[RowProblem] = []
    if not set(flags) <= {"0", "1"}:
        problems += [
            RowProblem(labels[i], "eligible", flag, "expected 1 or 0")
            for i, flag in enumerate(flags)
            if flag not in ("0", "1")
        ]
    weights: list[float] | None = None
    if any(weight_texts):
        parsed: list[float | None] = []
        for i, text in enumerate(weight_texts):
            try:
                parsed.append(_parse_weight(f"{labels[i]}: weight", text))
            except InvalidInputError as exc:
                problems.append(RowProblem(labels[i], "weight", text, exc.problem))
                parsed.append(0.0)
        present = [w is not None for w in parsed]
        if all(present):
            weights = [w for w in parsed if w is not None]
        else:
            row = present.index(not present[0])
            problems.append(
                RowProblem(labels[row], "weight", "", "weights must be given for all rows or none")
            )
    problems += label_problems(ids, labels, "id", unique=True)
    problems += label_problems(strata, labels, "stratum")
    if problems:
        order = {label: index for index, label in enumerate(labels)}
        raise InvalidRowsError(str(path), sorted(problems, key=lambda p: order[p.row]))
    return Population.from_columns(
        ids,
        strata=strata,
        eligible=[flag == "1" for flag in flags],
        weights=weights,
        id_scheme=id_scheme,  # type: ignore[arg-type]  # checked by Population
    )


class _RowLabels(Sequence[str]):
    """The rows of a CSV file named ``file:line``, each label made when it is asked for."""

    def __init__(self, path: str, lines: list[int]) -> None:
        self._path = path
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [f"{self._path}:{line}" for line in self._lines[index]]
        return f"{self._path}:{self._lines[index]}"


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


def write_record(
    record: SealedRecord,
    path: str | Path,
    *,
    force: bool = False,
    protect: tuple[str | Path | None, ...] = (),
) -> None:
    """Write a record of any kind as canonical JSON (UTF-8, no trailing newline).

    Atomic; an existing file is replaced only with ``force``, and a file named in ``protect``
    (the previous record of the chain) never.
    """
    if not isinstance(record, SealedRecord):
        raise InvalidTypeError("record", record, "a sealed record")
    write_atomic(path, record.to_json(), force=force, protect=protect)


def read_record(path: str | Path, *, check_digest: bool = True) -> SealedRecord:
    """Read a record of any kind (draw, replacement, assignment) from a JSON file.

    The kind comes from the record's ``record_format``; see :func:`randsample.read_record`.
    Errors name the file.
    """
    try:
        return records.read_record(Path(path).read_bytes(), check_digest=check_digest)
    except RecordFormatError as exc:
        raise type(exc)(f"{path}: {exc.field}", exc.value, exc.problem) from None


def _toml_reader(path: Path) -> Any:
    # tomllib is the standard library's from Python 3.11; on 3.10 its backport tomli (a
    # dependency there) reads the same TOML. Imported by name so both type-check.
    for name in ("tomllib", "tomli"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise InvalidInputError(
        str(path), path.suffix, "reading TOML on Python 3.10 needs tomli: pip install tomli"
    )


def read_mapping(path: str | Path) -> dict[str, Any]:
    """Read a JSON or TOML file (by extension) into a dict (TOML via tomllib, or tomli on 3.10)."""
    path = Path(path)
    text = decode(path.read_bytes(), path, "utf-8-sig")
    if path.suffix.lower() == ".toml":
        tomllib = _toml_reader(path)
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
            raise InvalidInputError(str(path), path.name, f"is not valid TOML ({exc})") from None
    else:
        data = records.parse_json(text, field=str(path), record=False)
    if not isinstance(data, dict):
        raise InvalidInputError(
            str(path), type(data).__name__, "expected an object/table at the top"
        )
    return data


def read_design(path: str | Path, population: Counted) -> Sizes:
    """Read a design file and return the per-stratum sample sizes it gives for ``population``.

    ``population`` is anything that counts its eligible units per stratum: a
    :class:`randsample.Population` or a partitioned one.

    The file (JSON or TOML) holds either ``sizes`` (stratum -> n) or ``rates`` (stratum ->
    rate such as ``"3%"``) with optional ``rounding``, ``minimum``, ``maximum``, ``counts`` and
    ``take_all``, as for :func:`randsample.design.sizes_from_rates`. A stratum that the file
    names but the population lacks (a credit class with no enterprise) gets size 0, shown
    with 0 eligible units; a stratum of the population without a rule is an error.
    """
    data = read_mapping(path)
    unknown = sorted(
        set(data) - {"sizes", "rates", "rounding", "minimum", "maximum", "counts", "take_all"}
    )
    if unknown:
        raise InvalidInputError(f"{path}: {unknown[0]}", data[unknown[0]], "is not a design field")
    if ("sizes" in data) == ("rates" in data):
        raise InvalidInputError(str(path), sorted(data), "give exactly one of 'sizes' or 'rates'")
    if "sizes" in data:
        return Sizes.from_mapping(
            check.mapping(data["sizes"], f"{path}: sizes"), population.eligible_counts()
        )
    named = [*_keys(data, "rates", path), *_keys(data, "counts", path)]
    named += [label for label in data.get("take_all", ()) if isinstance(label, str)]
    plan = sizes_from_rates(
        {**dict.fromkeys(named, 0), **population.eligible_counts()},
        data["rates"],
        rounding=data.get("rounding", "ceiling"),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        counts=data.get("counts"),
        take_all=tuple(data.get("take_all", ())),
    )
    return plan


def _keys(data: dict[str, Any], name: str, path: str | Path) -> list[str]:
    value = data.get(name, {})
    return [key for key in check.mapping(value, f"{path}: {name}") if isinstance(key, str)]


def read_seed(path: str | Path, *, allow_weak_secret: bool = False) -> Seed:
    """Read seed material from a JSON or TOML file.

    The file holds ``{"hex": ...}`` or ``{"sources": [{"name", "values"}], "secret",
    "commitment"}``. The overrides (low entropy, a weak secret) are never read from a file;
    ``allow_weak_secret`` is the caller's (``--allow-weak-secret``).
    """
    data = read_mapping(path)
    if "hex" in data:
        raw = obj(data, f"{path}:", {"hex": str})
        return Seed.from_hex(raw["hex"])
    data = obj(
        data,
        f"{path}:",
        {"sources": list_of(dict)},
        {"secret": _hex_text, "commitment": str},
    )
    if not data["sources"]:
        raise InvalidInputError(f"{path}: sources", [], "expected a non-empty list of sources")
    parsed = []
    for index, item in enumerate(data["sources"]):
        source = obj(
            item, f"{path}: sources[{index}]", {"name": str, "values": list_of((int, str))}
        )
        parsed.append(PublicSource(source["name"], source["values"]))
    secret = data.get("secret")
    return Seed.from_sources(
        parsed,
        secret=secret,
        commitment=data.get("commitment"),
        allow_weak_secret=allow_weak_secret,
    )


def _hex_text(value: Any, where: str) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"(?:[0-9a-f]{2})+", value):
        raise InvalidInputError(where, value, "expected the secret as lowercase hex digits")
    return bytes.fromhex(value)


def _read_parquet(path: str | Path) -> Any:
    parquet = require(
        "pyarrow.parquet", feature="reading Parquet", package="pyarrow", extra="arrow"
    )
    try:
        return parquet.read_table(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InvalidInputError(
            str(path), type(exc).__name__, f"is not a Parquet file ({exc})"
        ) from None


def read_population(path: str | Path, *, id_scheme: str = "opaque") -> Population:
    """Read a population from CSV (spec 4.3) or, by extension, from Parquet.

    A Parquet file has the same columns, ``id`` and ``stratum`` (strings), ``eligible``
    (booleans) and ``weight`` (floats, all null or none null); it needs the optional
    ``pyarrow`` package.
    """
    if Path(path).suffix.lower() != ".parquet":
        return read_population_csv(path, id_scheme=id_scheme)
    columns = columns_from_arrow(_read_parquet(path))
    if sorted(columns) != sorted(POPULATION_HEADER):
        raise InvalidInputError(
            f"{path}: columns", sorted(columns), f"expected {POPULATION_HEADER}"
        )
    weights = columns["weight"]
    present = [w is not None for w in weights]
    if any(present) and not all(present):
        raise InvalidInputError(
            f"{path}: weight", None, "weights must be given for all rows or none"
        )
    return Population.from_columns(
        columns["id"],
        strata=columns["stratum"],
        eligible=columns["eligible"],
        weights=weights if all(present) else None,
        id_scheme=id_scheme,  # type: ignore[arg-type]  # checked by Population
    )
