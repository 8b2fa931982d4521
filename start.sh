#!/usr/bin/env bash
# Set up (first run only) and start the map app at http://127.0.0.1:8501
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
PORT=${PORT:-8501}
echo "Open http://127.0.0.1:${PORT} in a browser (works offline)."
exec .venv/bin/streamlit run app.py --server.address 127.0.0.1 --server.port "$PORT" \
  --server.headless true --server.enableStaticServing true --browser.gatherUsageStats false "$@"
