"""Verification of a joint draw: every department's record, and the merged visits.

:func:`verify_joint` runs :func:`randsample.verify` on every department's record, checks that
each used the period's seed, the ``enterprises`` purpose and the plan's design, and re-derives
the visits and off-site checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs

from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import ALGORITHM
from ..errors import InvalidTypeError
from ..population import Population
from ..records import Discrepancy, DrawRecord, Findings, VerificationReport, load, verify
from ._draw import JointDraw, draw_joint
from ._merge import MergedPlan
from ._visits import DepartmentDraw, MergedVisit

__all__ = ["JointVerificationReport", "verify_joint"]


@attrs.frozen
class JointVerificationReport:
    """The result of :func:`verify_joint`: one report per draw, and the joint differences."""

    period: str
    draws: tuple[tuple[tuple[str, str], VerificationReport], ...]
    discrepancies: tuple[Discrepancy, ...]
    expected: JointDraw

    @property
    def ok(self) -> bool:
        """Whether every draw verified and nothing else differs."""
        return not self.discrepancies and all(report.ok for _, report in self.draws)

    @property
    def fields(self) -> tuple[str, ...]:
        """Return every differing field, joint ones first, then per draw."""
        own = tuple(d.field for d in self.discrepancies)
        return own + tuple(
            f"records[{key[0]!r}, {key[1]!r}].{field}"
            for key, report in self.draws
            for field in report.fields
        )

    def __str__(self) -> str:
        if self.ok:
            return f"VERIFIED: {len(self.draws)} draws and the visits of {self.period}"
        lines = [f"NOT VERIFIED: {self.period}"]
        lines.extend(f"  {d}" for d in self.discrepancies)
        for (task, department), report in self.draws:
            if not report.ok:
                lines.append(f"  draw {task} / {department}:")
                lines.extend(f"    {d}" for d in report.discrepancies)
        return "\n".join(lines)


def _load(field: str, record: object) -> DrawRecord:
    loaded = load(record, field=field)
    if not isinstance(loaded, DrawRecord):
        raise InvalidTypeError(field, loaded, "a DrawRecord or its JSON text")
    return loaded


def verify_joint(
    merged_plan: MergedPlan,
    seed: Seed,
    scopes: Mapping[str, Population],
    records: Mapping[tuple[str, str], DrawRecord | str | bytes],
    *,
    period: str | None = None,
    visits: Sequence[MergedVisit] | None = None,
    off_site_checks: Sequence[MergedVisit] | None = None,
) -> JointVerificationReport:
    """Re-derive a period's coordinated draws and visits, and report every difference.

    ``records`` maps (merged task id, department) to the department's draw record. Each record
    is checked by :func:`~randsample.verify` against its scope's population, and further: that
    it uses the period's seed and the ``enterprises`` purpose (else the draws were not
    coordinated), the plan's algorithm and the plan's sizes. Missing and extra records are
    differences. The published ``visits`` and ``off_site_checks``, if given, are compared
    with the re-derived ones, enterprise by enterprise.

    >>> from randsample import make_record
    >>> from randsample.examples import small_joint, small_joint_draw
    >>> result = small_joint_draw()
    >>> records = {(d.task_id, d.department): make_record(
    ...     d.sample, authority=d.department, draw_id="2026-Q4", timestamp="2026-10-08T02:00:00Z")
    ...     for d in result.draws}
    >>> merged, seed, scopes = small_joint()
    >>> verify_joint(merged, seed, scopes, records, visits=result.visits).ok
    True
    >>> del records["joint/2026-Q4/餐饮", "HEALTH"]
    >>> verify_joint(merged, seed, scopes, records).fields
    ("records['joint/2026-Q4/餐饮', 'HEALTH']",)
    """
    expected = draw_joint(merged_plan, seed, scopes, period=period)
    return _verify_expected(
        expected,
        seed,
        lambda draw: scopes[draw.scope],
        records,
        visits=visits,
        off_site_checks=off_site_checks,
    )


def _verify_expected(
    expected: JointDraw,
    seed: Seed,
    population_of: Callable[[DepartmentDraw], Population],
    records: Mapping[tuple[str, str], DrawRecord | str | bytes],
    *,
    visits: Sequence[MergedVisit] | None,
    off_site_checks: Sequence[MergedVisit] | None,
) -> JointVerificationReport:
    """Check ``records`` and the published visits against the re-derived ``expected``."""
    if not isinstance(records, Mapping):
        raise InvalidTypeError("records", records, "a mapping (task id, department) -> record")
    findings = Findings()
    reports: list[tuple[tuple[str, str], VerificationReport]] = []
    for draw in expected.own_draws:
        key = (draw.task_id, draw.department)
        field = f"records[{draw.task_id!r}, {draw.department!r}]"
        if key not in records:
            findings.add(field, "missing: the plan has this draw, no record was given")
            continue
        record = _load(field, records[key])
        reports.append((key, verify(record, population_of(draw))))
        stored = record.content
        checks = (
            ("seed.value", stored["seed"].get("value"), seed.value.hex()),
            ("purpose", stored["purpose"], PURPOSE_ENTERPRISES),
            ("algorithm.name", stored["algorithm"]["name"], ALGORITHM),
        )
        for name, actual, wanted in checks:
            if actual != wanted:
                findings.add(
                    f"{field}.{name}",
                    f"record says {actual!r}, a draw of the plan uses {wanted!r}",
                )
        recorded = {e["stratum"]: e["sample_size"] for e in stored["design"]["strata"]}
        for size in draw.sizes.details:
            if recorded.get(size.stratum) != size.size:
                findings.add(
                    f"{field}.design.strata[{size.stratum!r}].sample_size",
                    f"record says {recorded.get(size.stratum)}, the plan gives {size.size}"
                    f" ({size.rule})",
                )
    planned = {(d.task_id, d.department) for d in expected.own_draws}
    for key in records:
        if key not in planned:
            findings.add(f"records[{key!r}]", f"is not a draw of the plan in {expected.period}")
    if visits is not None:
        findings.listed(_compare_visits("visits", visits, expected.visits), "visits")
    if off_site_checks is not None:
        findings.listed(
            _compare_visits("off_site_checks", off_site_checks, expected.off_site_checks),
            "off_site_checks",
        )
    report = findings.report("")
    return JointVerificationReport(expected.period, tuple(reports), report.discrepancies, expected)


def _compare_visits(
    name: str, published: Sequence[MergedVisit], derived: tuple[MergedVisit, ...]
) -> list[Discrepancy]:
    problems: list[Discrepancy] = []
    by_enterprise: dict[str, MergedVisit] = {}
    for index, visit in enumerate(published):
        if not isinstance(visit, MergedVisit):
            raise InvalidTypeError(f"{name}[{index}]", visit, "a MergedVisit")
        if visit.enterprise in by_enterprise:
            problems.append(
                Discrepancy(f"{name}[{index}]", f"enterprise {visit.enterprise!r} visited twice")
            )
        by_enterprise.setdefault(visit.enterprise, visit)
    for visit in derived:
        shown = by_enterprise.pop(visit.enterprise, None)
        if shown is None:
            problems.append(
                Discrepancy(f"{name}[{visit.enterprise!r}]", f"missing ({visit.visit_id})")
            )
        elif shown != visit:
            problems.append(
                Discrepancy(
                    f"{name}[{visit.enterprise!r}]",
                    f"published {shown.visit_id} for {shown.departments} differs from the"
                    f" re-derived {visit.visit_id} for {visit.departments}",
                )
            )
    problems.extend(
        Discrepancy(f"{name}[{enterprise!r}]", "is not drawn by any department of the plan")
        for enterprise in by_enterprise
    )
    return problems
