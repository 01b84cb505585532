"""Safe writes: never overwrite by accident, never leave a truncated file.

Every file randsample writes goes through :func:`write_atomic`: the bytes go to a temporary
file in the target's folder, are flushed to disk (``fsync``), and the temporary file is then
renamed over the target in one step (``os.replace``), or linked to it only if it does not
exist yet. A crash, a full disk or a kill at any moment leaves either the old file untouched
or the new one complete, never a mix; at worst a stray ``.NAME.*.tmp`` file remains.

An existing file is replaced only with ``force=True`` (``--force`` in the CLI), and never a
file named in ``protect`` (the record given as ``--previous``: writing a draw over the
record it links to would destroy the chain).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from ..errors import InvalidInputError

__all__ = ["check_writable", "write_atomic"]


def _same(path: Path, other: str | Path) -> bool:
    try:
        return path.resolve() == Path(other).resolve() or (
            path.exists() and Path(other).exists() and os.path.samefile(path, other)
        )
    except OSError:
        return False


def check_writable(
    path: str | Path, *, force: bool = False, protect: Iterable[str | Path | None] = ()
) -> None:
    """Refuse, before any work is done, a write that :func:`write_atomic` would refuse.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     check_writable(os.path.join(tmp, "new.json"))  # does not exist: fine
    ...     check_writable(tmp)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: output file: is a folder, got '...'
    """
    target = Path(path)
    for other in protect:
        if other is not None and other != "-" and _same(target, other):
            raise InvalidInputError(
                "output file",
                str(path),
                "is the previous record the new one links to; write the new record elsewhere",
            )
    if target.is_dir():
        raise InvalidInputError("output file", str(path), "is a folder")
    if target.exists() and not force:
        raise InvalidInputError(
            "output file", str(path), "already exists; pass --force (force=True) to replace it"
        )


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    force: bool = False,
    protect: Iterable[str | Path | None] = (),
    private: bool = False,
) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically; refuse to replace by accident.

    ``private`` creates the file readable by its owner only (mode 0600), for secrets;
    otherwise the usual permissions (0666 less the umask) apply.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = os.path.join(tmp, "record.json")
    ...     write_atomic(target, "{}")
    ...     write_atomic(target, "[]")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: output file: already exists; ...record.json'
    """
    target = Path(path)
    check_writable(target, force=force, protect=protect)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    folder = target.parent
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o600 if private else 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target, str(path))
        _sync_folder(folder)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _link_new(temporary: Path, target: Path, shown: str) -> None:
    # Create the target only if it still does not exist (no race with another writer).
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise InvalidInputError(
            "output file", shown, "already exists; pass --force (force=True) to replace it"
        ) from None
    except OSError:  # a file system without hard links: the check above must do
        os.replace(temporary, target)
        return
    temporary.unlink()


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable once the folder is flushed (POSIX; not possible on Windows).
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(descriptor)
