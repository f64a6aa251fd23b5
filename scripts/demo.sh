#!/usr/bin/env bash
# Command 1 of the README: set up, harvest the three bundled demo municipalities'
# Dynasty sites (127.0.0.1:8765-8767) into data/kokousarkisto.db and browse it in
# Datasette on http://127.0.0.1:8001/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/kokousarkisto demo --db data/kokousarkisto.db "$@"
