"""Files: every reader and writer (the only code that touches the file system)."""

from ._dataset import read_population_dataset
from ._plan import OUTCOMES_HEADER, read_outcomes, read_plan
from ._population import (
    read_design,
    read_mapping,
    read_population,
    read_population_csv,
    read_record,
    read_seed,
    write_population_csv,
    write_record,
)
from ._reports import write_monthly_csv
from ._teams import read_conflicts, read_directory, read_visits

__all__ = [
    "OUTCOMES_HEADER",
    "read_conflicts",
    "read_design",
    "read_directory",
    "read_mapping",
    "read_outcomes",
    "read_plan",
    "read_population",
    "read_population_csv",
    "read_population_dataset",
    "read_record",
    "read_seed",
    "read_visits",
    "write_monthly_csv",
    "write_population_csv",
    "write_record",
]
