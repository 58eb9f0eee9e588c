#!/usr/bin/env bash
# Command 1: install what is missing, build the release app and serve it on
# http://127.0.0.1:8080 with the bundled content.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
bash scripts/tools.sh build
cargo fetch --locked
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" --no-autoreload
