"""randsample: verifiable randomized inspection sampling (双随机、一公开).

One subpackage per stage of the pipeline, in the order a draw goes through them; each has a
thin public namespace, and the modules behind it are private::

    randsample.core         Seed, PublicSource, tickets       where the randomness comes from:
                                                              seeds, per-unit tickets, streams
    randsample.population   Population, build_population      the units that can be drawn
      .uscc                 validate_uscc                     unified social credit codes
    randsample.design       sizes_from_rates, allocate,       how many per stratum, with what
                            draw_stratified(_pips), DESIGNS   probability; the draws themselves
    randsample.records      make_record, read_record, verify  sealed, chained records and their
                                                              verification; replacements
    randsample.joint        Plan, merge_plan, draw_joint      several departments: coordinated
                                                              draws merged into visits
    randsample.teams        Directory, assign_inspectors      the second random: inspector teams
    randsample.reports      monthly_report, plan_metrics      the plan's report and ratios, burden
    randsample.estimation   estimate_mean, estimate_total     violation rates, totals and ratios
                                                              with design-based standard errors
    randsample.fairness     run_design                        does a draw give every unit its
                                                              stated chance?
    randsample.files        read_population, read_record      every reader and writer
    randsample.cli          main                              the ``randsample`` command
    randsample.examples     demo_population, ...              the example county
    randsample.testing      populations, seeds, ...           hypothesis strategies

Lower stages never import higher ones (an import-linter contract checks it). Everything but
``files`` and ``cli`` is a pure function of its inputs: no clock, no I/O, no global random
state. Errors are in :mod:`randsample.errors`. The byte-level specification is
``docs/spec.md``. The names below are the most used ones, re-exported for convenience.
"""

from ._version import __version__
from .core import (
    PURPOSE_ENTERPRISES,
    PURPOSE_INSPECTORS,
    PublicSource,
    Seed,
    commitment_for,
    ticket,
    ticket_order,
    tickets,
)
from .design import (
    Allocation,
    SelectedUnit,
    Sizes,
    StratifiedSample,
    StratumSummary,
    allocate,
    draw_stratified,
    draw_stratified_pips,
    inclusion_probabilities,
    sizes_from_rates,
)
from .errors import (
    InvalidIdentifierError,
    InvalidInputError,
    InvalidTypeError,
    LowEntropySeedError,
    RandsampleError,
    RecordFormatError,
    RecordIntegrityError,
    SampleSizeError,
)
from .estimation import Estimates, estimate_mean, estimate_ratio, estimate_total
from .fairness import FairnessResult, run_design
from .joint import (
    Department,
    InspectionItem,
    JointDraw,
    MergedPlan,
    MergedVisit,
    Plan,
    Task,
    draw_joint,
    merge_plan,
    verify_joint,
)
from .population import Population
from .population.uscc import is_valid_uscc, validate_uscc
from .records import (
    Discrepancy,
    DrawRecord,
    SealedRecord,
    VerificationReport,
    make_record,
    read_record,
    verify,
)
from .reports import MonthlyReport, Outcome, burden, monthly_report, plan_metrics
from .teams import (
    Assignment,
    Conflicts,
    Directory,
    Inspector,
    Visit,
    assign_inspectors,
    check_feasibility,
    make_assignment_record,
    verify_assignment,
)

__all__ = [
    "PURPOSE_ENTERPRISES",
    "PURPOSE_INSPECTORS",
    "Allocation",
    "Assignment",
    "Conflicts",
    "Department",
    "Directory",
    "Discrepancy",
    "DrawRecord",
    "Estimates",
    "FairnessResult",
    "InspectionItem",
    "Inspector",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidTypeError",
    "JointDraw",
    "LowEntropySeedError",
    "MergedPlan",
    "MergedVisit",
    "MonthlyReport",
    "Outcome",
    "Plan",
    "Population",
    "PublicSource",
    "RandsampleError",
    "RecordFormatError",
    "RecordIntegrityError",
    "SampleSizeError",
    "SealedRecord",
    "Seed",
    "SelectedUnit",
    "Sizes",
    "StratifiedSample",
    "StratumSummary",
    "Task",
    "VerificationReport",
    "Visit",
    "__version__",
    "allocate",
    "assign_inspectors",
    "burden",
    "check_feasibility",
    "commitment_for",
    "draw_joint",
    "draw_stratified",
    "draw_stratified_pips",
    "estimate_mean",
    "estimate_ratio",
    "estimate_total",
    "inclusion_probabilities",
    "is_valid_uscc",
    "make_assignment_record",
    "make_record",
    "merge_plan",
    "monthly_report",
    "plan_metrics",
    "read_record",
    "run_design",
    "sizes_from_rates",
    "ticket",
    "ticket_order",
    "tickets",
    "validate_uscc",
    "verify",
    "verify_assignment",
    "verify_joint",
]
