"""Inspector teams: directory, conflicts, assignment, feasibility, marginals, records.

Two versions of the algorithm ``team-assignment``, both verifiable (``docs/spec.md``):

* **version 2** (the team model of joint work): :class:`TeamVisit` with a minimum number of
  officers per participating department (default 2), a leader from the initiating
  department, experts from an :class:`ExpertPool`; :func:`assign_teams`,
  :func:`make_team_record` / :func:`verify_team_record` (format
  ``randsample.assignment-record/2``), and sealed adjustments when a member drops out after
  the draw (:func:`record_adjustment`, :func:`verify_adjustments`);
* **version 1**: :class:`Visit` (one officer per department, the rest of ``team_size`` from
  the lead), :func:`assign_inspectors`, :func:`make_assignment_record`,
  :func:`verify_assignment`; unchanged.

The bridges from a period's joint draw: :func:`team_visits_from_joint` (v2) and
:func:`visits_from_joint` (v1). The same-locality conflict rule is off unless switched on
(``Conflicts(same_locality=True)``) and compares a declared business location.
"""

from ._adjust import (
    ADJUSTMENT_FORMAT,
    AdjustmentRecord,
    adjusted_teams,
    record_adjustment,
    verify_adjustments,
)
from ._assign_v2 import ALGORITHM_VERSION_2, Shortfall, StaffedTeam, TeamAssignment, assign_teams
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
from ._from_draw import visits_from_draw
from ._from_joint import team_visits_from_joint, visits_from_joint
from ._marginals import MarginalEstimate, MarginalTargets, estimate_marginals, target_marginals
from ._problem import input_digest, pair_ticket, visit_order_key
from ._record import make_assignment_record, verify_assignment
from ._record_v2 import TEAM_RECORD_FORMAT, TeamRecord, make_team_record, verify_team_record
from ._solve import ALGORITHM, ALGORITHM_VERSION, assign_inspectors
from ._staffing import DEFAULT_MINIMUM, EXPERTS, Expert, ExpertPool, TeamVisit
from ._visit import Visit

__all__ = [
    "ADJUSTMENT_FORMAT",
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "ALGORITHM_VERSION_2",
    "CONFLICT_ORDER",
    "DEFAULT_MINIMUM",
    "DEFAULT_TEAM_SIZE",
    "EXPERTS",
    "NOT_QUALIFIED",
    "RECUSAL",
    "RELATION_KINDS",
    "ROTATION",
    "SAME_LOCALITY",
    "TEAM_RECORD_FORMAT",
    "UNAVAILABLE",
    "AdjustmentRecord",
    "Assignment",
    "Bottleneck",
    "Conflicts",
    "DepartmentBalance",
    "Directory",
    "ExcludedPair",
    "Expert",
    "ExpertPool",
    "FeasibilityReport",
    "InfeasibleAssignmentError",
    "Inspector",
    "InspectorLoad",
    "MarginalEstimate",
    "MarginalTargets",
    "Relation",
    "RelationKind",
    "Shortfall",
    "StaffedTeam",
    "Team",
    "TeamAssignment",
    "TeamRecord",
    "TeamVisit",
    "Unstaffed",
    "Visit",
    "VisitShortage",
    "WorkloadReport",
    "adjusted_teams",
    "assign_inspectors",
    "assign_teams",
    "check_feasibility",
    "estimate_marginals",
    "exclusion_reasons",
    "input_digest",
    "make_assignment_record",
    "make_team_record",
    "pair_ticket",
    "record_adjustment",
    "target_marginals",
    "team_visits_from_joint",
    "verify_adjustments",
    "verify_assignment",
    "verify_team_record",
    "visit_order_key",
    "visits_from_draw",
    "visits_from_joint",
]
