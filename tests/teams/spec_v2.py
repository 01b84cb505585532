"""An independent, standard-library-only reading of docs/spec.md sections 19 and 20.

Written from the spec text alone (no randsample import), as the standalone verifier's author
would: if it reproduces the golden vectors, the spec says enough. It works on the plain JSON
input files of ``tests/data/golden_assignment_v2/``.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from typing import Any

EXPERTS = "(experts)"


def lp(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def subkey(seed_value_hex: str, purpose: str = "inspectors") -> bytes:
    seed = bytes.fromhex(seed_value_hex)
    return hashlib.sha256(b"randsample/v1/subkey\x00" + lp(purpose.encode()) + lp(seed)).digest()


def digests(inputs: dict[str, Any]) -> dict[str, str]:
    """Section 19.5 (and 11.5 for the directory and the conflicts)."""
    directory = inputs["directory"]
    departments = directory["departments"]
    held: dict[str, set[str]] = {d: set() for d in departments}
    for i in directory["inspectors"]:
        held[i["department"]] |= set(i["categories"])
    directory_json = {
        "format": "randsample.inspector-directory/1",
        "departments": [
            {"department": d, "categories": sorted(held[d])} for d in sorted(departments)
        ],
        "inspectors": [
            {**i, "categories": sorted(i["categories"]), "days_off": sorted(i["days_off"])}
            for i in sorted(directory["inspectors"], key=lambda i: i["id"])
        ],
    }
    experts_json = {
        "format": "randsample.expert-pool/1",
        "experts": [
            {**e, "categories": sorted(e["categories"]), "days_off": sorted(e["days_off"])}
            for e in sorted(inputs["experts"], key=lambda e: e["id"])
        ],
    }
    c = inputs["conflicts"]
    conflicts_json = {
        "exclusions": sorted(c["exclusions"]),
        "history": [
            {"enterprise_id": e, "teams": [sorted(t) for t in c["history"][e]]}
            for e in sorted(c["history"])
        ],
        "recusals": [
            {"enterprise_id": e, "inspector_ids": sorted(c["recusals"][e])}
            for e in sorted(c["recusals"])
        ],
        "relations": sorted(c["relations"]),
        "rotation": c["rotation"],
        "same_locality": c["same_locality"],
    }
    conflicts_digest = sha(conflicts_json)
    visits_json = [
        {
            "date": v["date"],
            "departments": sorted(v["departments"]),
            "enterprise_id": v["enterprise_id"],
            "expert_categories": sorted(v["expert_categories"]),
            "experts": v["experts"],
            "items": [
                {"department": d, "categories": sorted(v["items"][d])}
                for d in sorted(v["departments"])
            ],
            "lead": v["lead"],
            "location": v["location"],
            "minimums": [
                {"department": d, "minimum": v["minimums"].get(d, 2)}
                for d in sorted(v["departments"])
            ],
            "visit_id": v["visit_id"],
        }
        for v in sorted(inputs["visits"], key=lambda v: v["visit_id"])
    ]
    return {
        "directory": sha(directory_json),
        "experts": sha(experts_json),
        "conflicts": conflicts_digest,
        "input": sha(
            {
                "format": "randsample.assignment-input/2",
                "conflicts_digest": conflicts_digest,
                "visits": visits_json,
            }
        ),
    }


def _pools(inputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Section 19.2: members, capacities, and per served visit the demand and eligible set."""
    c = inputs["conflicts"]
    declared: dict[tuple[str, str], bool] = {}
    for r, e, _ in c["relations"]:
        declared[r, e] = True
    for r, e, _ in c["exclusions"]:
        declared[r, e] = True
    for e, ids in c["recusals"].items():
        for r in ids:
            declared[r, e] = True
    if c["rotation"]:
        for e, teams in c["history"].items():
            for team in teams[-c["rotation"] :]:
                for r in team:
                    declared[r, e] = True
    pools: dict[str, dict[str, Any]] = {}
    members = {
        d: [i for i in inputs["directory"]["inspectors"] if i["department"] == d]
        for d in inputs["directory"]["departments"]
    }
    members[EXPERTS] = inputs["experts"]
    for v in inputs["visits"]:
        served = [(d, v["minimums"].get(d, 2), v["items"][d]) for d in v["departments"]]
        if v["experts"]:
            served.append((EXPERTS, v["experts"], v["expert_categories"]))
        for name, demand, needs in served:
            pool = pools.setdefault(name, {"members": members[name], "visits": []})
            eligible = [
                m["id"]
                for m in members[name]
                if set(needs) <= set(m["categories"])
                and v["date"] not in m["days_off"]
                and not (c["same_locality"] and v["location"] == m["home_region"])
                and (m["id"], v["enterprise_id"]) not in declared
            ]
            pool["visits"].append((v["visit_id"], demand, eligible))
    return pools


def pref(key: bytes, visit_id: str, ids: list[str]) -> list[str]:
    def ticket(r: str) -> tuple[bytes, bytes]:
        return hashlib.sha256(key + lp(visit_id.encode()) + lp(r.encode())).digest(), r.encode()

    return sorted(ids, key=ticket)


def select(inputs: dict[str, Any], seed_value_hex: str) -> dict[str, Any]:
    """Sections 19.3-19.4: teams per (visit, pool), leaders, unstaffed."""
    k = subkey(seed_value_hex)
    order_key = hashlib.sha256(b"randsample/v1/visit-order\x00" + k).digest()
    visit_ids = [v["visit_id"] for v in inputs["visits"]]
    rank = {
        vid: i
        for i, vid in enumerate(
            sorted(
                visit_ids,
                key=lambda x: (hashlib.sha256(order_key + lp(x.encode())).digest(), x.encode()),
            )
        )
    }
    teams: dict[tuple[str, str], list[str]] = {}
    unstaffed = []
    prefs: dict[tuple[str, str], list[str]] = {}
    for name, pool in _pools(inputs).items():
        capacity = {m["id"]: m["capacity"] for m in pool["members"]}
        served = sorted(pool["visits"], key=lambda entry: rank[entry[0]])
        demand = {vid: c for vid, c, _ in served}
        for vid, _, eligible in served:
            prefs[vid, name] = pref(k, vid, eligible)
        team: dict[str, list[str]] = {vid: [] for vid, _, _ in served}
        load = dict.fromkeys(capacity, 0)
        for vid, _, _ in served:  # greedy
            for r in prefs[vid, name]:
                if len(team[vid]) < demand[vid] and load[r] < capacity[r]:
                    team[vid].append(r)
                    load[r] += 1
        for vid, _, _ in served:  # repair
            while len(team[vid]) < demand[vid]:
                if not _search(vid, team, load, capacity, prefs, name, rank):
                    break
        for vid, _, _ in served:
            teams[vid, name] = team[vid]
            if len(team[vid]) < demand[vid]:
                unstaffed.append((vid, name, demand[vid], len(team[vid])))
    out = {}
    for v in inputs["visits"]:
        vid = v["visit_id"]
        lead_team = teams[vid, v["lead"]]
        leader = next((r for r in prefs[vid, v["lead"]] if r in lead_team), None)
        out[vid] = {
            "leader": leader,
            "members": {d: sorted(teams[vid, d]) for d in v["departments"]},
            "experts": sorted(teams.get((vid, EXPERTS), [])),
        }
    unstaffed.sort(key=lambda u: (u[0], u[1] == EXPERTS, u[1]))
    return {"teams": out, "unstaffed": unstaffed, "prefs": prefs}


def _search(
    start: str,
    team: dict[str, list[str]],
    load: dict[str, int],
    capacity: dict[str, int],
    prefs: dict[tuple[str, str], list[str]],
    name: str,
    rank: dict[str, int],
) -> bool:
    """SEARCH and AUGMENT of section 11.4."""
    queue, labelled = deque([start]), {start}
    came_from: dict[str, str] = {}
    via: dict[str, str] = {}
    while queue:
        q = queue.popleft()
        for r in prefs[q, name]:
            if r in came_from or r in team[q]:
                continue
            came_from[r] = q
            if load[r] < capacity[r]:
                load[r] += 1
                walk = r
                while True:  # AUGMENT(r)
                    q = came_from[walk]
                    team[q].append(walk)
                    if q == start:
                        return True
                    team[q].remove(via[q])
                    walk = via[q]
            for q2 in sorted((v for v in team if r in team[v]), key=rank.__getitem__):
                if q2 not in labelled:
                    labelled.add(q2)
                    via[q2] = r
                    queue.append(q2)
    return False


def adjust(
    inputs: dict[str, Any],
    seed_value_hex: str,
    record: dict[str, Any],
    adjustments: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Section 20: re-derive each adjustment's department, replacement and leader."""
    selected = select(inputs, seed_value_hex)
    k = subkey(seed_value_hex)
    state: dict[str, dict[str, list[str]]] = {}
    leaders: dict[str, str | None] = {}
    for t in record["teams"]:
        pools = {m["department"]: list(m["inspector_ids"]) for m in t["members"]}
        pools[EXPERTS] = list(t["experts"])
        state[t["visit_id"]] = pools
        leaders[t["visit_id"]] = t["leader"]
    pool_of = {i["id"]: i["department"] for i in inputs["directory"]["inspectors"]}
    pool_of |= {e["id"]: EXPERTS for e in inputs["experts"]}
    capacity = {i["id"]: i["capacity"] for i in inputs["directory"]["inspectors"]}
    capacity |= {e["id"]: e["capacity"] for e in inputs["experts"]}
    lead_of = {v["visit_id"]: v["lead"] for v in inputs["visits"]}
    barred: dict[str, set[str]] = {}
    out = []
    for a in adjustments:
        vid, d = a["visit_id"], a["dropped"]["id"]
        pool = pool_of[d]
        assert d in state[vid][pool]
        staying = [m for m in state[vid][pool] if m != d]
        load: dict[str, int] = {}
        for other, pools in state.items():
            for m in pools.get(pool, []):
                if not (other == vid and m == d):
                    load[m] = load.get(m, 0) + 1
        order = selected["prefs"][vid, pool]
        gone = barred.get(vid, set()) | {d}
        position, r = next(
            (n, r)
            for n, r in enumerate(order, start=1)
            if r not in staying and r not in gone and load.get(r, 0) < capacity[r]
        )
        state[vid][pool] = [*staying, r]
        if pool == lead_of[vid]:
            leaders[vid] = next(x for x in order if x in state[vid][pool])
        barred.setdefault(vid, set()).add(d)
        ticket = hashlib.sha256(k + lp(vid.encode()) + lp(r.encode())).hexdigest()
        out.append(
            {
                "department": None if pool == EXPERTS else pool,
                "replacement": {"id": r, "ticket": ticket, "position": position},
                "leader": leaders[vid],
            }
        )
    return out
