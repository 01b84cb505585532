"""Inspector team assignment at county-to-city scale: eligibility, max-flow, tickets, repair.

Synthetic but shaped like a year's batch of a city bureau (all choices deterministic):

* 8 departments, 250 inspectors each (2,000), 6 inspection categories per department; each
  inspector holds 2-4 of them, lives in one of 40 regions and takes 3 days off among the 60
  working days. Capacities 20-34 visits, except 10% of inspectors with 2-6 (part-time or
  senior officers), whose capacity binds.
* 20,000 visits over 60 days and 40 regions: 70% internal (one department, team of 2), 30%
  joint (2 or 3 departments, team of 2 or 3); each department inspects 1 or 2 of its
  categories on a visit.
* Conflicts: the same-locality rule; declared relations for 5% of the (visit's enterprise,
  member of a participating department) pairs, kinds drawn deterministically; one past team
  for 20% of the enterprises (rotation); 500 recusal requests; 200 user rules.

Eligibility is restricted only by the rules above (qualification for every category of the
department's items, availability, conflicts): on average ~80 of a department's 250 members
are eligible for a visit, so ~2.4 million pair tickets are computed per run.

    python benchmarks/bench_assignment.py [--visits 20000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import resource
import sys
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
import numpy as np

from _common import print_table, summary, timed, write_json
from randsample import Seed
from randsample.teams import (
    RELATION_KINDS,
    Conflicts,
    Directory,
    ExcludedPair,
    Inspector,
    Relation,
    Visit,
    _feasibility,
    _matching,
    _problem,
    assign_inspectors,
    make_assignment_record,
    verify_assignment,
)

SEED = Seed.from_hex("6a09e667f3bcc908bb67ae8584caa73b")
DEPARTMENTS = (
    "食品安全",
    "药品监管",
    "特种设备",
    "产品质量",
    "价格监督",
    "广告监管",
    "计量",
    "知识产权",
)
CATEGORIES = {d: tuple(f"{d}-{k}" for k in range(6)) for d in DEPARTMENTS}
REGIONS = tuple(f"R{k:02d}" for k in range(40))
START = datetime.date(2026, 3, 2)
RARE = 5  # a specialty few inspectors hold (e.g. pressure vessels): where capacity binds
RARE_HELD = 0.08
RARE_NEEDED = 0.04
DAYS = tuple(START + datetime.timedelta(days=k) for k in range(60))


def make_directory(per_department: int = 250, seed: int = 11) -> Directory:
    rng = np.random.default_rng(seed)
    inspectors = []
    for d_index, department in enumerate(DEPARTMENTS):
        for k in range(per_department):
            held = rng.choice(5, size=int(rng.integers(2, 5)), replace=False).tolist()
            if rng.random() < RARE_HELD:
                held.append(RARE)
            binding = rng.random() < 0.10
            capacity = int(rng.integers(2, 7) if binding else rng.integers(24, 40))
            off = rng.choice(len(DAYS), size=3, replace=False)
            inspectors.append(
                Inspector(
                    id=f"I-{d_index}{k:04d}",
                    department=department,
                    certified=True,
                    categories={CATEGORIES[department][int(c)] for c in held},
                    home_region=REGIONS[int(rng.integers(len(REGIONS)))],
                    capacity=capacity,
                    days_off={DAYS[int(o)] for o in off},
                )
            )
    return Directory(inspectors, departments=DEPARTMENTS, categories=CATEGORIES)


def make_visits(n: int, seed: int = 12) -> list[Visit]:
    rng = np.random.default_rng(seed)
    visits = []
    for k in range(n):
        joint = rng.random() < 0.30
        count = int(rng.integers(2, 4)) if joint else 1
        departments = [DEPARTMENTS[int(i)] for i in rng.choice(8, size=count, replace=False)]
        items = {
            d: {CATEGORIES[d][int(c)] for c in rng.choice(5, size=int(rng.integers(1, 3)))}
            for d in departments
        }
        for d in departments:
            if rng.random() < RARE_NEEDED:
                items[d] = {CATEGORIES[d][RARE]}
        visits.append(
            Visit(
                visit_id=f"V-{k:06d}",
                enterprise_id=f"E-{k:06d}",
                enterprise_region=REGIONS[int(rng.integers(len(REGIONS)))],
                date=DAYS[int(rng.integers(len(DAYS)))],
                departments=departments,
                items=items,
                team_size=max(2, count),
            )
        )
    return visits


def make_conflicts(directory: Directory, visits: list[Visit], seed: int = 13) -> Conflicts:
    rng = np.random.default_rng(seed)
    relations = set()
    for visit in visits:
        for department in visit.departments:
            members = directory.members(department)
            hit = np.flatnonzero(rng.random(len(members)) < 0.05)
            for i in hit.tolist():
                kind = RELATION_KINDS[int(rng.integers(len(RELATION_KINDS)))]
                relations.add(Relation(members[i].id, visit.enterprise_id, kind))
    ids = [i.id for i in directory.inspectors]
    history = {
        v.enterprise_id: [{ids[int(a)] for a in rng.choice(len(ids), size=2, replace=False)}]
        for v in visits
        if rng.random() < 0.20
    }
    recusals: dict[str, set[str]] = {}
    for _ in range(500):
        visit = visits[int(rng.integers(len(visits)))]
        recusals.setdefault(visit.enterprise_id, set()).add(ids[int(rng.integers(len(ids)))])
    exclusions = [
        ExcludedPair(
            ids[int(rng.integers(len(ids)))],
            visits[int(rng.integers(len(visits)))].enterprise_id,
            "disciplinary rule 2026-04",
        )
        for _ in range(200)
    ]
    return Conflicts(relations=relations, history=history, recusals=recusals, exclusions=exclusions)


def stage_times(directory: Directory, visits: list[Visit], conflicts: Conflicts) -> dict[str, Any]:
    """Time the internal stages once (same code path as assign_inspectors)."""
    out: dict[str, Any] = {}
    seconds, problem = timed(lambda: _problem._prepare(directory, visits, conflicts))
    out["eligibility"] = seconds
    out["pairs"] = sum(len(e) for dp in problem.departments.values() for e in dp.eligible)
    seconds, flows = timed(lambda: _feasibility._flows(problem))
    out["max_flow"] = seconds
    subkey = SEED.subkey("inspectors")
    ids = [v.visit_id for v in problem.visits]
    departments = list(problem.departments.items())
    seconds, rank = timed(lambda: _matching._visit_ranks(ids, subkey))
    out["visit_order"] = seconds
    seconds, prefs = timed(
        lambda: {d: _matching._preferences(ids, dp, subkey) for d, dp in departments}
    )
    out["pair_tickets"] = seconds
    seconds, _ = timed(
        lambda: {d: _matching._solve_department(dp, prefs[d], rank) for d, dp in departments}
    )
    out["greedy_repair"] = seconds
    del flows
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    seconds_dir, directory = timed(make_directory)
    seconds_vis, visits = timed(lambda: make_visits(args.visits))
    seconds_con, conflicts = timed(lambda: make_conflicts(directory, visits))
    print(
        f"inputs: {len(directory)} inspectors ({seconds_dir:.2f} s), {len(visits)} visits "
        f"({seconds_vis:.2f} s), {len(conflicts.relations)} relations ({seconds_con:.2f} s)"
    )
    rss_inputs = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"process peak RSS after building the inputs: {rss_inputs:.0f} MiB")
    joint = sum(len(v.departments) > 1 for v in visits)
    slots = sum(v.team_size for v in visits)
    print(f"joint visits {joint} ({100 * joint / len(visits):.1f}%), inspector slots {slots}")

    stages = stage_times(directory, visits, conflicts)
    print_table(
        ["stage", "seconds"],
        [[k, f"{v:.3f}"] for k, v in stages.items() if k != "pairs"],
    )
    print(f"eligible (visit, inspector) pairs: {stages['pairs']:,}")

    times: dict[str, list[float]] = {
        "conflicts_digest": [],
        "assign": [],
        "record": [],
        "verify": [],
    }
    result = record = None
    for _ in range(args.repeat):
        # A fresh copy each round: the conflicts digest is cached on the (immutable) object,
        # and a real run computes it once. Timed alone first, then assign includes it again.
        fresh = attrs.evolve(conflicts)
        seconds, _ = timed(fresh.digest)
        times["conflicts_digest"].append(seconds)
        fresh = attrs.evolve(conflicts)
        seconds, result = timed(
            partial(assign_inspectors, directory, visits, SEED, conflicts=fresh)
        )
        times["assign"].append(seconds)
        seconds, record = timed(
            partial(
                make_assignment_record,
                result,
                authority="市场监管局",
                assignment_id="2026-A1",
                timestamp="2026-03-01T00:00:00Z",
            )
        )
        times["record"].append(seconds)
        fresh = attrs.evolve(conflicts)
        seconds, report = timed(
            partial(verify_assignment, record, directory, visits, conflicts=fresh)
        )
        times["verify"].append(seconds)
        assert report.ok, str(report)
    assert result is not None
    binding = sum(1 for e in result.workload.loads if e.load == e.capacity)
    print_table(
        ["call", "best s", "median s"],
        [[k, f"{summary(v)['best']:.3f}", f"{summary(v)['median']:.3f}"] for k, v in times.items()],
    )
    print(
        f"complete: {result.complete}; greedy left {result.greedy_shortfall} slots empty, "
        f"{result.repaired} filled by augmenting paths; {binding} inspectors at capacity; "
        f"capacity binding: {result.capacity_binding}"
    )

    fresh = attrs.evolve(conflicts)
    tracemalloc.start()
    assign_inspectors(directory, visits, SEED, conflicts=fresh)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak traced allocations of assign_inspectors: {peak / 2**20:.1f} MiB")
    print(f"process peak RSS (inputs included): {maxrss:.0f} MiB")
    write_json(
        args.json,
        {
            "visits": len(visits),
            "inspectors": len(directory),
            "relations": len(conflicts.relations),
            "pairs": stages["pairs"],
            "stages": stages,
            "times": {k: summary(v) for k, v in times.items()},
            "greedy_shortfall": result.greedy_shortfall,
            "repaired": result.repaired,
            "peak_traced_mib": peak / 2**20,
            "maxrss_mib": maxrss,
            "maxrss_inputs_mib": rss_inputs,
        },
    )


if __name__ == "__main__":
    main()
