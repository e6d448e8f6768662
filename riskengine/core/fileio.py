"""Writing files so that a reader never sees half of one, and no input is lost.

Everything the project writes (reports, briefs, rejects, schemas) goes through here: the data goes
to a temporary file beside the target, is flushed to disk, and replaces the target in one
``os.replace``. A crash or a full disk leaves the old file, never a truncated one.

Besides:

* a target that is one of the run's inputs is refused (E407) before anything is written: an
  ``-o`` or ``--rejects`` naming an event file once replaced it with the report. The inputs are
  those given to ``protect`` (the CLI declares every path it was given) and any passed as
  ``protect=``; they are compared by device and inode, so another spelling or a hard link is
  caught too.
* a symlink is written through (its target is replaced, the link stays);
* a FIFO, a character device or a ``/dev/stdout``-like path is streamed to, never replaced (as
  root, replacing ``/dev/null`` with a file breaks the machine);
* failing to write (missing or read-only folder, a folder as target, full disk, file-size limit)
  is an InputError E406 naming the target, and the old file is left as it was;
* a file one may not write (read-only, or another user's) is refused too, although replacing it
  needs only its folder's permission: a shell's ``>`` or ``cp`` refuse it, and so do we;
* ``check_writable`` says so before any work is done (the CLI checks every output it was given),
  and ``write_all`` writes several files all or none.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from riskengine.core.errors import InputError, Issue, Location

# (device, inode) -> the path as the user gave it, for the message
_protected: dict[tuple[int, int], str] = {}
# Folders given as inputs (rule folders): existing files under them are inputs too. Walked lazily.
_MAX_WALK = 10_000


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


def protect(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Declare ``paths`` inputs of this run: no writer may replace them (folders: their files)."""
    for path in paths:
        ident = _identity(path)
        if ident is None:
            continue
        _protected[ident] = os.fspath(path)
        if os.path.isdir(path):
            _protect_files_under(path)


def _protect_files_under(folder: str | os.PathLike[str]) -> None:
    # Bounded per folder, so that one huge folder does not leave the paths after it unprotected.
    seen = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            seen += 1
            if seen > _MAX_WALK:
                return
            inner = _identity(os.path.join(root, name))
            if inner is not None:
                _protected.setdefault(inner, os.path.join(root, name))


def reset_protection() -> None:
    """Forget the inputs declared so far (a new run in the same process)."""
    _protected.clear()


def _cannot_write(target: str | os.PathLike[str], reason: str, hint: str | None = None) -> InputError:
    return InputError([Issue("E406", f"cannot write {os.fspath(target)}: {reason}", Location(os.fspath(target)), hint)])


def _reason(error: OSError) -> str:
    if error.errno == errno.EFBIG:
        return "the file-size limit was reached"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device"
    return error.strerror or str(error)


def _check_not_input(shown: str, ident: tuple[int, int] | None, extra: dict[tuple[int, int], str]) -> None:
    if ident is None:
        return
    for table in (extra, _protected):
        if ident in table:
            raise InputError(
                [Issue("E407", f"refusing to write {shown}: it is an input of this run ({table[ident]})", Location(shown), "write the output to another file")]
            )


def _is_stream(path: str) -> bool:
    """True for targets to stream to: FIFOs, devices, sockets, /dev/* and /proc/*/fd/*."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return True
    real = os.path.realpath(path)
    return real.startswith(("/dev/", "/proc/")) or os.path.abspath(path).startswith(("/dev/", "/proc/"))


def _may_write(path: str | os.PathLike[str]) -> bool:
    # effective ids: what this process may do (root without CAP_DAC_OVERRIDE may not write another
    # user's read-only file), which is what open() and rename() will check
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _not_writable(path: str | os.PathLike[str]) -> str:
    try:
        read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return "read-only file system" if read_only else "permission denied"


def _folder_not_writable(shown: str, folder: str) -> str:
    # the folder as the user named it, unless a symlink led elsewhere
    given = os.path.dirname(shown) or "."
    named = given if os.path.realpath(given) == os.path.realpath(folder) else folder
    return f"folder {named} is not writable ({_not_writable(folder)})"


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise the E407 or E406 that writing ``path`` would raise, where that is known without
    writing: an input of this run, a file or a folder one may not write, a read-only file system.
    A missing folder, a folder as target and streams are left to the writer, which says what it
    makes of them. Known before any work: `extract article.txt -o article.txt` extracted
    everything (seconds of CPU) only to refuse the write at the end."""
    shown = os.fspath(path)
    _check_not_input(shown, _identity(shown), {})
    if _is_stream(shown) or os.path.isdir(shown):
        return
    target = os.path.realpath(shown)
    if os.path.lexists(target) and not _may_write(target):
        raise _cannot_write(shown, f"the file is not writable ({_not_writable(target)})")
    folder = os.path.dirname(target) or "."
    # the folder too when the file exists: it is replaced, not rewritten in place
    if os.path.isdir(folder) and not _may_write(folder):
        raise _cannot_write(shown, _folder_not_writable(shown, folder))


@contextlib.contextmanager
def _streaming(target: str, mode: str) -> Iterator[IO[Any]]:
    # O_APPEND: /dev/stdout redirected to a file must not start over at offset 0 (the shell truncated it).
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
    except OSError as error:
        raise _cannot_write(target, _reason(error)) from None
    handle: IO[Any] = open(fd, "w", encoding="utf-8", newline="\n") if mode == "w" else open(fd, "wb")  # noqa: SIM115 - closed by the with below
    try:
        with handle:
            yield handle
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EPIPE, errno.EIO):
            raise _cannot_write(target, _reason(error)) from None
        raise


def _temp_path(target: Path) -> Path:
    # Same directory as the target: os.replace is only atomic within one file system.
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str], mode: str = "w", *, protect: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the block ends without an exception.

    Text mode writes UTF-8 with ``\\n`` line ends. On an exception the temporary file is removed
    and ``path`` is left as it was. ``protect`` names inputs of this run that ``path`` must not be
    (besides those declared with ``protect()``).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer mode must be 'w' or 'wb', not {mode!r}")
    shown = os.fspath(path)
    extra = {ident: os.fspath(p) for p in protect if (ident := _identity(p)) is not None}
    ident = _identity(shown)
    _check_not_input(shown, ident, extra)
    if os.path.isdir(shown):
        raise _cannot_write(shown, "it is a folder", "name a file")
    if _is_stream(shown):
        with _streaming(shown, mode) as stream:
            yield stream
        return
    check_writable(shown)
    # A symlink is written through: the file it points to is replaced, the link stays.
    target = Path(os.path.realpath(shown))
    temp = _temp_path(target)
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any new file (mkstemp uses 0600).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileNotFoundError:
        raise _cannot_write(shown, "the folder does not exist", f"create {target.parent} first") from None
    except OSError as error:
        raise _cannot_write(shown, _reason(error)) from None
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))  # keep an existing file's mode
        # opened here, used in the with below: a failure to open must close fd and remove temp
        if mode == "w":
            handle: IO[Any] = open(fd, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - see above
        else:
            handle = open(fd, "wb")  # noqa: SIM115 - see above
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    try:
        try:
            with handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            # checked again at the end: an input may have been declared while this was open
            _check_not_input(shown, _identity(target), extra)
            os.replace(temp, target)
        except OSError as error:
            # errors of the disk, not of the caller's own reading inside the block
            if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM):
                raise _cannot_write(shown, _reason(error)) from None
            raise
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, protect: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    if isinstance(data, bytes):
        with atomic_writer(path, "wb", protect=protect) as binary:
            binary.write(data)
    else:
        with atomic_writer(path, "w", protect=protect) as text:
            text.write(data)


def write_all(outputs: Sequence[tuple[str | os.PathLike[str], str | bytes]], *, protect: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write several files, all or none: every one is written to its temporary file first, and
    they replace their targets only once all are written. A target that cannot be written (folder
    or file not writable, no such folder, full disk) fails the call with none of them replaced.
    Only a failure of the final renames themselves could leave some replaced."""
    with contextlib.ExitStack() as stack:
        for path, data in outputs:
            handle = stack.enter_context(atomic_writer(path, "wb" if isinstance(data, bytes) else "w", protect=protect))
            handle.write(data)


__all__ = ["atomic_writer", "check_writable", "protect", "reset_protection", "write_all", "write_atomic"]
