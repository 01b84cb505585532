"""Estimation results: one row per domain, a readable table, rows, pandas, HTML."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from ..errors import InvalidInputError

__all__ = ["DomainEstimate", "Estimates"]

_COLUMNS = (
    "domain",
    "estimate",
    "standard_error",
    "ci_lower",
    "ci_upper",
    "sample_size",
    "population",
    "df",
    "deff",
    "effective_sample_size",
    "ci_sample_size",
    "exact",
)


@attrs.frozen
class DomainEstimate:
    """One estimate with its standard error, interval and design effect.

    ``domain`` is None for the whole population. ``population`` is the domain's size: known
    (``sum M_h``) for the whole population or a stratum under SRSWOR, else estimated
    (``sum 1/pi`` over its sampled units). ``deff`` is Kish's design effect against SRSWOR of
    the same ``sample_size`` (with finite-population correction; None for ratios);
    ``ci_sample_size`` is the Korn-Graubard effective size used by Wilson and Clopper-Pearson
    intervals (None for Wald). ``exact`` is the point estimate as a fraction when it is cheap
    (integer values, SRSWOR weights), else None.

    >>> from randsample.estimation._api import _example
    >>> row = _example()["D"]
    >>> row
    DomainEstimate('D': 0.5000 ± 0.1414 SE, n=6)
    >>> row.exact, row.df, round(row.variance, 4)
    (Fraction(1, 2), 5, 0.02)
    """

    domain: str | None
    estimate: float
    standard_error: float
    ci_lower: float
    ci_upper: float
    sample_size: int
    population: float
    df: int
    deff: float | None = None
    ci_sample_size: float | None = None
    exact: Fraction | None = None

    @property
    def variance(self) -> float:
        """The estimated variance, ``standard_error ** 2``."""
        return self.standard_error**2

    @property
    def effective_sample_size(self) -> float | None:
        """Kish's effective sample size ``sample_size / deff`` (None without a deff)."""
        if self.deff is None or self.deff == 0 or math.isnan(self.deff):
            return None
        return self.sample_size / self.deff

    def to_row(self) -> dict[str, Any]:
        """Return the row as a dict (the keys of :meth:`Estimates.to_rows`)."""
        return {
            "domain": self.domain,
            "estimate": self.estimate,
            "standard_error": self.standard_error,
            "ci_lower": self.ci_lower,
            "ci_upper": self.ci_upper,
            "sample_size": self.sample_size,
            "population": self.population,
            "df": self.df,
            "deff": self.deff,
            "effective_sample_size": self.effective_sample_size,
            "ci_sample_size": self.ci_sample_size,
            "exact": self.exact,
        }

    def __repr__(self) -> str:
        where = "all" if self.domain is None else repr(self.domain)
        return (
            f"DomainEstimate({where}: {_num(self.estimate)} ± {_num(self.standard_error)} SE, "
            f"n={self.sample_size})"
        )


def _num(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    if math.isnan(value):
        return "nan"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}f}" if abs(value) < 10 else f"{value:,.{max(digits - 3, 1)}f}"


@attrs.frozen(repr=False)
class Estimates:
    """The result of an estimator: one :class:`DomainEstimate` per domain (or one overall).

    Index by domain label (``result["D"]``; ``result[None]`` for the overall row of an
    estimate without domains) or iterate over the rows.

    >>> from randsample.estimation._api import _example
    >>> result = _example()
    >>> result
    Estimates(Hájek mean of 'violation' by stratum: 2 domains)
    >>> [(row.domain, row.estimate) for row in result], result.ci_method
    ([('A', 0.25), ('D', 0.5)], 'wilson (Korn-Graubard effective n, design df)')
    """

    #: "total", "mean" or "ratio".
    statistic: str
    #: "horvitz-thompson", "hajek" or "ratio".
    estimator: str
    #: The name given to the values (for tables).
    name: str
    #: None (the whole population), "stratum" or "domain".
    by: str | None
    rows: tuple[DomainEstimate, ...]
    ci_method: str
    level: float
    variance_method: str
    design: str
    #: What else a reader must know: lonely strata handled, strata excluded.
    notes: tuple[str, ...] = ()

    def __getitem__(self, domain: str | None) -> DomainEstimate:
        for row in self.rows:
            if row.domain == domain:
                return row
        raise InvalidInputError("domain", domain, f"is not one of {[r.domain for r in self]}")

    def __iter__(self) -> Iterator[DomainEstimate]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def title(self) -> str:
        """One line naming the statistic, the estimator and the domains."""
        names = {"horvitz-thompson": "Horvitz-Thompson", "hajek": "Hájek", "ratio": "ratio"}
        by = "" if self.by is None else f" by {self.by}"
        return f"{names[self.estimator]} {self.statistic} of {self.name!r}{by}"

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per row, plus the interval method and level.

        >>> from randsample.estimation._api import _example
        >>> sorted(_example().to_rows()[0])[:4]
        ['ci_level', 'ci_lower', 'ci_method', 'ci_sample_size']
        """
        return [
            {**row.to_row(), "ci_method": self.ci_method, "ci_level": self.level}
            for row in self.rows
        ]

    def to_pandas(self) -> Any:
        """Return the rows as a pandas DataFrame (pandas is an optional dependency).

        ``exact`` is kept as a string (a fraction such as ``"3/50"``) or None.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from exc
        rows = self.to_rows()
        for row in rows:
            row["exact"] = None if row["exact"] is None else str(row["exact"])
        return pd.DataFrame(rows, columns=[*_COLUMNS, "ci_method", "ci_level"])

    def _table(self) -> tuple[list[str], list[list[str]]]:
        percent = f"{self.level * 100:g}%"
        headers = ["domain", "estimate", "SE", f"{percent} CI", "n", "deff"]
        body = [
            [
                "(all)" if r.domain is None else r.domain,
                _num(r.estimate),
                _num(r.standard_error),
                f"[{_num(r.ci_lower)}, {_num(r.ci_upper)}]",
                f"{r.sample_size:,}",
                _num(r.deff, 2),
            ]
            for r in self.rows
        ]
        return headers, body

    def _footer(self) -> list[str]:
        lines = [f"interval: {self.ci_method}", f"variance: {self.variance_method}", *self.notes]
        return [part for line in lines for part in textwrap.wrap(line, 92)]

    def summary(self) -> str:
        """Return a readable table: estimate, SE, interval, n and deff per domain.

        >>> from randsample.estimation._api import _example
        >>> print(_example().summary())  # doctest: +NORMALIZE_WHITESPACE
        Hájek mean of 'violation' by stratum (stratified-srswor)
        domain  estimate      SE            95% CI  n  deff
        A         0.2500  0.1268  [0.0877, 0.5362]  8  1.00
        D         0.5000  0.1414  [0.2576, 0.7424]  6  1.00
        interval: wilson (Korn-Graubard effective n, design df)
        variance: stratified SRSWOR, exact unbiased with finite-population correction (Särndal et
        al. 1992 §3.7; Cochran 1977 ch. 5)
        """
        headers, body = self._table()
        cells = [headers, *body]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        lines = [f"{self.title} ({self.design})"]
        for row in cells:
            lines.append(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))
                ).rstrip()
            )
        return "\n".join(lines + self._footer())

    def _repr_html_(self) -> str:
        headers, body = self._table()
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in body
        )
        foot = "<br>".join(esc(line) for line in self._footer())
        return (
            f"<div><strong>{esc(self.title)}</strong> ({esc(self.design)})"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"<small>{foot}</small></div>"
        )

    def __repr__(self) -> str:
        if len(self.rows) == 1:
            return f"Estimates({self.title}: {self.rows[0]!r})"
        return f"Estimates({self.title}: {len(self.rows)} domains)"
