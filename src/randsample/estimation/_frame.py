"""The design of a draw as estimation sees it, and the checked observations.

A :class:`SampleDesign` is read from a :class:`~randsample.design.StratifiedSample` or a sealed
:class:`~randsample.records.DrawRecord`: per stratum the eligible units ``M_h`` and the sample
size ``n_h``, per selected unit its stratum and exact inclusion probability ``pi_k``. The
population the estimates describe is the *eligible* units of the strata (ineligible units were
never in the frame). Observed values and domain labels are mappings from unit id; every check
fails with a typed error that names the field and the value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..design import ALGORITHM as SRSWOR_ALGORITHM
from ..design import PIPS_ALGORITHM, SAMPFORD_ALGORITHM, StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError, RecordFormatError
from ..records import DrawRecord

__all__ = ["Observed", "SampleDesign", "read_labels", "read_values", "sample_design"]

DESIGNS = (SRSWOR_ALGORITHM, PIPS_ALGORITHM, SAMPFORD_ALGORITHM)


@attrs.frozen(eq=False, repr=False)
class SampleDesign:
    """The design of one draw: strata (``M_h``, ``n_h``) and each selected unit's ``pi_k``.

    Build it with :func:`sample_design` (from a sample or a sealed draw record); the
    estimators accept a sample, a record or a ``SampleDesign`` (parse a big record once and
    reuse it).

    >>> from randsample import Population, Seed, draw_stratified
    >>> pop = Population.from_columns([f"e{i}" for i in range(10)], strata=["A"] * 6 + ["D"] * 4)
    >>> sample = draw_stratified(pop, {"A": 2, "D": 2}, Seed.from_bytes(bytes(range(16))))
    >>> design = sample_design(sample)
    >>> design
    SampleDesign(stratified-srswor: 2 strata, 4 units sampled of 10 eligible)
    """

    algorithm: str
    #: Stratum labels (sorted by their UTF-8 bytes, as in records) with their counts.
    strata: tuple[str, ...]
    eligible: tuple[int, ...]
    sample_sizes: tuple[int, ...]
    #: Selected ids, in record order (stratum, then rank).
    ids: tuple[str, ...]
    #: Each selected unit's stratum, as an index into ``strata``.
    unit_strata: npt.NDArray[np.intp]
    #: Each selected unit's exact inclusion probability.
    inclusion_probabilities: tuple[Fraction, ...]
    _position: dict[str, int] = attrs.field(alias="position")
    _pi: npt.NDArray[np.float64] = attrs.field(alias="pi")

    @property
    def pi(self) -> npt.NDArray[np.float64]:
        """The inclusion probabilities as float64 (each exact value rounded once)."""
        return np.array(self._pi, dtype=np.float64)

    def position(self, unit: str) -> int | None:
        """Return the unit's index in :attr:`ids`, or None if it was not selected."""
        return self._position.get(unit)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return (
            f"SampleDesign({self.algorithm}: {len(self.strata)} strata, "
            f"{len(self.ids):,} units sampled of {sum(self.eligible):,} eligible)"
        )


def _locate(field: str, index: int, name: str, value: object, problem: str) -> RecordFormatError:
    return RecordFormatError(f"{field}.selection[{index}].{name}", value, problem)


def _srswor_pi(
    field: str,
    *,
    labels: tuple[str, ...],
    eligible: tuple[int, ...],
    sizes: tuple[int, ...],
    unit_codes: list[int],
    probabilities: tuple[Fraction, ...],
) -> npt.NDArray[np.float64]:
    """Check every unit's pi against n_h / M_h; return pi per stratum as float64."""
    expected = [Fraction(n, m) if m else Fraction(0) for m, n in zip(eligible, sizes, strict=True)]
    checked: list[Fraction | None] = [None] * len(labels)  # the last object found equal
    for index, (h, p) in enumerate(zip(unit_codes, probabilities, strict=True)):
        if p is checked[h]:  # the same Fraction object again (draws and records share one)
            continue
        if p != expected[h]:
            raise _locate(
                field,
                index,
                "inclusion_probability",
                str(p),
                f"differs from n_h / M_h = {sizes[h]}/{eligible[h]} of stratum {labels[h]!r}",
            )
        checked[h] = p
    return np.array([float(p) for p in expected], dtype=np.float64)


def _build(
    algorithm: str,
    strata: list[tuple[str, int, int]],
    selection: list[tuple[str, str, Fraction]],
    field: str,
) -> SampleDesign:
    labels = tuple(label for label, _, _ in strata)
    code = {label: index for index, label in enumerate(labels)}
    eligible = tuple(m for _, m, _ in strata)
    sizes = tuple(n for _, _, n in strata)
    ids = tuple(unit for unit, _, _ in selection)
    position = {unit: index for index, unit in enumerate(ids)}
    if len(position) != len(ids):
        seen: set[str] = set()
        for index, unit in enumerate(ids):
            if unit in seen:
                raise _locate(field, index, "id", unit, "is selected twice")
            seen.add(unit)
    unit_codes = [code.get(stratum, -1) for _, stratum, _ in selection]
    if -1 in unit_codes:
        index = unit_codes.index(-1)
        raise _locate(field, index, "stratum", selection[index][1], "is not a stratum")
    probabilities = tuple(p for _, _, p in selection)
    codes = np.array(unit_codes, dtype=np.intp)
    if algorithm == SRSWOR_ALGORITHM:
        pi = _srswor_pi(
            field,
            labels=labels,
            eligible=eligible,
            sizes=sizes,
            unit_codes=unit_codes,
            probabilities=probabilities,
        )[codes]
    else:
        for index, p in enumerate(probabilities):
            if not 0 < p <= 1:
                raise _locate(field, index, "inclusion_probability", str(p), "must be in (0, 1]")
        pi = np.array([float(p) for p in probabilities], dtype=np.float64)
    counts = np.bincount(codes, minlength=len(labels)).tolist()
    for h, label in enumerate(labels):
        if counts[h] != sizes[h]:
            raise RecordFormatError(
                f"{field}.design.strata[{label!r}].sample_size",
                sizes[h],
                f"differs from the {counts[h]} selected units of that stratum",
            )
    return SampleDesign(
        algorithm=algorithm,
        strata=labels,
        eligible=eligible,
        sample_sizes=sizes,
        ids=ids,
        unit_strata=codes,
        inclusion_probabilities=probabilities,
        position=position,
        pi=pi,
    )


def _from_record(record: DrawRecord) -> SampleDesign:
    algorithm = record["algorithm"]["name"]
    strata = [(s["stratum"], s["eligible"], s["sample_size"]) for s in record["design"]["strata"]]
    selection = []
    parsed: dict[str, Fraction] = {}  # one Fraction per distinct text (per stratum for SRSWOR)
    for index, entry in enumerate(record["selection"]):
        text = entry["inclusion_probability"]
        p = parsed.get(text)
        if p is None:
            try:
                p = parsed[text] = Fraction(text)
            except (ValueError, ZeroDivisionError):
                raise RecordFormatError(
                    f"record.selection[{index}].inclusion_probability", text, "is not a fraction"
                ) from None
        selection.append((entry["id"], entry["stratum"], p))
    return _build(algorithm, strata, selection, "record")


def sample_design(source: StratifiedSample | DrawRecord | SampleDesign) -> SampleDesign:
    """Return the design of a draw, from its sample or its sealed record.

    The record is the published certificate: estimating from it uses exactly the published
    ``M_h``, ``n_h`` and ``pi_k``.

    >>> from randsample import Population, Seed, draw_stratified_pips
    >>> pop = Population.from_columns(["a", "b", "c", "d"], strata="A", weights=[1, 1, 2, 8])
    >>> sample = draw_stratified_pips(pop, {"A": 2}, Seed.from_bytes(bytes(range(16))))
    >>> design = sample_design(sample)
    >>> design.algorithm, [str(p) for p in design.inclusion_probabilities]
    ('stratified-pips-systematic', ['1', '1/4'])
    """
    if isinstance(source, SampleDesign):
        return source
    if isinstance(source, DrawRecord):
        return _from_record(source)
    if isinstance(source, StratifiedSample):
        if source.algorithm not in DESIGNS:
            raise InvalidInputError("sample.algorithm", source.algorithm, f"expected {DESIGNS}")
        return _build(
            source.algorithm,
            [(s.stratum, s.eligible, s.sample_size) for s in source.strata],
            [(u.id, u.stratum, u.inclusion_probability) for u in source.selection],
            "sample",
        )
    raise InvalidTypeError("design", source, "a StratifiedSample, a DrawRecord or a SampleDesign")


@attrs.frozen(eq=False)
class Observed:
    """Values aligned with a design's units: float64, which units have one, exact integers."""

    values: npt.NDArray[np.float64]
    observed: npt.NDArray[np.bool_]
    #: The values as Python ints when every observed value is an int or bool (else None).
    integers: tuple[int, ...] | None


def _show(ids: list[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:3])
    return shown + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _number(field: str, unit: str, value: object) -> tuple[float, int | None]:
    """Return a value as float64 and, when it is an integer (or bool, or whole Fraction), int."""
    if isinstance(value, (bool, int)):  # the common case first
        return float(value), int(value)
    if isinstance(value, (np.bool_, np.integer)):
        return float(int(value)), int(value)
    if isinstance(value, (float, np.floating, Fraction)):
        number = float(value)
        if not math.isfinite(number):
            raise InvalidInputError(f"{field}[{unit!r}]", value, "must be a finite number")
        whole = isinstance(value, Fraction) and value.denominator == 1
        return number, value.numerator if whole else None  # type: ignore[union-attr]
    raise InvalidTypeError(f"{field}[{unit!r}]", value, "a number (or a 0/1 flag)")


def _to_float(field: str, numbers: list[int | float]) -> npt.NDArray[np.float64]:
    try:
        return np.array(numbers, dtype=np.float64)
    except OverflowError:
        big = next(v for v in numbers if abs(v) > 1e300)
        raise InvalidInputError(field, big, "has a value too large for float64") from None


def _all_integers(design: SampleDesign, values: Mapping[Any, Any], field: str) -> Observed | None:
    """Read the common case by C-level passes: ints or bools for exactly the sampled units."""
    size = len(design.ids)
    if (
        len(values) == size
        and values.keys() == design._position.keys()
        and set(map(type, values.values())) <= {int, bool}
    ):
        ordered = list(map(values.__getitem__, design.ids))
        out = _to_float(field, ordered)
        return Observed(out, np.ones(size, dtype=np.bool_), tuple(map(int, ordered)))
    return None


def read_values(
    design: SampleDesign, values: object, *, field: str, allow_missing: bool
) -> Observed:
    """Check ``values`` (unit id -> number) against the design's sampled units."""
    if not isinstance(values, Mapping):
        raise InvalidTypeError(
            field, values, "a mapping from unit id to a number (e.g. dict or Series.to_dict())"
        )
    position = design._position
    size = len(design.ids)
    fast = _all_integers(design, values, field)
    if fast is not None:
        return fast
    indices: list[int] = []
    numbers: list[int | float] = []
    integral = True
    for unit, value in values.items():
        index = position.get(unit) if isinstance(unit, str) else None
        if index is None:
            raise InvalidInputError(f"{field}[{unit!r}]", value, "is for a unit not in the sample")
        kind = type(value)
        if kind is int or kind is bool:  # the common case: a 0/1 flag or a count
            numbers.append(value)
        else:
            number, integer = _number(field, unit, value)
            if integer is None:
                integral = False
                numbers.append(number)
            else:
                numbers.append(integer)
        indices.append(index)
    out = np.zeros(size, dtype=np.float64)
    out[indices] = _to_float(field, numbers)
    seen = np.zeros(size, dtype=np.bool_)
    seen[indices] = True
    if not allow_missing and len(indices) != size:
        missing = [design.ids[i] for i in np.flatnonzero(~seen).tolist()]
        raise InvalidInputError(
            field,
            _show(missing),
            f"has no value for {len(missing)} sampled unit(s); every sampled unit needs one "
            "(or pass nonresponse='reweight')",
        )
    integers: list[int] | None = None
    if integral:
        integers = [0] * size
        for index, number in zip(indices, numbers, strict=True):
            integers[index] = int(number)
    return Observed(out, seen, None if integers is None else tuple(integers))


def read_labels(design: SampleDesign, labels: object, *, field: str) -> list[str]:
    """Check domain labels (unit id -> label) and return one label per sampled unit."""
    if not isinstance(labels, Mapping):
        raise InvalidTypeError(field, labels, "a mapping from unit id to a domain label")
    out: list[str | None] = [None] * len(design.ids)
    for unit, label in labels.items():
        index = design.position(unit) if isinstance(unit, str) else None
        if index is None:
            raise InvalidInputError(f"{field}[{unit!r}]", label, "is for a unit not in the sample")
        if not isinstance(label, str):
            raise InvalidTypeError(f"{field}[{unit!r}]", label, "a str domain label")
        if not label:
            raise InvalidInputError(f"{field}[{unit!r}]", label, "must not be empty")
        out[index] = label
    missing = [design.ids[i] for i, label in enumerate(out) if label is None]
    if missing:
        raise InvalidInputError(
            field, _show(missing), f"has no domain label for {len(missing)} sampled unit(s)"
        )
    return out  # type: ignore[return-value]  # no None left, checked just above
