"""``randsample draw``: draw from a population file with a design and a seed, write the record."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..design import draw_stratified, draw_stratified_pips
from ..files import check_writable, read_design, read_seed, to_timestamp
from ..records import make_record
from ._announcing import follow_announcement, print_notes
from ._mapping import add_mapping_options, population_from_args
from ._options import EXIT_OK, add_command, add_options, now
from ._streams import Inputs, messages, shown, write_output

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "draw"
SUMMARY = "draw enterprises from a population file, write the record"
DESCRIPTION = """\
Draw the enterprises to inspect: read the population, the design (per-stratum sizes,
or rates turned into sizes) and the seed, draw by stratified simple random sampling
without replacement (or, with --pips, with probability proportional to the weight
column), and write the sealed draw record that anyone can re-run with
'randsample verify'. Publish the record with the population file.

With --announcement, the draw must follow the announcement made before the sources
were published (same population, sizes, sources in order, secret commitment), or
nothing is written. Without one, the record is written and the output says that the
draw is not publicly random. An existing --out file is replaced only with --force,
and never the --previous or --announcement record.

Prints the per-stratum summary and the record digest. With --out -, the record goes
to standard output and the summary to standard error."""
EXAMPLES = (
    "randsample draw population.csv --design design.toml --seed seed.json \\\n"
    "      --authority 'Qinghe County AMR' --draw-id 2026-11 --previous last.json",
    "randsample draw population.csv --design design.json --seed - --authority AMR \\\n"
    "      --draw-id 2026-11 --out - < seed.json > record.json",
)


def add_parser(commands: Any) -> None:
    """Add the ``draw`` subcommand to ``commands``."""
    draw = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("population", "design", "seed", "record"),
    )
    draw.add_argument(
        "population",
        help="population CSV (id,stratum,eligible,weight) or Parquet ('-': CSV); with the "
        "mapping options, a bureau table: CSV, .xlsx or a database URL",
    )
    add_options(draw, "--design", "--seed", "--authority")
    draw.add_argument("--draw-id", required=True, help="draw identifier")
    add_options(draw, "--timestamp", "--previous", "--announcement", "--pips", "--id-scheme")
    add_options(draw, "--allow-weak-secret")
    draw.add_argument(
        "--out", default="record.json", help="record to write ('-': standard output; %(default)s)"
    )
    add_options(draw, "--force", "--json")
    add_mapping_options(draw)
    draw.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample draw``; return 0 (every failure is an error, exit code 2)."""
    population = population_from_args(args, inputs)
    sizes = read_design(inputs.path(args.design, "--design"), population)
    seed = read_seed(inputs.path(args.seed, "--seed"), allow_weak_secret=args.allow_weak_secret)
    protect = (args.previous, args.announcement)
    if args.out != "-":  # before the draw, which may take a while
        check_writable(args.out, force=args.force, protect=protect)
    draw = draw_stratified_pips if args.pips else draw_stratified
    sample = draw(population, sizes, seed)
    previous = None if args.previous is None else inputs.record(args.previous, "--previous")
    record = make_record(
        sample,
        authority=args.authority,
        draw_id=args.draw_id,
        timestamp=now() if args.timestamp is None else to_timestamp(args.timestamp, "--timestamp"),
        previous=previous,
    )
    notes = follow_announcement(record, args.announcement, inputs, population=population)
    write_output(record.to_json(), args.out, force=args.force, protect=protect)
    out = messages(args.out)
    if args.json:
        print(
            json.dumps(
                {
                    "record": str(args.out),
                    "record_digest": record.record_digest,
                    "selected": list(sample.ids),
                    "notes": [{"code": n.code, "message": n.message} for n in notes],
                },
                ensure_ascii=False,
            ),
            file=out,
        )
    else:
        print(sample.summary(), file=out)
        print(f"Wrote {shown(args.out)} (record digest {record.record_digest})", file=out)
        print_notes(notes, out)
    return EXIT_OK
