"""Sphinx configuration of the randsample documentation site.

Build it with::

    python -m pip install -e ".[docs]"
    python -m sphinx -W -b html docs docs/_build/html

The Markdown pages are read by MyST (through MyST-NB, which also renders the example notebook
from its stored outputs without executing it: the tests run it under nbmake). The API reference
(``docs/reference/``) is one page per public namespace, each rendering every name of that
namespace's ``__all__`` with its full docstring (the ``randsample-namespace`` directive below).
Root-level names of :mod:`randsample` are re-exports: they are documented once, on their
stage's page, and the root page lists them with links (``randsample-reexports``). A reference
to ``randsample.X`` or to a private path such as ``randsample.design._sizing.sizes_from_rates``
resolves to the page where the object is documented.

No network is needed: intersphinx is not used, so nothing is downloaded at build time.

This file is also imported by pytest (``--doctest-modules`` over ``docs/``), so it imports
nothing outside the standard library and randsample at module level.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import sys
from typing import TYPE_CHECKING, Any

import randsample

if TYPE_CHECKING:  # pragma: no cover - Sphinx is only present in the docs extra
    from docutils import nodes
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# -- Project -------------------------------------------------------------------------------------

project = "randsample"
author = "randsample developers"
copyright = "randsample developers"
release = randsample.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------------------------

extensions = [
    "myst_nb",  # MyST Markdown pages (it activates myst_parser itself) and the notebook
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "numpydoc",
]
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
root_doc = "index"
language = "en"

# MyST: ``[text](page.md#a-heading)`` links resolve to headings up to level 3.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

# MyST-NB: render the notebook as committed (outputs stored or not); never execute it here.
nb_execution_mode = "off"

# autodoc: members come from each namespace's ``__all__`` (in that order), signatures carry the
# annotations, and long signatures wrap one parameter a line.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
python_maximum_signature_line_length = 88
add_module_names = False

# numpydoc renders the docstrings; autodoc already lists class members, so numpydoc does not
# add its own member tables.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- HTML ----------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"randsample {release}"
html_static_path: list[str] = []

# -- randsample's reference: one page per public namespace ---------------------------------------
#
# A page ``docs/reference/<namespace>.md`` holds one directive, ``randsample-namespace``, which
# documents the namespace (its docstring) and then every name in its ``__all__``, in that order,
# with the autodoc directive for its kind; classes with their public members. The root page uses
# ``randsample-reexports``: its names are re-exports documented on their stage's page, so it
# lists them with links. A reference to ``randsample.X`` or to a private path such as
# ``randsample.design._sizing.sizes_from_rates`` resolves to the page where the object is.


def public_namespaces() -> list[str]:
    """Return the dotted names of randsample's public modules, the root first.

    A module is public when no component of its dotted name starts with ``_``. Each one has a
    page ``docs/reference/<name>.md`` (the tests check this).
    """
    names = [
        info.name
        for info in pkgutil.walk_packages(randsample.__path__, "randsample.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["randsample", *sorted(names)]


@functools.cache
def documented_homes() -> dict[int, str]:
    """Map each object in a stage namespace's ``__all__`` to its documented dotted name.

    The root namespace is left out: its names are re-exports documented on a stage page.
    """
    homes: dict[int, str] = {}
    for name in public_namespaces()[1:]:
        module = importlib.import_module(name)
        for member in module.__all__:
            homes.setdefault(id(getattr(module, member)), f"{name}.{member}")
    return homes


def _directive_for(obj: object) -> str:
    """Return the autodoc directive (with options) that documents ``obj``."""
    if inspect.isclass(obj):
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        options = "\n   :members:\n   :show-inheritance:"
        # Methods inherited from a randsample base (SealedRecord.from_json on DrawRecord) are
        # shown on the class the user holds; never those of a builtin base (str, Exception).
        bases = obj.__mro__[1:-1]
        if bases and all(base.__module__.startswith("randsample.") for base in bases):
            options += "\n   :inherited-members:"
        return f"{kind}:: {{}}{options}"
    if inspect.isroutine(obj):
        return "autofunction:: {}"
    return "autodata:: {}"


def namespace_rst(namespace: str) -> str:
    """Return reStructuredText documenting ``namespace`` and every name in its ``__all__``."""
    module = importlib.import_module(namespace)
    lines = [f".. automodule:: {namespace}", ""]
    for name in module.__all__:
        directive = _directive_for(getattr(module, name)).format(f"{namespace}.{name}")
        lines += [f".. {directive}", ""]
    return "\n".join(lines)


def _summary(dotted: str) -> str:
    """Return the first paragraph of the documentation of the object at ``dotted``."""
    namespace, _, name = dotted.rpartition(".")
    obj = getattr(importlib.import_module(namespace), name)
    doc = inspect.getdoc(obj) if inspect.isclass(obj) or inspect.isroutine(obj) else None
    lines = (doc or "\n".join(_data_comment(namespace, name))).strip().split("\n\n")[0]
    return " ".join(lines.split())


def reexports_rst() -> str:
    """Return reStructuredText listing the root's names, each linked to where it is documented.

    A root name that no stage namespace exports (``__version__``) is documented here in full.
    """
    homes = documented_homes()
    lines = [".. list-table::", "   :header-rows: 1", "", "   * - Name", "     - Summary"]
    root_only: list[str] = []
    for name in randsample.__all__:
        home = homes.get(id(getattr(randsample, name)))
        if home is None:
            root_only.append(name)
            continue
        lines += [f"   * - :py:obj:`randsample.{name} <{home}>`", f"     - {_summary(home)}"]
    lines.append("")
    for name in root_only:
        lines += [f".. autodata:: randsample.{name}", ""]
    return "\n".join(lines)


def _data_comment(namespace: str, name: str) -> list[str]:
    """Return the ``#:`` comment of a constant re-exported by ``namespace`` from a private module.

    autodoc reads such comments only in the module it documents (the public namespace), not in
    the private module that defines the constant.
    """
    from sphinx.pycode import ModuleAnalyzer

    value = getattr(importlib.import_module(namespace), name)
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith(f"{namespace}.") and getattr(module, name, None) is value:
            comment = ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", name))
            if comment:
                return list(comment)
    return []


def add_data_comment(  # noqa: PLR0917 - the autodoc-process-docstring signature
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Document a re-exported constant by its ``#:`` comment in the private module.

    Without one, autodoc would show the docstring of the constant's type (``int``, ``str``).
    """
    del app, options
    if what != "data":
        return
    namespace, _, attribute = name.rpartition(".")
    comment = _data_comment(namespace, attribute)
    if comment:
        lines[:] = comment
    elif [line.strip() for line in lines if line.strip()] == _type_doc(obj):
        lines.clear()


def _type_doc(obj: object) -> list[str]:
    """Return the non-blank, stripped lines of the docstring of ``obj``'s type."""
    doc = type(obj).__doc__ or ""
    return [line.strip() for line in doc.splitlines() if line.strip()]


def resolve_reexport(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    """Resolve a reference to a public object to the page where the object is documented.

    Handles ``randsample.X`` (a re-export), private paths (``randsample.design._sizing.X``),
    names relative to the current module or class, and, last, a bare name that exactly one
    documented object has (``InvalidInputError`` in a docstring of ``randsample.core``).
    """
    if node.get("refdomain") != "py":
        return None
    home = _home_of(node.get("reftarget", ""), node.get("py:module"), node.get("py:class"))
    if home is None:
        return None
    return env.domains["py"].resolve_xref(  # type: ignore[no-any-return]
        env, node["refdoc"], app.builder, node["reftype"], home, node, contnode
    )


def _home_of(target: str, module: str | None, cls: str | None) -> str | None:
    """Return where the object ``target`` denotes is documented, if it is elsewhere."""
    homes = documented_homes()
    candidates = [target] if target.startswith("randsample.") else []
    if module and cls:
        candidates.append(f"{module}.{cls}.{target}")
    if module:
        candidates.append(f"{module}.{target}")
    for candidate in candidates:
        obj = _lookup(candidate)
        home = None if obj is None else homes.get(id(obj))
        if home is not None:
            return None if home == candidate else home
    by_name = [home for home in homes.values() if home.rpartition(".")[2] == target]
    return by_name[0] if len(by_name) == 1 else None


def _lookup(dotted: str) -> object | None:
    """Return the object a dotted name denotes, or None when there is none."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute, None)
            if obj is None:
                return None
        return obj
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the two reference directives and the handlers they need."""
    from docutils import nodes as docutils_nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective
    from sphinx.util.nodes import nested_parse_with_titles

    class _GeneratedRst(SphinxDirective):
        """Parse generated reStructuredText in place of the directive."""

        def text(self) -> str:
            raise NotImplementedError

        def run(self) -> list[docutils_nodes.Node]:
            parent = docutils_nodes.container()
            content = StringList(self.text().splitlines(), source=self.get_source_info()[0])
            nested_parse_with_titles(self.state, content, parent)
            return list(parent.children)

    class NamespaceDirective(_GeneratedRst):
        """``.. randsample-namespace:: randsample.stage``: a namespace and its ``__all__``."""

        required_arguments = 1

        def text(self) -> str:
            return namespace_rst(self.arguments[0])

    class ReexportsDirective(_GeneratedRst):
        """``.. randsample-reexports::``: the root's names, linked to their stage pages."""

        def text(self) -> str:
            return reexports_rst()

    app.add_directive("randsample-namespace", NamespaceDirective)
    app.add_directive("randsample-reexports", ReexportsDirective)
    app.connect("autodoc-process-docstring", add_data_comment, priority=400)  # before numpydoc
    app.connect("missing-reference", resolve_reexport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
