"""Writing files so that a reader never sees half of one.

Everything the project writes (reports, briefs, rejects, schemas) goes through here: the data goes
to a temporary file beside the target, is flushed to disk, and replaces the target in one
``os.replace``. A crash or a full disk leaves the old file, never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def _temp_path(target: Path) -> Path:
    # Same directory as the target: os.replace is only atomic within one file system.
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the block ends without an exception.

    Text mode writes UTF-8 with ``\\n`` line ends. On an exception the temporary file is removed
    and ``path`` is left as it was.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    temp = _temp_path(target)
    # os.open with 0o666 lets the umask decide the mode, as for any new file (mkstemp uses 0600).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))  # keep an existing file's mode
        if mode == "w":
            handle: IO[Any] = open(fd, "w", encoding="utf-8", newline="\n")
        else:
            handle = open(fd, "wb")
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    if isinstance(data, bytes):
        with atomic_writer(path, "wb") as binary:
            binary.write(data)
    else:
        with atomic_writer(path, "w") as text:
            text.write(data)


__all__ = ["atomic_writer", "write_atomic"]
