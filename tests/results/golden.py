"""Golden vectors of spec sections 13-14 (tests/data/golden_publication).

:func:`build` returns every vector file's text.
``tests/data/golden_publication/generate_publication.py`` writes them once;
``test_golden_publication.py`` rebuilds them and compares byte for byte, so a change to any
byte of commitment v2, tickets v2, the salted draw, the notice, receipts or result records
fails a test. The vectors freeze those formats; do not regenerate them for an
existing version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from randsample import Population, PublicSource, Seed, commitment_for
from randsample.joint import Department, InspectionItem
from randsample.population import bucket_indices, leaf_hash, salted_ticket, unit_salt
from randsample.results import (
    Drawn,
    ResultLog,
    draw_salted,
    make_notice,
    make_receipts,
    make_salted_record,
    seal_result,
)

AUTHORITY_SECRET = bytes.fromhex("5f2c9a7e13b4d60818f7e2a4c9b31d5e6a7f80912b3c4d5e6f708192a3b4c5d6")
SEED_SECRET = bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36")
SOURCES = [
    PublicSource("lottery", [3, 11, 19, 24, 30, 33]),
    PublicSource("index x100", [324567, 1187342]),
]
BUCKETS = 8
SIZES = {"A": 2, "B": 3, "C": 4, "D": 5}
IDS = [f"91350100M{i:08d}" for i in range(36)] + ["清河县某某食品有限公司", "Ａ-壹", "E"]


def population() -> Population:
    """39 units: classes A-D, every seventh ineligible, weights on every unit."""
    n = len(IDS)
    return Population.from_columns(
        IDS,
        strata=["ABCD"[(i * 5) % 4] for i in range(n)],
        eligible=[i % 7 != 3 for i in range(n)],
        weights=[float(i % 5) + 0.25 for i in range(n)],
    )


def seed() -> Seed:
    """A committed secret and two public sources."""
    return Seed.from_sources(SOURCES, secret=SEED_SECRET, commitment=commitment_for(SEED_SECRET))


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build() -> dict[str, str]:
    """Return file name -> text of every vector."""
    pop = population()
    the_seed = seed()
    sample = draw_salted(pop, SIZES, the_seed, AUTHORITY_SECRET, buckets=BUCKETS)
    record = make_salted_record(
        sample,
        authority="清河县市场监管局",
        draw_id="2026-抽查-001",
        timestamp="2026-03-01T02:00:00Z",
    )
    drawn = Drawn({("2026-抽查-001", "SAMR"): ("2026-03", frozenset(record.selected_ids))})
    log = ResultLog(drawn)
    chosen = sorted(record.selected_ids)[:2]
    first = log.enter(
        task_id="2026-抽查-001",
        department="SAMR",
        enterprise_id=chosen[0],
        category="pending-follow-up",
        subtypes=["unreachable-at-address"],
        methods=["on-site"],
        follow_ups=["abnormal-operations-list"],
        officers=["王伟", "李娜"],
        leader="王伟",
        inspection_start=dt.date(2026, 3, 2),
        inspection_end=dt.date(2026, 3, 3),
        on=dt.date(2026, 3, 4),
        by="王伟",
    )
    log.enter(
        task_id="2026-抽查-001",
        department="SAMR",
        enterprise_id=chosen[1],
        category="no-problem",
        methods=["written", "data-sharing"],
        follow_ups=["none"],
        officers=["李娜"],
        inspection_start=dt.date(2026, 3, 2),
        inspection_end=dt.date(2026, 3, 2),
        on=dt.date(2026, 3, 4),
        by="李娜",
    )
    log.move(first.key, "returned", on=dt.date(2026, 3, 5), by="科长", note="补充现场照片")
    log.move(first.key, "pending-review", on=dt.date(2026, 3, 6), by="王伟")
    log.move(first.key, "approved", on=dt.date(2026, 3, 9), by="科长")
    log.move(first.key, "published", on=dt.date(2026, 3, 10), by="科长")
    results = []
    previous: Any = record
    last: dict[tuple[str, str, str], Any] = {}
    for index, entry in enumerate(log.entries):
        sealed = seal_result(
            entry,
            authority="清河县市场监管局",
            timestamp=f"{entry.date}T0{index}:00:00Z",
            previous=previous,
            previous_result=last.get(entry.key),
        )
        results.append(json.loads(sealed.to_json()))
        previous = last[entry.key] = sealed
    notice = make_notice(
        record,
        notice_id="公示-2026-001",
        task_id="2026-抽查-001",
        period="2026-03",
        departments=[Department("SAMR", "清河县市场监管局")],
        items=[
            InspectionItem("SAMR", "F-01", "《企业信息公示暂行条例》第六条", "公示信息", "on-site")
        ],
        timestamp="2026-03-11T02:00:00Z",
        results=log,
        previous=previous,
    )
    selected = sorted(record.selected_ids)[0]
    not_selected = next(
        i
        for i, ok in zip(IDS, pop.eligible.tolist(), strict=True)
        if ok and i not in record.selected_ids
    )
    ineligible = next(i for i, ok in zip(IDS, pop.eligible.tolist(), strict=True) if not ok)
    receipts = {
        r.unit_id: r
        for r in make_receipts(
            sample, pop, AUTHORITY_SECRET, notice, ids=[selected, not_selected, ineligible]
        )
    }
    vectors = []
    for ident, stratum, ok, weight in zip(
        IDS, pop.strata.tolist(), pop.eligible.tolist(), pop.weights.tolist(), strict=True
    ):
        salt = unit_salt(AUTHORITY_SECRET, ident)
        vectors.append(
            {
                "id": ident,
                "stratum": stratum,
                "eligible": ok,
                "weight": weight.hex(),
                "salt": salt.hex(),
                "bucket": int(bucket_indices([ident], BUCKETS)[0]),
                "leaf_hash": leaf_hash(salt, ident, stratum, ok, weight).hex(),
                "ticket": salted_ticket(the_seed.subkey("enterprises"), salt, ident).hex(),
            }
        )
    return {
        "commitment_vectors.json": _text(
            {
                "authority_secret": AUTHORITY_SECRET.hex(),
                "buckets": BUCKETS,
                "subkey": the_seed.subkey("enterprises").hex(),
                "commitment": sample.commitment.to_json(),
                "units": vectors,
            }
        ),
        "salted_record.json": record.to_json() + "\n",
        "results.json": _text(results),
        "notice.json": notice.to_json() + "\n",
        "receipt_selected.json": receipts[selected].to_json() + "\n",
        "receipt_not_selected.json": receipts[not_selected].to_json() + "\n",
        "receipt_ineligible.json": receipts[ineligible].to_json() + "\n",
    }
