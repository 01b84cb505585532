"""Sealed, chained records and their verification."""

from ._replacement import (
    REPLACEMENT_FORMAT,
    ReplacementRecord,
    record_replacement,
    verify_replacements,
)
from ._seal import RECORD_FORMAT, DrawRecord, SealedRecord, chain_link, format_fraction, make_record
from ._verify import Discrepancy, VerificationReport, chain_discrepancies, verify

__all__ = [
    "RECORD_FORMAT",
    "REPLACEMENT_FORMAT",
    "Discrepancy",
    "DrawRecord",
    "ReplacementRecord",
    "SealedRecord",
    "VerificationReport",
    "chain_discrepancies",
    "chain_link",
    "format_fraction",
    "make_record",
    "record_replacement",
    "verify",
    "verify_replacements",
]
