"""Built-in example data: a synthetic county for the demo, the tutorial, the tests, the benchmarks.

The county is generated deterministically from a SHA-256 counter stream (no numpy or Python
random state), so every machine and every version produces the same enterprises. The seed
material here is *example* material: a real draw uses public sources published after the
population is frozen, and a secret committed to in advance.

* the county (``_county``): :func:`demo_population` (enterprises with valid credit codes and
  classes A-D), :func:`demo_location` (their declared business locations), :func:`demo_seed`,
  one department's officers :func:`demo_directory` and visits :func:`demo_visits`;
* a year as bureaus run it (``_year``): :func:`demo_year_plan` (declared joint tasks,
  internal tasks, :data:`LINDIAN_BANDS`, an annual cap, exclusion rules),
  :func:`demo_year_directory`, :func:`demo_experts`, :func:`run_demo_year`;
* the coordinated mode (``_joint``): :func:`demo_joint_plan` and :func:`demo_scopes` (the
  county cut into industries), and the small doctest examples (``small_*``).
"""

from ._county import (
    CLASS_MIX,
    DEMO_DEPARTMENT,
    DEMO_RATES,
    DEMO_SECRET,
    DEMO_SOURCES,
    TOWNSHIPS,
    ceil_size,
    demo_directory,
    demo_location,
    demo_locations,
    demo_population,
    demo_seed,
    demo_sizes,
    demo_visits,
)
from ._joint import (
    DEMO_DEPARTMENTS,
    DEMO_LEADS,
    INDUSTRIES,
    demo_joint_directory,
    demo_joint_plan,
    demo_outcomes,
    demo_scopes,
    small_joint,
    small_joint_draw,
    small_joint_plan,
    small_monthly_report,
)
from ._small import small_team_inputs, small_year, small_year_plan
from ._year import (
    BANDS_FROM,
    LINDIAN_BANDS,
    YEAR_DEPARTMENTS,
    DemoYear,
    demo_experts,
    demo_period_seed,
    demo_year_directory,
    demo_year_plan,
    run_demo_year,
)

__all__ = [
    "BANDS_FROM",
    "CLASS_MIX",
    "DEMO_DEPARTMENT",
    "DEMO_DEPARTMENTS",
    "DEMO_LEADS",
    "DEMO_RATES",
    "DEMO_SECRET",
    "DEMO_SOURCES",
    "INDUSTRIES",
    "LINDIAN_BANDS",
    "TOWNSHIPS",
    "YEAR_DEPARTMENTS",
    "DemoYear",
    "ceil_size",
    "demo_directory",
    "demo_experts",
    "demo_joint_directory",
    "demo_joint_plan",
    "demo_location",
    "demo_locations",
    "demo_outcomes",
    "demo_period_seed",
    "demo_population",
    "demo_scopes",
    "demo_seed",
    "demo_sizes",
    "demo_visits",
    "demo_year_directory",
    "demo_year_plan",
    "run_demo_year",
    "small_joint",
    "small_joint_draw",
    "small_joint_plan",
    "small_monthly_report",
    "small_team_inputs",
    "small_year",
    "small_year_plan",
]
