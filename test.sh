#!/usr/bin/env bash
# Set up (first run only) and run every test. Browser tests use Debian's Chromium and the store tests
# PostgreSQL + PostGIS: installed here when running as root, otherwise those tests are skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "test: could not install chromium; browser tests will be skipped"
fi
if ! fc-list 2>/dev/null | grep -qi nanum && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's fonts-nanum (Hangul in Chromium and the print maps)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >/dev/null) \
    || echo "test: could not install fonts-nanum; the Korean print-map test will fail"
fi
bash scripts/postgis_packages.sh 2>/dev/null || echo "test: PostgreSQL + PostGIS not installed; the store tests will be skipped"
# Test files run in parallel (pytest-xdist; a file's tests stay together in one worker, so a module's
# app server and browser are started once). TEST_WORKERS=0 runs them all in this process.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-3}" --dist loadfile "$@"
