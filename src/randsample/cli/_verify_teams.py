"""``randsample verify`` of an inspector-team record (versions 1 and 2) and its adjustments.

The input files are recognised by their content, as the standalone verifier does (spec 22):
an object with ``inspectors`` is the directory, ``experts`` the expert pool, ``visits`` the
visits (version 1) or team visits (version 2), a ``team-adjustment-record/1`` one of a
version-2 record's adjustments (section 20, put in chain order); any other object is the
conflicts. Given an adjustment as the record, its team record is looked for among the inputs.
"""

from __future__ import annotations

import argparse

import attrs

from ..errors import InvalidInputError
from ..files import (
    read_conflicts,
    read_directory,
    read_experts,
    read_mapping,
    read_team_visits,
    read_visits,
)
from ..records import AssignmentRecord, SealedRecord, chain_order
from ..records._announced import check_announcement, randomness_notes
from ..records._verdict import Verdict
from ..teams import (
    AdjustmentRecord,
    TeamRecord,
    verify_adjustments,
    verify_assignment,
    verify_team_record,
)
from ._announcing import read_announcement
from ._mapping import refuse_population_options
from ._streams import Inputs

__all__ = ["team_verdict"]

_KINDS = ("inspectors", "experts", "visits")


def team_verdict(
    args: argparse.Namespace, inputs: Inputs, record: SealedRecord, previous: SealedRecord | None
) -> Verdict:
    """Return the verdict of a team record (or adjustment) checked against the files after it."""
    refuse_population_options(
        args, "applies to draw records only", also=(("--replacement", bool(args.replacement)),)
    )
    team, paths, adjustments = _inputs(args, inputs, record)
    directory = read_directory(paths["inspectors"])
    conflicts = read_conflicts(paths["conflicts"]) if "conflicts" in paths else None
    if isinstance(team, TeamRecord):
        experts = read_experts(paths["experts"]) if "experts" in paths else None
        visits = read_team_visits(paths["visits"])
        report = verify_team_record(
            team, directory, visits, experts=experts, conflicts=conflicts, previous=previous
        )
        if adjustments:
            # verify_adjustments verifies the team record again (without --previous, the team
            # record's own predecessor): keep only what it says of the adjustments.
            checked = verify_adjustments(
                team, directory, visits, adjustments, experts=experts, conflicts=conflicts
            )
            said = (d for d in checked.discrepancies if d.field.startswith("adjustments"))
            report = attrs.evolve(report, discrepancies=(*report.discrepancies, *said))
    else:
        if "experts" in paths:
            raise InvalidInputError(paths["experts"], "experts", "a version-1 record has none")
        report = verify_assignment(
            team, directory, read_visits(paths["visits"]), conflicts=conflicts, previous=previous
        )
    announcement = read_announcement(args.announcement, inputs)
    if announcement is not None:
        if isinstance(team, TeamRecord):
            raise InvalidInputError(
                "--announcement", args.announcement, "announcements cover version 1 teams only"
            )
        differences = check_announcement(team, announcement)
        report = attrs.evolve(
            report,
            discrepancies=(*report.discrepancies, *differences),
            notes=randomness_notes(team, announcement, followed=not differences),
        )
    return report.verdict(
        team,
        chain_checked=previous is not None,
        announcement=announcement,
        adjustments=adjustments,
    )


def _inputs(
    args: argparse.Namespace, inputs: Inputs, record: SealedRecord
) -> tuple[AssignmentRecord | TeamRecord, dict[str, str], list[AdjustmentRecord]]:
    """Sort the files after the record by their content.

    Return the team record, the input file of each kind and the adjustments in chain order.
    Given an adjustment as the record, its version-2 team record must be among the inputs.
    """
    team = record if isinstance(record, (AssignmentRecord, TeamRecord)) else None
    adjustments = [record] if isinstance(record, AdjustmentRecord) else []
    paths: dict[str, str] = {}
    for value in [args.population, *args.inputs]:
        path = inputs.path(value, "inputs")
        if not path.lower().endswith((".json", ".toml")):
            raise InvalidInputError(
                value,
                "input",
                "a team record is checked against its JSON or TOML input files "
                "(directory, visits, conflicts, experts, adjustments)",
            )
        data = read_mapping(path)
        if "record_format" in data or "receipt_format" in data:
            given = inputs.record(value, "inputs", check_digest=False)
            if isinstance(given, AdjustmentRecord) and isinstance(team, AssignmentRecord):
                raise InvalidInputError(
                    value, given.FORMAT, "adjusts a version-2 team record; this one is version 1"
                )
            if isinstance(given, AdjustmentRecord):
                adjustments.append(given)
            elif isinstance(given, TeamRecord) and team is None:
                team = given
            elif isinstance(given, (AssignmentRecord, TeamRecord)):
                raise InvalidInputError(value, given.FORMAT, "is a second team record")
            else:
                raise InvalidInputError(value, given.FORMAT, "is a record, not an input file")
            continue
        kind = next((k for k in _KINDS if k in data), "conflicts")
        if kind in paths:
            raise InvalidInputError(value, kind, f"is a second {kind} file")
        paths[kind] = path
    if team is None:
        raise InvalidInputError(
            "inputs", args.record, "the version-2 team record of this adjustment is missing"
        )
    for needed in ("inspectors", "visits"):
        if needed not in paths:
            what = "directory" if needed == "inspectors" else "visits"
            raise InvalidInputError("inputs", sorted(paths), f"the {what} file is missing")
    return team, paths, chain_order(adjustments)
