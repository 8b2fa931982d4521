#!/usr/bin/env bash
# Set up (first run only) and start the map app at http://127.0.0.1:8501
#   ./start.sh --public   public deployment: personal names withheld, sensitive places coarsened
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
if [ "${1:-}" = "--public" ]; then
  export INCIDENT_MAP_MODE=public
  shift
  echo "Public mode: personal names are withheld and sensitive locations coarsened."
fi
PORT=${PORT:-8501}
echo "Open http://127.0.0.1:${PORT} in a browser (works offline)."
exec .venv/bin/streamlit run app.py --server.address 127.0.0.1 --server.port "$PORT" \
  --server.headless true --server.enableStaticServing true --browser.gatherUsageStats false "$@"
