"""Equal-probability stratified sampling on tickets (algorithm ``stratified-srswor`` v1).

Within each stratum the eligible units are sorted by ticket and the ``n_h`` smallest are
taken. Because tickets are i.i.d. uniform 256-bit numbers (SHA-256 as a random oracle), the
``n_h`` smallest form a simple random sample without replacement of the stratum: this is order
sampling with uniform keys (Tillé 2006, §4.4; Ohlsson 1998), the equal-probability special case
of permanent-random-number sampling. Every eligible unit of stratum ``h`` has inclusion
probability exactly ``n_h / M_h``.

The rule only compares each unit's own ticket with the others of its stratum, so the sample
does not depend on row order, and splitting a population into parts, ranking each part and
merging the ranks gives the same sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..core import PURPOSE_ENTERPRISES, Seed, check_id, ticket_order, tickets, usable_cores
from ..errors import InvalidInputError, InvalidTypeError, SampleSizeError, require
from ..population import Population
from ._selection import Selection, as_selection
from ._sizing import Sizes

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "StratifiedSample",
    "StratumSummary",
    "draw_by_rule",
    "draw_stratified",
]

ALGORITHM = "stratified-srswor"
ALGORITHM_VERSION = 1


@attrs.frozen
class StratumSummary:
    """Counts for one stratum: all units, eligible units and the sample size drawn."""

    stratum: str
    units: int
    eligible: int
    sample_size: int

    @property
    def inclusion_probability(self) -> Fraction:
        """``n_h / M_h`` for the stratum's eligible units (0 when there are none)."""
        return Fraction(self.sample_size, self.eligible) if self.eligible else Fraction(0)


@attrs.frozen
class StratifiedSample:
    """The outcome of :func:`draw_stratified`: what was drawn, from what, and how."""

    seed: Seed
    purpose: str
    subkey: bytes
    population_digest: str
    population_size: int
    eligible_count: int
    strata: tuple[StratumSummary, ...]
    #: The selected units by stratum then rank (a tuple of units is accepted and stored so).
    selection: Selection = attrs.field(converter=as_selection)
    #: The design's algorithm name (its version is 1 for every design in this release).
    algorithm: str = ALGORITHM

    @property
    def ids(self) -> tuple[str, ...]:
        """Selected ids, by stratum then rank."""
        return self.selection.ids

    def to_rows(self) -> list[dict[str, object]]:
        """Return one dict per selected unit.

        Keys: id, stratum, rank, exact inclusion probability, design weight 1/pi, take-all flag
        (pi = 1) and ticket (hex).

        >>> pop = Population.from_columns(["a", "b", "c"], strata=["A", "A", "D"])
        >>> sample = draw_stratified(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))))
        >>> [(r["id"], str(r["inclusion_probability"]), str(r["design_weight"]), r["take_all"])
        ...  for r in sample.to_rows()]
        [('b', '1/2', '2', False), ('c', '1', '1', True)]
        """
        return [
            {
                "id": u.id,
                "stratum": u.stratum,
                "rank": u.rank,
                "inclusion_probability": u.inclusion_probability,
                "design_weight": u.design_weight,
                "take_all": u.inclusion_probability == 1,
                "ticket": u.ticket.hex(),
            }
            for u in self.selection
        ]

    def to_pandas(self) -> Any:
        """Return the selection as a pandas DataFrame (pandas is an optional dependency).

        Probabilities and weights are float64 columns for analysis; the exact fractions are
        kept as strings in ``inclusion_probability_exact``.
        """
        pd = require("pandas", feature="StratifiedSample.to_pandas", extra="pandas")
        frame = pd.DataFrame(
            self.to_rows(),
            columns=[
                "id",
                "stratum",
                "rank",
                "inclusion_probability",
                "design_weight",
                "take_all",
                "ticket",
            ],
        )
        exact = [u.inclusion_probability for u in self.selection]
        frame["inclusion_probability_exact"] = [str(p) for p in exact]
        frame["inclusion_probability"] = [float(p) for p in exact]
        frame["design_weight"] = [float(1 / p) for p in exact]
        return frame

    @property
    def sizes(self) -> Sizes:
        """The design parameters: the sample size of every stratum.

        >>> pop = Population.from_columns(["a", "b", "c"], strata=["A", "A", "D"])
        >>> dict(draw_stratified(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16)))).sizes)
        {'A': 1, 'D': 1}
        """
        return Sizes.from_mapping(
            {s.stratum: s.sample_size for s in self.strata},
            {s.stratum: s.eligible for s in self.strata},
        )

    def summary(self) -> str:
        """Return a table a person can read: per stratum N_h, eligible M_h, n_h and the rate.

        >>> pop = Population.from_columns([f"u{i}" for i in range(10)], strata="A")
        >>> print(draw_stratified(pop, {"A": 3}, Seed.from_bytes(bytes(range(16)))).summary())
        stratum      units  eligible  sample      rate
        A               10        10       3    30.00%
        total           10        10       3
        """
        lines = [f"{'stratum':<10} {'units':>7} {'eligible':>9} {'sample':>7} {'rate':>9}"]
        for s in self.strata:
            # Exact percentage to two decimals, rounded half up, without floats.
            bp = (s.inclusion_probability * 10000 + Fraction(1, 2)).__floor__()
            lines.append(
                f"{s.stratum:<10} {s.units:>7} {s.eligible:>9} {s.sample_size:>7}"
                f" {bp // 100:>5}.{bp % 100:02d}%"
            )
        lines.append(
            f"{'total':<10} {self.population_size:>7} {self.eligible_count:>9}"
            f" {len(self.selection):>7}"
        )
        return "\n".join(lines)


def _check_sizes(sizes: object, labels: tuple[str, ...]) -> dict[str, int]:
    if not isinstance(sizes, Mapping):
        raise InvalidTypeError("sizes", sizes, "a mapping from stratum label to sample size")
    checked: dict[str, int] = {}
    for label, size in sizes.items():
        check_id(label, field="sizes (stratum label)")
        field = f"sizes[{label!r}]"
        checked[label] = check.integer(size, field, minimum=0, error=SampleSizeError)
    missing = [label for label in labels if label not in checked]
    if missing:
        raise InvalidInputError(
            "sizes",
            sorted(checked),
            f"has no sample size for stratum {missing[0]!r}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
        )
    return checked


#: A per-stratum selection rule: given the stratum label, its eligible units' row indices in
#: ticket order, the sample size and the sub-key, return the chosen rows (in ticket order)
#: with their exact inclusion probabilities: a list of ``(row, pi)``, or ``(rows, pi)`` when
#: every chosen unit has the same ``pi``, or ``(rows, [pi of each row])``.
SelectionRule = Callable[
    [str, npt.NDArray[np.intp], int, bytes],
    list[tuple[int, Fraction]]
    | tuple[npt.NDArray[np.intp], Fraction]
    | tuple[npt.NDArray[np.intp], list[Fraction]],
]


def draw_by_rule(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str,
    algorithm: str,
    rule: SelectionRule,
) -> StratifiedSample:
    """Rank every stratum's eligible units by ticket, then apply ``rule`` to each stratum.

    This is the part every design shares (and that makes each one order-independent and
    mergeable across partitions): the designs differ only in ``rule``.
    """
    if not isinstance(population, Population):
        raise InvalidTypeError("population", population, "a Population")
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    checked = _check_sizes(sizes, population.stratum_labels())
    subkey = seed.subkey(purpose)

    if len(population) >= _PARALLEL_DIGEST and usable_cores() > 1:
        # The population digest (spec 4.2; cached once computed) is independent of the
        # selection, and both spend most of their time outside the GIL (numpy sorts, SHA-256):
        # on two cores they run side by side.
        with ThreadPoolExecutor(1) as pool:
            digest = pool.submit(population.digest)
            summaries, selection = _select(population, checked, subkey, rule)
            population_digest = digest.result()
    else:
        summaries, selection = _select(population, checked, subkey, rule)
        population_digest = population.digest()

    return StratifiedSample(
        seed=seed,
        purpose=purpose,
        subkey=subkey,
        population_digest=population_digest,
        population_size=len(population),
        eligible_count=int(population.eligible.sum()),
        strata=tuple(summaries),
        selection=selection,
        algorithm=algorithm,
    )


#: Populations from this size on are digested in a second thread during the draw.
_PARALLEL_DIGEST = 100_000


def _select(
    population: Population, checked: dict[str, int], subkey: bytes, rule: SelectionRule
) -> tuple[list[StratumSummary], Selection]:
    labels, codes = population.stratum_codes()
    ids = population.ids
    ticket_array = tickets(subkey, ids, validate=False)
    # Group the rows by stratum (a stable sort on small integer codes, a radix sort), then
    # order each stratum's rows by ticket. Ticket order is a total order (ties broken by id),
    # so ordering each stratum alone gives what ordering everything and grouping would.
    small = np.uint8 if len(labels) <= 1 << 8 else np.uint16 if len(labels) <= 1 << 16 else np.intp
    by_code = np.argsort(codes.astype(small), kind="stable")
    bounds = np.searchsorted(codes[by_code], np.arange(len(labels) + 1))
    is_eligible = population.eligible
    code_of = {label: code for code, label in enumerate(labels)}

    summaries: list[StratumSummary] = []
    chosen: list[npt.NDArray[np.intp]] = []
    strata: list[str] = []
    ranks: list[int] = []
    probabilities: list[Fraction] = []
    for label in sorted(set(labels) | set(checked)):
        size = checked[label]
        code = code_of.get(label)
        if code is None:
            members = by_code[:0]
            units = 0
        else:
            rows = by_code[bounds[code] : bounds[code + 1]]
            units = int(rows.shape[0])
            rows = rows[is_eligible[rows]]
            members = rows[ticket_order(ticket_array[rows], ids=ids[rows])]
        summaries.append(stratum_summary(label, units, int(members.shape[0]), size))
        picked = rule(label, members, size, subkey)
        if isinstance(picked, tuple) and len(picked) == 2 and isinstance(picked[0], np.ndarray):
            # (rows, pi): one probability for all, or one per row
            rows, pi = picked
            count = int(rows.shape[0])
            probabilities += pi if isinstance(pi, list) else [pi] * count
        else:
            rows = np.fromiter((index for index, _pi in picked), np.intp, len(picked))
            count = len(picked)
            probabilities += [pi for _index, pi in picked]
        chosen.append(rows)
        strata += [label] * count
        ranks += range(1, count + 1)
    # Columns, not one object per unit (see _selection): ids and tickets in one gather each.
    where = np.concatenate(chosen) if chosen else np.empty(0, np.intp)
    picked_tickets = np.ascontiguousarray(ticket_array[where]).tobytes()
    selection = Selection(ids[where].tolist(), strata, ranks, picked_tickets, probabilities)
    return summaries, selection


def stratum_summary(label: str, units: int, eligible: int, size: int) -> StratumSummary:
    """Return a stratum's summary; a size over its eligible units is :class:`SampleSizeError`.

    One rule (and message) for the in-memory draws and the partitioned one.
    """
    if size > eligible:
        raise SampleSizeError(
            f"sizes[{label!r}]",
            size,
            f"exceeds the {eligible} eligible units of stratum {label!r}"
            + ("" if units == eligible else f" ({units} units, {units - eligible} ineligible)"),
        )
    return StratumSummary(label, units, eligible, size)


def _srswor_rule(
    label: str, members: npt.NDArray[np.intp], size: int, subkey: bytes
) -> tuple[npt.NDArray[np.intp], Fraction]:
    # The n_h smallest tickets; every eligible unit of the stratum has pi = n_h / M_h.
    pi = Fraction(size, len(members)) if len(members) else Fraction(0)
    return members[:size], pi


def draw_stratified(
    population: Population,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
) -> StratifiedSample:
    """Draw a stratified simple random sample without replacement, ``sizes[h]`` per stratum.

    Deterministic: the same seed, purpose, population and sizes always give the same sample,
    whatever the row order. Impossible requests fail; a short sample is never returned.

    >>> pop = Population.from_columns(
    ...     ["e1", "e2", "e3", "e4", "e5", "e6"], strata=["A", "A", "A", "D", "D", "D"])
    >>> seed = Seed.from_hex("00112233445566778899aabbccddeeff")
    >>> sample = draw_stratified(pop, {"A": 1, "D": 2}, seed)
    >>> sample.ids
    ('e1', 'e6', 'e4')
    >>> [str(u.inclusion_probability) for u in sample.selection]
    ['1/3', '2/3', '2/3']
    """
    return draw_by_rule(
        population, sizes, seed, purpose=purpose, algorithm=ALGORITHM, rule=_srswor_rule
    )
