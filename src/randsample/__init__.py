"""randsample: verifiable randomized inspection sampling.

The pipeline, one module per stage::

    seed      Seed, PublicSource, commitment_for     where the randomness comes from
    tickets   ticket, tickets, ticket_order          one 256-bit number per unit
    population Population                            the units and what influences the draw
    allocation allocate                              n across strata: Neyman, bounds, exact integers
    sizing    sizes_from_rates                       per-class rates -> integer sizes
    probabilities inclusion_probabilities            πps probabilities with capping
    stratified draw_stratified                       stratified SRSWOR on tickets
    pips      draw_stratified_pips                   πps: randomized systematic on tickets
    record    make_record, DrawRecord                the sealed, chained certificate
    verify    verify                                 re-run a draw and report differences
    plan      Plan, merge_plan                       departments, items, tasks; "one industry,
                                                     one inspection"
    joint     draw_joint, verify_joint               coordinated department draws merged into visits
    burden, metrics  burden, plan_metrics            repeat inspections; the plan's target ratios
    inspectors, assignment  assign_inspectors        the second random: qualified, conflict-free
                                                     teams, complete and fair (with feasibility,
                                                     assignment_record, assignment_marginals)
    fairness  run_design                             does a draw give every unit its stated chance?
    report    monthly_report                         the plan's monthly report (月报表)
    uscc      validate_uscc                          unified social credit codes

Everything here is a pure function of its inputs: no clock, no I/O, no global random state.
The byte-level specification is ``docs/spec.md``.
"""

from ._version import __version__
from .core._seed import PURPOSE_ENTERPRISES, PURPOSE_INSPECTORS, PublicSource, Seed, commitment_for
from .core._tickets import ticket, ticket_order, tickets
from .design._allocation import Allocation, allocate
from .design._pips import draw_stratified_pips
from .design._probabilities import inclusion_probabilities
from .design._srswor import SelectedUnit, StratifiedSample, StratumSummary, draw_stratified
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
from .fairness._runner import FairnessResult, run_design
from .joint._draw import JointDraw, MergedVisit, draw_joint
from .joint._plan import Department, InspectionItem, MergedPlan, Plan, Task, merge_plan
from .joint._verify import verify_joint
from .population._population import Population
from .population.uscc import is_valid_uscc, validate_uscc
from .records._seal import DrawRecord, make_record
from .records._verify import Discrepancy, VerificationReport, verify
from .reports._burden import burden
from .reports._metrics import plan_metrics
from .reports._monthly import MonthlyReport, Outcome, monthly_report
from .teams._conflicts import Conflicts
from .teams._directory import Directory, Inspector, Visit
from .teams._feasibility import check_feasibility
from .teams._record import make_assignment_record, verify_assignment
from .teams._solve import Assignment, assign_inspectors

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
    "Seed",
    "SelectedUnit",
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
    "inclusion_probabilities",
    "is_valid_uscc",
    "make_assignment_record",
    "make_record",
    "merge_plan",
    "monthly_report",
    "plan_metrics",
    "run_design",
    "ticket",
    "ticket_order",
    "tickets",
    "validate_uscc",
    "verify",
    "verify_assignment",
    "verify_joint",
]
