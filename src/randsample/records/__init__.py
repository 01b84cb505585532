"""Sealed, chained records and their verification.

Every record kind (draw, replacement, assignment) is a :class:`SealedRecord`: canonical JSON
sealed by its own SHA-256 and chained to the authority's previous record. :func:`read_record`
reads any kind; :func:`verify` re-runs a draw; :func:`record_replacement` and
:func:`verify_replacements` handle units that cannot be inspected. The verification core
(seal, seed, chain, the report) is shared with the assignment and joint verifiers; a report's
:meth:`VerificationReport.verdict` is the :class:`Verdict` of spec section 15, printed the same
by ``randsample verify`` and the standalone verifier, in English or Chinese.
"""

from ._checks import (
    MAX_LISTED,
    Discrepancy,
    Findings,
    VerificationReport,
    chain_discrepancies,
    chain_link,
    check_chain,
    check_seal,
    check_seed,
)
from ._draw import make_record
from ._formats import (
    ASSIGNMENT_FORMAT,
    DRAW_FORMAT,
    REPLACEMENT_FORMAT,
    TEAM_ASSIGNMENT,
    TEAM_ASSIGNMENT_VERSION,
    AssignmentRecord,
    DrawRecord,
    ReplacementRecord,
)
from ._publication_format import (
    NOTICE_FORMAT,
    SALTED_DRAW_FORMAT,
    SALTED_SRSWOR,
    PublicNotice,
    SaltedDrawRecord,
)
from ._replacement import record_replacement, verify_replacements
from ._result_format import RESULT_FORMAT, ResultRecord
from ._schema import Schema, check_schema
from ._seal import (
    SealedRecord,
    compute_digest,
    format_fraction,
    format_timestamp,
    read_record,
    seal,
)
from ._verdict import Verdict
from ._verify import load, verify

__all__ = [
    "ASSIGNMENT_FORMAT",
    "DRAW_FORMAT",
    "MAX_LISTED",
    "NOTICE_FORMAT",
    "REPLACEMENT_FORMAT",
    "RESULT_FORMAT",
    "SALTED_DRAW_FORMAT",
    "SALTED_SRSWOR",
    "TEAM_ASSIGNMENT",
    "TEAM_ASSIGNMENT_VERSION",
    "AssignmentRecord",
    "Discrepancy",
    "DrawRecord",
    "Findings",
    "PublicNotice",
    "ReplacementRecord",
    "ResultRecord",
    "SaltedDrawRecord",
    "Schema",
    "SealedRecord",
    "VerificationReport",
    "Verdict",
    "chain_discrepancies",
    "chain_link",
    "check_chain",
    "check_schema",
    "check_seal",
    "check_seed",
    "compute_digest",
    "format_fraction",
    "format_timestamp",
    "load",
    "make_record",
    "read_record",
    "record_replacement",
    "seal",
    "verify",
    "verify_replacements",
]
