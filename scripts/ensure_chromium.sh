#!/usr/bin/env bash
# Make a headless chromium available for tests/test_brief_html.py.
# Installs Debian's chromium only when it is missing and we are root with apt-get; otherwise it
# says why and exits 0, so `make test` goes on and the browser test skips with that reason.
set -u

for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
        echo "ensure_chromium: found $(command -v "$candidate")"
        exit 0
    fi
done

if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: chromium is missing and we are not root; the HTML browser test will skip" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: chromium is missing and apt-get is not available; the HTML browser test will skip" >&2
    exit 0
fi

echo "ensure_chromium: installing Debian's chromium (one-off, a few minutes)"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    echo "ensure_chromium: installed $(command -v chromium)"
else
    echo "ensure_chromium: apt-get could not install chromium; the HTML browser test will skip" >&2
fi
exit 0
