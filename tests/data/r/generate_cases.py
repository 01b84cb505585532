"""Write the inputs of the R reference cases (run once; the outputs are committed).

Each case is a real randsample draw, sealed as a draw record (``<case>.record.json``), and a CSV
of its sampled units (``<case>.csv``) with what R needs: stratum, variance stratum, exact
inclusion probability written as the nearest float64, fpc (the stratum's eligible units),
values and domain labels. ``estimation_reference.R`` reads the CSVs and writes
``estimation_reference.json``; tests/estimation/test_r_reference.py estimates from the records
and compares.

The values are fixed per unit by a hash of a label and the unit id (no random state): a
unit violates when ``SHA-256(label || id) / 2**256`` is below its class rate.

    python tests/data/r/generate_cases.py
"""

from __future__ import annotations

import csv
import hashlib
from fractions import Fraction
from pathlib import Path

from randsample import Population, Seed, draw_stratified, draw_stratified_pips, make_record

HERE = Path(__file__).parent
INDUSTRIES = ("food", "drugs", "retail", "construction")
TIMESTAMP = "2026-12-01T02:00:00Z"


def uniform(label: str, unit: str) -> Fraction:
    """A number in [0, 1) fixed by the label and the unit id."""
    digest = hashlib.sha256(f"{label}\x00{unit}".encode()).digest()
    return Fraction(int.from_bytes(digest, "big"), 2**256)


def seed(label: str) -> Seed:
    return Seed.from_bytes(hashlib.sha256(f"randsample estimation case {label}".encode()).digest())


def population(
    counts: dict[str, int], *, weights: bool = False
) -> tuple[Population, dict[str, str]]:
    ids, strata, size = [], [], []
    for label, count in counts.items():
        for i in range(count):
            unit = f"{label}{i:04d}"
            ids.append(unit)
            strata.append(label)
            # A risk score: mostly 1-10, a few large scores that become certainty units.
            u = uniform("weight", unit)
            size.append(float(1 + int(u * 10)) if u < Fraction(99, 100) else 400.0)
    industry = {u: INDUSTRIES[int(uniform("industry", u) * 4)] for u in ids}
    pop = Population.from_columns(ids, strata=strata, weights=size if weights else None)
    return pop, industry


def write_case(name: str, sample, rates: dict[str, Fraction], industry: dict[str, str]) -> None:
    record = make_record(sample, authority="test county", draw_id=name, timestamp=TIMESTAMP)
    (HERE / f"{name}.record.json").write_text(record.to_json() + "\n", encoding="utf-8")
    eligible = {s.stratum: s.eligible for s in sample.strata}
    with open(HERE / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["id", "stratum", "vstratum", "pi", "fpc", "y", "amount", "revenue", "industry"]
        )
        for unit in sample.selection:
            violates = uniform("violation", unit.id) < rates[unit.stratum]
            amount = int(uniform("amount", unit.id) * 5000) / 100 if violates else 0
            revenue = 100 + int(uniform("revenue", unit.id) * 90000) / 100
            # R needs certainty units of a πps draw in strata of their own (see the R script).
            pips = sample.algorithm == "stratified-pips-systematic"
            certain = pips and unit.inclusion_probability == 1
            writer.writerow(
                [
                    unit.id,
                    unit.stratum,
                    f"certainty:{unit.id}" if certain else unit.stratum,
                    repr(float(unit.inclusion_probability)),
                    eligible[unit.stratum],
                    int(violates),
                    f"{amount:.2f}",
                    f"{revenue:.2f}",
                    industry[unit.id],
                ]
            )


def main() -> None:
    rates = {"A": Fraction(2, 100), "B": Fraction(6, 100), "C": Fraction(15, 100)}
    rates |= {"D": Fraction(35, 100), "E": Fraction(10, 100), "F": Fraction(1)}

    # 1. Stratified SRSWOR with fpc, four credit classes, a 2% class (A).
    pop, industry = population({"A": 1500, "B": 600, "C": 250, "D": 90})
    sample = draw_stratified(pop, {"A": 300, "B": 90, "C": 50, "D": 30}, seed("classes"))
    write_case("srswor_classes", sample, rates, industry)

    # 2. A take-all stratum (E: 12 of 12) and a stratum with a single sampled unit (F).
    pop, industry = population({"A": 400, "D": 60, "E": 12, "F": 30})
    sample = draw_stratified(pop, {"A": 60, "D": 20, "E": 12, "F": 1}, seed("take-all"))
    write_case("take_all", sample, rates, industry)

    # 3. Domains by industry (estimated with the domain indicator, not a subset design).
    pop, industry = population({"A": 800, "B": 300, "C": 120, "D": 50})
    sample = draw_stratified(pop, {"A": 120, "B": 60, "C": 40, "D": 25}, seed("domains"))
    write_case("domains", sample, rates, industry)

    # 4. A ratio: fines (amount) per unit of revenue, overall and by industry.
    pop, industry = population({"B": 500, "C": 200, "D": 80})
    sample = draw_stratified(pop, {"B": 60, "C": 40, "D": 30}, seed("ratio"))
    write_case("ratio", sample, rates, industry)

    # 5. πps (randomized systematic on risk scores), with certainty units.
    pop, industry = population({"B": 600, "C": 250, "D": 100}, weights=True)
    sample = draw_stratified_pips(pop, {"B": 60, "C": 40, "D": 30}, seed("pips"))
    write_case("pips", sample, rates, industry)


if __name__ == "__main__":
    main()
