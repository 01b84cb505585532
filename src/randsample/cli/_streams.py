"""``-`` as standard input for a file a command reads, and as standard output for one it writes.

Standard input can be read once, so at most one input file of a command may be ``-``. The
readers of :mod:`randsample.files` take paths (the suffix picks JSON or TOML, CSV or Parquet),
so standard input is copied once into a temporary file with the suffix the command expects
(``.json`` for JSON files, ``.csv`` for tables); error messages call that file ``<stdin>``.
Records need no copy: they are parsed from the bytes.

A file written to ``-`` goes to standard output as UTF-8 bytes, exactly as it would be
written to disk; whatever the command would print besides then goes to standard error, so
that standard output carries the file alone.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TextIO

from .. import files, records
from ..errors import InvalidInputError
from ..records import SealedRecord

__all__ = ["STDIN_NAME", "STDOUT_NAME", "Inputs", "messages", "shown", "write_output"]

STDIN_NAME, STDOUT_NAME = "<stdin>", "<stdout>"


class Inputs:
    """The files one run of a command reads, where ``-`` means standard input (read once).

    Use it as a context manager: a temporary copy of standard input is deleted on exit.
    """

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._reader: str | None = None  # the option that read standard input
        self._copy: str | None = None  # the temporary file holding it, if one was needed

    def __enter__(self) -> Inputs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _stdin(self, option: str) -> bytes:
        if self._reader is not None:
            problem = f"standard input is already read for {self._reader}; one file at most is '-'"
            raise InvalidInputError(option, "-", problem)
        self._reader = option
        stream = sys.stdin
        if hasattr(stream, "buffer"):
            data: bytes = stream.buffer.read()
            return data
        return stream.read().encode("utf-8")  # a text stream without bytes (tests)

    def path(self, value: str, option: str, *, suffix: str = ".json") -> str:
        """Return a path to read for ``value``: itself, or a copy of standard input for ``-``.

        ``option`` names the argument in errors; ``suffix`` picks the reader's format.
        """
        if value != "-":
            return value
        data = self._stdin(option)
        folder = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="randsample-"))
        copy = Path(folder) / f"stdin{suffix}"
        copy.write_bytes(data)
        self._copy = str(copy)
        return self._copy

    def data(self, value: str, option: str) -> bytes:
        """Return the bytes of file ``value`` or, for ``-``, of standard input."""
        return self._stdin(option) if value == "-" else Path(value).read_bytes()

    def record(self, value: str, option: str, *, check_digest: bool = True) -> SealedRecord:
        """Read a record of any kind from file ``value`` or, for ``-``, standard input."""
        if value == "-":
            return records.read_record(self._stdin(option), check_digest=check_digest)
        return files.read_record(value, check_digest=check_digest)

    def name_stdin(self, message: str) -> str:
        """Return ``message`` with the temporary copy of standard input called ``<stdin>``."""
        return message if self._copy is None else message.replace(self._copy, STDIN_NAME)


def messages(out: str | None) -> TextIO:
    """Return where a command prints: standard error when its file ``out`` is ``-``."""
    return sys.stderr if out == "-" else sys.stdout


def shown(out: str) -> str:
    """Return how output file ``out`` is named in messages: ``<stdout>`` for ``-``."""
    return STDOUT_NAME if out == "-" else out


def write_output(
    text: str, out: str, *, force: bool = False, protect: tuple[str | None, ...] = ()
) -> None:
    """Write ``text`` as UTF-8 to file ``out``, or to standard output for ``-``.

    The bytes are the same either way (no newline is added), so a record piped to a file is
    the record written to that file. A file is written atomically; an existing one is
    replaced only with ``force`` (``--force``), and one named in ``protect`` (the
    ``--previous`` record) never.
    """
    if out != "-":
        files.write_atomic(out, text, force=force, protect=protect)
        return
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # a text stream without bytes (doctests)
        stdout.write(text)
        return
    stdout.flush()  # anything printed before comes first
    buffer.write(text.encode("utf-8"))
    buffer.flush()
