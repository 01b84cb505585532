"""The outcome of a fairness run, held as columns so that it stays small and fast at 1M units.

:class:`FairnessResult` keeps one numpy array per per-unit figure (count, ``z``, p-values, the
flag) and builds the per-unit :class:`UnitResult` objects only when :attr:`~FairnessResult.units`
is read. Its text outputs aggregate: :meth:`~FairnessResult.summary` shows every unit of a
small result, and for a large one the strata and the units furthest from their stated chance.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validation as check
from .._text import percent, render_html, render_table

__all__ = ["FairnessResult", "Probability", "StratumResult", "UnitResult", "UnitTable"]

#: A stated inclusion probability: exact (:class:`~fractions.Fraction`, or the ints 0 and 1)
#: or a float.
Probability = Fraction | float

#: How many units :meth:`FairnessResult.summary` lists by default.
SUMMARY_TOP = 20


@attrs.frozen
class UnitResult:
    """One unit's line of the benchmark.

    ``z`` and ``p_value`` are ``+-inf`` and 0 for a unit with ``pi`` in {0, 1} whose count is
    not exactly ``R pi`` (and 0 and 1 when it is). ``p_holm`` is the Holm-adjusted p-value
    (equal to ``p_value`` for those degenerate units, which are not part of the family).

    >>> from randsample.fairness import assess_counts
    >>> unit = assess_counts({"a": 30}, {"a": 0.2}, runs=100).units[0]
    >>> unit.count, unit.frequency, round(unit.z, 2)
    (30, 0.3, 2.5)
    """

    unit: str
    stratum: str | None
    stated: Probability
    count: int
    runs: int
    z: float
    p_value: float
    p_holm: float
    flagged: bool

    @property
    def frequency(self) -> float:
        """The empirical inclusion frequency ``count / runs``."""
        return self.count / self.runs


@attrs.frozen
class StratumResult:
    """The sum of squared ``z`` over a stratum's units with ``0 < pi < 1``.

    Approximately chi-square with ``df`` degrees of freedom; anticonservative for fixed-size
    designs (see :mod:`randsample.fairness`). ``p_value`` is ``nan`` when ``df`` is 0.

    >>> from randsample.fairness import assess_counts
    >>> r = assess_counts({"a": 6, "b": 4}, {"a": 0.5, "b": 0.5}, runs=10,
    ...                   strata={"a": "A", "b": "A"})
    >>> r.strata[0].stratum, r.strata[0].df, r.strata[0].chi_square
    ('A', 2, 0.8)
    """

    stratum: str
    units: int
    df: int
    chi_square: float
    p_value: float


@attrs.frozen(eq=False)
class UnitTable:
    """The per-unit figures as columns, in the order of ``stated`` (built by the statistics)."""

    ids: tuple[str, ...]
    strata: tuple[str, ...] | None
    stated: tuple[Probability, ...]
    stated_float: NDArray[np.float64]
    count: NDArray[np.int64]
    z: NDArray[np.float64]
    p_value: NDArray[np.float64]
    p_holm: NDArray[np.float64]
    flagged: NDArray[np.bool_]

    def same_as(self, other: UnitTable) -> bool:
        """Return True when both tables hold the same units with the same figures."""
        return (
            self.ids == other.ids
            and self.strata == other.strata
            and self.stated == other.stated
            and all(
                np.array_equal(getattr(self, name), getattr(other, name))
                for name in ("count", "z", "p_value", "p_holm", "flagged")
            )
        )


@attrs.frozen(eq=False, repr=False)
class FairnessResult:
    """The outcome of :func:`run_design` (or :func:`assess_counts`).

    The per-unit figures are kept as columns; :attr:`units` builds one :class:`UnitResult` per
    unit on first use. :meth:`to_rows` and :meth:`to_pandas` give the per-unit table,
    :meth:`summary` (and a notebook's HTML view) a readable aggregate, :meth:`plot` a chart.
    Results compare equal when every figure is equal.

    >>> from randsample.fairness import assess_counts
    >>> result = assess_counts({"a": 30, "b": 70}, {"a": 0.5, "b": 0.5}, runs=100)
    >>> result
    FairnessResult(runs=100, units=2, flagged=2, max_abs_z=4.00, passed=False)
    >>> result.flagged
    ('a', 'b')
    """

    runs: int
    alpha: float
    seed_label: str | None
    strata: tuple[StratumResult, ...]
    _table: UnitTable
    _units: list[tuple[UnitResult, ...]] = attrs.field(init=False, factory=list)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FairnessResult):
            return NotImplemented
        return (
            (self.runs, self.alpha, self.seed_label, self.strata)
            == (other.runs, other.alpha, other.seed_label, other.strata)
        ) and self._table.same_as(other._table)

    def __hash__(self) -> int:
        return hash((self.runs, self.alpha, self.seed_label, self._table.ids))

    def __repr__(self) -> str:
        return (
            f"FairnessResult(runs={self.runs}, units={len(self._table.ids)}, "
            f"flagged={int(self._table.flagged.sum())}, max_abs_z={self.max_abs_z:.2f}, "
            f"passed={self.passed})"
        )

    @property
    def units(self) -> tuple[UnitResult, ...]:
        """One :class:`UnitResult` per unit, in the order of ``stated`` (built once, on demand)."""
        if not self._units:
            self._units.append(
                tuple(
                    UnitResult(u, s, p, k, self.runs, z, pv, ph, f)
                    for u, s, p, k, z, pv, ph, f in self._unit_columns()
                )
            )
        return self._units[0]

    @property
    def flagged(self) -> tuple[str, ...]:
        """Units whose count contradicts their stated chance at family-wise level ``alpha``."""
        return tuple(self._table.ids[i] for i in np.flatnonzero(self._table.flagged).tolist())

    @property
    def passed(self) -> bool:
        """True when no unit is flagged."""
        return not bool(self._table.flagged.any())

    @property
    def max_abs_z(self) -> float:
        """The largest ``|z|`` over the units (``inf`` if a pi-0 or pi-1 unit deviated)."""
        return float(np.abs(self._table.z).max()) if self._table.z.size else 0.0

    def to_rows(self) -> list[dict[str, object]]:
        """Return one dict per unit (the stated probability as given, exact if it was).

        >>> from randsample.fairness import assess_counts
        >>> assess_counts({"a": 3}, {"a": Fraction(1, 2)}, runs=4).to_rows()[0]["stated"]
        Fraction(1, 2)
        """
        return [
            {
                "unit": u,
                "stratum": s,
                "stated": p,
                "count": k,
                "frequency": k / self.runs,
                "z": z,
                "p_value": pv,
                "p_holm": ph,
                "flagged": f,
            }
            for u, s, p, k, z, pv, ph, f in self._unit_columns()
        ]

    def _unit_columns(self) -> Iterator[tuple[Any, ...]]:
        # Per unit: id, stratum, stated, count, z, p-value, Holm p-value, flagged.
        t = self._table
        strata: Sequence[str | None] = t.strata or [None] * len(t.ids)
        return zip(
            t.ids,
            strata,
            t.stated,
            t.count.tolist(),
            t.z.tolist(),
            t.p_value.tolist(),
            t.p_holm.tolist(),
            t.flagged.tolist(),
            strict=True,
        )

    def to_pandas(self) -> Any:
        """Return the per-unit table as a pandas DataFrame (pandas is optional).

        The columns of :meth:`to_rows`; ``stated`` is a float column and the probability as
        given is kept as text in ``stated_exact``.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("FairnessResult.to_pandas needs pandas: pip install pandas") from exc
        t = self._table
        return pd.DataFrame(
            {
                "unit": list(t.ids),
                "stratum": list(t.strata) if t.strata is not None else [None] * len(t.ids),
                "stated": t.stated_float,
                "count": t.count,
                "frequency": t.count / self.runs,
                "z": t.z,
                "p_value": t.p_value,
                "p_holm": t.p_holm,
                "flagged": t.flagged,
                "stated_exact": [str(p) for p in t.stated],
            }
        )

    # -- text ----------------------------------------------------------------------------------

    def summary(self, top: int = SUMMARY_TOP) -> str:
        """Return a report a person can read, however many units; flagged units are marked ``*``.

        A result of at most ``top`` units lists every unit in the order given. A larger one
        lists the ``top`` units furthest from their stated chance (smallest p-value, then
        largest ``|z|``); pass a larger ``top`` to see more (:meth:`to_pandas` has them all).
        With strata, a table per stratum comes first. The last line is the verdict.

        >>> from randsample.fairness import assess_counts
        >>> result = assess_counts({"a": 30, "b": 70}, {"a": 0.5, "b": 0.5}, runs=100)
        >>> print(result.summary())
        fairness: 100 runs, family-wise alpha 0.01 (Holm)
        unit  stratum  stated  count  frequency      z  p (Holm)  flag
        a     -        50.00%     30     30.00%  -4.00  0.000157     *
        b     -        50.00%     70     70.00%  +4.00  0.000157     *
        max |z| = 4.00; 2 of 2 units flagged: FAILED
        >>> print(result.summary(top=1).splitlines()[1])
        the 1 unit furthest from its stated chance, of 2:
        """
        lines = [*self._title()]
        for caption, header, rows, align in self._tables(top):
            if caption:
                lines.append(caption)
            lines.append(render_table(header, rows, align=align))
        lines.append(self._verdict())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f"<p>{html.escape(line)}</p>" for line in self._title()]
        for caption, header, rows, align in self._tables(SUMMARY_TOP):
            if caption:
                parts.append(f"<p>{html.escape(caption)}</p>")
            parts.append(render_html(header, rows, align=align))
        parts.append(f"<p>{html.escape(self._verdict())}</p>")
        return "".join(parts)

    def _title(self) -> list[str]:
        label = "" if self.seed_label is None else f", seed label {self.seed_label!r}"
        return [f"fairness: {self.runs} runs{label}, family-wise alpha {self.alpha:g} (Holm)"]

    def _verdict(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"max |z| = {self.max_abs_z:.2f}; {int(self._table.flagged.sum()):,} of "
            f"{len(self._table.ids):,} units flagged: {verdict}"
        )

    def _tables(self, top: int) -> list[tuple[str, list[str], list[list[str]], str]]:
        check.integer(top, "top", minimum=0)
        tables = []
        if self.strata:
            tables.append(("", *self._strata_table()))
        units = len(self._table.ids)
        if units <= top:
            tables.append(("", *self._unit_table(np.arange(units))))
        elif top:
            t = self._table
            order = np.lexsort((-np.abs(t.z), t.p_value))[:top]
            noun = "unit" if top == 1 else "units"
            verb = "its" if top == 1 else "their"
            caption = f"the {top:,} {noun} furthest from {verb} stated chance, of {units:,}:"
            tables.append((caption, *self._unit_table(order)))
        return tables

    def _unit_table(self, rows: NDArray[np.intp]) -> tuple[list[str], list[list[str]], str]:
        t = self._table
        header = ["unit", "stratum", "stated", "count", "frequency", "z", "p (Holm)", "flag"]
        body = [
            [
                t.ids[i],
                "-" if t.strata is None else t.strata[i],
                _percent(t.stated[i]),
                f"{t.count[i]:,}",
                percent(Fraction(int(t.count[i]), self.runs)),
                f"{t.z[i]:+.2f}",
                f"{t.p_holm[i]:.3g}",
                "*" if t.flagged[i] else "",
            ]
            for i in rows.tolist()
        ]
        return header, body, "<<>>>>>>"

    def _strata_table(self) -> tuple[list[str], list[list[str]], str]:
        t = self._table
        assert t.strata is not None  # strata results exist only with strata
        labels = [s.stratum for s in self.strata]
        position = {label: i for i, label in enumerate(labels)}
        codes = np.fromiter((position[s] for s in t.strata), np.intp, len(t.strata))
        size = len(labels)
        members = np.bincount(codes, minlength=size)
        stated = np.bincount(codes, weights=t.stated_float, minlength=size)
        counts = np.bincount(codes, weights=t.count, minlength=size)
        flagged = np.bincount(codes, weights=t.flagged, minlength=size)
        worst = np.zeros(size)
        np.maximum.at(worst, codes, np.abs(t.z))
        header = [
            "stratum",
            "units",
            "mean stated",
            "mean frequency",
            "sum z^2",
            "df",
            "p (approx.)",
        ]
        header += ["flagged", "max |z|"]
        body = [
            [
                s.stratum,
                f"{s.units:,}",
                _percent(stated[i] / members[i]),
                _percent(counts[i] / (members[i] * self.runs)),
                f"{s.chi_square:.2f}",
                f"{s.df:,}",
                f"{s.p_value:.3g}" if s.df else "exact",
                f"{int(flagged[i]):,}",
                f"{worst[i]:.2f}",
            ]
            for i, s in enumerate(self.strata)
        ]
        return header, body, "<" + ">" * 8

    # -- chart ---------------------------------------------------------------------------------

    def plot(self, ax: Any = None, *, bins: int | None = None) -> Any:
        """Plot empirical against stated inclusion probability; flagged units in red.

        A result of at most 100 units (and ``bins=None``) shows every unit with its exact 95%
        Clopper-Pearson interval. A larger one (or any ``bins``) groups the units by stated
        probability, one point per distinct value when there are at most ``bins`` (default
        20) of them, else ``bins`` equal-width bins: the point is the group's pooled frequency
        with a 95% interval for it (normal approximation treating inclusions as independent;
        too wide, hence conservative, for fixed-size designs), the grey bar the middle 95% of
        its units' frequencies. Flagged units are drawn one by one in red. This stays readable
        and takes about a second at a million units. Needs matplotlib (the ``plot`` extra).
        Returns the axes.
        """
        from ._plot import plot_result

        return plot_result(self, ax, bins)


def _percent(value: Probability | np.floating[Any]) -> str:
    """Write a probability as a percentage with two decimals (exact for Fractions)."""
    return percent(value if isinstance(value, Fraction) else Fraction(float(value)))
