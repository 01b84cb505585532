"""Files: every reader and writer (the only code that touches the file system)."""

from ._atomic import check_writable, write_atomic
from ._csv import FORMULA_STARTS, spreadsheet_cell
from ._ledger import read_announced_sources, read_ledger, read_secret, write_secret
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
    "FORMULA_STARTS",
    "OUTCOMES_HEADER",
    "check_writable",
    "read_announced_sources",
    "read_conflicts",
    "read_design",
    "read_directory",
    "read_ledger",
    "read_mapping",
    "read_outcomes",
    "read_plan",
    "read_population",
    "read_population_csv",
    "read_record",
    "read_secret",
    "read_seed",
    "read_visits",
    "spreadsheet_cell",
    "write_atomic",
    "write_monthly_csv",
    "write_population_csv",
    "write_record",
    "write_secret",
]
