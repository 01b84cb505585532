"""``randsample announce``: fix a draw or an assignment before its random values exist."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..core import Seed
from ..errors import InvalidInputError
from ..files import (
    check_writable,
    read_announced_sources,
    read_conflicts,
    read_design,
    read_directory,
    read_population,
    read_secret,
    read_visits,
    write_secret,
)
from ..records import AnnouncementRecord, announce_assignment, announce_draw
from ..teams import Conflicts, input_digest
from ._options import EXIT_OK, add_command, add_options, now
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "announce"
SUMMARY = "announce a draw before its random sources are published"
DESCRIPTION = """\
Announce a draw (or an inspector assignment) before the public random sources it
will use exist, and write the sealed announcement record: the population's
commitment and the sample sizes (or the directory, visits and conflicts digests),
the sources in the order the seed will list them with their publication dates, and
the commitment to a secret. Publish it at once: a draw that follows it (checked by
'randsample verify --announcement') cannot have been steered, because nothing the
authority chose could depend on the random values.

With --new-secret FILE, a secret is drawn from the operating system's random
generator and written to FILE (readable by you only; keep it private until the
draw, then put it in the seed file). With --secret FILE, an existing secret file is
used. Every source must be published after today's date (UTC). An existing --out
file is replaced only with --force."""
EXAMPLES = (
    "randsample announce --population population.csv --design design.toml \\\n"
    "      --sources sources.json --authority AMR --draw-id 2026-11 \\\n"
    "      --new-secret secret.json --out announcement.json",
    "randsample announce --directory directory.json --visits visits.json \\\n"
    "      --sources sources.json --authority AMR --assignment-id 2026-11-teams \\\n"
    "      --previous record.json --secret secret.json --out teams-announcement.json",
)


def add_parser(commands: Any) -> None:
    """Add the ``announce`` subcommand to ``commands``."""
    announce = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("population", "design", "directory", "visits", "conflicts", "sources", "secret"),
    )
    announce.add_argument("--population", metavar="FILE", help="population file (a draw)")
    announce.add_argument("--design", metavar="FILE", help="design JSON/TOML (a draw)")
    announce.add_argument("--draw-id", help="the id the draw will have")
    add_options(announce, "--pips")
    announce.add_argument("--directory", metavar="FILE", help="inspector directory (teams)")
    announce.add_argument("--visits", metavar="FILE", help="visits JSON/TOML (teams)")
    announce.add_argument("--conflicts", metavar="FILE", help="conflicts JSON/TOML (teams)")
    announce.add_argument("--assignment-id", help="the id the assignment will have")
    announce.add_argument(
        "--sources", required=True, metavar="FILE", help="the announced sources, in order"
    )
    add_options(announce, "--authority", "--timestamp", "--previous")
    secret = announce.add_mutually_exclusive_group()
    secret.add_argument("--new-secret", metavar="FILE", help="draw a new secret, write it here")
    secret.add_argument("--secret", metavar="FILE", help="a secret file written before")
    add_options(announce, "--allow-weak-secret", "--id-scheme")
    announce.add_argument(
        "--out",
        default="announcement.json",
        help="record to write ('-': standard output; %(default)s)",
    )
    add_options(announce, "--force", "--json")
    announce.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample announce``; return 0 (every failure is an error, exit code 2)."""
    if (args.draw_id is None) == (args.assignment_id is None):
        raise InvalidInputError(
            "--draw-id", args.draw_id, "give exactly one of --draw-id or --assignment-id"
        )
    protect = (args.previous, args.secret)
    if args.out != "-":
        check_writable(args.out, force=args.force, protect=protect)
    if args.new_secret is not None:
        check_writable(args.new_secret, protect=(args.out,))
    sources = read_announced_sources(inputs.path(args.sources, "--sources"))
    previous = None if args.previous is None else inputs.record(args.previous, "--previous")
    if args.new_secret is not None:
        secret: bytes | None = Seed.new_secret()
    elif args.secret is not None:
        secret = read_secret(inputs.path(args.secret, "--secret"))
    else:
        secret = None
    common: dict[str, Any] = {
        "sources": sources,
        "authority": args.authority,
        "timestamp": args.timestamp or now(),
        "secret": secret,
        "previous": previous,
        "allow_weak_secret": args.allow_weak_secret,
    }
    record = (
        _draw(args, inputs, common) if args.draw_id is not None else _teams(args, inputs, common)
    )
    if args.new_secret is not None and secret is not None:
        write_secret(args.new_secret, secret)
    write_output(record.to_json(), args.out, force=args.force, protect=protect)
    out = messages(args.out)
    if args.json:
        summary = {
            "record": str(args.out),
            "record_digest": record.record_digest,
            "commitment": record["commitment"],
            "sources": record["sources"],
        }
        print(json.dumps(summary, ensure_ascii=False), file=out)
    else:
        for index, source in enumerate(record["sources"], start=1):
            values = f"{source['values']} value" + ("s" if source["values"] > 1 else "")
            print(f"source {index}: {source['name']} ({values}, {source['date']})", file=out)
        print(f"commitment: {record['commitment'] or '(no secret)'}", file=out)
        if args.new_secret is not None:
            print(
                f"Wrote the secret to {args.new_secret}: keep it private until the draw", file=out
            )
        print(
            f"Wrote {shown(args.out)} (record digest {record.record_digest}): publish it now",
            file=out,
        )
    return EXIT_OK


def _draw(args: argparse.Namespace, inputs: Inputs, common: dict[str, Any]) -> AnnouncementRecord:
    for option in ("population", "design"):
        if getattr(args, option) is None:
            raise InvalidInputError(f"--{option}", None, "is required with --draw-id")
    population = read_population(
        inputs.path(args.population, "--population", suffix=".csv"), id_scheme=args.id_scheme
    )
    sizes = read_design(inputs.path(args.design, "--design"), population)
    algorithm = "stratified-pips-systematic" if args.pips else "stratified-srswor"
    return announce_draw(population, sizes, draw_id=args.draw_id, algorithm=algorithm, **common)


def _teams(args: argparse.Namespace, inputs: Inputs, common: dict[str, Any]) -> AnnouncementRecord:
    for option in ("directory", "visits"):
        if getattr(args, option) is None:
            raise InvalidInputError(f"--{option}", None, "is required with --assignment-id")
    directory = read_directory(inputs.path(args.directory, "--directory"))
    visits = read_visits(inputs.path(args.visits, "--visits"))
    conflicts = (
        Conflicts()
        if args.conflicts is None
        else read_conflicts(inputs.path(args.conflicts, "--conflicts"))
    )
    return announce_assignment(
        directory_digest=directory.digest(),
        input_digest=input_digest(visits, conflicts),
        conflicts_digest=conflicts.digest(),
        assignment_id=args.assignment_id,
        **common,
    )
