"""Results and publication (一公开): what each department found, and what goes public.

Results::

    enter_result, InspectionResult      one department's result, its audit states (未录入 → 待审核
                                        → 审核退回/通过 → 已公示 → 完结)
    Drawn, ResultLog                    what may have a result; the dated, append-only log
    seal_result, verify_results,        results as sealed, chained records
    log_from_records
    CATEGORIES, SUBTYPES, METHODS,      the closed vocabularies (codes and Chinese labels)
    FOLLOW_UPS, STATES, TRANSITIONS
    replace_unit, replacement_reason    replacement only for data errors (REPLACEMENT_REASONS)

The publication clock::

    WorkdayCalendar, official_calendar  working days with make-up workdays (chinesecalendar)
    publication_deadline, overdue       20 working days after the inspection ends; what is late

Two-tier publication::

    draw_salted, make_salted_record,    the draw with salted (v2) tickets and the auditor's record
    verify_salted
    make_notice, verify_notice          the public notice: no class, eligibility or probability
    make_receipts, verify_receipt(s)    one enterprise checks its own (non-)selection
"""

from ._clock import (
    DEFAULT_WORKING_DAYS,
    OverdueList,
    WorkdayCalendar,
    official_calendar,
    overdue,
    publication_deadline,
)
from ._log import Drawn, ResultLog
from ._notice import make_notice, verify_notice
from ._receipts import RECEIPT_FORMAT, Receipt, make_receipts, verify_receipt, verify_receipts
from ._replace import replace_unit, replacement_reason
from ._result import CONTENT_FIELDS, InspectionResult, check_step, enter_result
from ._salted import SaltedSample, SaltedStratum, draw_salted, make_salted_record, verify_salted
from ._sealing import log_from_records, seal_result, verify_results
from ._vocabulary import (
    CATEGORIES,
    FOLLOW_UPS,
    METHODS,
    PROBLEM_CATEGORIES,
    REPLACEMENT_REASONS,
    STATES,
    SUBTYPES,
    TRANSITIONS,
    Term,
)

__all__ = [
    "CATEGORIES",
    "CONTENT_FIELDS",
    "DEFAULT_WORKING_DAYS",
    "FOLLOW_UPS",
    "METHODS",
    "PROBLEM_CATEGORIES",
    "RECEIPT_FORMAT",
    "REPLACEMENT_REASONS",
    "STATES",
    "SUBTYPES",
    "TRANSITIONS",
    "Drawn",
    "InspectionResult",
    "OverdueList",
    "Receipt",
    "ResultLog",
    "SaltedSample",
    "SaltedStratum",
    "Term",
    "WorkdayCalendar",
    "check_step",
    "draw_salted",
    "enter_result",
    "log_from_records",
    "make_notice",
    "make_receipts",
    "make_salted_record",
    "official_calendar",
    "overdue",
    "publication_deadline",
    "replace_unit",
    "replacement_reason",
    "seal_result",
    "verify_notice",
    "verify_receipt",
    "verify_receipts",
    "verify_results",
    "verify_salted",
]
