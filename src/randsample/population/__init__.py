"""The units that can be drawn: Population, populations from tables, exclusion."""

from ._commitment import (
    COMMITMENT_VERSION,
    DEFAULT_BUCKETS,
    BucketRoot,
    CommitmentTree,
    MembershipProof,
    PopulationCommitment,
    bucket_indices,
    bucket_root,
    combine_buckets,
    commit_population,
    leaf_hash,
    leaf_hashes,
    root_from_path,
    unit_salt,
    unit_salts,
)
from ._exclusion import ExclusionReport, exclude_recently_inspected
from ._mapping import CREDIT_CLASSES, ENDED_STATUSES, Boost, ColumnMapping
from ._population import IdScheme, Population
from ._rows import bytewise_order, digest_header, digest_rows, padded_order, padded_rows
from ._salted_tickets import SALTED_TICKET_VERSION, salted_ticket, salted_tickets
from ._tables import (
    build_population,
    columns_from_arrow,
    columns_from_pandas,
)

__all__ = [
    "COMMITMENT_VERSION",
    "CREDIT_CLASSES",
    "DEFAULT_BUCKETS",
    "ENDED_STATUSES",
    "SALTED_TICKET_VERSION",
    "Boost",
    "BucketRoot",
    "ColumnMapping",
    "CommitmentTree",
    "ExclusionReport",
    "IdScheme",
    "MembershipProof",
    "Population",
    "PopulationCommitment",
    "bucket_indices",
    "bucket_root",
    "build_population",
    "bytewise_order",
    "columns_from_arrow",
    "columns_from_pandas",
    "combine_buckets",
    "commit_population",
    "digest_header",
    "digest_rows",
    "exclude_recently_inspected",
    "leaf_hash",
    "leaf_hashes",
    "padded_order",
    "padded_rows",
    "root_from_path",
    "salted_ticket",
    "salted_tickets",
    "unit_salt",
    "unit_salts",
]
