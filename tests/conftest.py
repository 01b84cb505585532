"""Shared pytest configuration: hypothesis profiles.

Two profiles are registered:

``ci``
    Active when the ``CI`` environment variable is set to anything but ``""``, ``0``, ``false``
    or ``no`` (``.ci/run`` sets ``CI=true``). ``derandomize=True`` makes every run draw the
    same examples, so a red build is red again on a re-run and on a laptop with
    ``HYPOTHESIS_PROFILE=ci``; ``deadline=None`` because the 2-core CI machine is shared and
    its timings are noisy; ``print_blob=True`` prints the ``@reproduce_failure`` line of a
    failing example; the ``too_slow`` health check is off for the same noisy-timing reason.
``dev``
    The default elsewhere: fresh random examples on every run (with hypothesis' example
    database in ``.hypothesis/`` replaying earlier failures first), no deadline.

``HYPOTHESIS_PROFILE=<name>`` overrides the choice either way.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# derandomize=False spelled out: hypothesis bases its defaults on whether CI is *present* in the
# environment (even CI=false), and "dev" must explore freshly whatever that says.
settings.register_profile("dev", derandomize=False, deadline=None)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _in_ci() else "dev"))
