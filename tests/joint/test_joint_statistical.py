"""Statistical tests of coordinated joint draws: empirical frequencies over many seeds.

Marked ``slow``. The seeds are fixed (SHA-256 of a counter), so each test is deterministic;
ALPHA is the family-wise level (Bonferroni across units) at which a *correct* sampler would
fail on a fresh set of seeds. Negative controls show that each check can fail.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction

import pytest
from scipy import stats

from randsample import Population, Seed
from randsample.joint import (
    Department,
    InspectionItem,
    JointDraw,
    MergedPlan,
    Plan,
    Task,
    draw_joint,
    merge_plan,
)

pytestmark = pytest.mark.slow

RUNS = 8_000
ALPHA = 1e-3  # family-wise, Bonferroni-corrected across the units of one check

# Stratum A: 12 units, A11 ineligible (pi = 0); stratum D: 5 units.
POP = Population.from_columns(
    [f"A{i:02d}" for i in range(12)] + [f"D{i}" for i in range(5)],
    strata=["A"] * 12 + ["D"] * 5,
    eligible=[True] * 11 + [False] + [True] * 5,
)
SIZES = {  # three departments with different designs; TAX works off-site only
    "SAMR": {"A": 4, "D": 2},
    "HEALTH": {"A": 2, "D": 4},
    "TAX": {"A": 6, "D": 1},
}
ELIGIBLE = {"A": 11, "D": 5}


def plan(periods: Iterable[str] = ("2026-Q4",)) -> MergedPlan:
    """SAMR (lead), HEALTH and TAX jointly over one scope, in each of ``periods``."""
    items = [
        InspectionItem("SAMR", "S-on", "法规一", "现场", "on-site"),
        InspectionItem("HEALTH", "H-on", "法规二", "现场", "on-site"),
        InspectionItem("TAX", "T-off", "法规三", "数据", "data-sharing"),
    ]
    item_of = {"SAMR": "S-on", "HEALTH": "H-on", "TAX": "T-off"}
    tasks = [
        Task(
            task_id=f"{code}-{period}",
            department=code,
            items=[item_of[code]],
            scope="x",
            period=period,
            sizes=sizes,
        )
        for code, sizes in SIZES.items()
        for period in periods
    ]
    departments = [Department(code, code) for code in SIZES]
    return merge_plan(Plan(departments, items, tasks, {"x": "SAMR"}))


def seed(label: str, run: int) -> Seed:
    """The run's seed: SHA-256 of a label and a counter."""
    return Seed.from_bytes(
        hashlib.sha256(b"randsample joint test %s %d" % (label.encode(), run)).digest()
    )


def pi_of(size: Callable[[str], int]) -> dict[str, Fraction]:
    """Each unit's inclusion probability when stratum h takes size(h) of its eligible units."""
    out = {}
    for ident, label, ok in zip(
        POP.ids.tolist(), POP.strata.tolist(), POP.eligible.tolist(), strict=True
    ):
        out[ident] = Fraction(size(label), ELIGIBLE[label]) if ok else Fraction(0)
    return out


def inclusion_check(
    draws: Iterable[Iterable[str]], pi: dict[str, Fraction], runs: int
) -> list[str]:
    """Units whose inclusion count is inconsistent with pi (two-sided binomial, Bonferroni)."""
    counts = Counter(unit for draw in draws for unit in set(draw))
    flagged = []
    for unit, p in pi.items():
        k = counts.get(unit, 0)
        if p in (0, 1):
            if k != p * runs:
                flagged.append(unit)
        elif stats.binomtest(k, runs, float(p)).pvalue < ALPHA / len(pi):
            flagged.append(unit)
    return flagged


RESULTS: list[JointDraw] = []


def results() -> list[JointDraw]:
    """The coordinated draws of RUNS seeds (computed once)."""
    if not RESULTS:
        merged = plan()
        RESULTS.extend(draw_joint(merged, seed("Q4", run), {"x": POP}) for run in range(RUNS))
    return RESULTS


def test_each_department_matches_its_own_design_under_coordination():
    """Every department's inclusion frequencies match its own n_dh / M_h."""
    for department, sizes in SIZES.items():
        draws = [r.draw(r.tasks[0].task_id, department).sample.ids for r in results()]
        assert [] == inclusion_check(draws, pi_of(sizes.__getitem__), RUNS), department


def test_visit_frequencies_are_the_largest_on_site_design():
    """A unit is visited with probability max over on-site departments of n_dh / M_h (nesting);
    off-site checks occur with the excess of the off-site department's design."""
    on_site = pi_of(lambda h: max(SIZES["SAMR"][h], SIZES["HEALTH"][h]))
    visits = [[v.enterprise for v in r.visits] for r in results()]
    assert [] == inclusion_check(visits, on_site, RUNS)
    assert all(len(v) == 4 + 4 for v in visits)  # exactly the minimum, every run
    every = pi_of(lambda h: max(sizes[h] for sizes in SIZES.values()))
    drawn = [[v.enterprise for v in r.visits + r.off_site_checks] for r in results()]
    assert [] == inclusion_check(drawn, every, RUNS)


def test_fresh_seeds_make_periods_independent():
    """With a fresh seed per period, being visited in both periods has probability pi^2."""
    merged = plan(("2026-Q3", "2026-Q4"))
    both = []
    for run in range(RUNS // 2):
        q3 = draw_joint(merged, seed("Q3", run), {"x": POP}, period="2026-Q3")
        q4 = draw_joint(merged, seed("Q4", run), {"x": POP}, period="2026-Q4")
        both.append({v.enterprise for v in q3.visits} & {v.enterprise for v in q4.visits})
    pi = pi_of(lambda h: max(SIZES["SAMR"][h], SIZES["HEALTH"][h]))
    assert [] == inclusion_check(both, {u: p * p for u, p in pi.items()}, RUNS // 2)


# -- negative controls ---------------------------------------------------------------------------


def _reuse_by_id(result: JointDraw) -> list[str]:
    # A plausible wrong "coordination": HEALTH reuses SAMR's sample where it is smaller, but
    # keeps its first units by id instead of by ticket. Low ids are favoured.
    task = result.tasks[0].task_id
    samr = result.draw(task, "SAMR").sample
    out = []
    for label, size in SIZES["HEALTH"].items():
        mine = sorted(u.id for u in samr.selection if u.stratum == label)
        if size <= len(mine):
            out += mine[:size]
        else:
            out += [
                u.id for u in result.draw(task, "HEALTH").sample.selection if u.stratum == label
            ]
    return out


def test_negative_control_reusing_a_sample_by_id_order_is_flagged():
    """The per-department check flags a coordinator that reuses a sample in id order."""
    draws = [_reuse_by_id(r) for r in results()]
    flagged = inclusion_check(draws, pi_of(SIZES["HEALTH"].__getitem__), RUNS)
    assert "A00" in flagged


def test_negative_control_reusing_the_seed_across_periods_is_flagged():
    """The independence check flags one seed used for two periods (same units each time)."""
    merged = plan(("2026-Q3", "2026-Q4"))
    both = []
    for run in range(RUNS // 4):
        same = seed("Q3", run)
        q3 = draw_joint(merged, same, {"x": POP}, period="2026-Q3")
        q4 = draw_joint(merged, same, {"x": POP}, period="2026-Q4")
        both.append({v.enterprise for v in q3.visits} & {v.enterprise for v in q4.visits})
    pi = pi_of(lambda h: max(SIZES["SAMR"][h], SIZES["HEALTH"][h]))
    assert len(inclusion_check(both, {u: p * p for u, p in pi.items()}, RUNS // 4)) >= 10
