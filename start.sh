#!/usr/bin/env bash
# Set up (first run only) and start the map app at http://127.0.0.1:8501
#   ./start.sh --public   public deployment: personal names withheld, sensitive places coarsened
#   ./start.sh --team     a team store: starts a local PostgreSQL + PostGIS in .pgdata/ (first start:
#                         creates it and imports data/register), then the app with INCIDENT_STORE set.
#                         To use an existing server instead: INCIDENT_STORE=postgresql://... ./start.sh
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
if [ "${1:-}" = "--public" ]; then
  export INCIDENT_MAP_MODE=public
  shift
  echo "Public mode: personal names are withheld and sensitive locations coarsened."
elif [ "${1:-}" = "--team" ]; then
  shift
  bash scripts/postgis_packages.sh
  INCIDENT_STORE=$(.venv/bin/python -m geo store local start)
  export INCIDENT_STORE
  echo "Team store: PostgreSQL + PostGIS on ${INCIDENT_STORE##*@} (data in .pgdata/; stop it with"
  echo "  .venv/bin/python -m geo store local stop). Add users: .venv/bin/python -m geo users add NAME --role editor"
fi
PORT=${PORT:-8501}
echo "Open http://127.0.0.1:${PORT} in a browser (works offline)."
exec .venv/bin/python -m ui.server --server.address 127.0.0.1 --server.port "$PORT" \
  --server.headless true --server.enableStaticServing true --browser.gatherUsageStats false "$@"
