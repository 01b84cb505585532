"""The chart of :meth:`FairnessResult.plot`: per unit when few, binned when many.

matplotlib is an optional extra (``plot``), imported only when a chart is drawn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .. import _validation as check

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ._result import FairnessResult

__all__ = ["PLOT_UNITS", "plot_result"]

#: Up to this many units the chart shows every unit with its own interval.
PLOT_UNITS = 100
#: Default number of groups of a binned chart.
PLOT_BINS = 20
#: At most this many flagged units are drawn one by one (the legend gives the count).
PLOT_FLAGGED = 10_000
_Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975), written out: scipy.stats is slow to import


def plot_result(result: FairnessResult, ax: Any, bins: int | None) -> Any:
    """Draw ``result`` on ``ax`` (a new figure when None) and return the axes."""
    if bins is not None:
        check.integer(bins, "bins", minimum=1)
    try:
        plt = importlib.import_module("matplotlib.pyplot")
    except ImportError as exc:
        raise ImportError(
            "FairnessResult.plot needs matplotlib, which randsample does not install: "
            'pip install matplotlib (or "randsample[plot]")'
        ) from exc
    if ax is None:
        _, ax = plt.subplots()
    t = result._table
    stated, count, runs = t.stated_float, t.count, result.runs
    freq = count / runs
    span = [float(stated.min()), float(stated.max())] if stated.size else [0.0, 1.0]
    ax.plot(span, span, color="grey", linewidth=0.8, linestyle="--", label="stated = empirical")
    if bins is None and len(t.ids) <= PLOT_UNITS:
        _per_unit(ax, stated, count, runs, t.flagged)
    else:
        _binned(ax, stated, count, runs, bins or PLOT_BINS)
        flagged = np.flatnonzero(t.flagged)
        if flagged.size:
            shown = flagged[:PLOT_FLAGGED]
            ax.scatter(
                stated[shown],
                freq[shown],
                marker="x",
                color="tab:red",
                zorder=3,
                label=f"flagged units ({flagged.size:,})",
            )
    ax.legend(loc="upper left", fontsize="small")
    ax.set_xlabel("stated inclusion probability")
    ax.set_ylabel(f"empirical frequency ({runs} runs)")
    flagged_count = int(t.flagged.sum())
    ax.set_title("passed" if result.passed else f"{flagged_count} unit(s) flagged")
    return ax


def _per_unit(
    ax: Any,
    stated: NDArray[np.float64],
    count: NDArray[np.int64],
    runs: int,
    flagged: NDArray[np.bool_],
) -> None:
    """Every unit at (stated, frequency) with its exact 95% Clopper-Pearson interval."""
    from scipy import stats  # imported on use: about 0.4 s, paid by every command otherwise

    freq = count / runs
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(count > 0, stats.beta.ppf(0.025, count, runs - count + 1), 0.0)
        high = np.where(count < runs, stats.beta.ppf(0.975, count + 1, runs - count), 1.0)
    yerr = np.array([freq - low, high - freq])
    for mask, colour, name in (
        (~flagged, "tab:blue", "consistent"),
        (flagged, "tab:red", "flagged"),
    ):
        if mask.any():
            ax.errorbar(
                stated[mask],
                freq[mask],
                yerr=yerr[:, mask],
                fmt="o",
                color=colour,
                capsize=3,
                label=name,
            )


def _binned(
    ax: Any, stated: NDArray[np.float64], count: NDArray[np.int64], runs: int, bins: int
) -> None:
    """One point per group of units with (nearly) the same stated probability."""
    values, inverse = np.unique(stated, return_inverse=True)
    if values.size > bins:  # equal-width bins over the stated range
        edges = np.linspace(values[0], values[-1], bins + 1)
        inverse = np.clip(np.searchsorted(edges, stated, side="right") - 1, 0, bins - 1)
    groups = int(inverse.max()) + 1
    members = np.bincount(inverse, minlength=groups)
    used = np.flatnonzero(members)
    members = members[used]
    mean_stated = np.bincount(inverse, weights=stated, minlength=groups)[used] / members
    pooled = np.bincount(inverse, weights=count, minlength=groups)[used] / (members * runs)
    variance = np.bincount(inverse, weights=stated * (1 - stated), minlength=groups)[used]
    half = _Z95 * np.sqrt(variance / runs) / members
    spread_low, spread_high = _quantiles(inverse, count / runs, used)
    ax.vlines(
        mean_stated,
        spread_low,
        spread_high,
        color="lightgrey",
        linewidth=6,
        label="middle 95% of the units",
    )
    ax.errorbar(
        mean_stated,
        pooled,
        yerr=half,
        fmt="o",
        color="tab:blue",
        capsize=3,
        label=f"pooled frequency, 95% interval ({len(stated):,} units in {used.size} groups)",
    )


def _quantiles(
    groups: NDArray[np.intp], values: NDArray[np.float64], used: NDArray[np.intp]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the 2.5% and 97.5% quantiles of ``values`` within each used group (one sort)."""
    order = np.lexsort((values, groups))
    sorted_values, sorted_groups = values[order], groups[order]
    starts = np.searchsorted(sorted_groups, used, side="left")
    stops = np.searchsorted(sorted_groups, used, side="right")
    low = sorted_values[starts + ((stops - starts - 1) * 0.025).astype(np.intp)]
    high = sorted_values[starts + np.ceil((stops - starts - 1) * 0.975).astype(np.intp)]
    return low, high
