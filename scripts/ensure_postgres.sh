#!/usr/bin/env bash
# Make PostgreSQL's server binaries (initdb, pg_ctl) available for the store tests, which start a
# throwaway server on a unix socket (tests/pg_server.py). Installs Debian's postgresql only when
# it is missing and we are root with apt-get; otherwise it says why and exits 0, so `make test`
# goes on and the PostgreSQL cases skip with that reason. No cluster is created or started here.
set -u

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    echo "ensure_postgres: found $(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1)"
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: PostgreSQL is missing and we cannot install it (need root and apt-get); the PostgreSQL store tests will skip" >&2
    exit 0
fi
echo "ensure_postgres: installing Debian's postgresql (one-off)"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: install the binaries without starting the packaged cluster service.
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
fi
if apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; then
    echo "ensure_postgres: installed"
else
    echo "ensure_postgres: apt-get could not install postgresql; the PostgreSQL store tests will skip" >&2
fi
[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
exit 0
