"""Draws on a partitioned population: per partition tickets and candidates, one merge.

Algorithm ``stratified-srswor`` v1 (spec section 5) selects the ``n_h`` smallest tickets of
each stratum. A ticket depends only on the sub-key and the unit's id, so the partitions can be
handled independently:

1. **scan**: every partition is checked and counted (units and eligible units per stratum);
2. **digest**: the population commitment (by default the v1 digest of spec 4.2, see
   :mod:`randsample.distributed._commitment`);
3. **candidates**: each partition computes the tickets of its eligible units (a compiled
   kernel when installed) and keeps those whose first 64 bits are below a cut chosen so that
   about ``n_h`` units plus a margin of six standard deviations pass in the whole stratum
   (tickets are uniform, so the cut is ``(n_h + margin) / M_h`` of the range);
4. **merge**: the candidates of each stratum are put in ticket order (ties by id bytes) and
   the first ``n_h`` taken. If a stratum has fewer than ``n_h`` candidates (probability below
   ``1e-9`` per stratum), step 3 is repeated for it with a wider margin.

The merge is exact, not approximate: the candidates of a stratum are all its eligible units
under the cut, so if there are at least ``n_h`` of them they include the ``n_h`` smallest
tickets. The result is a :class:`randsample.StratifiedSample` equal to what
:func:`randsample.draw_stratified` gives on the same units, whatever the partitioning, so
:func:`randsample.make_record` seals a byte-identical record.

On Dask's local scheduler an equal-probability draw with the v1 digest reads each partition
once instead: steps 1 to 3 run together where the partition is read (checked, counted, sorted
by id into runs, and the first 64 bits of the tickets kept for the units that can be
selected), then the runs are merged for the digest and the cuts are exact order statistics
of the kept heads (:mod:`randsample.distributed._runs`, :mod:`randsample.distributed._heads`).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from functools import reduce
from typing import Any

import numpy as np

from ..core import PURPOSE_ENTERPRISES, Seed, ticket_order
from ..core._kernel import KernelName
from ..design import ALGORITHM, Selection, StratifiedSample, StratumSummary
from ..design import algorithm as registered
from ..design._pips import select_by_weights  # the same πps checks as a local draw
from ..design._srswor import (  # the same size checks (and messages) as a local draw
    _check_sizes,
    stratum_summary,
)
from ..errors import InvalidInputError, InvalidTypeError
from ._commitment import POPULATION_DIGEST_V1, Commitment, PopulationDigestV1
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._heads import limits_of, run_orders, scan_run
from ._partition import (
    ALL_TICKETS,
    Candidates,
    Scan,
    candidates,
    changed_during_draw,
    thresholds,
)
from ._runs import release_memory, runs_digest

__all__ = ["draw_dataset", "stratum_orders"]

_MARGIN = 6.0


def stratum_orders(
    population: PartitionedPopulation,
    needed: Mapping[str, int],
    eligible: Mapping[str, int],
    *,
    subkey: bytes,
    runner: Runner,
    kernel: KernelName = "auto",
) -> dict[str, list[tuple[str, bytes, float | None]]]:
    """Return, per stratum, the first ``needed[h]`` eligible units in ticket order.

    Each unit is ``(id, ticket, weight)``; a stratum has fewer only if it has fewer eligible
    units.
    """
    want = {label: min(k, eligible.get(label, 0)) for label, k in needed.items()}
    want = {label: k for label, k in want.items() if k > 0}
    found: dict[str, list[tuple[str, bytes, float | None]]] = {}
    margin = _MARGIN
    while want:
        cuts = thresholds(want, eligible, margin)
        parts = runner.compute(
            population.partition_map(
                candidates, subkey=subkey, cuts=cuts, weighted=population.weighted, kernel=kernel
            )
        )
        merged = _merge(parts)
        for label, k in list(want.items()):
            ids, ticket_rows, weights = merged.get(label, ([], np.zeros((0, 32), np.uint8), []))
            if len(ids) < k and cuts[label] == ALL_TICKETS:
                raise changed_during_draw(label)  # every unit was under the cut
            if len(ids) < k:
                continue  # not enough under the cut: widen it (next round)
            order = ticket_order(ticket_rows, ids=ids)[:k].tolist()
            found[label] = [(ids[i], ticket_rows[i].tobytes(), weights[i]) for i in order]
            del want[label]
        margin = 4 * margin if margin else 1.0  # until the cut keeps every unit, at worst
    return found


def _merge(
    parts: list[Candidates],
) -> dict[str, tuple[list[str], Any, list[float | None]]]:
    by_label: dict[str, tuple[list[str], list[Any], list[float | None]]] = {}
    for part in parts:
        for i, label in enumerate(part.strata):
            ids, rows, weights = by_label.setdefault(label, ([], [], []))
            ids.append(part.ids[i])
            rows.append(part.tickets[i])
            weights.append(None if part.weights is None else float(part.weights[i]))
    return {
        label: (ids, np.array(rows, dtype=np.uint8).reshape(-1, 32), weights)
        for label, (ids, rows, weights) in by_label.items()
    }


def draw_dataset(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
    client: Any = None,
    kernel: KernelName = "auto",
    commitment: Commitment = POPULATION_DIGEST_V1,
    algorithm: str = ALGORITHM,
) -> StratifiedSample:
    """Draw a stratified sample from partitions: ``stratified-srswor`` v1, or a πps design.

    The same sample as :func:`randsample.draw_stratified` on the same units, whatever the
    partitioning: seal it with :func:`randsample.make_record`. ``algorithm`` names a
    registered design (:data:`randsample.design.DESIGNS`): ``"stratified-pips-systematic"``
    and ``"stratified-pips-sampford"`` give the samples of
    :func:`~randsample.design.draw_stratified_pips` and
    :func:`~randsample.design.draw_stratified_sampford`. They need every eligible unit of a
    stratum in ticket order, so the caller gathers each sampled stratum's ids, tickets and
    weights (a traced peak of about 335 bytes per eligible unit, measured at 300,000 units)
    where an equal-probability draw gathers only a little more than its sample. ``client``
    is a ``distributed.Client`` (``None``: Dask's local scheduler). Nothing is returned, and
    so nothing can be sealed, unless every partition was read, checked and counted: a
    cluster that fails mid-draw raises its error.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population, draw_stratified
    >>> pop = Population.from_columns([f"e{i}" for i in range(9)], strata=["A", "B", "B"] * 3)
    >>> seed = Seed.from_hex("00112233445566778899aabbccddeeff")
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[4, 0, 5])
    >>> draw_dataset(parts, {"A": 1, "B": 2}, seed) == draw_stratified(pop, {"A": 1, "B": 2}, seed)
    True
    """
    if not isinstance(population, PartitionedPopulation):
        raise InvalidTypeError("population", population, "a PartitionedPopulation")
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    _check_design(population, algorithm)
    runner = _as_runner(client)
    local = runner.client is None and isinstance(commitment, PopulationDigestV1)
    if local and registered(algorithm).weight_rule is None:
        return _draw_once(
            population,
            sizes,
            seed,
            purpose=purpose,
            runner=runner,
            kernel=kernel,
            algorithm=algorithm,
        )
    scan = population.scan(client=runner)
    checked = _check_sizes(sizes, tuple(sorted(scan.strata)))
    _summaries(scan, checked)  # infeasible sizes fail before the digest is computed
    digest = commitment.compute(population, scan.rows, runner)
    return sample_from(
        population,
        checked,
        seed,
        purpose=purpose,
        scan=scan,
        digest=digest,
        runner=runner,
        kernel=kernel,
        algorithm=algorithm,
    )


def _draw_once(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str,
    runner: Runner,
    kernel: KernelName,
    algorithm: str,
) -> StratifiedSample:
    # An equal-probability draw on the local scheduler reads every partition once: each is
    # checked, counted, sorted by id and ticketed where it is read (the first 64 bits of every
    # eligible unit's ticket are kept); the digest merges the sorted runs and the selection
    # comes from the kept ticket heads (see randsample.distributed._runs).
    subkey = seed.subkey(purpose)
    parts = runner.compute(
        population.partition_map(
            scan_run,
            population.weighted,
            subkey=subkey,
            kernel=kernel,
            limits=limits_of(sizes),
        )
    )
    scan = reduce(Scan.__add__, [part[0] for part in parts], Scan(0, {}))
    runs = [run for part in parts for run in part[1]]
    del parts
    release_memory(scan.rows)
    checked = _check_sizes(sizes, tuple(sorted(scan.strata)))
    summaries = _summaries(scan, checked)  # infeasible sizes fail before the digest
    want = {s.stratum: min(s.sample_size, s.eligible) for s in summaries}
    # The digest merges the runs in threads of its own while this thread takes the selection
    # from the ticket heads (few cycles, mostly while the digest waits on numpy; its memory is
    # then this thread's, which release_memory gives back); an error of the digest (a
    # duplicate id) is raised first, as in a local draw.
    with ThreadPoolExecutor(max_workers=1) as side:
        merging = side.submit(runs_digest, runs, scan.rows)
        try:
            orders = run_orders(list(runs), want, subkey=subkey, kernel=kernel)
        finally:
            digest = merging.result()
        del runs
    release_memory(scan.rows)
    return sample_from(
        population,
        checked,
        seed,
        purpose=purpose,
        scan=scan,
        digest=digest,
        runner=runner,
        kernel=kernel,
        algorithm=algorithm,
        orders=orders,
    )


def _check_design(population: PartitionedPopulation, name: str) -> None:
    # The checks of a local draw, in its order: a known design, then weights for πps.
    if registered(name).weight_rule is not None and not population.weighted:
        raise InvalidInputError(
            "population.weights", None, "a πps design needs a weight (size measure) per unit"
        )


def sample_from(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    seed: Seed,
    *,
    purpose: str,
    scan: Scan,
    digest: str,
    runner: Runner,
    kernel: KernelName,
    algorithm: str = ALGORITHM,
    orders: Mapping[str, tuple[list[str], bytes]] | None = None,
) -> StratifiedSample:
    """Draw with counts and digest already known (checked sizes); see :func:`draw_dataset`.

    ``orders`` are, for an equal-probability draw, the units :func:`stratum_orders` would
    return when already known, as columns: ids, and tickets one after another.
    """
    _check_design(population, algorithm)
    rule = registered(algorithm).weight_rule
    checked = dict(sizes)
    summaries = _summaries(scan, checked)
    subkey = seed.subkey(purpose)
    eligible = {s.stratum: s.eligible for s in summaries}
    # An equal-probability draw needs the n_h smallest tickets; a πps one every eligible unit
    # of the strata it samples, in ticket order (their weights decide).
    needed = (
        checked if rule is None else {s.stratum: s.eligible for s in summaries if s.sample_size}
    )
    if orders is not None and rule is None:
        selection = _select_columns(summaries, orders)
    else:
        units = stratum_orders(
            population, needed, eligible, subkey=subkey, runner=runner, kernel=kernel
        )
        selection = _select(summaries, units, rule, subkey)
    return StratifiedSample(
        seed=seed,
        purpose=purpose,
        subkey=subkey,
        population_digest=digest,
        population_size=scan.rows,
        eligible_count=sum(counts[1] for counts in scan.strata.values()),
        strata=tuple(summaries),
        selection=selection,
        algorithm=algorithm,
    )


def _select(
    summaries: list[StratumSummary],
    orders: Mapping[str, list[tuple[str, bytes, float | None]]],
    rule: Any,
    subkey: bytes,
) -> Selection:
    # Each stratum's selected units, in stratum order, as the columns of a Selection: no object
    # per unit (hundreds of thousands at 10M units, which the cyclic collector would traverse).
    ids: list[str] = []
    strata: list[str] = []
    ranks: list[int] = []
    tickets: list[bytes] = []
    probabilities: list[Fraction] = []
    for s in summaries:
        units = orders.get(s.stratum, [])
        if rule is None:
            pi = Fraction(s.sample_size, s.eligible) if s.eligible else Fraction(0)
            picked = units[: s.sample_size]
            probabilities += [pi] * len(picked)
        else:
            weights = np.array([w for _, _, w in units], dtype=np.float64)
            chosen = select_by_weights(rule, s.stratum, weights, s.sample_size, subkey)
            picked = [units[k] for k, _pi in chosen]
            probabilities += [pi for _k, pi in chosen]
        if len(picked) != s.sample_size:  # stratum_orders gives n_h units, or raises
            raise changed_during_draw(s.stratum)
        ids += [ident for ident, _ticket, _weight in picked]
        tickets += [ticket for _ident, ticket, _weight in picked]
        strata += [s.stratum] * len(picked)
        ranks += range(1, len(picked) + 1)
    return Selection(ids, strata, ranks, b"".join(tickets), probabilities)


def _select_columns(
    summaries: list[StratumSummary], orders: Mapping[str, tuple[list[str], bytes]]
) -> Selection:
    # _select for an equal-probability draw whose units in ticket order come as columns.
    ids: list[str] = []
    strata: list[str] = []
    ranks: list[int] = []
    tickets: list[bytes] = []
    probabilities: list[Fraction] = []
    for s in summaries:
        texts, raw = orders.get(s.stratum, ([], b""))
        k = s.sample_size
        if len(texts) < k:  # run_orders gives n_h units, or fewer only if the data changed
            raise changed_during_draw(s.stratum)
        ids += texts[:k]
        tickets.append(raw[: 32 * k])
        strata += [s.stratum] * k
        ranks += range(1, k + 1)
        probabilities += [Fraction(k, s.eligible) if s.eligible else Fraction(0)] * k
    return Selection(ids, strata, ranks, b"".join(tickets), probabilities)


def _summaries(scan: Scan, sizes: Mapping[str, int]) -> list[StratumSummary]:
    out = []
    for label in sorted(set(scan.strata) | set(sizes)):
        units, eligible, _ = scan.strata.get(label, (0, 0, 0))
        out.append(stratum_summary(label, units, eligible, sizes[label]))
    return out
