"""A throwaway PostgreSQL server for the store tests, from Debian's packages: initdb on a temp
folder, listening on a unix socket in that folder only (no TCP port at all). Skips, with the
reason, where the server binaries or psycopg are missing."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def postgres_url(tmp: Path) -> Iterator[str]:
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'riskengine[postgres]')")
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    data, sock = tmp / "pgdata", tmp / "pgsock"
    sock.mkdir(parents=True)
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as Debian's postgres user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
        try:
            shutil.chown(tmp, "postgres")
            shutil.chown(sock, "postgres")
        except (LookupError, PermissionError) as error:
            pytest.skip(f"no postgres user to run the server as: {error}")
        os.chmod(tmp, 0o755)
        for parent in tmp.parents:  # pytest's temp folders are 0700: let the postgres user through
            if str(parent).startswith(("/tmp/pytest-of-", "/tmp/")) and parent != Path("/tmp"):
                os.chmod(parent, os.stat(parent).st_mode | 0o711)
        prefix = ["runuser", "-u", "postgres", "--"]
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], **run)  # type: ignore[call-overload]
        options = f"-c listen_addresses='' -c unix_socket_directories={sock} -c fsync=off -c max_connections=50"
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-w", "-t", "60", "-l", str(tmp / "pg.log"), "start"], **run)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as error:
        pytest.skip(f"could not start PostgreSQL: {error.stderr.strip() or error.stdout.strip()}")
    try:
        yield f"postgresql://postgres@/postgres?host={sock}"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
