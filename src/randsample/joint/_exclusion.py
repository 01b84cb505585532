"""Applying exclusion rules: who is left out of a draw because of past inspections, and why.

The rules are data (:class:`~randsample.joint.ExclusionRule`, over
:class:`~randsample.joint.PastInspection` records).

:func:`apply_exclusions` makes the excluded enterprises ineligible (they stay in the
population, so the published file shows them) and reports per stratum how many each rule
excluded and how many the last-outcome exception kept, as
:func:`randsample.population.exclude_recently_inspected` does for its one rule; the
inclusion probabilities ``n_h / M_h`` of the others rise accordingly.

**Definitions.** For an enterprise and a rule, the *matching* inspections are those dated in
the window (``as_of - window < date <= as_of`` for a window of days; ``1 January of as_of's
year <= date <= as_of`` for ``"year"``), whose trigger is one of the rule's ``triggers`` and
whose department is one of the rule's ``departments`` (all departments when empty; the
drawing task's departments for ``"task"``); the *count* is the number of distinct dates among
them (a joint visit by three departments is one inspection). The rule *applies* to the
enterprise when its stratum's credit class is in ``classes`` (every stratum when empty).
The enterprise is **excluded** by the first rule, in the order given, that applies, whose
count is at least ``at_least``, and whose ``keep_if_last_outcome`` does not contain the
outcome of the enterprise's last inspection (the latest-dated inspection up to ``as_of``
with a known outcome, of any department and trigger; with several on that date, any of
their outcomes keeps it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from .. import _validation as check
from .._text import Column, Tabular
from ..errors import InvalidInputError
from ..population import Population
from ._credit import FOUR_CLASSES, CreditScheme
from ._quota import _BY_CODE, OBJECT_TYPES, ObjectType
from ._rules import ExclusionRule, InspectionHistory, PastInspection

__all__ = ["ExclusionSummary", "apply_exclusions"]


@attrs.frozen(eq=False)
class ExclusionSummary(Tabular):
    """What the exclusion rules did, per stratum (a table; see :func:`apply_exclusions`).

    ``excluded`` pairs each excluded enterprise with the rule that excluded it; ``kept`` lists
    the enterprises a rule would have excluded but the last-outcome exception kept.
    """

    as_of: datetime.date
    rules: tuple[ExclusionRule, ...]
    strata: tuple[str, ...]
    before: tuple[int, ...]
    by_rule: tuple[tuple[int, ...], ...]  # per stratum, per rule
    kept_counts: tuple[int, ...]
    after: tuple[int, ...]
    excluded: tuple[tuple[str, str], ...]
    kept: tuple[str, ...]
    object_types: tuple[str, ...] | None = None
    by_type: tuple[int, ...] = ()  # per stratum: left out for their object type

    def __repr__(self) -> str:
        return (
            f"ExclusionSummary(as_of={self.as_of.isoformat()}, rules={len(self.rules)}, "
            f"excluded={len(self.excluded)}, kept={len(self.kept)})"
        )

    def _title(self) -> list[str]:
        lines = [f"exclusions as of {self.as_of.isoformat()}"]
        if self.object_types is not None:
            lines.append(f"  object types: {', '.join(self.object_types)} only")
        return lines + [f"  {rule.describe()}" for rule in self.rules]

    def _columns(self) -> list[Column]:
        return [
            Column("stratum", "stratum", align="<"),
            Column("before", "eligible before"),
            *([Column("type", "other object type")] if self.object_types is not None else []),
            *(Column(f"rule:{r.name}", r.name) for r in self.rules),
            Column("kept", "kept (last outcome)"),
            Column("after", "eligible after"),
        ]

    def _items(self) -> list[dict[str, object]]:
        rows = []
        for k, stratum in enumerate(self.strata):
            row: dict[str, object] = {"stratum": stratum, "before": self.before[k]}
            if self.object_types is not None:
                row["type"] = self.by_type[k]
            row |= {f"rule:{r.name}": self.by_rule[k][j] for j, r in enumerate(self.rules)}
            row |= {"kept": self.kept_counts[k], "after": self.after[k]}
            rows.append(row)
        return rows

    def inclusion_probabilities(
        self, sizes: Mapping[str, int]
    ) -> dict[str, tuple[Fraction, Fraction]]:
        """Return per stratum ``n_h / M_h`` without and with the exclusions."""
        position = {s: k for k, s in enumerate(self.strata)}
        out = {}
        for label, size in sizes.items():
            k = position.get(label)
            before = self.before[k] if k is not None else 0
            after = self.after[k] if k is not None else 0
            out[label] = (
                Fraction(size, before) if before else Fraction(0),
                Fraction(size, after) if after else Fraction(0),
            )
        return out


def apply_exclusions(
    population: Population,
    rules: Sequence[ExclusionRule],
    history: InspectionHistory | Sequence[PastInspection],
    *,
    as_of: datetime.date,
    departments: Iterable[str] = (),
    credit_classes: CreditScheme = FOUR_CLASSES,
    object_types: Iterable[ObjectType] | None = None,
) -> tuple[Population, ExclusionSummary]:
    """Make ineligible every enterprise a rule excludes; report the effect per stratum.

    ``departments`` are the drawing task's departments (for rules with
    ``departments="task"``). With ``object_types``, units of other object types
    (:func:`~randsample.joint.object_type_of` of their id) are left out first, in their own
    column. Past inspections of enterprises outside the population are
    ignored (the history covers the whole directory). An inspection dated after ``as_of`` is
    an error: the history must be what was known at the draw.

    >>> from randsample.joint import COMPLAINT, PROBLEM_FOUND, ExclusionRule, PastInspection
    >>> pop = Population.from_columns(["e1", "e2", "e3", "d1"], strata=["A", "A", "A", "D"])
    >>> history = [
    ...     PastInspection(enterprise="e1", date=datetime.date(2026, 5, 1), department="SAMR"),
    ...     PastInspection(enterprise="e2", date=datetime.date(2026, 5, 1), department="SAMR",
    ...                    outcome=PROBLEM_FOUND),
    ...     PastInspection(enterprise="e3", date=datetime.date(2026, 5, 1), department="SAMR",
    ...                    trigger=COMPLAINT),
    ...     PastInspection(enterprise="d1", date=datetime.date(2026, 5, 1), department="SAMR")]
    >>> rules = [ExclusionRule(name="recent", window=180, classes={"A", "B", "C"})]
    >>> new, summary = apply_exclusions(pop, rules, history, as_of=datetime.date(2026, 6, 1))
    >>> summary.excluded, summary.kept, new.eligible_counts()
    ((('e1', 'recent'),), ('e2',), {'A': 2, 'D': 1})
    >>> print(summary.summary())
    exclusions as of 2026-06-01
      recent: >= 1 random in 180 days, classes A, B, C, kept if last problem-found
    stratum  eligible before  recent  kept (last outcome)  eligible after
    A                      3       1                    1               2
    D                      1       0                    0               1
    """
    check.instance(population, "population", Population)
    rules = _checked_rules(rules)
    if not isinstance(history, InspectionHistory):
        history = InspectionHistory(history)
    as_of = check.date(as_of, "as_of")
    task = check.labels(departments, "departments")
    check.instance(credit_classes, "credit_classes", CreditScheme)
    strata_list = population.stratum_labels()
    index_of = {label: k for k, label in enumerate(strata_list)}
    by_rule = [[0] * len(rules) for _ in strata_list]
    kept_counts = [0] * len(strata_list)
    excluded: list[tuple[str, str]] = []
    kept: list[str] = []
    eligible = population.eligible.copy()
    types, by_type = _restrict(population, object_types, eligible, index_of)
    if rules and len(history):
        position = {ident: i for i, ident in enumerate(population.ids.tolist())}
        strata = population.strata
        classes: dict[str, str | None] = {}
        for enterprise in history.enterprises():
            i = position.get(enterprise)
            if i is None:
                continue
            inspections = history.of(enterprise)
            if inspections[-1].date > as_of:
                raise InvalidInputError(
                    f"history[{enterprise!r}]",
                    inspections[-1].date.isoformat(),
                    f"is after as_of {as_of}",
                )
            if not eligible[i]:
                continue
            stratum = str(strata[i])
            if stratum not in classes:
                classes[stratum] = credit_classes.class_of(stratum)
            verdict = _judge(rules, inspections, as_of, task, classes[stratum])
            if verdict is None:
                continue
            j, keep = verdict
            k = index_of[stratum]
            if keep:
                kept_counts[k] += 1
                kept.append(enterprise)
            else:
                by_rule[k][j] += 1
                excluded.append((enterprise, rules[j].name))
                eligible[i] = False
    changed = excluded or any(by_type)
    new = population.with_eligibility(eligible) if changed else population
    before, after = population.eligible_counts(), new.eligible_counts()
    return new, ExclusionSummary(
        as_of=as_of,
        rules=tuple(rules),
        strata=strata_list,
        before=tuple(before.get(s, 0) for s in strata_list),
        by_rule=tuple(tuple(row) for row in by_rule),
        kept_counts=tuple(kept_counts),
        after=tuple(after.get(s, 0) for s in strata_list),
        excluded=tuple(sorted(excluded)),
        kept=tuple(sorted(kept)),
        object_types=types,
        by_type=tuple(by_type),
    )


def _restrict(
    population: Population,
    object_types: Iterable[ObjectType] | None,
    eligible: Any,
    index_of: dict[str, int],
) -> tuple[tuple[str, ...] | None, list[int]]:
    """Make units of other object types ineligible (in ``eligible``); count them per stratum."""
    counts = [0] * len(index_of)
    if object_types is None:
        return None, counts
    wanted = check.sequence(object_types, "object_types", what="a sequence of object types")
    for index, kind in enumerate(wanted):
        check.one_of(kind, f"object_types[{index}]", OBJECT_TYPES)
    keep = frozenset(wanted)
    for i, (ident, stratum) in enumerate(
        zip(population.ids.tolist(), population.strata.tolist(), strict=True)
    ):
        if eligible[i] and _BY_CODE.get(ident[:2], "other") not in keep:
            eligible[i] = False
            counts[index_of[stratum]] += 1
    return tuple(sorted(keep, key=OBJECT_TYPES.index)), counts


def _checked_rules(rules: object) -> tuple[ExclusionRule, ...]:
    checked = check.sequence(rules, "rules", what="a sequence of ExclusionRule")
    names: set[str] = set()
    for index, rule in enumerate(checked):
        check.instance(rule, f"rules[{index}]", ExclusionRule)
        if rule.name in names:
            raise InvalidInputError(f"rules[{index}].name", rule.name, "is used twice")
        names.add(rule.name)
    return checked


def _judge(
    rules: Sequence[ExclusionRule],
    inspections: Sequence[PastInspection],
    as_of: datetime.date,
    task: frozenset[str],
    credit_class: str | None,
) -> tuple[int, bool] | None:
    """Return (rule index, kept) of the first rule that excludes the enterprise.

    Else the first rule that would have but kept it (last outcome); None if no rule counts
    enough inspections.
    """
    first_kept: tuple[int, bool] | None = None
    last: set[str] | None = None
    for j, rule in enumerate(rules):
        if rule.classes and credit_class not in rule.classes:
            continue
        if rule.counted(inspections, as_of, task) < rule.at_least:
            continue
        if last is None:
            last = _last_outcomes(inspections, as_of)
        if last & rule.keep_if_last_outcome:
            first_kept = first_kept or (j, True)
            continue
        return j, False
    return first_kept


def _last_outcomes(inspections: Sequence[PastInspection], as_of: datetime.date) -> set[str]:
    known = [i for i in inspections if i.outcome is not None and i.date <= as_of]
    if not known:
        return set()
    last = max(i.date for i in known)
    return {i.outcome for i in known if i.date == last and i.outcome is not None}
