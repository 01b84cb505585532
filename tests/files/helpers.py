"""Inputs the file tests share."""

from __future__ import annotations

import datetime

from randsample.examples import demo_seed
from randsample.records import DrawRecord, SealedRecord
from randsample.teams import (
    Conflicts,
    Directory,
    Inspector,
    Visit,
    assign_inspectors,
    make_assignment_record,
    visits_from_draw,
)


def food_teams(
    record: DrawRecord,
    *,
    date: datetime.date,
    authority: str,
    assignment_id: str,
    timestamp: str,
    previous: SealedRecord | None = None,
) -> tuple[list[Visit], SealedRecord]:
    """Staff a visit for every unit ``record`` drew, from six FOOD officers; seal the teams."""
    visits = visits_from_draw(record, department="FOOD", categories=["餐饮"], date=date)
    directory = Directory(
        [
            Inspector(
                id=f"F-{i}",
                department="FOOD",
                certified=True,
                categories={"餐饮"},
                home_region="x",
                capacity=9,
            )
            for i in range(6)
        ]
    )
    assignment = assign_inspectors(
        directory, visits, demo_seed(), conflicts=Conflicts(same_locality=False)
    )
    sealed = make_assignment_record(
        assignment,
        authority=authority,
        assignment_id=assignment_id,
        timestamp=timestamp,
        previous=previous,
    )
    return visits, sealed
