"""Joint inspections: six departments over a county, coordinated draws merged into visits.

The county is ``randsample.examples.demo_population(n)`` (credit classes A-D, ~2% ineligible)
with an industry per enterprise (SHA-256 of its id: 餐饮 35%, 食品销售 30%, 药品零售 10%,
制造业 25%); each industry is a scope. Six departments cover overlapping sets of industries
with their own class rates (one works off-site only). The script draws the period with
``draw_joint``, checks that every department's draw is its own design, and compares the
on-site visits with the exact expectation under independent draws and with the theoretical
minimum (target: within 2% of the minimum). Times merge_plan, draw_joint (with its report),
the same department draws made one by one (the cost of coordination is the merge and the
report), and sealing plus verify_joint. See benchmarks/README.md.

    python benchmarks/bench_joint.py [--n 200000] [--repeat 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table, summary, timed, write_json
from randsample import Population, draw_stratified, make_record
from randsample.examples import demo_joint_plan, demo_population, demo_scopes, demo_seed
from randsample.joint import (
    JointDraw,
    JointVerificationReport,
    MergedPlan,
    draw_joint,
    merge_plan,
    verify_joint,
)

PERIOD = "2026-Q4"
TIMESTAMP = "2026-10-08T02:00:00Z"
# The county, its industries (scopes), the six departments and the plan are the demo's:
# randsample.examples.demo_scopes / demo_joint_plan (INDUSTRIES, DEMO_DEPARTMENTS, DEMO_LEADS).


def one_round(
    seed: Any, scopes: dict[str, Population], times: dict[str, list[float]]
) -> tuple[MergedPlan, JointDraw]:
    """Time merge, coordinated draw, the same draws alone, and seal + verify; add to times."""
    seconds, merged = timed(lambda: merge_plan(demo_joint_plan(PERIOD)))
    times.setdefault("merge_plan", []).append(seconds)
    seconds, result = timed(lambda: draw_joint(merged, seed, scopes))
    times.setdefault("draw_joint", []).append(seconds)
    # Reference: the same department draws made one by one, without merging or report.
    seconds, _ = timed(
        lambda: [draw_stratified(scopes[d.scope], d.sample.sizes, seed) for d in result.draws]
    )
    times.setdefault("draws alone", []).append(seconds)

    def seal_and_verify() -> JointVerificationReport:
        records = {
            (d.task_id, d.department): make_record(
                d.sample, authority=d.department, draw_id=d.task_id, timestamp=TIMESTAMP
            )
            for d in result.draws
        }
        return verify_joint(
            merged,
            seed,
            scopes,
            records,
            visits=result.visits,
            off_site_checks=result.off_site_checks,
        )

    seconds, verification = timed(seal_and_verify)
    times.setdefault("seal+verify_joint", []).append(seconds)
    assert verification.ok, str(verification)
    return merged, result


def pct(value: Fraction) -> str:
    """A fraction as a percentage with two decimals."""
    return f"{float(value) * 100:.2f}%"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="enterprises in the county")
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds (best is shown)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    build_seconds, county = timed(lambda: demo_population(args.n))
    scopes = demo_scopes(county)
    seed = demo_seed()
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        merged, result = one_round(seed, scopes, times)

    # Coordination must not change any department's draw: each equals its draw alone.
    for d in result.draws[:3]:
        assert d.sample == draw_stratified(scopes[d.scope], d.sample.sizes, seed)
    report = result.report
    excess = Fraction(report.visits - report.visits_minimum, report.visits_minimum)
    saved = 1 - report.visits / report.visits_independent

    print(
        f"county: {args.n} enterprises ({build_seconds:.1f} s to build), scopes:",
        ", ".join(f"{k} {len(v)}" for k, v in scopes.items()),
    )
    print()
    print(report.summary())
    print()
    rows: list[list[object]] = [
        ["department draws", len(result.draws)],
        [
            "merged tasks (joint)",
            f"{len(merged.tasks)} ({sum(t.kind == 'joint' for t in merged.tasks)})",
        ],
        ["department samples, summed", sum(len(d.sample.selection) for d in result.draws)],
        ["on-site visits, coordinated", report.visits],
        ["on-site visits, independent (exact E)", f"{float(report.visits_independent):.2f}"],
        ["on-site visits, theoretical minimum", report.visits_minimum],
        [
            "excess over the minimum",
            f"{pct(excess)} (target <= 2%: {'met' if excess <= Fraction(2, 100) else 'MISSED'})",
        ],
        ["visits saved vs independent", pct(saved)],
        ["off-site checks (ECO only)", len(result.off_site_checks)],
        ["enterprises drawn, coordinated", report.enterprises],
        ["enterprises drawn, independent (E)", f"{float(report.enterprises_independent):.2f}"],
        ["enterprises drawn, minimum", report.enterprises_minimum],
    ]
    for name, values in times.items():
        rows.append([f"time {name} (best of {args.repeat})", f"{min(values):.3f} s"])
    print_table(["figure", "value"], rows)
    write_json(
        args.json,
        {
            "n": args.n,
            "visits": report.visits,
            "visits_independent": str(report.visits_independent),
            "visits_minimum": report.visits_minimum,
            "excess_over_minimum": str(excess),
            "off_site_checks": len(result.off_site_checks),
            "times": {name: summary(values) for name, values in times.items()},
        },
    )


if __name__ == "__main__":
    main()
