"""A county's year of declared joint and internal tasks, end to end, at 200,000 enterprises.

The example year of ``randsample.examples`` (six departments, four joint items, six tasks,
twelve monthly periods, the 林甸 bands, an annual cap of 2, three exclusion rules) on a
synthetic county of ``--n`` enterprises, with the officers and experts scaled to the county
(``--scale``, default ``n / 30,000`` rounded up). Per stage, best of ``--repeat``:

* ``sizing``: ``YearPlan.sizing`` on the base directory (annual counts, allocation, bands);
* ``draws``: the twelve ``draw_period`` calls (exclusion rules over the growing history,
  stratified SRSWOR per task, merged visits, the annual caps);
* ``teams``: the twelve monthly ``assign_teams`` (team-assignment v2, the opt-in locality
  rule on, experts on industrial visits);
* ``annual check`` and ``metrics``;
* ``seal+verify``: every initiator's record sealed and every period re-derived by
  ``verify_period``; December's team record sealed and verified.

Baseline in the same process (performance is reported as ratios, never asserted): the
tickets of every enterprise of every scope once per period (``tickets``), the irreducible
work of twelve draws. Peak memory: ``tracemalloc`` over one more, separate run (tracing slows
it, so it is not timed) and the process's peak RSS.

    python benchmarks/bench_year.py [--n 200000] [--repeat 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import math
import resource
import sys
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table, summary, timed, write_json
from randsample import make_record, tickets
from randsample.examples import (
    demo_experts,
    demo_location,
    demo_period_seed,
    demo_population,
    demo_scopes,
    demo_year_directory,
    demo_year_plan,
)
from randsample.joint import (
    annual_check,
    draw_period,
    inspections_from,
    verify_period,
)
from randsample.reports import plan_metrics
from randsample.teams import (
    Conflicts,
    assign_teams,
    make_team_record,
    team_visits_from_joint,
    verify_team_record,
)

STAMP = "2026-12-31T02:00:00Z"


def year(scopes: dict[str, Any], scale: int, times: dict[str, list[float]]) -> dict[str, Any]:
    """Run the year once; add each stage's time to ``times``; return what it made."""
    plan = demo_year_plan()
    directory, experts = demo_year_directory(scale=scale), demo_experts(scale=scale)
    conflicts = Conflicts(same_locality=True)
    seconds, sizing = timed(lambda: plan.sizing(scopes))
    times.setdefault("sizing", []).append(seconds)
    draws: list[Any] = []
    histories: list[list[Any]] = []
    history: list[Any] = []
    teams: list[Any] = []
    team_visits: list[Any] = []
    draw_time = team_time = 0.0
    for index, period in enumerate(plan.periods):
        day = datetime.date(plan.year, index + 1, 10)
        seed = demo_period_seed(period)
        histories.append(list(history))
        seconds, draw = timed(
            partial(
                draw_period,
                plan,
                period,
                seed,
                scopes,
                sizing=sizing,
                as_of=day,
                history=history,
                earlier=draws,
            )
        )
        draw_time += seconds
        industrial = {
            v.visit_id: 1 for v in draw.visits if any(u.task_id == "T-04" for u in v.drawn_units)
        }
        seconds, (visits, assignment) = timed(
            partial(
                staff,
                draw,
                plan,
                day=day,
                seed=seed,
                industrial=industrial,
                directory=directory,
                experts=experts,
                conflicts=conflicts,
            )
        )
        team_time += seconds
        team_visits.append(visits)
        teams.append(assignment)
        history += inspections_from(draw)
        draws.append(draw)
    times.setdefault("draws (12 periods)", []).append(draw_time)
    times.setdefault("teams (12 periods)", []).append(team_time)
    seconds, annual = timed(lambda: annual_check(plan, sizing, draws))
    times.setdefault("annual check", []).append(seconds)
    seconds, metrics = timed(lambda: plan_metrics(draws))
    times.setdefault("metrics", []).append(seconds)

    def seal_and_verify() -> bool:
        ok = True
        for index, draw in enumerate(draws):
            records = {
                (d.task_id, d.department): make_record(
                    d.sample,
                    authority=d.department,
                    draw_id=f"{d.task_id}/{draw.period}",
                    timestamp=STAMP,
                )
                for d in draw.own_draws
            }
            report = verify_period(
                plan,
                draw.period,
                draw.seed,
                scopes,
                records,
                sizing=sizing,
                as_of=draw.date,
                history=histories[index],
                earlier=draws[:index],
                visits=draw.visits,
            )
            ok = ok and report.ok
        record = make_team_record(
            teams[-1], authority="joint office", assignment_id="teams-12", timestamp=STAMP
        )
        return (
            ok
            and verify_team_record(
                record, directory, team_visits[-1], experts=experts, conflicts=conflicts
            ).ok
        )

    seconds, verified = timed(seal_and_verify)
    times.setdefault("seal+verify", []).append(seconds)
    return {
        "plan": plan,
        "draws": draws,
        "teams": teams,
        "annual": annual,
        "metrics": metrics,
        "verified": verified,
        "directory": directory,
    }


def staff(
    draw: Any,
    plan: Any,
    *,
    day: datetime.date,
    seed: Any,
    industrial: dict[str, int],
    directory: Any,
    experts: Any,
    conflicts: Conflicts,
) -> tuple[Any, Any]:
    """The month's v2 visits and teams (experts on industrial visits)."""
    visits = team_visits_from_joint(
        draw,
        plan,
        date=day,
        location=demo_location,
        experts=industrial,
        expert_categories={v: frozenset({"特种设备"}) for v in industrial},
    )
    return visits, assign_teams(directory, visits, seed, experts=experts, conflicts=conflicts)


def baseline(scopes: dict[str, Any], periods: list[str]) -> float:
    """The tickets of every enterprise of every scope, once per period."""

    def run() -> None:
        for period in periods:
            subkey = demo_period_seed(period).subkey("enterprises")
            for population in scopes.values():
                tickets(subkey, population.ids.tolist(), validate=False)

    seconds, _ = timed(run)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="enterprises in the county")
    parser.add_argument("--scale", type=int, default=0, help="officer scale (0: n / 30,000)")
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds (best is shown)")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    scale = args.scale or math.ceil(args.n / 30_000)

    build_seconds, county = timed(lambda: demo_population(size=args.n))
    scopes = demo_scopes(county)
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        made = year(scopes, scale, times)
    assert made["verified"], "the year did not verify"
    assert made["annual"].ok, made["annual"].summary()
    ticket_seconds = baseline(scopes, list(made["plan"].periods))
    peak_traced = None
    if not args.no_trace:
        tracemalloc.start()
        year(scopes, scale, {})
        peak_traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    draws, teams = made["draws"], made["teams"]
    visits = sum(len(d.visits) for d in draws)
    officers = sum(len(t.officers) for a in teams for t in a.teams)
    best = {name: min(values) for name, values in times.items()}
    total = sum(best.values())
    print(
        f"county: {args.n:,} enterprises ({build_seconds:.1f} s to build); scopes:",
        ", ".join(f"{k} {len(v):,}" for k, v in scopes.items()),
    )
    print(
        f"directory: {len(made['directory']):,} officers in 6 departments, "
        f"{8 * scale} experts (scale {scale})\n"
    )
    print(made["annual"].summary())
    print()
    print(made["metrics"].summary())
    print()
    rows: list[list[object]] = [
        [
            "periods / tasks run / draws sealed",
            f"12 / {sum(len(d.tasks) for d in draws)} / {sum(len(d.own_draws) for d in draws)}",
        ],
        ["on-site visits (year)", f"{visits:,}"],
        [
            "officer places / expert places",
            f"{officers:,} / {sum(len(t.experts) for a in teams for t in a.teams):,}",
        ],
        ["teams complete", all(a.complete for a in teams)],
    ]
    for name, value in best.items():
        rows.append([f"time {name} (best of {args.repeat})", f"{value:.2f} s"])
    rows.append(["time, year end to end", f"{total:.2f} s"])
    rows.append(["baseline: tickets of every scope x 12", f"{ticket_seconds:.2f} s"])
    rows.append(["ratio draws / baseline", f"{best['draws (12 periods)'] / ticket_seconds:.2f}"])
    rows.append(["ratio year / baseline", f"{total / ticket_seconds:.2f}"])
    if peak_traced is not None:
        rows.append(["peak traced Python memory (tracemalloc)", f"{peak_traced / 2**20:.0f} MiB"])
    rows.append(["peak RSS of the process", f"{rss / 1024:.0f} MiB"])
    print_table(["figure", "value"], rows)
    write_json(
        args.json,
        {
            "n": args.n,
            "scale": scale,
            "visits": visits,
            "officer_places": officers,
            "times": {name: summary(values) for name, values in times.items()},
            "baseline_tickets_seconds": ticket_seconds,
            "peak_tracemalloc_bytes": peak_traced,
            "peak_rss_kib": rss,
        },
    )


if __name__ == "__main__":
    main()
