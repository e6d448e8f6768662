#!/usr/bin/env bash
# Make a headless chromium available for the browser tests (tests/test_brief_html.py,
# tests/test_brief_render.py) and `riskengine brief --format pdf`, with poppler-utils (pdftoppm,
# pdftotext, pdffonts), which the PDF test reads the printed briefs back with.
# Installs Debian's packages only when missing and we are root with apt-get; otherwise it says
# why and exits 0, so `make test` goes on and the tests that need them skip with that reason.
set -u

missing=()
chromium_found=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
        chromium_found=$(command -v "$candidate")
        break
    fi
done
if [ -n "$chromium_found" ]; then
    echo "ensure_chromium: found $chromium_found"
else
    missing+=(chromium fonts-dejavu-core)
fi
if command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    echo "ensure_chromium: found $(command -v pdftoppm) and pdftotext"
else
    missing+=(poppler-utils)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: ${missing[*]} missing and we are not root; the browser and PDF tests will skip" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: ${missing[*]} missing and apt-get is not available; the browser and PDF tests will skip" >&2
    exit 0
fi

echo "ensure_chromium: installing Debian's ${missing[*]} (one-off, a few minutes)"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "ensure_chromium: installed ${missing[*]}"
else
    echo "ensure_chromium: apt-get could not install ${missing[*]}; the browser and PDF tests will skip" >&2
fi
exit 0
