"""Shared pytest configuration: hypothesis profiles.

``ci`` (the default under CI=true) derandomizes hypothesis so a red build can be replayed;
``dev`` explores freshly each run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
