"""The documentation site builds without warnings, and every public module has a reference page.

The build test needs the ``docs`` extra (``pip install -e ".[docs]"``) and is skipped without
it; the page coverage tests need nothing beyond randsample.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import randsample

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"

#: Warnings the build may give, each a regular expression matched against one warning line,
#: with a comment naming the file and object it comes from. They are docstrings in src/ that
#: are not valid numpydoc or reStructuredText; fix the docstring, then delete its entry (an
#: entry that no longer matches any warning fails the test, so the list cannot go stale).
KNOWN_WARNINGS: tuple[str, ...] = ()


def public_modules() -> list[str]:
    """Return randsample and every module below it whose dotted name has no ``_`` component."""
    found = [
        info.name
        for info in pkgutil.walk_packages(randsample.__path__, "randsample.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["randsample", *sorted(found)]


def reference_toctree() -> list[str]:
    """Return the entries of the toctree in docs/reference/index.md."""
    text = (REFERENCE / "index.md").read_text(encoding="utf-8")
    block = re.search(r"```\{toctree\}\n(.*?)```", text, re.DOTALL)
    assert block is not None, "docs/reference/index.md has no toctree"
    return [
        line.strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line.startswith(":")
    ]


def test_every_public_module_has_a_reference_page() -> None:
    """Each public module has docs/reference/<module>.md, and each such page is a public module.

    A new public subpackage (randsample.estimation, ...) fails here until its page exists; a
    module made private or removed fails here until its page goes.
    """
    modules = set(public_modules())
    pages = {path.stem for path in REFERENCE.glob("randsample*.md")}
    assert set() == modules - pages, "public modules without a page in docs/reference/"
    assert set() == pages - modules, "pages in docs/reference/ for no public module"


def test_every_stage_page_documents_its_module() -> None:
    """A stage page renders its module's __all__; the root page lists the re-exports."""
    for module in public_modules()[1:]:
        text = (REFERENCE / f"{module}.md").read_text(encoding="utf-8")
        assert f".. randsample-namespace:: {module}\n" in text, f"reference/{module}.md"
    root = (REFERENCE / "randsample.md").read_text(encoding="utf-8")
    assert ".. automodule:: randsample\n" in root
    assert ".. randsample-reexports::\n" in root


def test_the_reference_index_lists_every_page() -> None:
    """The reference index's toctree lists every public module's page once."""
    entries = reference_toctree()
    assert sorted(public_modules()) == sorted(entries)
    assert len(set(entries)) == len(entries)


def test_every_public_namespace_has_all() -> None:
    """Every public module declares __all__ (the reference documents exactly those names)."""
    missing = [
        name for name in public_modules() if not hasattr(importlib.import_module(name), "__all__")
    ]
    assert [] == missing


def _warnings(path: Path) -> list[str]:
    """Return the warning and error lines of a Sphinx warning file."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE):", line)]


def _documented_ids(html: Path) -> set[str]:
    """Return the object anchors (``id="randsample...."``) of one built page."""
    return set(re.findall(r'id="(randsample\.[^"]+)"', html.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_the_site_builds_without_warnings(tmp_path: Path) -> None:
    """sphinx -W --keep-going builds the site; every __all__ name of every page is documented.

    Only the warnings in KNOWN_WARNINGS are tolerated, and each of them must still occur.
    """
    for module in ("sphinx", "myst_nb", "myst_parser", "numpydoc", "furo"):
        pytest.importorskip(module)
    warning_file = tmp_path / "warnings.txt"
    out = tmp_path / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q"]
    command += ["-w", str(warning_file), "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)]
    build = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    warnings = _warnings(warning_file)
    unexpected = [w for w in warnings if not any(re.search(k, w) for k in KNOWN_WARNINGS)]
    assert [] == unexpected, build.stderr
    stale = [k for k in KNOWN_WARNINGS if not any(re.search(k, w) for w in warnings)]
    assert [] == stale, "these warnings are gone: delete their KNOWN_WARNINGS entries"
    if not warnings:
        assert 0 == build.returncode, build.stderr

    for module in public_modules()[1:]:
        names = importlib.import_module(module).__all__
        expected = {f"{module}.{name}" for name in names}
        assert set() == expected - _documented_ids(out / "reference" / f"{module}.html")
    root_ids = _documented_ids(out / "reference" / "randsample.html")
    assert "randsample.__version__" in root_ids
