"""The units that can be drawn: Population, populations from tables, exclusion."""

from ._exclusion import ExclusionReport, exclude_recently_inspected
from ._population import (
    IdScheme,
    Population,
    bytewise_order,
    digest_header,
    digest_rows,
    padded_order,
    padded_rows,
)
from ._tables import (
    CREDIT_CLASSES,
    build_population,
    columns_from_arrow,
    columns_from_pandas,
    read_csv_columns,
)

__all__ = [
    "CREDIT_CLASSES",
    "ExclusionReport",
    "IdScheme",
    "Population",
    "build_population",
    "bytewise_order",
    "columns_from_arrow",
    "columns_from_pandas",
    "digest_header",
    "digest_rows",
    "exclude_recently_inspected",
    "padded_order",
    "padded_rows",
    "read_csv_columns",
]
