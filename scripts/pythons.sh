#!/usr/bin/env bash
# Prints the Python interpreters riskengine supports that this machine has, oldest first, one
# path a line. Looks on PATH (python3.11 ...) and in pyenv's versions, because pyenv's shims
# answer "command not found" for every version but the global one.
set -u
SUPPORTED="3.11 3.12 3.13 3.14"
for version in $SUPPORTED; do
    found=""
    for candidate in "python$version" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version"*/bin/python"$version"; do
        path=$(command -v "$candidate" 2>/dev/null) || continue
        if "$path" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" >/dev/null 2>&1; then
            found=$path
            break
        fi
    done
    [ -n "$found" ] && echo "$found"
done
exit 0
