"""Building announced draws and whole ledgers for the record tests (no OS randomness).

Secrets are derived from a label with SHA-256 (random-looking, reproducible); the OS CSPRNG
is tested on its own in tests/core/test_seed.py.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import cache

from randsample import Population, PublicSource, Seed, draw_stratified, make_record
from randsample.examples import demo_directory, demo_population, demo_sizes, demo_visits
from randsample.records import (
    AnnouncedSource,
    AnnouncementRecord,
    DrawRecord,
    SealedRecord,
    announce_assignment,
    announce_draw,
    record_replacement,
)
from randsample.teams import Conflicts, assign_inspectors, input_digest, make_assignment_record

AUTHORITY = "清河县市场监督管理局"
NAMES = ("双色球 {day}", "上证指数 {day} close x100", "深证成指 {day} close x100")


def secret_for(label: str) -> bytes:
    """A reproducible 32-byte secret that passes the weak-secret rule."""
    return hashlib.sha256(f"test secret {label}".encode()).digest()


@cache
def population(size: int = 400) -> Population:
    """The synthetic county (cached: populations are immutable)."""
    return demo_population(size=size)


def source_values(label: str) -> list[list[int]]:
    """Lottery numbers, an index close and another, varied by ``label``."""
    word = hashlib.sha256(label.encode()).digest()
    lottery = [*sorted({1 + b % 33 for b in word[:12]})[:6], 1 + word[12] % 16]
    return [lottery, [312345 + int.from_bytes(word[13:15], "big")], [1087654 + word[16] * 97]]


def announced_sources(day: datetime.date) -> list[AnnouncedSource]:
    """The three sources of a draw whose numbers are published on ``day``."""
    counts = (7, 1, 1)
    return [
        AnnouncedSource(name.format(day=day.isoformat()), day, count)
        for name, count in zip(NAMES, counts, strict=True)
    ]


def seed_for(day: datetime.date, label: str, *, secret: bytes | None) -> Seed:
    """The seed made from ``day``'s sources (in the announced order) and ``secret``."""
    sources = [
        PublicSource(name.format(day=day.isoformat()), values)
        for name, values in zip(NAMES, source_values(label), strict=True)
    ]
    return Seed.from_sources(sources, secret=secret)


def stamp(day: datetime.date, hour: int = 2) -> str:
    """A UTC timestamp on ``day``."""
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


def announced_draw(
    draw_id: str,
    announced_on: datetime.date,
    *,
    previous: SealedRecord | None = None,
    pop: Population | None = None,
) -> tuple[AnnouncementRecord, DrawRecord]:
    """Announce a draw, then make it after its sources are out (3 days later)."""
    pop = pop or population()
    day = announced_on + datetime.timedelta(days=2)
    secret = secret_for(draw_id)
    notice = announce_draw(
        pop,
        demo_sizes(pop),
        sources=announced_sources(day),
        authority=AUTHORITY,
        draw_id=draw_id,
        timestamp=stamp(announced_on),
        secret=secret,
        previous=previous,
    )
    record = make_record(
        draw_stratified(pop, demo_sizes(pop), seed_for(day, draw_id, secret=secret)),
        authority=AUTHORITY,
        draw_id=draw_id,
        timestamp=stamp(day + datetime.timedelta(days=1)),
        previous=notice,
    )
    return notice, record


def clean_year() -> dict[str, SealedRecord]:
    """A year of an authority's records: 12 announced draws, replacements, announced teams."""
    records: dict[str, SealedRecord] = {}
    previous: SealedRecord | None = None
    pop = population()
    for month in range(1, 13):
        notice, draw = announced_draw(
            f"QH-2026-{month:02d}", datetime.date(2026, month, 3), previous=previous
        )
        records[f"{month:02d}-announcement.json"] = notice
        records[f"{month:02d}-draw.json"] = draw
        previous = draw
        if month in (3, 7):
            earlier = []
            for k, unit in enumerate(draw.selected_ids[:2]):
                replacement = record_replacement(
                    draw,
                    pop,
                    unit_id=unit,
                    reason="已注销",
                    recorded_by="检查员 07",
                    timestamp=stamp(datetime.date(2026, month, 20), hour=2 + k),
                    previous=previous,
                    earlier=earlier,
                )
                earlier.append(replacement)
                records[f"{month:02d}-replacement-{k + 1}.json"] = replacement
                previous = replacement
    teams_notice, teams = announced_teams(previous, pop)
    records["12-teams-announcement.json"] = teams_notice
    records["12-teams.json"] = teams
    return records


def announced_teams(
    previous: SealedRecord, pop: Population
) -> tuple[AnnouncementRecord, SealedRecord]:
    """Announce and make the inspector teams for the December draw."""
    directory = demo_directory(size=40)
    december = datetime.date(2026, 12, 22)
    draw = draw_stratified(pop, demo_sizes(pop), Seed.from_bytes(secret_for("teams-visits")))
    visits = demo_visits(draw, december)
    conflicts = Conflicts()
    day = datetime.date(2026, 12, 21)
    secret = secret_for("teams")
    notice = announce_assignment(
        directory_digest=directory.digest(),
        input_digest=input_digest(visits, conflicts),
        conflicts_digest=conflicts.digest(),
        sources=announced_sources(day),
        authority=AUTHORITY,
        assignment_id="QH-2026-12-teams",
        timestamp=stamp(datetime.date(2026, 12, 19)),
        secret=secret,
        previous=previous,
    )
    teams = assign_inspectors(
        directory, visits, seed_for(day, "teams", secret=secret), conflicts=conflicts
    )
    record = make_assignment_record(
        teams,
        authority=AUTHORITY,
        assignment_id="QH-2026-12-teams",
        timestamp=stamp(datetime.date(2026, 12, 22)),
        previous=notice,
    )
    return notice, record
