"""Second-order (joint) inclusion probabilities ``pi_kl`` of the registered designs.

``pi_kl`` is the probability that units ``k`` and ``l`` are both selected; the diagonal is the
first-order ``pi_k``. Variance estimators of the Horvitz-Thompson type need them.

* **Stratified SRSWOR** (``stratified-srswor``): within a stratum of ``M`` eligible units with
  sample size ``n``, ``pi_kl = n (n - 1) / (M (M - 1))`` exactly; strata are drawn
  independently, so across strata ``pi_kl = pi_k pi_l`` (Särndal, Swensson & Wretman 1992,
  §3.3 and §3.7). Exact fractions.
* **Randomized systematic πps** (``stratified-pips-systematic``, docs/spec.md §5b): the units of
  a stratum are put in ticket order, a uniformly random order, then selected systematically on
  the cumulated ``pi_k`` with a uniform start. :func:`systematic_joint_inclusion` computes
  ``pi_kl`` *exactly* for this design (rational arithmetic), by enumeration for small strata;
  :func:`hartley_rao_joint_inclusion` is the Hartley & Rao (1962) approximation for large ones
  (approximate, floats).

* **Sampford πps** (``stratified-pips-sampford``, docs/spec.md §12): the design
  ``p(s) ∝ (n - sum_s pi) prod_s pi_k / (1 - pi_k)`` depends only on the ``pi`` (not on the
  order), and :func:`sampford_joint_inclusion` computes every ``pi_kl`` *exactly* (integer
  arithmetic) from generating polynomials; all are positive when ``n >= 2`` units are drawn
  with ``pi < 1``.

Some ``pi_kl`` of the systematic design are 0: with weights 1, 1, 2, 2, 2 and ``n = 2`` the two
units of weight 1 are never selected together, whatever the order and the start. The
Sen-Yates-Grundy variance estimator is then biased, and the Hartley-Rao approximation (which
is positive there) is wrong for such pairs: it is an approximation for large strata with small
``pi_k``.

How the exact enumeration works. With ``sum(pi) = n`` an integer, selection with start ``u``
takes unit ``k`` exactly when ``u`` lies, modulo 1, in the arc ``[C_{k-1}, C_k)`` of length
``pi_k`` (at most one point ``u + j`` can fall in an interval of length <= 1). For a fixed order,
``pi_kl`` is the length of the intersection of the two arcs on the circle of circumference 1,
which depends only on ``pi_k``, ``pi_l`` and the sum ``S`` (mod 1) of the ``pi`` of the units
lying between them. In a uniformly random order of ``m`` units, ``k`` comes first and exactly
the set ``B`` (``|B| = b``) lies between ``k`` and ``l`` with probability
``b! (m - b - 1)! / m!``. Summing over ``B`` (by a dynamic programme over subset sizes and sums
modulo 1 in integer arithmetic) gives ``pi_kl`` exactly. Units with ``pi = 0`` or ``pi = 1``
shift the arcs by whole numbers and are left out of the enumeration (the relative order of the
other units is still uniform), so only the ``m`` units with ``0 < pi < 1`` count towards the
limit :data:`SYSTEMATIC_EXACT_LIMIT`. The cost grows like ``m^2 2^(m-2)`` in the worst case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..errors import InvalidInputError, InvalidTypeError
from ._srswor import ALGORITHM, StratifiedSample

__all__ = [
    "SAMPFORD_EXACT_LIMIT",
    "SYSTEMATIC_EXACT_LIMIT",
    "hartley_rao_joint_inclusion",
    "sampford_joint_inclusion",
    "srswor_joint_inclusion",
    "stratified_srswor_joint_inclusion",
    "systematic_joint_inclusion",
]

#: Default largest number of units with ``0 < pi < 1`` in one stratum for the exact
#: enumeration of :func:`systematic_joint_inclusion` (a few seconds at 16).
SYSTEMATIC_EXACT_LIMIT = 16

#: Default largest number of units with ``0 < pi < 1`` in one stratum for
#: :func:`sampford_joint_inclusion` (about a second at 100 units with arbitrary binary64 weights;
#: the cost grows like ``m^2 n`` operations on integers of
#: about ``m`` times the bits of the common denominator of the ``pi``).
SAMPFORD_EXACT_LIMIT = 100


def _check_count(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, value, "an integer")
    if value < 0:
        raise InvalidInputError(field, int(value), "must be >= 0")
    return int(value)


def srswor_joint_inclusion(eligible: int, sample_size: int) -> Fraction:
    """Return ``pi_kl = n (n - 1) / (M (M - 1))`` for two distinct units of one SRSWOR stratum.

    ``eligible`` is ``M``, the stratum's eligible units; ``sample_size`` is ``n``. Exact.

    >>> srswor_joint_inclusion(10, 3)
    Fraction(1, 15)
    >>> srswor_joint_inclusion(5, 5), srswor_joint_inclusion(5, 1)
    (Fraction(1, 1), Fraction(0, 1))
    """
    units = _check_count("eligible", eligible)
    size = _check_count("sample_size", sample_size)
    if size > units:
        raise InvalidInputError("sample_size", size, f"exceeds the {units} eligible units")
    if units < 2:
        raise InvalidInputError("eligible", units, "needs at least 2 units for a pair")
    return Fraction(size * (size - 1), units * (units - 1))


def stratified_srswor_joint_inclusion(sample: StratifiedSample) -> list[list[Fraction]]:
    """Return the matrix of ``pi_kl`` over a stratified SRSWOR sample's selected units.

    Rows and columns follow ``sample.selection``; the diagonal holds ``pi_k = n_h / M_h``; two
    units of one stratum have ``n_h (n_h - 1) / (M_h (M_h - 1))``; units of different strata
    ``pi_k pi_l`` (strata are drawn independently). Exact.

    >>> from randsample import Population, Seed, draw_stratified
    >>> pop = Population.from_columns([f"u{i}" for i in range(6)], strata=["A"] * 4 + ["B"] * 2)
    >>> sample = draw_stratified(pop, {"A": 2, "B": 1}, Seed.from_bytes(bytes(range(16))))
    >>> [[str(p) for p in row] for row in stratified_srswor_joint_inclusion(sample)]
    [['1/2', '1/6', '1/4'], ['1/6', '1/2', '1/4'], ['1/4', '1/4', '1/2']]
    """
    if not isinstance(sample, StratifiedSample):
        raise InvalidTypeError("sample", sample, "a StratifiedSample")
    if sample.algorithm != ALGORITHM:
        raise InvalidInputError(
            "sample.algorithm",
            sample.algorithm,
            f"is not {ALGORITHM!r}; use systematic_joint_inclusion on a πps stratum's pi",
        )
    within = {
        s.stratum: Fraction(s.sample_size * (s.sample_size - 1), s.eligible * (s.eligible - 1))
        for s in sample.strata
        if s.eligible > 1
    }
    units = sample.selection
    return [
        [
            a.inclusion_probability
            if i == j
            else within[a.stratum]
            if a.stratum == b.stratum
            else a.inclusion_probability * b.inclusion_probability
            for j, b in enumerate(units)
        ]
        for i, a in enumerate(units)
    ]


def _check_pik(
    pik: Sequence[object] | npt.NDArray[np.floating], *, whole_sum: bool
) -> list[Fraction]:
    values = pik.tolist() if isinstance(pik, np.ndarray) else pik
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidTypeError("pik", pik, "a sequence of inclusion probabilities")
    exact: list[Fraction] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.number)):
            raise InvalidTypeError(f"pik[{index}]", value, "a number in [0, 1]")
        if isinstance(value, (float, np.floating)) and not math.isfinite(value):
            raise InvalidInputError(f"pik[{index}]", value, "must be finite")
        p = Fraction(value)  # type: ignore[arg-type]  # numpy scalars are Real
        if not 0 <= p <= 1:
            raise InvalidInputError(f"pik[{index}]", value, "must be in [0, 1]")
        exact.append(p)
    total = sum(exact, Fraction(0))
    if whole_sum and total.denominator != 1:
        raise InvalidInputError(
            "pik", str(total), "must sum to a whole sample size (the design's n)"
        )
    return exact


def _exact_start(
    pik: Sequence[Fraction | int | float] | npt.NDArray[np.floating],
    max_units: int,
    method: str,
    hint: str,
) -> tuple[list[Fraction], list[list[Fraction]], list[int]]:
    """Start the exact ``pi_kl`` of a fixed-size πps design (the part the designs share).

    Return the checked ``pi_k``, the matrix with ``pi_kk = pi_k`` and, for a certainty unit
    ``k``, ``pi_kl = pi_l`` (it is selected with every other unit), and the positions of the
    units with ``0 < pi_k < 1``, refused beyond ``max_units`` of them.
    """
    exact = _check_pik(pik, whole_sum=True)
    limit = _check_count("max_units", max_units)
    size = len(exact)
    joint = [[Fraction(0)] * size for _ in range(size)]
    for k, p in enumerate(exact):
        joint[k][k] = p
        if p == 1:
            for j, q in enumerate(exact):
                joint[k][j] = joint[j][k] = q
    random = [k for k, p in enumerate(exact) if 0 < p < 1]
    if len(random) > limit:
        raise InvalidInputError(
            "pik",
            f"{len(random)} units with 0 < pi < 1",
            f"{method} is limited to max_units={limit} such units per stratum; {hint}",
        )
    return exact, joint, random


def _arc_overlap(first: int, gap: int, second: int, circle: int) -> int:
    """Length of ``[0, first) ∩ [first + gap, first + gap + second)`` on a circle (integers)."""
    start = (first + gap) % circle
    return max(0, min(first, start + second) - start) + max(0, min(first, start + second - circle))


def systematic_joint_inclusion(
    pik: Sequence[Fraction | int | float] | npt.NDArray[np.floating],
    *,
    max_units: int = SYSTEMATIC_EXACT_LIMIT,
) -> list[list[Fraction]]:
    """Return the exact ``pi_kl`` of randomized systematic πps sampling on one stratum.

    ``pik`` are the stratum's first-order probabilities (for randsample's design: the capped
    πps probabilities of the eligible units, in any order); they must sum to an integer ``n``.
    The design is the one of ``stratified-pips-systematic`` (docs/spec.md §5b): a uniformly
    random order, then systematic selection with a uniform start. Exact rational arithmetic;
    the diagonal holds ``pi_k``. Some pairs can be 0 (see the example). Refuses strata with
    more than ``max_units`` units of ``0 < pi < 1`` (the enumeration doubles with each unit);
    use :func:`hartley_rao_joint_inclusion` there.

    >>> from randsample.design import exact_inclusion_probabilities
    >>> pik = exact_inclusion_probabilities([1, 1, 2, 2, 2], 2)
    >>> [str(p) for p in pik]
    ['1/4', '1/4', '1/2', '1/2', '1/2']
    >>> joint = systematic_joint_inclusion(pik)
    >>> joint[0][1], joint[0][2], joint[2][3]
    (Fraction(0, 1), Fraction(1, 12), Fraction(1, 6))
    """
    exact, joint, random = _exact_start(
        pik,
        max_units,
        "exact enumeration",
        "use hartley_rao_joint_inclusion (approximate) or raise max_units",
    )
    m = len(random)
    circle = math.lcm(*(exact[k].denominator for k in random)) if random else 1
    arcs = [exact[k].numerator * (circle // exact[k].denominator) for k in random]
    factorial = [math.factorial(i) for i in range(m + 1)]
    for x in range(m):
        for y in range(x + 1, m):
            others = [arcs[k] for k in range(m) if k not in (x, y)]
            # counts[b][s]: subsets of the others with b units whose arcs sum to s (mod circle)
            counts: list[dict[int, int]] = [{0: 1}] + [{} for _ in others]
            for arc in others:
                for b in range(len(others) - 1, -1, -1):
                    target = counts[b + 1]
                    for s, c in counts[b].items():
                        key = (s + arc) % circle
                        target[key] = target.get(key, 0) + c
            total = 0
            for b, table in enumerate(counts):
                weight = factorial[b] * factorial[m - b - 1]
                for s, c in table.items():
                    overlap = _arc_overlap(arcs[x], s, arcs[y], circle)
                    overlap += _arc_overlap(arcs[y], s, arcs[x], circle)
                    total += weight * c * overlap
            value = Fraction(total, circle * factorial[m])
            joint[random[x]][random[y]] = joint[random[y]][random[x]] = value
    return joint


def hartley_rao_joint_inclusion(
    pik: Sequence[Fraction | int | float] | npt.NDArray[np.floating],
) -> npt.NDArray[np.float64]:
    """Return the Hartley & Rao (1962) approximation of ``pi_kl`` for randomized systematic πps.

    With ``n`` the sum of the ``pi`` of the units with ``0 < pi < 1``, ``s2 = sum pi_j^2`` and
    ``s3 = sum pi_j^3`` over them, for two such units::

        pi_kl ~ (n-1)/n pi_k pi_l + (n-1)/n^2 (pi_k^2 pi_l + pi_k pi_l^2)
                - (n-1)/n^3 pi_k pi_l s2 + 2(n-1)/n^3 (pi_k^3 pi_l + pi_k pi_l^3 + pi_k^2 pi_l^2)
                - 3(n-1)/n^4 (pi_k^2 pi_l + pi_k pi_l^2) s2 + 3(n-1)/n^5 pi_k pi_l s2^2
                - 2(n-1)/n^4 pi_k pi_l s3

    (Hartley & Rao 1962, eq. 5.14 in terms of ``pi``; Tillé 2006, §7.2). It is an
    *approximation*, accurate to ``O(N^-3)`` for large strata whose ``pi`` are small; it is
    never 0, so it misses the pairs the design never selects together. Certainty units
    (``pi = 1``) pair exactly (``pi_kl = pi_l``), units with ``pi = 0`` never. Float64.

    >>> hr = hartley_rao_joint_inclusion([0.1] * 20)
    >>> round(float(hr[0, 1]), 6), round(2 * 1 / (20 * 19), 6)
    (0.005263, 0.005263)
    """
    exact = _check_pik(pik, whole_sum=False)
    p = np.array([float(x) for x in exact], dtype=np.float64)
    joint = np.outer(p, p)
    random = (p > 0) & (p < 1)
    q = p[random]
    n = float(q.sum())
    if q.size:
        s2 = float((q**2).sum())
        s3 = float((q**3).sum())
        a, b = np.meshgrid(q, q, indexing="ij")
        approx = (
            (n - 1) / n * a * b
            + (n - 1) / n**2 * (a**2 * b + a * b**2)
            - (n - 1) / n**3 * a * b * s2
            + 2 * (n - 1) / n**3 * (a**3 * b + a * b**3 + a**2 * b**2)
            - 3 * (n - 1) / n**4 * (a**2 * b + a * b**2) * s2
            + 3 * (n - 1) / n**5 * a * b * s2**2
            - 2 * (n - 1) / n**4 * a * b * s3
        )
        joint[np.ix_(random, random)] = approx
    certain = p == 1
    joint[certain, :] = p[None, :]
    joint[:, certain] = p[:, None]
    np.fill_diagonal(joint, p)
    return joint


def _sampford_add(e: list[int], f: list[int], a: int, b: int) -> tuple[list[int], list[int]]:
    """Multiply the generating polynomials by ``b + a x (1 + a y)``, to first order in ``y``."""
    e2 = [b * e[0]] + [b * e[z] + a * e[z - 1] for z in range(1, len(e))]
    f2 = [b * f[0]] + [b * f[z] + a * (f[z - 1] + a * e[z - 1]) for z in range(1, len(f))]
    return e2, f2


def _sampford_remove(
    e: list[int], f: list[int], a: int, b: int, top: int
) -> tuple[list[int], list[int]]:
    """Divide one unit out of the polynomials (exact integer division), up to degree ``top``."""
    e2 = [e[0] // b]
    f2 = [f[0] // b]
    for z in range(1, top + 1):
        e2.append((e[z] - a * e2[z - 1]) // b)
        f2.append((f[z] - a * f2[z - 1] - a * a * e2[z - 1]) // b)
    return e2, f2


def sampford_joint_inclusion(
    pik: Sequence[Fraction | int | float] | npt.NDArray[np.floating],
    *,
    max_units: int = SAMPFORD_EXACT_LIMIT,
) -> list[list[Fraction]]:
    """Return the exact ``pi_kl`` of Sampford's πps design on one stratum.

    ``pik`` are the stratum's first-order probabilities (in any order); they must sum to an
    integer. Units with ``pi = 1`` are certainty units (``pi_kl = pi_l``), units with ``pi = 0``
    are never drawn; the ``m`` others, with ``n = sum`` of their ``pi``, follow Sampford's
    design (Sampford 1967; Tillé 2006, §7.6)

        p(s) = K (n D - sum_{k in s} a_k) prod_{k in s} a_k prod_{k not in s} (D - a_k),

    with ``D`` the common denominator and ``a_k = pi_k D``. Hence, with ``E_z`` and ``F_z`` the
    sums over the ``z``-subsets ``t`` of the units other than ``k, l`` of
    ``prod_t a prod_rest (D - a)`` and of ``sum_t a`` times it,
    ``pi_kl = K a_k a_l ((n D - a_k - a_l) E_{n-2} - F_{n-2})`` and ``1/K = n D E_n - F_n`` over
    all ``m`` units. ``E`` and ``F`` are the coefficients of the generating polynomial
    ``prod_j (D - a_j + a_j x (1 + a_j y))`` (first order in ``y``); a unit is divided out of
    it exactly in integers. Exact; the diagonal holds ``pi_k`` (checked against the input).
    With ``n >= 2`` every ``pi_kl`` of two units with ``pi > 0`` is positive; with ``n = 1``
    two non-certainty units are never drawn together. Refuses more than ``max_units`` units
    with ``0 < pi < 1`` (the cost grows like ``m^2 n``).

    >>> from randsample.design import exact_inclusion_probabilities
    >>> pik = exact_inclusion_probabilities([1, 1, 2, 2, 2], 2)
    >>> joint = sampford_joint_inclusion(pik)
    >>> joint[0][1], joint[0][2], joint[2][3]
    (Fraction(1, 34), Fraction(5, 68), Fraction(3, 17))
    >>> [sum(row) - row[k] for k, row in enumerate(joint)] == [(2 - 1) * p for p in pik]
    True
    """
    exact, joint, random = _exact_start(pik, max_units, "exact computation", "raise max_units")
    m = len(random)
    n = int(sum((exact[k] for k in random), Fraction(0)))
    if n < 2:
        return joint  # one draw: two non-certainty units are never selected together
    denominator = math.lcm(*(exact[k].denominator for k in random))
    a = [exact[k].numerator * (denominator // exact[k].denominator) for k in random]
    b = [denominator - x for x in a]
    e, f = [1] + [0] * n, [0] * (n + 1)
    for x, y in zip(a, b, strict=True):
        e, f = _sampford_add(e, f, x, y)
    whole = n * denominator
    norm = whole * e[n] - f[n]
    for i in range(m):
        e1, f1 = _sampford_remove(e, f, a[i], b[i], n - 1)
        first = Fraction(a[i] * ((whole - a[i]) * e1[n - 1] - f1[n - 1]), norm)
        if first != exact[random[i]]:  # pragma: no cover - an identity of the design
            raise AssertionError(f"Sampford pi_k {first} != {exact[random[i]]}")
        for j in range(i + 1, m):
            e2, f2 = _sampford_remove(e1, f1, a[j], b[j], n - 2)
            value = Fraction(a[i] * a[j] * ((whole - a[i] - a[j]) * e2[n - 2] - f2[n - 2]), norm)
            joint[random[i]][random[j]] = joint[random[j]][random[i]] = value
    return joint
