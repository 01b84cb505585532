"""TOML files are read on Python 3.10 too, through tomli, the backport of tomllib."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from randsample.errors import InvalidInputError
from randsample.files import read_mapping


def test_toml_is_read_with_tomli_when_tomllib_is_missing(tmp_path: Path, monkeypatch):
    """With tomllib absent (as on 3.10) the same file reads the same through tomli."""
    pytest.importorskip("tomli")
    path = tmp_path / "design.toml"
    path.write_text('rates = { A = "3%" }\nrounding = "floor"\n', encoding="utf-8")
    with_tomllib = read_mapping(path)
    monkeypatch.setitem(sys.modules, "tomllib", None)  # import tomllib now raises ImportError
    assert with_tomllib == read_mapping(path) == {"rates": {"A": "3%"}, "rounding": "floor"}


def test_without_any_toml_reader_the_error_says_what_to_install(tmp_path: Path, monkeypatch):
    """No tomllib and no tomli: a typed error naming the file and the package."""
    path = tmp_path / "seed.toml"
    path.write_text('hex = "00"\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", None)
    with pytest.raises(InvalidInputError, match="pip install tomli"):
        read_mapping(path)
