"""The units that can be drawn: Population, populations from tables, exclusion."""

from ._exclusion import ExclusionReport, exclude_recently_inspected
from ._mapping import CREDIT_CLASSES, ENDED_STATUSES, Boost, ColumnMapping
from ._population import IdScheme, Population
from ._tables import (
    build_population,
    columns_from_arrow,
    columns_from_pandas,
)

__all__ = [
    "CREDIT_CLASSES",
    "ENDED_STATUSES",
    "Boost",
    "ColumnMapping",
    "ExclusionReport",
    "IdScheme",
    "Population",
    "build_population",
    "columns_from_arrow",
    "columns_from_pandas",
    "exclude_recently_inspected",
]
