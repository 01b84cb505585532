"""The documentation cannot go stale: docs/api.md is generated, the notebook is executed.

``docs/api.md`` is the output of :func:`render_api`; regenerate it after changing a public
name, a signature or a docstring's first line with::

    python tests/test_docs.py

The example notebook is run cell by cell in one namespace (no Jupyter kernel is needed).
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import randsample

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"
NOTEBOOK = ROOT / "docs" / "examples" / "sampling-ratios.ipynb"
REGENERATE = (
    "python tests/test_docs.py"
    "  (or: python -c 'from tests.test_docs import write_api; write_api()')"
)

#: The modules of the pipeline, in the order the reference presents them.
MODULES = (
    "seed",
    "tickets",
    "population",
    "tables",
    "sizing",
    "allocation",
    "planning",
    "probabilities",
    "stratified",
    "pips",
    "exclusion",
    "replacement",
    "record",
    "verify",
    "files",
    "plan",
    "plan_files",
    "joint",
    "joint_verify",
    "burden",
    "metrics",
    "inspectors",
    "conflicts",
    "assignment_problem",
    "assignment",
    "feasibility",
    "assignment_marginals",
    "assignment_record",
    "assignment_files",
    "fairness",
    "report",
    "testing",
    "uscc",
    "errors",
    "identifiers",
    "stream",
    "encoding",
    "examples",
    "cli",
    "standalone_verify",
)
_MAX_VALUE_REPR = 120


# ------------------------------------------------------------------------- api.md generator


class _Raw:
    """Shows ``text`` verbatim where inspect would show a repr (annotations, defaults)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _value_repr(value: Any) -> str:
    """A deterministic repr: sets sorted, no memory addresses."""
    if isinstance(value, (set, frozenset)):
        inner = ", ".join(sorted(repr(v) for v in value))
        text = f"{{{inner}}}" if isinstance(value, set) else f"frozenset({{{inner}}})"
    else:
        text = repr(value)
    if " at 0x" in text:
        name = getattr(value, "__qualname__", None) or type(value).__qualname__
        text = f"<{name}>"
    return text


def _annotation(annotation: Any) -> Any:
    if annotation is inspect.Parameter.empty:
        return annotation
    if isinstance(annotation, str):  # `from __future__ import annotations`: keep the source
        return _Raw(annotation)
    text = inspect.formatannotation(annotation)
    # Evaluated annotations (e.g. hypothesis' @composite) show forward references by repr.
    return _Raw(re.sub(r"ForwardRef\('([^']*)'\)", r"\1", text))


def _signature(obj: Any, *, drop_self: bool = False, is_class: bool = False) -> str | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if drop_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    params = [
        p.replace(
            annotation=_annotation(p.annotation),
            default=p.default
            if p.default is inspect.Parameter.empty
            else _Raw(_value_repr(p.default)),
        )
        for p in params
    ]
    returns = inspect.Signature.empty if is_class else _annotation(sig.return_annotation)
    sig = sig.replace(parameters=params, return_annotation=returns)
    return str(sig)


def _first_line(doc: str | None) -> str:
    for line in inspect.cleandoc(doc or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _own_doc(obj: Any) -> str | None:
    """The object's own docstring (a class without one does not inherit its base's)."""
    if inspect.isclass(obj):
        return obj.__dict__.get("__doc__")
    if inspect.isroutine(obj) or isinstance(obj, property):
        return obj.__doc__
    return None


def _comment_docs(module: Any) -> dict[str, str]:
    """``#:`` comments written just above a module-level assignment, by name."""
    try:
        lines = inspect.getsource(module).splitlines()
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    for i, line in enumerate(lines):
        match = re.match(r"([A-Za-z_]\w*)\s*[:=]", line)
        start = i
        while start and lines[start - 1].startswith("#:"):
            start -= 1
        if match and start < i:
            docs[match.group(1)] = " ".join(text[2:].strip() for text in lines[start:i])
    return docs


def _public_names(module: Any) -> tuple[list[str], bool]:
    """``__all__`` sorted; without one, the public classes and functions defined there."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return sorted(names), True
    own = [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and getattr(obj, "__module__", None) == module.__name__
    ]
    return sorted(own), False


def _members(cls: type) -> list[str]:
    lines = []
    for name, attr in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(attr, property):
            lines.append(f"- `{name}` (property) — {_first_line(attr.__doc__)}".rstrip(" —"))
        elif isinstance(attr, (classmethod, staticmethod)) or inspect.isfunction(attr):
            func = attr.__func__ if isinstance(attr, (classmethod, staticmethod)) else attr
            sig = _signature(func, drop_self=not isinstance(attr, staticmethod)) or "(...)"
            kind = {classmethod: " (classmethod)", staticmethod: " (staticmethod)"}.get(
                type(attr), ""
            )
            lines.append(f"- `{name}{sig}`{kind} — {_first_line(func.__doc__)}".rstrip(" —"))
    return lines


def _render_name(module: Any, name: str, comments: dict[str, str]) -> list[str]:
    obj = getattr(module, name)
    out = [f"### `{name}`", ""]
    if inspect.isclass(obj):
        own_init = "__init__" in vars(obj) or "__attrs_attrs__" in vars(obj)
        sig = _signature(obj, is_class=True) if own_init else None
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b is not object)
        if sig is None or issubclass(obj, BaseException):
            header = [f"class {name}({bases})" if bases else f"class {name}"]
            header += [f"{name}{sig}"] if sig else []
        else:
            header = [f"class {name}{sig}"]
        out += ["```python", *header, "```"]
    elif inspect.isroutine(obj):
        out += ["```python", f"def {name}{_signature(obj) or '(...)'}", "```"]
    else:
        text = _value_repr(obj)
        if len(text) > _MAX_VALUE_REPR or "\n" in text:
            text = f"<{type(obj).__qualname__}>"
        out += ["```python", f"{name} = {text}", "```"]
    if inspect.isclass(obj) or inspect.isroutine(obj):
        defined = getattr(obj, "__module__", module.__name__)
        if defined != module.__name__:
            out += ["", f"(defined in `{defined}`)"]
    summary = _first_line(_own_doc(obj)) or comments.get(name, "")
    if summary:
        out += ["", summary]
    if inspect.isclass(obj) and (members := _members(obj)):
        out += ["", *members]
    out.append("")
    return out


def _anchor(title: str) -> str:
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def render_api() -> str:
    """Return the text of docs/api.md, generated from the modules' ``__all__`` and docstrings."""
    lines = [
        "# API reference",
        "",
        "<!-- Generated by render_api() in tests/test_docs.py; do not edit by hand.",
        "     Regenerate with: python tests/test_docs.py -->",
        "",
        "One section per module of the pipeline, each listing the module's public names",
        "(its `__all__`, sorted) with their signatures and the first line of their",
        "docstrings. The narrative documentation is in the [tutorial](tutorial.md), the how-to",
        "guides and the [specification](spec.md).",
        "",
        "Modules: " + ", ".join(f"[`{m}`](#{_anchor('randsample.' + m)})" for m in MODULES),
        "",
        "## `randsample`",
        "",
        _first_line(randsample.__doc__),
        "",
        "The names importable from the package itself, and the module that defines each:",
        "",
        "| name | module |",
        "|---|---|",
    ]
    for name in sorted(randsample.__all__):
        obj = getattr(randsample, name)
        home = getattr(obj, "__module__", None) if inspect.isclass(obj) or callable(obj) else None
        if home is None or not home.startswith("randsample."):
            home = next(
                (
                    f"randsample.{m}"
                    for m in MODULES
                    if name in (getattr(importlib.import_module(f"randsample.{m}"), "__all__", ()))
                ),
                "randsample._version" if name == "__version__" else "randsample",
            )
        lines.append(f"| `{name}` | `{home}` |")
    lines.append("")
    for short in MODULES:
        module = importlib.import_module(f"randsample.{short}")
        names, has_all = _public_names(module)
        lines += [f"## `randsample.{short}`", ""]
        if summary := _first_line(module.__doc__):
            lines += [summary, ""]
        if not has_all:
            lines += [
                "This module has no `__all__`; listed are the public classes and functions it"
                " defines.",
                "",
            ]
        comments = _comment_docs(module)
        for name in names:
            lines += _render_name(module, name, comments)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_api() -> None:
    """Write :func:`render_api` to docs/api.md."""
    API_MD.write_text(render_api(), encoding="utf-8")


# ------------------------------------------------------------------------------- the tests


def test_api_md_is_up_to_date() -> None:
    committed = API_MD.read_text(encoding="utf-8") if API_MD.exists() else ""
    assert render_api() == committed, f"docs/api.md is stale; regenerate it with: {REGENERATE}"


def test_api_md_is_deterministic() -> None:
    text = render_api()
    assert " at 0x" not in text
    assert ">>>" not in text  # docs/*.md are collected as doctests
    assert render_api() == text


def test_every_public_name_is_in_api_md() -> None:
    text = API_MD.read_text(encoding="utf-8")
    missing = [name for name in randsample.__all__ if f"`{name}`" not in text]
    assert not missing, f"not in docs/api.md: {missing}; regenerate it with: {REGENERATE}"


def test_every_module_has_a_section() -> None:
    text = API_MD.read_text(encoding="utf-8")
    for short in MODULES:
        assert f"## `randsample.{short}`\n" in text


def _code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for cell in cells:
        assert cell["outputs"] == [], "commit the notebook with empty outputs"
        assert cell["execution_count"] is None
    return ["".join(cell["source"]) for cell in cells]


def test_notebook_runs_and_its_design_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(NOTEBOOK.parent)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for index, source in enumerate(_code_cells(NOTEBOOK)):
        # IPython would display a cell's last expression; plain exec just evaluates it.
        try:
            exec(compile(source, f"<{NOTEBOOK.name} cell {index}>", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message names the cell
            pytest.fail(f"notebook code cell {index} raised {exc!r}:\n{source}")
    result = namespace["result"]
    assert isinstance(result, randsample.FairnessResult)
    assert result.passed, result.summary()


def test_every_module_of_the_package_is_in_the_reference():
    """A new module cannot be left out of docs/api.md: MODULES lists every one."""
    import pkgutil

    import randsample

    found = {
        m.name for m in pkgutil.iter_modules(randsample.__path__) if not m.name.startswith("_")
    }
    assert found == set(MODULES)


if __name__ == "__main__":
    write_api()
    print(f"wrote {API_MD.relative_to(ROOT)}", file=sys.stderr)
