"""The ``randsample`` command: the parser, ``main(argv)`` and the errors-to-exit-codes mapping.

Each command lives in its own module (``_demo``, ``_announce``, ``_draw``, ``_verify``,
``_assign``, ``_audit``, ``_report``, ``_fairness``, ``_export``) with its help and its
``run(args, inputs)``; the options several commands share are in ``_options``, ``-`` for
standard input and output in ``_streams``. This module is the edge: it turns every outcome
into an exit code.

Exit codes: 0 success; 1 a record did not verify, a design failed the fairness test, or no
complete inspector assignment exists; 2 bad input (one line on standard error says what to
fix, and no traceback). A reader that closes the pipe early (``| head``) ends the command
quietly with exit code 141, as SIGPIPE ends other Unix programs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import RandsampleError
from . import (
    _announce,
    _assign,
    _audit,
    _demo,
    _draw,
    _export,
    _fairness,
    _publish,
    _report,
    _verify,
    _visits,
)
from ._options import EXIT_BAD_INPUT, GUIDE, Parser
from ._streams import Inputs

__all__ = ["EXIT_BROKEN_PIPE", "main"]

#: Exit code when the reader of standard output went away: 128 + SIGPIPE (13), as a shell
#: reports a program killed by SIGPIPE.
EXIT_BROKEN_PIPE = 141

# In the order the top-level help lists them.
_COMMANDS = (
    _demo,
    _announce,
    _draw,
    _verify,
    _visits,
    _assign,
    _publish,
    _audit,
    _report,
    _fairness,
    _export,
)

_DESCRIPTION = """\
Verifiable randomized inspection sampling (双随机、一公开): draw the
enterprises to inspect and the inspector teams from a public seed, write sealed
records, and let anyone re-run a draw to check it."""

_EPILOG = f"""\
examples:
  randsample demo                  try everything on a built-in example county
  randsample draw population.csv --design design.toml --seed seed.json \\
      --authority AMR --draw-id 2026-11
  randsample verify record.json population.csv

'randsample COMMAND --help' describes a command, its options and the formats of
the files it reads. A file argument '-' is standard input; --out - is standard
output.

exit codes: 0 success; 1 not verified (a record differs, a design is not fair,
or no complete assignment exists); 2 bad input (one line on standard error says
what to fix); 141 the reader of standard output closed it early (e.g. '| head').

Every command, option and file format, with examples:
{GUIDE}."""


def _commands_help() -> str:
    width = max(len(command.NAME) for command in _COMMANDS) + 2
    lines = [f"  {command.NAME:<{width}}{command.SUMMARY}" for command in _COMMANDS]
    return "commands:\n" + "\n".join(lines)


def _parser() -> Parser:
    parser = Parser(
        prog="randsample",
        usage="%(prog)s [-h] [--version] COMMAND ...",
        description=f"{_DESCRIPTION}\n\n{_commands_help()}",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"randsample {__version__}")
    # The commands are listed in the description (one line each, in this order).
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help=argparse.SUPPRESS
    )
    for command in _COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``randsample`` command line with arguments ``argv``; return the exit code.

    ``argv`` defaults to ``sys.argv[1:]``. ``--help``, ``--version`` and usage errors return
    their exit codes (0, 0 and 2) instead of raising :class:`SystemExit`, so ``main`` can be
    called in-process.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     main(["demo", "--out", out, "--size", "500", "--timestamp", "2026-11-27T02:00:00Z",
    ...           "--json"])  # doctest: +ELLIPSIS
    {"record": "...", "selected": 32, "teams": "...", "year": {...}, "verified": true}
    0
    """
    try:
        code = _run(argv)
        sys.stdout.flush()  # a broken pipe shows here, not at interpreter exit
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    return code


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error (one line: Parser)
        return 0 if exit_.code is None else int(exit_.code)
    with Inputs() as inputs:
        try:
            code: int = args.run(args, inputs)
        except BrokenPipeError:
            raise
        except (RandsampleError, OSError, UnicodeError, RecursionError) as exc:
            message = " ".join(inputs.name_stdin(str(exc)).splitlines())
            if isinstance(exc, UnicodeError):  # the readers do not name the file
                message = f"a text file is not UTF-8 ({message})"
            elif isinstance(exc, RecursionError):  # the readers bound nesting; a last guard
                message = "an input is nested too deeply to read"
            print(f"randsample {args.command}: error: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
    return code


def _silence_stdout() -> None:
    # The reader is gone: point standard output at the null device, so that Python's final
    # flush of what is still buffered neither fails nor prints "Exception ignored ...".
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (in-process capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
