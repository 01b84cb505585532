"""Verification and replacements of a draw whose population is partitioned.

The rules are :mod:`randsample.records`' own: :class:`DatasetView` answers the three questions
a draw check asks of a population (its digest and counts, the draw for a seed, a stratum's
first units in ticket order) on the cluster, and :func:`randsample.verify`,
:func:`randsample.record_replacement` and :func:`randsample.verify_replacements` do the rest.
So :func:`verify_dataset` gives the report :func:`randsample.verify` gives on the same units
(same fields, same messages), and :func:`record_replacement_dataset` the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs

from ..core import Seed
from ..core._kernel import KernelName
from ..design import SelectedUnit
from ..design._srswor import _check_sizes  # the same size checks as a local draw
from ..errors import InvalidTypeError
from ..records import (
    DrawRecord,
    PopulationFacts,
    ReplacementRecord,
    SealedRecord,
    VerificationReport,
    load,
    record_replacement,
    verify,
    verify_replacements,
)
from ._commitment import POPULATION_DIGEST_V1, Commitment
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._draw import sample_from, stratum_orders
from ._partition import Scan

__all__ = [
    "DatasetView",
    "record_replacement_dataset",
    "verify_dataset",
    "verify_replacements_dataset",
]


@attrs.define
class DatasetView:
    """A :class:`PartitionedPopulation` as the draw checks see it.

    A :class:`randsample.records.PopulationView`: the scan and digest run once, when first
    needed. Draws of every registered design are re-drawn on partitions.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> pop = Population.from_columns(["a", "b", "c"], strata=["X", "Y", "X"])
    >>> view = DatasetView(PartitionedPopulation.from_population(pop, partitions=2))
    >>> view.facts().digest == pop.digest(), dict(view.facts().strata_eligible)
    (True, {'X': 2, 'Y': 1})
    """

    population: PartitionedPopulation
    runner: Runner = attrs.field(factory=Runner)
    kernel: KernelName = "auto"
    commitment: Commitment = POPULATION_DIGEST_V1
    _scan: Scan | None = attrs.field(default=None, init=False)
    _facts: PopulationFacts | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.population, PartitionedPopulation):
            raise InvalidTypeError("population", self.population, "a PartitionedPopulation")

    def facts(self) -> PopulationFacts:
        """Return the commitment and counts, from one scan of the partitions."""
        if self._facts is None:
            scan = self.population.scan(client=self.runner)
            self._scan = scan
            self._facts = PopulationFacts(
                digest=self.commitment.compute(self.population, scan.rows, self.runner),
                units=scan.rows,
                eligible=sum(counts[1] for counts in scan.strata.values()),
                strata_units={label: c[0] for label, c in scan.strata.items()},
                strata_eligible={label: c[1] for label, c in scan.strata.items()},
            )
        return self._facts

    def redraw(
        self, name: str, sizes: dict[str, int], seed: Seed, purpose: str
    ) -> Sequence[SelectedUnit]:
        """Return the selection of design ``name``, drawn on the cluster."""
        facts = self.facts()
        assert self._scan is not None  # set by facts()
        checked = _check_sizes(sizes, tuple(sorted(self._scan.strata)))
        sample = sample_from(
            self.population,
            checked,
            seed,
            purpose=purpose,
            scan=self._scan,
            digest=facts.digest,
            runner=self.runner,
            kernel=self.kernel,
            algorithm=name,
        )
        return sample.selection

    def stratum_order(self, subkey: bytes, stratum: str, count: int) -> list[tuple[str, bytes]]:
        """Return the first ``count`` eligible units of ``stratum`` in ticket order."""
        eligible = self.facts().strata_eligible
        orders = stratum_orders(
            self.population,
            {stratum: count},
            eligible,
            subkey=subkey,
            runner=self.runner,
            kernel=self.kernel,
        )
        return [(ident, ticket) for ident, ticket, _ in orders.get(stratum, [])]


def verify_dataset(
    record: SealedRecord | str | bytes,
    population: PartitionedPopulation,
    *,
    previous: SealedRecord | str | bytes | None = None,
    client: Any = None,
    kernel: KernelName = "auto",
    commitment: Commitment = POPULATION_DIGEST_V1,
) -> VerificationReport:
    """Re-run the draw of ``record`` on the partitioned ``population`` and compare.

    The same report as :func:`randsample.verify` on the same units, for every registered
    design (equal-probability and πps draws are re-drawn on the engine).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population, Seed, draw_stratified, make_record, verify
    >>> pop = Population.from_columns([f"e{i}" for i in range(6)], strata=["A", "B"] * 3)
    >>> sample = draw_stratified(pop, {"A": 1, "B": 2}, Seed.from_bytes(bytes(range(16))))
    >>> record = make_record(sample, authority="bureau", draw_id="d1",
    ...                      timestamp="2026-11-27T02:00:00Z")
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[3, 3])
    >>> verify_dataset(record, parts).ok
    True
    """
    rec = load(record)
    if not isinstance(rec, DrawRecord):
        raise InvalidTypeError("record", rec, "a DrawRecord (a draw, not another kind of record)")
    view = DatasetView(population, _as_runner(client), kernel, commitment)
    return verify(rec, view, previous=previous)


def record_replacement_dataset(
    draw: DrawRecord,
    population: PartitionedPopulation,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord] = (),
    client: Any = None,
) -> ReplacementRecord:
    """Replace ``unit_id`` by the next unit in ticket order; the draw must verify first.

    The same record as :func:`randsample.record_replacement` on the same units.
    """
    return record_replacement(
        draw,
        DatasetView(population, _as_runner(client)),
        unit_id=unit_id,
        reason=reason,
        recorded_by=recorded_by,
        timestamp=timestamp,
        previous=previous,
        earlier=earlier,
    )


def verify_replacements_dataset(
    draw: DrawRecord,
    population: PartitionedPopulation,
    replacements: Sequence[ReplacementRecord],
    *,
    client: Any = None,
    check_links: bool = True,
) -> VerificationReport:
    """Verify the draw, then re-derive every replacement in order, on partitions.

    The same report as :func:`randsample.verify_replacements` on the same units.
    """
    view = DatasetView(population, _as_runner(client))
    return verify_replacements(draw, view, replacements, check_links=check_links)
