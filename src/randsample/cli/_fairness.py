"""``randsample fairness``: run a design over many seeds and test every unit's inclusion rate."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping
from fractions import Fraction
from functools import partial
from typing import Any

from ..design import draw_stratified, draw_stratified_pips, exact_inclusion_probabilities
from ..fairness import run_design
from ..files import read_design
from ..population import Population
from ._mapping import add_mapping_options, population_from_args
from ._options import EXIT_NOT_VERIFIED, EXIT_OK, add_command, add_options
from ._streams import Inputs

__all__ = ["NAME", "SUMMARY", "add_parser", "run"]

NAME = "fairness"
SUMMARY = "test a design's inclusion probabilities over many seeds"
DESCRIPTION = """\
Check that a design gives every enterprise the inclusion probability it states:
draw the population with the design --runs times, from the seeds
run_seed('fairness', i), count how often each unit is selected, and test every
unit's count against its stated probability (exact binomial tests, Holm-adjusted
at family-wise level --alpha; per-stratum sums of squares as a diagnostic). The
stated probability is n/N within a stratum or, with --pips, the exact capped
probabilities proportional to the weights (randomized systematic πps sampling).

Prints the summary and exits 0 when the design passes, 1 when some unit is
flagged. The result does not depend on --workers."""
EXAMPLES = (
    "randsample fairness population.csv --design design.toml",
    "randsample fairness population.csv --design design.json --pips --runs 20000 \\\n"
    "      --workers 2 --json",
)


def add_parser(commands: Any) -> None:
    """Add the ``fairness`` subcommand to ``commands``."""
    fair = add_command(
        commands,
        NAME,
        summary=SUMMARY,
        description=DESCRIPTION,
        examples=EXAMPLES,
        reads=("population", "design"),
    )
    fair.add_argument(
        "population",
        help="population CSV (id,stratum,eligible,weight) or Parquet ('-': CSV); with the "
        "mapping options, a bureau table: CSV, .xlsx or a database URL",
    )
    add_options(fair, "--design")
    fair.add_argument("--runs", type=int, default=2000, help="number of draws (%(default)s)")
    fair.add_argument("--alpha", type=float, default=0.01, help="family-wise level (%(default)s)")
    fair.add_argument("--workers", type=int, default=1, help="processes to use (%(default)s)")
    add_options(fair, "--pips", "--id-scheme", "--json")
    add_mapping_options(fair)
    fair.set_defaults(run=run)


def run(args: argparse.Namespace, inputs: Inputs) -> int:
    """Run ``randsample fairness``; return 0 when the design passes, else 1."""
    population = population_from_args(args, inputs)
    sizes = read_design(inputs.path(args.design, "--design"), population)
    draw = partial(draw_stratified_pips if args.pips else draw_stratified, population, sizes)
    strata = dict(zip(population.ids.tolist(), population.strata.tolist(), strict=True))
    result = run_design(
        draw,
        _stated(population, sizes, args.pips),
        runs=args.runs,
        strata=strata,
        alpha=args.alpha,
        workers=args.workers,
        progress=None if args.json else _progress,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "passed": result.passed,
                    "runs": result.runs,
                    # inf (a take-all unit missed, say) is not JSON: written as null
                    "max_abs_z": result.max_abs_z if math.isfinite(result.max_abs_z) else None,
                    "flagged": list(result.flagged),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(result.summary())
    return EXIT_OK if result.passed else EXIT_NOT_VERIFIED


def _stated(population: Population, sizes: Mapping[str, int], pips: bool) -> dict[str, Fraction]:
    # The inclusion probabilities each design states for every unit (0 when ineligible).
    stated = dict.fromkeys(population.ids.tolist(), Fraction(0))
    for label, size in sizes.items():
        rows = [
            i
            for i, (s, ok) in enumerate(
                zip(population.strata.tolist(), population.eligible.tolist(), strict=True)
            )
            if s == label and ok
        ]
        if not rows:
            continue
        if pips and population.weights is not None:
            pik = exact_inclusion_probabilities(population.weights[rows].tolist(), size)
        else:
            pik = [Fraction(size, len(rows))] * len(rows)
        for i, p in zip(rows, pik, strict=True):
            stated[population.ids[i]] = p
    return stated


def _progress(done: int, total: int) -> None:
    print(f"\r  {done:,} of {total:,} steps", end="" if done < total else "\n", file=sys.stderr)
