"""Sealed, chained records and their verification.

Every record kind (draw, replacement, assignment, announcement) is a :class:`SealedRecord`:
canonical JSON sealed by its own SHA-256 and chained to the authority's previous record.
:func:`read_record` reads any kind; :func:`announce_draw` fixes a draw before its random
values exist; :func:`verify` re-runs a draw (and checks it against its announcement);
:func:`record_replacement` and :func:`verify_replacements` handle units that cannot be
inspected; :func:`audit` checks an authority's whole ledger. The verification core (seal,
seed, chain, the report) is shared with the assignment and joint verifiers; a report's
:meth:`VerificationReport.verdict` is the :class:`Verdict` of spec section 22, printed the same
by ``randsample verify`` and the standalone verifier, in English or Chinese. A
:class:`PopulationView` is what the draw checks need of a population, so one set of rules
serves a population in memory (:class:`LocalView`) and a partitioned one.
"""

from ._announce import (
    ANNOUNCEMENT_FORMAT,
    POPULATION_COMMITMENTS,
    AnnouncedSource,
    AnnouncementRecord,
    announce_assignment,
    announce_draw,
)
from ._announced import check_announcement, randomness_notes
from ._audit import AuditEntry, AuditReport, audit
from ._checks import (
    MAX_LISTED,
    Discrepancy,
    Findings,
    Note,
    VerificationReport,
    chain_discrepancies,
    chain_link,
    chain_order,
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
from ._strict import MAX_INPUT_INTEGER_DIGITS, MAX_JSON_DEPTH, MAX_STRING_LENGTH, parse_json
from ._verdict import Verdict
from ._verify import load, verify
from ._view import LocalView, PopulationFacts, PopulationView

__all__ = [
    "ANNOUNCEMENT_FORMAT",
    "ASSIGNMENT_FORMAT",
    "DRAW_FORMAT",
    "MAX_INPUT_INTEGER_DIGITS",
    "MAX_JSON_DEPTH",
    "MAX_LISTED",
    "MAX_STRING_LENGTH",
    "NOTICE_FORMAT",
    "POPULATION_COMMITMENTS",
    "REPLACEMENT_FORMAT",
    "RESULT_FORMAT",
    "SALTED_DRAW_FORMAT",
    "SALTED_SRSWOR",
    "TEAM_ASSIGNMENT",
    "TEAM_ASSIGNMENT_VERSION",
    "AnnouncedSource",
    "AnnouncementRecord",
    "AssignmentRecord",
    "AuditEntry",
    "AuditReport",
    "Discrepancy",
    "DrawRecord",
    "Findings",
    "LocalView",
    "Note",
    "PopulationFacts",
    "PopulationView",
    "PublicNotice",
    "ReplacementRecord",
    "ResultRecord",
    "SaltedDrawRecord",
    "Schema",
    "SealedRecord",
    "Verdict",
    "VerificationReport",
    "announce_assignment",
    "announce_draw",
    "audit",
    "chain_discrepancies",
    "chain_link",
    "chain_order",
    "check_announcement",
    "check_chain",
    "check_schema",
    "check_seal",
    "check_seed",
    "compute_digest",
    "format_fraction",
    "format_timestamp",
    "load",
    "make_record",
    "parse_json",
    "randomness_notes",
    "read_record",
    "record_replacement",
    "seal",
    "verify",
    "verify_replacements",
]
