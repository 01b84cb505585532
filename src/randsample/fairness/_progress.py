"""Progress of a fairness run: a plain callback, and a tqdm bar for people who want one.

:func:`run_design` and :func:`assess_counts` are quiet unless given ``progress``, a callable
``progress(done, total)``. Both numbers count *steps of the whole run*: one per draw, then one
per block of 65,536 units tested, then one for the final assembly, so a bar reaches its end
only when the result is ready. ``total`` is the same on every call of one run, and ``done``
increases to it.

tqdm is an optional extra (``pip install "randsample[progress]"``), imported only when
:func:`tqdm_progress` is called.
"""

from __future__ import annotations

import importlib
from typing import Any

import attrs

__all__ = ["TqdmProgress", "tqdm_progress"]


@attrs.define
class TqdmProgress:
    """A ``progress(done, total)`` callback drawing a tqdm bar (made by :func:`tqdm_progress`).

    The bar is created on the first call (when the total is known) and closed when
    ``done == total``.
    """

    options: dict[str, Any] = attrs.field(factory=dict)
    _bar: Any = attrs.field(default=None, init=False, repr=False)

    def __call__(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total`` steps."""
        if self._bar is None:
            tqdm = importlib.import_module("tqdm.auto").tqdm
            self._bar = tqdm(total=total, **{"desc": "fairness", "unit": "step", **self.options})
        self._bar.update(done - self._bar.n)
        if done >= total:
            self._bar.close()
            self._bar = None


def tqdm_progress(**options: Any) -> TqdmProgress:
    """Return a progress callback that draws a tqdm bar; needs the ``progress`` extra.

    ``options`` go to :class:`tqdm.tqdm` (``desc``, ``file``, ``disable``, ...). tqdm is
    imported here, not when randsample is imported; without it this raises ImportError.

    >>> import io
    >>> from randsample.fairness import assess_counts, tqdm_progress
    >>> try:
    ...     bar = tqdm_progress(file=io.StringIO())
    ... except ImportError:  # tqdm is not installed: no bar
    ...     bar = None
    >>> assess_counts({"a": 5}, {"a": 0.5}, runs=10, progress=bar).passed
    True
    """
    try:
        importlib.import_module("tqdm")  # only to fail now, with a hint, when it is missing
    except ImportError as exc:
        raise ImportError(
            'tqdm_progress needs tqdm, an optional extra: pip install "randsample[progress]"'
        ) from exc
    return TqdmProgress(dict(options))
