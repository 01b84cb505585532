"""The distributed engine: draws, verification and benchmarks on partitioned populations.

A :class:`PartitionedPopulation` is a population stored in partitions (a Dask DataFrame, e.g.
partitioned Parquet read by :func:`randsample.files.read_population_dataset`), processed on a
``distributed`` cluster or Dask's local scheduler. Tickets and per-stratum candidates are
computed per partition and merged once. The population digest (:data:`POPULATION_DIGEST_V1`,
pluggable through :class:`Commitment`) is computed on a cluster by a global sort; on Dask's
local scheduler an equal-probability draw reads each partition once and merges its sorted runs
bucket by bucket instead. The population commitment v2 of spec 14 is computed by
:func:`commit_dataset`, with no sort. Every result equals the
single-process one on the same units, whatever the partitioning: :func:`draw_dataset` gives the
sample :func:`randsample.draw_stratified` gives, so the sealed records are byte-identical.

Needs the ``dask`` extra (``pip install 'randsample[dask]'``).
"""

from ._commit_v2 import commit_dataset
from ._commitment import POPULATION_DIGEST_V1, BucketedCommitment, Commitment, PopulationDigestV1
from ._dataset import PartitionedPopulation, Runner
from ._draw import draw_dataset
from ._fairness import run_design_cluster
from ._joint import draw_joint_datasets
from ._partition import Scan
from ._salted import draw_salted_dataset, verify_salted_dataset
from ._verify import (
    DatasetView,
    record_replacement_dataset,
    verify_dataset,
    verify_replacements_dataset,
)

__all__ = [
    "POPULATION_DIGEST_V1",
    "BucketedCommitment",
    "Commitment",
    "DatasetView",
    "PartitionedPopulation",
    "PopulationDigestV1",
    "Runner",
    "Scan",
    "commit_dataset",
    "draw_dataset",
    "draw_joint_datasets",
    "draw_salted_dataset",
    "record_replacement_dataset",
    "run_design_cluster",
    "verify_dataset",
    "verify_replacements_dataset",
    "verify_salted_dataset",
]
