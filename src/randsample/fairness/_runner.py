"""Measure whether a draw gives every unit its stated chance.

:func:`run_design` runs a sampling design over ``runs`` seeds derived deterministically from a
label (:func:`run_seed`), counts how often each unit is included and compares every count
with the unit's stated inclusion probability ``pi``:

* per unit, the standardized deviation ``z = (k - R pi) / sqrt(R pi (1 - pi))`` and the
  two-sided exact binomial p-value (:func:`scipy.stats.binomtest`), Holm-adjusted over the
  units with ``0 < pi < 1`` so that ``alpha`` is a family-wise error rate;
* units with ``pi = 0`` or ``pi = 1`` are checked exactly: a single run that leaves out a
  take-all unit or includes an impossible one flags it (``z = +-inf``, p-value 0);
* per stratum (when ``strata`` is given), the sum of squared ``z`` with ``df`` = the number of
  units of the stratum with ``0 < pi < 1``, referred to a chi-square distribution.

Each run's count of a unit is Binomial(R, pi) exactly whatever the design, because the runs
use independent seeds; the per-unit tests are therefore exact and do not depend on how the
units of one draw are correlated. The per-stratum sum of squares does: it is the Pearson
statistic only for a Poisson design (independent inclusions). In a fixed-size design the
inclusion indicators of a stratum sum to ``n_h`` in every run, so the ``z`` are negatively
correlated and constrained (``sum sqrt(pi(1-pi)) z = 0``); the sum keeps mean ``df`` but has a
larger variance than chi-square(df) (for simple random sampling of ``M`` units it is about
``M/(M-1)`` times a chi-square with ``M - 1`` df). Its upper tail is heavier, so the reported
p-value is *anticonservative* (too small) for fixed-size designs, most for small strata
(for ``M = 2`` a nominal 1% test rejects about 3% of the time). It is reported as a
diagnostic; :attr:`FairnessResult.passed` uses only the per-unit Holm tests.

The comparison samplers :func:`numpy_weighted_choice` and :func:`pandas_weighted_sample` are
the usual library calls for weighted sampling without replacement. They are neither
verifiable (their streams depend on library versions) nor πps: they draw units one after
another with probability proportional to the remaining weights, which gives large units less
than their stated chance. They exist to show that the benchmark catches such samplers.

Everything is a pure function of the arguments: the seeds come from the label, never from a
clock or global random state.

>>> from functools import partial
>>> from randsample import Population, draw_stratified
>>> pop = Population.from_columns(["a", "b", "c", "d"], strata="A")
>>> design = partial(draw_stratified, pop, {"A": 2})
>>> result = run_design(design, {u: Fraction(1, 2) for u in "abcd"}, runs=200)
>>> result.passed, [u.count for u in result.units]
(True, [90, 110, 98, 102])
"""

from __future__ import annotations

import hashlib
import importlib
import math
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from scipy import stats

from ..core import Seed, check_id, check_ids, lp
from ..design import StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError, SampleSizeError
from ..teams import Conflicts, Directory, Visit, assign_inspectors, target_marginals

__all__ = [
    "AssignmentDraw",
    "FairnessResult",
    "NumpyWeightedChoice",
    "PandasWeightedSample",
    "StratumResult",
    "UnitResult",
    "assess_counts",
    "check_assignment",
    "holm",
    "numpy_weighted_choice",
    "pandas_weighted_sample",
    "run_design",
    "run_seed",
]

#: A design under test: seed in, the ids of the selected units out (a
#: :class:`~randsample.StratifiedSample` is accepted too; its ``ids`` are used).
Draw = Callable[[Seed], "Iterable[str] | StratifiedSample"]
#: A stated inclusion probability: exact (:class:`~fractions.Fraction`, or the ints 0 and 1)
#: or a float.
Probability = Fraction | float

_RUN_TAG = b"randsample/v1/fairness-run\x00"
#: The runs are split into about this many chunks; progress is reported after each one.
_CHUNKS = 20
#: Below this many runs a process pool costs more to start than it saves: run serially.
PARALLEL_MIN_RUNS = 2000


def run_seed(label: str, counter: int) -> Seed:
    """Return the seed of run ``counter`` under ``label``.

    ``Seed.from_bytes(SHA-256("randsample/v1/fairness-run" 0x00 || lp(utf8(label)) ||
    counter as 8 bytes big-endian))``: runs are independent, reproducible one by one, and
    different labels give unrelated runs.

    >>> run_seed("fairness", 0).value.hex()[:16]
    'a6024efed858a12e'
    """
    digest = hashlib.sha256(
        _RUN_TAG + lp(label.encode("utf-8")) + counter.to_bytes(8, "big")
    ).digest()
    return Seed.from_bytes(digest)


@attrs.frozen
class UnitResult:
    """One unit's line of the benchmark.

    ``z`` and ``p_value`` are ``+-inf`` and 0 for a unit with ``pi`` in {0, 1} whose count is
    not exactly ``R pi`` (and 0 and 1 when it is). ``p_holm`` is the Holm-adjusted p-value
    (equal to ``p_value`` for those degenerate units, which are not part of the family).
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
    designs (see the module notes). ``p_value`` is ``nan`` when ``df`` is 0.
    """

    stratum: str
    units: int
    df: int
    chi_square: float
    p_value: float


@attrs.frozen
class FairnessResult:
    """The outcome of :func:`run_design` (or :func:`assess_counts`)."""

    runs: int
    alpha: float
    seed_label: str | None
    units: tuple[UnitResult, ...]
    strata: tuple[StratumResult, ...]

    @property
    def flagged(self) -> tuple[str, ...]:
        """Units whose count contradicts their stated chance at family-wise level ``alpha``."""
        return tuple(u.unit for u in self.units if u.flagged)

    @property
    def passed(self) -> bool:
        """True when no unit is flagged."""
        return not self.flagged

    @property
    def max_abs_z(self) -> float:
        """The largest ``|z|`` over the units (``inf`` if a pi-0 or pi-1 unit deviated)."""
        return max((abs(u.z) for u in self.units), default=0.0)

    def to_rows(self) -> list[dict[str, object]]:
        """Return one dict per unit (the stated probability as given, exact if it was)."""
        return [
            {
                "unit": u.unit,
                "stratum": u.stratum,
                "stated": u.stated,
                "count": u.count,
                "frequency": u.frequency,
                "z": u.z,
                "p_value": u.p_value,
                "p_holm": u.p_holm,
                "flagged": u.flagged,
            }
            for u in self.units
        ]

    def to_pandas(self) -> Any:
        """Return the per-unit table as a pandas DataFrame (pandas is optional).

        ``stated`` is a float column; the probability as given is kept as text in
        ``stated_exact``.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("FairnessResult.to_pandas needs pandas: pip install pandas") from exc
        frame = pd.DataFrame(self.to_rows())
        frame["stated_exact"] = [str(u.stated) for u in self.units]
        frame["stated"] = [float(u.stated) for u in self.units]
        return frame

    def summary(self) -> str:
        """Return a table a person can read; flagged units are marked with ``*``.

        >>> result = assess_counts({"a": 30, "b": 70}, {"a": 0.5, "b": 0.5}, runs=100)
        >>> print(result.summary())
        fairness: 100 runs, family-wise alpha 0.01 (Holm)
        unit       stratum      stated  count  frequency        z    p (Holm)
        a          -            0.5000     30     0.3000    -4.00    0.000157  *
        b          -            0.5000     70     0.7000    +4.00    0.000157  *
        max |z| = 4.00; 2 of 2 units flagged: FAILED
        """
        label = "" if self.seed_label is None else f", seed label {self.seed_label!r}"
        lines = [
            f"fairness: {self.runs} runs{label}, family-wise alpha {self.alpha:g} (Holm)",
            f"{'unit':<10} {'stratum':<10} {'stated':>8} {'count':>6} {'frequency':>10}"
            f" {'z':>8} {'p (Holm)':>11}",
        ]
        for u in self.units:
            stratum = "-" if u.stratum is None else u.stratum
            lines.append(
                f"{u.unit:<10} {stratum:<10} {float(u.stated):>8.4f} {u.count:>6}"
                f" {u.frequency:>10.4f} {u.z:>+8.2f} {u.p_holm:>11.3g}"
                + ("  *" if u.flagged else "")
            )
        for s in self.strata:
            lines.append(
                f"stratum {s.stratum}: sum z^2 = {s.chi_square:.2f} on {s.df} df, "
                f"p = {s.p_value:.3g} (approximate; see notes)"
                if s.df
                else f"stratum {s.stratum}: every unit has pi 0 or 1 (checked exactly)"
            )
        verdict = "passed" if self.passed else "FAILED"
        lines.append(
            f"max |z| = {self.max_abs_z:.2f}; {len(self.flagged)} of {len(self.units)} units "
            f"flagged: {verdict}"
        )
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Plot empirical against stated inclusion probability, with 95% binomial intervals.

        Each unit is a point at (stated, empirical) with its exact Clopper-Pearson interval;
        flagged units are drawn in red; the diagonal is where a fair draw's points scatter.
        Needs matplotlib, which is not a dependency of randsample. Returns the axes.
        """
        try:
            plt = importlib.import_module("matplotlib.pyplot")
        except ImportError as exc:
            raise ImportError(
                "FairnessResult.plot needs matplotlib, which randsample does not install: "
                "pip install matplotlib"
            ) from exc
        if ax is None:
            _, ax = plt.subplots()
        stated = np.array([float(u.stated) for u in self.units])
        freq = np.array([u.frequency for u in self.units])
        low, high = [], []
        for u in self.units:
            ci = stats.binomtest(u.count, u.runs).proportion_ci(0.95, method="exact")
            low.append(u.frequency - ci.low)
            high.append(ci.high - u.frequency)
        flagged = np.array([u.flagged for u in self.units])
        yerr = np.array([low, high])
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, linestyle="--")
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
        ax.legend()
        ax.set_xlabel("stated inclusion probability")
        ax.set_ylabel(f"empirical frequency ({self.runs} runs)")
        ax.set_title("passed" if self.passed else f"{len(self.flagged)} unit(s) flagged")
        return ax


# -- checks ------------------------------------------------------------------------------------


def _check_stated(stated: object) -> dict[str, Probability]:
    if not isinstance(stated, Mapping):
        raise InvalidTypeError("stated", stated, "a mapping from unit id to probability")
    if not stated:
        raise InvalidInputError("stated", dict(stated), "must name at least one unit")
    checked: dict[str, Probability] = {}
    for unit, p in stated.items():
        check_id(unit, field="stated (unit id)")
        field = f"stated[{unit!r}]"
        if isinstance(p, bool) or not isinstance(p, (int, float, Fraction)):
            raise InvalidTypeError(field, p, "a probability (Fraction or float)")
        if not 0 <= p <= 1:  # also refuses nan
            raise InvalidInputError(field, p, "must be a probability in [0, 1]")
        checked[unit] = Fraction(p) if isinstance(p, int) else p
    return checked


def _check_runs(runs: object) -> int:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)):
        raise InvalidTypeError("runs", runs, "an integer")
    if runs < 1:
        raise InvalidInputError("runs", int(runs), "must be at least 1")
    return int(runs)


def _check_alpha(alpha: object) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise InvalidTypeError("alpha", alpha, "a float")
    if not 0 < alpha < 1:
        raise InvalidInputError("alpha", alpha, "must be strictly between 0 and 1")
    return float(alpha)


def _check_strata(
    strata: Mapping[str, str] | None, stated: Mapping[str, Probability]
) -> dict[str, str] | None:
    if strata is None:
        return None
    if not isinstance(strata, Mapping):
        raise InvalidTypeError("strata", strata, "a mapping from unit id to stratum label")
    for unit, label in strata.items():
        if unit not in stated:
            raise InvalidInputError("strata", unit, "names a unit that is not in stated")
        check_id(label, field=f"strata[{unit!r}]")
    missing = [unit for unit in stated if unit not in strata]
    if missing:
        raise InvalidInputError("strata", missing[0], "has no stratum for this unit of stated")
    return dict(strata)


# -- statistics --------------------------------------------------------------------------------


def holm(p_values: Sequence[float]) -> list[float]:
    """Return Holm's step-down adjusted p-values (same order as given).

    Rejecting every hypothesis whose adjusted p-value is <= alpha controls the family-wise
    error rate at alpha, whatever the dependence between the tests.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def _unit_test(count: int, runs: int, p: Probability) -> tuple[float, float]:
    """Return (z, two-sided exact p-value) for ``count`` inclusions in ``runs``."""
    expected = runs * p
    if p in (0, 1):
        if count == expected:
            return 0.0, 1.0
        return math.copysign(math.inf, count - expected), 0.0
    pf = float(p)
    z = (count - runs * pf) / math.sqrt(runs * pf * (1 - pf))
    return z, float(stats.binomtest(count, runs, pf).pvalue)


def assess_counts(
    counts: Mapping[str, int],
    stated: Mapping[str, Probability],
    *,
    runs: int,
    strata: Mapping[str, str] | None = None,
    alpha: float = 0.01,
    seed_label: str | None = None,
) -> FairnessResult:
    """Compare inclusion ``counts`` over ``runs`` independent draws with ``stated``.

    The statistics part of :func:`run_design`, for counts gathered elsewhere. Units missing
    from ``counts`` were never included.

    >>> r = assess_counts({"sure": 50, "never": 0, "half": 22}, runs=50,
    ...                   stated={"sure": 1, "never": 0, "half": Fraction(1, 2)})
    >>> r.passed, round(r.max_abs_z, 3)
    (True, 0.849)
    >>> assess_counts({"sure": 49}, {"sure": 1}, runs=50).flagged
    ('sure',)
    """
    checked = _check_stated(stated)
    runs = _check_runs(runs)
    alpha = _check_alpha(alpha)
    strata = _check_strata(strata, checked)
    if not isinstance(counts, Mapping):
        raise InvalidTypeError("counts", counts, "a mapping from unit id to inclusion count")
    for unit, k in counts.items():
        if unit not in checked:
            raise InvalidInputError("counts", unit, "names a unit that is not in stated")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise InvalidTypeError(f"counts[{unit!r}]", k, "an integer count")
        if not 0 <= k <= runs:
            raise InvalidInputError(f"counts[{unit!r}]", k, f"must be between 0 and {runs}")

    units = list(checked)
    tests = [_unit_test(int(counts.get(u, 0)), runs, checked[u]) for u in units]
    family = [i for i, u in enumerate(units) if checked[u] not in (0, 1)]
    adjusted = [p for _, p in tests]
    for i, p_adj in zip(family, holm([tests[i][1] for i in family]), strict=True):
        adjusted[i] = p_adj
    results = tuple(
        UnitResult(
            unit=u,
            stratum=None if strata is None else strata[u],
            stated=checked[u],
            count=int(counts.get(u, 0)),
            runs=runs,
            z=z,
            p_value=p,
            p_holm=adjusted[i],
            flagged=adjusted[i] <= alpha,
        )
        for i, (u, (z, p)) in enumerate(zip(units, tests, strict=True))
    )
    stratum_results: list[StratumResult] = []
    if strata is not None:
        for label in sorted(set(strata.values())):
            members = [r for r in results if r.stratum == label]
            inner = [r for r in members if r.stated not in (0, 1)]
            chi = float(sum(r.z**2 for r in inner))
            df = len(inner)
            p_value = float(stats.chi2.sf(chi, df)) if df else math.nan
            stratum_results.append(StratumResult(label, len(members), df, chi, p_value))
    return FairnessResult(runs, alpha, seed_label, results, tuple(stratum_results))


# -- running a design --------------------------------------------------------------------------


def _count_chunk(draw: Draw, label: str, start: int, stop: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for counter in range(start, stop):
        outcome = draw(run_seed(label, counter))
        ids = outcome.ids if isinstance(outcome, StratifiedSample) else outcome
        counts.update(set(ids))  # inclusion: at most once per run
    return counts


def _use_pool(draw: Draw, workers: object, runs: int) -> bool:
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise InvalidTypeError("workers", workers, "an integer")
    if workers < 1:
        raise InvalidInputError("workers", workers, "must be at least 1")
    if workers == 1 or runs < PARALLEL_MIN_RUNS:
        return False
    try:
        pickle.dumps(draw)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise InvalidTypeError(
            "draw",
            draw,
            "a picklable callable when workers > 1 (a module-level function or a "
            f"functools.partial of one; pickling failed: {exc})",
        ) from exc
    return True


def run_design(
    draw: Draw,
    stated: Mapping[str, Probability],
    *,
    runs: int,
    seed_label: str = "fairness",
    strata: Mapping[str, str] | None = None,
    alpha: float = 0.01,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> FairnessResult:
    """Run ``draw`` on ``runs`` seeds and test every unit's frequency against ``stated``.

    Parameters
    ----------
    draw
        The design under test: takes a :class:`~randsample.Seed` and returns the selected
        ids (or a :class:`~randsample.StratifiedSample`). A unit counts once per run.
    stated
        Every unit the design may select, with its stated inclusion probability. A selected
        id missing from ``stated`` is an error.
    runs
        Number of independent draws; run ``i`` uses ``run_seed(seed_label, i)``.
    seed_label
        Names the family of seeds; use a fresh label for a fresh, independent benchmark.
    strata
        Optional unit -> stratum label, for the per-stratum sums of squares.
    alpha
        Family-wise significance level of the per-unit Holm tests, in (0, 1).
    workers
        Processes to use. With ``workers > 1`` and at least ``PARALLEL_MIN_RUNS`` runs the
        chunks run in a :class:`~concurrent.futures.ProcessPoolExecutor`; ``draw`` must then
        be picklable (a module-level function, a :func:`functools.partial` of one, or the
        samplers below; not a lambda or a nested function), else :class:`InvalidTypeError`.
        The result does not depend on ``workers``.
    progress
        Called as ``progress(done, runs)`` after each chunk of about 5% of the runs.

    Returns
    -------
    FairnessResult

    >>> from randsample import Population, draw_stratified_pips
    >>> from randsample.design import exact_inclusion_probabilities
    >>> weights = [7, 17, 41, 61, 83, 91]
    >>> ids = ["a", "b", "c", "d", "e", "f"]
    >>> stated = dict(zip(ids, exact_inclusion_probabilities(weights, 3)))
    >>> biased = run_design(numpy_weighted_choice(ids, weights, 3), stated, runs=400)
    >>> biased.passed, biased.flagged, round(biased.max_abs_z, 1)
    (False, ('b', 'e', 'f'), 4.9)
    >>> pop = Population.from_columns(ids, strata="A", weights=weights)
    >>> fair = run_design(lambda seed: draw_stratified_pips(pop, {"A": 3}, seed), stated,
    ...                   runs=400)
    >>> fair.passed
    True
    """
    if not callable(draw):
        raise InvalidTypeError("draw", draw, "a callable taking a Seed")
    checked = _check_stated(stated)
    runs = _check_runs(runs)
    alpha = _check_alpha(alpha)
    _check_strata(strata, checked)
    if not isinstance(seed_label, str) or not seed_label:
        raise InvalidInputError("seed_label", seed_label, "must be a non-empty string")
    parallel = _use_pool(draw, workers, runs)

    step = max(1, math.ceil(runs / _CHUNKS))
    bounds = [(start, min(start + step, runs)) for start in range(0, runs, step)]
    counts: Counter[str] = Counter()
    done = 0
    if parallel:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(_count_chunk, draw, seed_label, start, stop): stop - start
                for start, stop in bounds
            }
            for future in as_completed(futures):
                counts.update(future.result())
                done += futures[future]
                if progress is not None:
                    progress(done, runs)
    else:
        for start, stop in bounds:
            counts.update(_count_chunk(draw, seed_label, start, stop))
            done += stop - start
            if progress is not None:
                progress(done, runs)

    unknown = sorted(str(unit) for unit in counts if unit not in checked)
    if unknown:
        raise InvalidInputError(
            "draw",
            unknown[0],
            "selected a unit that is not in stated"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""),
        )
    return assess_counts(
        counts, checked, runs=runs, strata=strata, alpha=alpha, seed_label=seed_label
    )


# -- comparison samplers (biased on purpose) ---------------------------------------------------


def _check_weighted(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> tuple[tuple[str, ...], tuple[float, ...], int]:
    id_list = tuple(check_ids(ids))
    w = tuple(float(x) for x in weights)
    if len(w) != len(id_list):
        raise InvalidInputError(
            "weights", len(w), f"must have one weight per id ({len(id_list)} ids)"
        )
    for index, x in enumerate(w):
        if not (math.isfinite(x) and x >= 0):
            raise InvalidInputError(f"weights[{index}]", x, "must be finite and >= 0")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InvalidTypeError("n", n, "an integer sample size")
    positive = sum(1 for x in w if x > 0)
    if not 0 <= n <= positive:
        raise SampleSizeError("n", int(n), f"must be between 0 and the {positive} positive weights")
    return id_list, w, int(n)


@attrs.frozen
class NumpyWeightedChoice:
    """``numpy.random.default_rng(seed).choice(size=n, replace=False, p=w/sum(w))``.

    NOT verifiable (numpy may change the stream between versions) and NOT πps: numpy draws
    one unit at a time proportionally to the remaining weights (successive sampling), so the
    inclusion probabilities are not ``n w / sum(w)``. A benchmark foil, not a design.
    """

    ids: tuple[str, ...]
    weights: tuple[float, ...]
    n: int

    def __call__(self, seed: Seed) -> tuple[str, ...]:
        """Draw with a Generator seeded by the seed's bytes (no global random state)."""
        rng = np.random.default_rng(int.from_bytes(seed.value, "big"))
        w = np.asarray(self.weights)
        chosen = rng.choice(len(self.ids), size=self.n, replace=False, p=w / w.sum())
        return tuple(self.ids[i] for i in chosen.tolist())


@attrs.frozen
class PandasWeightedSample:
    """``DataFrame.sample(n=n, weights=w, random_state=<first 4 seed bytes>)``.

    NOT verifiable and NOT πps, for the same reason as :class:`NumpyWeightedChoice`
    (pandas passes the weights to numpy's legacy ``RandomState.choice``). A benchmark foil.
    """

    ids: tuple[str, ...]
    weights: tuple[float, ...]
    n: int

    def __call__(self, seed: Seed) -> tuple[str, ...]:
        """Draw with ``random_state`` = the seed's first 4 bytes as an integer."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pandas_weighted_sample needs pandas: pip install pandas") from exc
        frame = pd.DataFrame({"id": list(self.ids), "w": list(self.weights)})
        sample = frame.sample(
            n=self.n, weights="w", random_state=int.from_bytes(seed.value[:4], "big")
        )
        return tuple(str(x) for x in sample["id"].tolist())


def numpy_weighted_choice(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> NumpyWeightedChoice:
    """Return a draw callable using numpy's weighted choice without replacement (biased).

    Not verifiable, not πps: see :class:`NumpyWeightedChoice`. Picklable.

    >>> draw = numpy_weighted_choice(["a", "b", "c"], [1, 1, 2], 2)
    >>> len(draw(run_seed("x", 0)))
    2
    """
    return NumpyWeightedChoice(*_check_weighted(ids, weights, n))


def pandas_weighted_sample(
    ids: Iterable[str], weights: Iterable[float], n: int
) -> PandasWeightedSample:
    """Return a draw callable using pandas' ``DataFrame.sample(weights=...)`` (biased).

    Not verifiable, not πps: see :class:`PandasWeightedSample`. Picklable; needs pandas.
    """
    return PandasWeightedSample(*_check_weighted(ids, weights, n))


@attrs.frozen
class AssignmentDraw:
    """The inspectors on one visit's team, as a design for :func:`run_design` (picklable)."""

    directory: Directory
    visits: tuple[Visit, ...]
    visit_id: str
    conflicts: Conflicts | None = None

    def __call__(self, seed: Seed) -> list[str]:
        """Draw every team with ``seed`` and return the members of the visit's team."""
        teams = assign_inspectors(self.directory, self.visits, seed, conflicts=self.conflicts)
        members = [team.inspector_ids for team in teams.teams if team.visit_id == self.visit_id]
        return [inspector for team in members for inspector in team]


def check_assignment(
    directory: Directory,
    visits: Sequence[Visit],
    visit_id: str,
    *,
    runs: int,
    conflicts: Conflicts | None = None,
    alpha: float = 0.01,
    workers: int = 1,
) -> FairnessResult:
    """Test one visit's team draws against the targeted marginals ``c / |E|`` over many seeds.

    Every inspector of the directory is a unit: those eligible for the visit have their
    target, all others 0 (so a conflicted or unqualified inspector drawn even once is
    flagged). When capacities bind, the targets are only the ideal (see
    :func:`randsample.teams.target_marginals`) and a flag is expected.

    >>> import datetime
    >>> from randsample.teams import Directory, Inspector, Visit
    >>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=5)
    ...                        for i in range(5)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="south",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> check_assignment(directory, [visit], "V-1", runs=300).passed
    True
    """
    targets = target_marginals(directory, visits, conflicts=conflicts)
    stated: dict[str, Probability] = {i.id: Fraction(0) for i in directory.inspectors}
    for (vid, inspector), p in targets.probabilities.items():
        if vid == visit_id:
            stated[inspector] = p
    if not any(stated.values()):
        raise InvalidInputError("visit_id", visit_id, "is not a visit with eligible inspectors")
    draw = AssignmentDraw(directory, tuple(visits), visit_id, conflicts)
    return run_design(
        draw, stated, runs=runs, seed_label=f"assignment {visit_id}", alpha=alpha, workers=workers
    )
