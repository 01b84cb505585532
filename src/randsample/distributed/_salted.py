"""The salted draw on partitions: algorithm ``stratified-srswor-salted`` v1 (spec 14.3).

In each stratum the ``n_h`` eligible units with the smallest **v2 tickets**
(:func:`randsample.population.salted_ticket`: each mixes in the unit's salt, derived from the
authority secret and the unit's id alone), so, like a v1 ticket, a unit's ticket depends on
nothing but the unit, and the partitions can be handled apart:

1. **scan**: every partition is checked and counted (units and eligible units per stratum);
2. **digest** and **commitment**: the v1 population digest (spec 4.2, a global sort) and the
   population commitment v2 (spec 14.2, :func:`randsample.distributed.commit_dataset`: leaf
   hashes per partition, Dask's shuffle by bucket, bucket roots on the workers);
3. **candidates**: each partition computes the salts and v2 tickets of its eligible units
   and keeps, per stratum, those whose first 64 bits are below a cut chosen so that about
   ``n_h`` units plus six standard deviations pass in the whole stratum, at most ``n_h`` of
   them (its own ``n_h`` smallest);
4. **merge**: the candidates of each stratum are sorted by ticket (ties by id bytes) and the
   first ``n_h`` taken. If a stratum has fewer than ``n_h`` candidates (probability below
   ``1e-9`` per stratum), step 3 is repeated for it with a wider cut.

The merge is exact: if the candidates of a stratum number at least ``n_h``, then at least
``n_h`` of its eligible units are under the cut, so its ``n_h`` smallest tickets are under the
cut too, and each is among the ``n_h`` smallest of its own partition. The sample equals
:func:`randsample.results.draw_salted` on the same units (only its Merkle trees are not kept),
so :func:`randsample.results.make_salted_record` seals a byte-identical record.

The authority secret is sent to the workers (the salts are computed there): run a salted
draw only on workers the authority trusts with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from .. import _validation as check
from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import SelectedUnit
from ..population import DEFAULT_BUCKETS, salted_tickets, unit_salts
from ..population._commitment import check_secret  # draw_salted's secret check
from ..records import SaltedDrawRecord, SealedRecord, VerificationReport, load
from ..results import SaltedSample, SaltedStratum
from ..results._salted import check_salted, check_salted_sizes  # the local rules, shared
from ._commit_v2 import commit_dataset
from ._commitment import POPULATION_DIGEST_V1
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._partition import (
    ALL_TICKETS,
    Scan,
    changed_during_draw,
    eligible_column,
    stratum_codes,
    thresholds,
    utf8_column,
    where,
)

__all__ = ["draw_salted_dataset", "verify_salted_dataset"]

_MARGIN = 6.0
#: Units whose tickets are computed at once in a partition (bounded memory).
_CHUNK = 1 << 18

#: A stratum's candidates: ``(ticket, UTF-8 id)``, the local draw's sort key.
Units = list[tuple[bytes, bytes]]


def draw_salted_dataset(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    seed: Seed,
    secret: bytes,
    *,
    purpose: str = PURPOSE_ENTERPRISES,
    buckets: int = DEFAULT_BUCKETS,
    client: Any = None,
) -> SaltedSample:
    """Draw ``sizes[h]`` eligible units of every stratum ``h`` by salted tickets, on partitions.

    The same sample as :func:`randsample.results.draw_salted` on the same units, whatever the
    partitioning (with the same checks and messages); seal it with
    :func:`randsample.results.make_salted_record`. The sample keeps no Merkle trees
    (``tree`` is ``None``): :func:`randsample.results.make_receipts` rebuilds them from the
    population in memory. ``secret`` is the authority secret the salts derive from; it is sent
    to the workers. ``client`` is a ``distributed.Client`` (``None``: Dask's local scheduler).
    Nothing is returned unless every partition was read, checked and counted, the digest and
    the commitment computed (an id in two partitions is an error naming both).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> from randsample.results import draw_salted, make_salted_record
    >>> pop = Population.from_columns([f"E{i}" for i in range(9)], strata=["A", "B", "B"] * 3)
    >>> seed, secret = Seed.from_bytes(bytes(range(16))), bytes(range(32))
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[4, 0, 5])
    >>> sample = draw_salted_dataset(parts, {"A": 1, "B": 2}, seed, secret, buckets=4)
    >>> sample == draw_salted(pop, {"A": 1, "B": 2}, seed, secret, buckets=4)
    True
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> record["algorithm"]["name"], len(record.selected_ids)
    ('stratified-srswor-salted', 3)
    """
    check.instance(population, "population", PartitionedPopulation)
    runner = _as_runner(client)
    scan = population.scan(client=runner)
    return _sample(
        population,
        sizes,
        seed,
        secret,
        purpose=purpose,
        buckets=buckets,
        scan=scan,
        digest=None,
        runner=runner,
    )


def verify_salted_dataset(
    record: SaltedDrawRecord | str | bytes,
    population: PartitionedPopulation,
    secret: bytes,
    *,
    previous: SealedRecord | str | bytes | None = None,
    client: Any = None,
) -> VerificationReport:
    """Check a salted draw as the auditor does, re-running it on the partitioned population.

    The same report as :func:`randsample.results.verify_salted` on the same units (the same
    rules: seal, seed, sub-key, digest, counts and commitment, every stratum's counts and
    threshold, the selection id by id, the chain link). A partition that cannot be read, or
    an id in two partitions, raises a typed error naming the partition (a population in
    memory cannot hold one).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> from randsample.results import draw_salted, make_salted_record
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[1, 3])
    >>> verify_salted_dataset(record, parts, bytes(range(32))).ok
    True
    >>> verify_salted_dataset(record, parts, bytes(range(1, 33))).fields[:1]  # another secret
    ('population.commitment.root',)
    """
    rec = check.instance(load(record), "record", SaltedDrawRecord, "a SaltedDrawRecord")
    check.instance(population, "population", PartitionedPopulation)
    runner = _as_runner(client)
    scan = population.scan(client=runner)  # bad partitions and duplicates raise, as in memory
    digest = POPULATION_DIGEST_V1.compute(population, scan.rows, runner)

    def redraw(sizes: dict[str, int], seed: Seed, purpose: str, buckets: int) -> SaltedSample:
        return _sample(
            population,
            sizes,
            seed,
            secret,
            purpose=purpose,
            buckets=buckets,
            scan=scan,
            digest=digest,
            runner=runner,
        )

    return check_salted(rec, redraw, previous=previous)


def _sample(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    seed: Seed,
    secret: bytes,
    *,
    purpose: str,
    buckets: int,
    scan: Scan,
    digest: str | None,
    runner: Runner,
) -> SaltedSample:
    # draw_salted's checks in its order, then the digest, the commitment and the selection.
    counts = {label: scan.strata[label][1] for label in sorted(scan.strata)}
    checked = check_salted_sizes(counts, sizes)
    check.instance(seed, "seed", Seed)
    secret = check_secret(secret)
    check.label(purpose, "purpose")
    if digest is None:
        digest = POPULATION_DIGEST_V1.compute(population, scan.rows, runner)
    commitment = commit_dataset(population, secret, buckets=buckets, client=runner)
    subkey = seed.subkey(purpose)
    found = _orders(population, checked, counts, subkey=subkey, secret=secret, runner=runner)
    strata: list[SaltedStratum] = []
    selection: list[SelectedUnit] = []
    for label in sorted(set(scan.strata) | set(checked)):
        units, eligible, _ = scan.strata.get(label, (0, 0, 0))
        size = checked[label]
        chosen = found.get(label, [])
        probability = Fraction(size, eligible) if eligible else Fraction(0)
        selection.extend(
            SelectedUnit(ident.decode("utf-8"), label, rank, ticket, probability)
            for rank, (ticket, ident) in enumerate(chosen, start=1)
        )
        threshold = chosen[-1][0] if chosen else None
        strata.append(SaltedStratum(label, units, eligible, size, threshold))
    return SaltedSample(
        seed,
        purpose,
        subkey,
        digest,
        commitment,
        scan.rows,
        sum(c[1] for c in scan.strata.values()),
        tuple(strata),
        tuple(selection),
    )


def _orders(
    population: PartitionedPopulation,
    sizes: Mapping[str, int],
    eligible: Mapping[str, int],
    *,
    subkey: bytes,
    secret: bytes,
    runner: Runner,
) -> dict[str, Units]:
    """Return, per stratum with ``n_h > 0``, its ``n_h`` eligible units in v2 ticket order."""
    want = {label: k for label, k in sizes.items() if k > 0}  # k <= eligible: checked
    found: dict[str, Units] = {}
    margin = _MARGIN
    while want:
        cuts = thresholds(want, eligible, margin)
        parts = runner.compute(
            population.partition_map(
                salted_candidates, subkey=subkey, secret=secret, cuts=cuts, caps=want
            )
        )
        merged: dict[str, Units] = {}
        for part in parts:
            for label, units in part.items():
                merged.setdefault(label, []).extend(units)
        for label, k in list(want.items()):
            units = merged.get(label, [])
            if len(units) < k and cuts[label] == ALL_TICKETS:
                raise changed_during_draw(label)  # every unit was under the cut
            if len(units) < k:
                continue  # not enough under the cut: widen it (next round)
            units.sort()
            found[label] = units[:k]
            del want[label]
        margin = 4 * margin if margin else 1.0  # until the cut keeps every unit, at worst
    return found


def salted_candidates(
    frame: Any,
    index: int,
    *,
    subkey: bytes,
    secret: bytes,
    cuts: Mapping[str, int],
    caps: Mapping[str, int],
) -> dict[str, Units]:
    """Return, per stratum in ``cuts``, the partition's eligible units under the cut.

    At most ``caps[h]`` of them per stratum (the smallest tickets), each ``(ticket, UTF-8
    id)``. Salts and tickets are computed for those strata's eligible units only.
    """
    labels, codes = stratum_codes(frame, index)
    eligible = eligible_column(frame, index)
    has_cut = np.array([label in cuts for label in labels], dtype=bool)
    limit = np.array([cuts.get(label, 0) for label in labels], dtype=np.uint64)
    rows = np.flatnonzero(eligible & has_cut[codes]) if labels else np.zeros(0, np.intp)
    data, starts, ends = utf8_column(frame["id"], f"{where(index)}: id")
    raw = data.tobytes()
    found: dict[str, Units] = {}
    for at in range(0, rows.shape[0], _CHUNK):  # bounded memory: one chunk of tickets
        chunk = rows[at : at + _CHUNK]
        spans = zip(starts[chunk].tolist(), ends[chunk].tolist(), strict=True)
        encoded = [raw[s:e] for s, e in spans]
        ids = [e.decode("utf-8") for e in encoded]
        tickets = salted_tickets(subkey, unit_salts(secret, ids), ids)
        heads = np.frombuffer(b"".join(tickets), dtype=">u8")[::4].astype(np.uint64)
        kept = np.flatnonzero(heads <= limit[codes[chunk]])
        chunk_codes = codes[chunk]
        for k in kept.tolist():
            found.setdefault(labels[chunk_codes[k]], []).append((tickets[k], encoded[k]))
    for label, units in found.items():
        cap = caps[label]
        if len(units) > cap:
            units.sort()
            del units[cap:]
    return found
