"""Inspector teams: directory, conflicts, assignment, feasibility, marginals, records."""

from ._assignment import Assignment, InspectorLoad, Team, Unstaffed, WorkloadReport
from ._common import (
    CONFLICT_ORDER,
    DEFAULT_TEAM_SIZE,
    NOT_QUALIFIED,
    RECUSAL,
    RELATION_KINDS,
    ROTATION,
    SAME_LOCALITY,
    UNAVAILABLE,
    RelationKind,
)
from ._conflicts import Conflicts, ExcludedPair, Relation, exclusion_reasons
from ._directory import Directory, Inspector
from ._feasibility import (
    Bottleneck,
    DepartmentBalance,
    FeasibilityReport,
    InfeasibleAssignmentError,
    VisitShortage,
    check_feasibility,
)
from ._from_joint import visits_from_joint
from ._marginals import MarginalEstimate, MarginalTargets, estimate_marginals, target_marginals
from ._problem import input_digest, pair_ticket, visit_order_key
from ._record import make_assignment_record, verify_assignment
from ._solve import ALGORITHM, ALGORITHM_VERSION, assign_inspectors
from ._visit import Visit

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "CONFLICT_ORDER",
    "DEFAULT_TEAM_SIZE",
    "NOT_QUALIFIED",
    "RECUSAL",
    "RELATION_KINDS",
    "ROTATION",
    "SAME_LOCALITY",
    "UNAVAILABLE",
    "Assignment",
    "Bottleneck",
    "Conflicts",
    "DepartmentBalance",
    "Directory",
    "ExcludedPair",
    "FeasibilityReport",
    "InfeasibleAssignmentError",
    "Inspector",
    "InspectorLoad",
    "MarginalEstimate",
    "MarginalTargets",
    "Relation",
    "RelationKind",
    "Team",
    "Unstaffed",
    "Visit",
    "VisitShortage",
    "WorkloadReport",
    "assign_inspectors",
    "check_feasibility",
    "estimate_marginals",
    "exclusion_reasons",
    "input_digest",
    "make_assignment_record",
    "pair_ticket",
    "target_marginals",
    "verify_assignment",
    "visit_order_key",
    "visits_from_joint",
]
