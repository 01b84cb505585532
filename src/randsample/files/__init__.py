"""Files: every reader and writer (the only code that touches the file system or a database).

Published files (spec formats): ``read_population`` / ``write_population_csv``,
``read_record`` / ``write_record``, ``read_design``, ``read_seed``, ``read_plan``,
``read_outcomes``, ``read_directory``, ``read_visits``, ``read_conflicts``,
``read_team_visits`` and ``read_experts`` (team-assignment v2),
``write_monthly_csv``; ``read_population_dataset`` opens partitioned Parquet for
``randsample.distributed``.

A bureau's own data: ``read_table`` (CSV in any encoding, ``.xlsx``, Parquet) and
``read_sql_table`` (any DB-API connection or URL) give a ``Table`` whose rows are named by
file line, sheet row or key; ``Table.population(ColumnMapping(...))`` builds the population,
reporting every bad row at once; ``directory_from_table`` (``RosterMapping``) and
``history_from_table`` do the same for the roster and the inspection history, and
``write_visits`` writes the visits of ``randsample.teams.visits_from_draw``; ``to_date`` and
``to_timestamp`` are the one place dates and times are converted.

Results out: ``make_publication`` (the 公示 list) with ``write_publication_csv`` /
``write_publication_xlsx``, and ``write_tables`` (records, selection, teams and the list back
into the database, in one transaction; ``open_database`` opens a URL).

Safely: every writer goes through ``write_atomic`` (a temporary file, fsync, rename; an existing
file is replaced only with ``force``), CSV cells that a spreadsheet would run as a formula are
neutralised by ``spreadsheet_cell``, and ``read_ledger`` reads a folder of records for the
audit.
"""

from ._atomic import check_writable, write_atomic
from ._csv import FORMULA_STARTS, spreadsheet_cell
from ._dataset import read_population_dataset
from ._dates import to_date, to_timestamp
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
from ._publication import (
    PUBLICATION_COLUMNS,
    Publication,
    make_publication,
    write_publication_csv,
    write_publication_xlsx,
)
from ._reports import write_monthly_csv
from ._roster import (
    History,
    RosterMapping,
    directory_from_table,
    history_from_table,
    write_visits,
)
from ._sql import open_database, write_tables
from ._tables import Table, read_sql_table, read_table
from ._teams import read_conflicts, read_directory, read_visits
from ._teams_v2 import read_experts, read_team_visits

__all__ = [
    "FORMULA_STARTS",
    "OUTCOMES_HEADER",
    "PUBLICATION_COLUMNS",
    "History",
    "Publication",
    "RosterMapping",
    "Table",
    "check_writable",
    "directory_from_table",
    "history_from_table",
    "make_publication",
    "open_database",
    "read_announced_sources",
    "read_conflicts",
    "read_design",
    "read_directory",
    "read_experts",
    "read_ledger",
    "read_mapping",
    "read_outcomes",
    "read_plan",
    "read_population",
    "read_population_csv",
    "read_population_dataset",
    "read_record",
    "read_secret",
    "read_seed",
    "read_sql_table",
    "read_table",
    "read_team_visits",
    "read_visits",
    "spreadsheet_cell",
    "to_date",
    "to_timestamp",
    "write_atomic",
    "write_monthly_csv",
    "write_population_csv",
    "write_publication_csv",
    "write_publication_xlsx",
    "write_record",
    "write_secret",
    "write_tables",
    "write_visits",
]
