"""``randsample draw``: draw from a population file with a design and a seed, write the record."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..design import (
    ALGORITHM,
    PIPS_ALGORITHM,
    StratifiedSample,
    draw_stratified,
    draw_stratified_pips,
)
from ..distributed import draw_dataset
from ..errors import InvalidInputError, require
from ..files import (
    check_writable,
    read_design,
    read_population_dataset,
    read_seed,
    to_timestamp,
)
from ..population import Population
from ..records import make_record
from ._announcing import follow_announcement, print_notes
from ._mapping import add_mapping_options, population_from_args, refuse_population_options
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

With --dataset, the population is a partitioned Parquet dataset (a folder or a glob of
files with columns id, stratum, eligible[, weight]) drawn on Dask, on this machine or on
the cluster of --scheduler: the record is byte for byte the one a single process seals
from the same units (needs the dask extra: pip install 'randsample[dask]').

Prints the per-stratum summary and the record digest. With --out -, the record goes
to standard output and the summary to standard error."""
EXAMPLES = (
    "randsample draw population.csv --design design.toml --seed seed.json \\\n"
    "      --authority 'Qinghe County AMR' --draw-id 2026-11 --previous last.json",
    "randsample draw population.csv --design design.json --seed - --authority AMR \\\n"
    "      --draw-id 2026-11 --out - < seed.json > record.json",
    "randsample draw province/ --dataset --design design.toml --seed seed.json \\\n"
    "      --authority 'Province AMR' --draw-id 2026-P-01 --scheduler tcp://host:8786",
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
    draw.add_argument(
        "--dataset",
        action="store_true",
        help="the population is partitioned Parquet (a folder or glob), drawn on Dask",
    )
    draw.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --dataset: a Dask scheduler to run on (default: this machine)",
    )
    add_mapping_options(draw)
    draw.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample draw``; return 0 (every failure is an error, exit code 2)."""
    if args.dataset:
        return _run_dataset(args, inputs)
    if args.scheduler is not None:
        raise InvalidInputError("--scheduler", args.scheduler, "applies with --dataset only")
    population = population_from_args(args, inputs)
    sizes = read_design(inputs.path(args.design, "--design"), population)
    seed = read_seed(inputs.path(args.seed, "--seed"), allow_weak_secret=args.allow_weak_secret)
    protect = (args.previous, args.announcement)
    if args.out != "-":  # before the draw, which may take a while
        check_writable(args.out, force=args.force, protect=protect)
    draw = draw_stratified_pips if args.pips else draw_stratified
    sample = draw(population, sizes, seed)
    return _seal_and_report(args, inputs, sample, population)


def _run_dataset(args: argparse.Namespace, inputs: Inputs) -> int:
    # A partitioned population on Dask: what does not apply to it is refused, not ignored.
    refuse_population_options(args, "does not apply with --dataset")
    if args.population == "-":
        raise InvalidInputError("population", "-", "a dataset is a folder or glob, not stdin")
    population = read_population_dataset(args.population)
    sizes = read_design(inputs.path(args.design, "--design"), population)
    seed = read_seed(inputs.path(args.seed, "--seed"), allow_weak_secret=args.allow_weak_secret)
    if args.out != "-":
        check_writable(args.out, force=args.force, protect=(args.previous, args.announcement))
    client = None if args.scheduler is None else _client(args.scheduler)
    try:
        design = PIPS_ALGORITHM if args.pips else ALGORITHM
        sample = draw_dataset(population, sizes, seed, client=client, algorithm=design)
    finally:
        if client is not None:
            client.close()
    return _seal_and_report(args, inputs, sample, None)


def _client(address: str) -> Any:
    distributed = require("distributed", feature="--scheduler", package="distributed", extra="dask")
    try:
        return distributed.Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InvalidInputError("--scheduler", address, f"cannot be reached ({exc})") from None


def _seal_and_report(
    args: argparse.Namespace,
    inputs: Inputs,
    sample: StratifiedSample,
    population: Population | None,
) -> int:
    protect = (args.previous, args.announcement)
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
