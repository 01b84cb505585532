"""Verifiable randomness: canonical bytes, identifiers, seeds, tickets and streams."""

from ._encoding import canonical_digest, canonical_json, canonical_text, lp, sha256_hex
from ._identifiers import check_id, check_ids
from ._kernel import (
    KERNELS,
    KernelName,
    TicketKernel,
    ticket_kernel,
    usable_cores,
    utf8_buffer,
)
from ._rows import row_columns
from ._seed import (
    MAX_SOURCE_VALUE_DIGITS,
    MIN_SEED_BYTES,
    MIN_SOURCE_DIGITS,
    PURPOSE_ENTERPRISES,
    PURPOSE_INSPECTORS,
    SECRET_BYTES,
    PublicSource,
    Seed,
    canonical_key,
    commitment_for,
    entropy_digits,
    secret_weakness,
)
from ._stream import RandomStream
from ._tickets import TICKET_BYTES, ticket, ticket_order, tickets

__all__ = [
    "KERNELS",
    "MAX_SOURCE_VALUE_DIGITS",
    "MIN_SEED_BYTES",
    "MIN_SOURCE_DIGITS",
    "PURPOSE_ENTERPRISES",
    "PURPOSE_INSPECTORS",
    "SECRET_BYTES",
    "TICKET_BYTES",
    "KernelName",
    "PublicSource",
    "RandomStream",
    "Seed",
    "TicketKernel",
    "canonical_digest",
    "canonical_json",
    "canonical_key",
    "canonical_text",
    "check_id",
    "check_ids",
    "commitment_for",
    "entropy_digits",
    "lp",
    "row_columns",
    "secret_weakness",
    "sha256_hex",
    "ticket",
    "ticket_kernel",
    "ticket_order",
    "tickets",
    "usable_cores",
    "utf8_buffer",
]
