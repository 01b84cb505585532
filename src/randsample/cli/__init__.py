"""The ``randsample`` command line: :func:`main` runs it in-process and returns the exit code.

One private module per command (``_demo``, ``_verify``, ``_draw``, ``_assign``, ``_report``,
``_fairness``, ``_export``), the options and file-format help they share (``_options``), ``-``
for standard input and output (``_streams``), and the parser with the mapping of errors to
exit codes (``_main``). The commands, options and file formats are described in
``docs/cli.md``.
"""

from ._main import main

__all__ = [
    "main",
]
