"""``randsample assign``: draw inspector teams for visits, write the assignment record.

When the data are valid but no complete assignment exists, the command says why (per visit,
per department, bottleneck) and exits 1: that is not bad input, and not an error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import InvalidInputError
from ..files import (
    check_writable,
    read_conflicts,
    read_directory,
    read_experts,
    read_seed,
    read_team_visits,
    read_visits,
)
from ..teams import (
    InfeasibleAssignmentError,
    assign_inspectors,
    assign_teams,
    make_assignment_record,
    make_team_record,
)
from ._announcing import follow_announcement, print_notes
from ._options import EXIT_NOT_VERIFIED, EXIT_OK, add_command, add_options, now
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "assign"
SUMMARY = "draw inspector teams for visits, write the record"
DESCRIPTION = """\
The second random: draw a qualified, conflict-free team of inspectors for every
visit, within every inspector's capacity, from the seed's 'inspectors' sub-key,
and write the sealed assignment record (chain it to the draw with --previous).
Each participating department supplies one officer, the lead department the rest
of the team. Conflicts: declared relations, same locality (off unless the
conflicts file sets it), past teams (rotation), recusals and your own exclusions.

With --announcement, the assignment must follow the announcement made before the
sources were published (same directory, visits and conflicts digests, sources in
order, secret commitment), or nothing is written. An existing --out file is replaced
only with --force, and never the --previous or --announcement record.

With --teams-v2 (team-assignment v2, the joint-task model): every participating
department sends at least its minimum of certified officers (2 unless the visit
says otherwise), the initiating department one of them as the team leader, and
experts from --experts join where a visit asks for them (never counted toward a
minimum); the record is randsample.assignment-record/2.

Prints one line per visit (visit id, then the team; with --teams-v2 the leader
first, then each department's officers and the experts). When no complete
assignment exists, prints why (which visits, which departments, which
exclusions) and exits 1."""
EXAMPLES = (
    "randsample assign directory.json visits.json --seed seed.json \\\n"
    "      --authority AMR --assignment-id 2026-11-teams --previous record.json",
    "randsample assign directory.json visits.json --conflicts conflicts.json \\\n"
    "      --seed seed.json --authority AMR --assignment-id a-1 --out - > teams.json",
    "randsample assign directory.json team-visits.json --teams-v2 \\\n"
    "      --experts experts.json --seed seed.json --authority AMR \\\n"
    "      --assignment-id 2026-03-teams",
)


def add_parser(commands: Any) -> None:
    """Add the ``assign`` subcommand to ``commands``."""
    assign = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("directory", "visits", "team-visits", "experts", "conflicts", "seed", "record"),
    )
    assign.add_argument("directory", help="inspector directory JSON/TOML ('-': standard input)")
    assign.add_argument("visits", help="visits JSON/TOML ('-': standard input)")
    assign.add_argument(
        "--conflicts",
        metavar="FILE",
        help="conflicts JSON/TOML (default: none; '-': standard input)",
    )
    assign.add_argument(
        "--teams-v2",
        action="store_true",
        help="team-assignment v2: per-department minimums, a leader, experts",
    )
    assign.add_argument("--experts", metavar="FILE", help="expert pool JSON/TOML (with --teams-v2)")
    add_options(assign, "--seed", "--authority")
    assign.add_argument("--assignment-id", required=True, help="assignment identifier")
    add_options(assign, "--timestamp", "--previous", "--announcement", "--allow-weak-secret")
    assign.add_argument(
        "--out", default="teams.json", help="record to write ('-': standard output; %(default)s)"
    )
    add_options(assign, "--force", "--json")
    assign.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample assign``; return 0, or 1 when no complete assignment exists."""
    if args.experts is not None and not args.teams_v2:
        raise InvalidInputError("--experts", args.experts, "applies with --teams-v2 only")
    if args.teams_v2 and args.announcement is not None:
        # `randsample announce` fixes the version-1 inputs' digests only; not yet for v2.
        raise InvalidInputError(
            "--announcement", args.announcement, "is not supported with --teams-v2 yet"
        )
    directory = read_directory(inputs.path(args.directory, "directory"))
    visits_path = inputs.path(args.visits, "visits")
    team_visits = read_team_visits(visits_path) if args.teams_v2 else []
    plain_visits = [] if args.teams_v2 else read_visits(visits_path)
    experts = None if args.experts is None else read_experts(inputs.path(args.experts, "--experts"))
    conflicts = (
        None
        if args.conflicts is None
        else read_conflicts(inputs.path(args.conflicts, "--conflicts"))
    )
    seed = read_seed(inputs.path(args.seed, "--seed"), allow_weak_secret=args.allow_weak_secret)
    out = messages(args.out)
    try:
        if args.teams_v2:
            teams: Any = assign_teams(
                directory, team_visits, seed, experts=experts, conflicts=conflicts
            )
        else:
            teams = assign_inspectors(directory, plain_visits, seed, conflicts=conflicts)
    except InfeasibleAssignmentError as exc:
        # Not bad input: the data are valid but no complete assignment exists. Say why.
        if args.json:
            print(
                json.dumps({"complete": False, "explanation": str(exc.report)}, ensure_ascii=False),
                file=out,
            )
        else:
            print(exc.report, file=out)
        return EXIT_NOT_VERIFIED
    protect = (args.previous, args.announcement)
    if args.out != "-":
        check_writable(args.out, force=args.force, protect=protect)
    previous = None if args.previous is None else inputs.record(args.previous, "--previous")
    seal = make_team_record if args.teams_v2 else make_assignment_record
    record = seal(
        teams,
        authority=args.authority,
        assignment_id=args.assignment_id,
        timestamp=args.timestamp or now(),
        previous=previous,
    )
    notes = follow_announcement(record, args.announcement, inputs)
    write_output(record.to_json(), args.out, force=args.force, protect=protect)
    if args.json:
        teams_json = {team.visit_id: _members(team) for team in teams.teams}
        notes_json = [{"code": n.code, "message": n.message} for n in notes]
        print(
            json.dumps(
                {
                    "complete": True,
                    "record": str(args.out),
                    "teams": teams_json,
                    "notes": notes_json,
                },
                ensure_ascii=False,
            ),
            file=out,
        )
    else:
        for team in teams.teams:
            print(f"{team.visit_id}  {' '.join(_members(team))}", file=out)
        print(f"Wrote {shown(args.out)} (record digest {record.record_digest})", file=out)
        print_notes(notes, out)
    return EXIT_OK


def _members(team: Any) -> list[str]:
    # v1: the team's inspectors; v2: the leader, then each department's officers, then the
    # experts (the leader is also among the officers of the initiating department).
    if not hasattr(team, "leader"):
        return list(team.inspector_ids)
    officers = [i for _, ids in team.members for i in ids if i != team.leader]
    return [*([team.leader] if team.leader else []), *officers, *team.experts]
