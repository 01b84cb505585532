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

import json
import os
import sysconfig
from pathlib import Path

import pytest
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


def pytest_report_header() -> str:
    """Say which randsample is under test (the source tree or an installed wheel)."""
    import randsample

    return f"randsample {randsample.__version__} from {Path(randsample.__file__).parent}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """With ``RANDSAMPLE_TEST_INSTALLED=1`` (.ci/run's wheel job), refuse to test a source tree.

    The wheel job must test the built wheel as installed in site-packages; a ``src/`` checkout
    on ``sys.path`` (an editable install, a ``PYTHONPATH``) would make it test the sources.
    """
    if os.environ.get("RANDSAMPLE_TEST_INSTALLED") != "1":
        return
    import randsample

    where = Path(randsample.__file__).resolve().parent
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    if where.parent != site:
        raise pytest.UsageError(f"expected randsample installed in {site}, imported from {where}")


GOLDEN_V2 = Path(__file__).parent / "data" / "golden_assignment_v2"


@pytest.fixture
def seven_visits(tmp_path: Path) -> Path:
    """The golden v2 visits without the last one: the complete record's inputs (spec 19.8)."""
    data = json.loads((GOLDEN_V2 / "visits.json").read_text(encoding="utf-8"))
    data["visits"] = data["visits"][:-1]
    path = tmp_path / "seven_visits.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
