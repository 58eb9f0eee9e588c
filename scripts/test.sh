#!/usr/bin/env bash
# Command 2: install what the tests need, then run every test: native, browser
# (wasm-bindgen-test in headless Chromium) and end-to-end (headless Chromium against
# the release build), and print the size report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
bash scripts/tools.sh test
cargo fetch --locked

step() { printf '\n==== %s\n' "$*"; lixun_repair_dev_null; }

# Cargo caches its probe of the compiler in target/.rustc_info.json, a failed probe included.
# The probe failed here when /dev/null was a regular file (see scripts/env.sh): rustc read what
# a build script had "discarded" as its source. If a cargo step still fails that way, restore
# /dev/null, drop the cache and run the step once more.
cargo_step() {
  local log
  log="$(mktemp)"
  if "$@" 2>&1 | tee "$log"; then rm -f "$log"; return 0; fi
  if grep -q 'failed to run `rustc` to learn about target-specific information' "$log"; then
    echo "[test] the compiler probe failed; clearing cargo's probe cache and trying once more" >&2
    lixun_repair_dev_null
    rm -f "$log" target/.rustc_info.json
    "$@"
    return
  fi
  rm -f "$log"
  return 1
}

step "formatting (cargo fmt --check)"
cargo fmt --check

step "lints, native (cargo clippy)"
cargo_step cargo clippy --locked --offline --all-targets -- -D warnings

step "lints, wasm32 (cargo clippy --target wasm32-unknown-unknown)"
cargo_step cargo clippy --locked --offline --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests (cargo test)"
cargo_step cargo test --locked --offline

step "device model: 10,000 seeded sequences of actions, crashes and damage (optimised build)"
cargo_step cargo test --locked --offline --release --test device_model -- --nocapture

step "content check (the validator a trainer runs)"
cargo_step cargo run --locked --offline --quiet --bin lixun-content -- content

step "browser tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=180 \
  cargo_step cargo test --locked --offline --target wasm32-unknown-unknown --test browser

step "release build (trunk build --release)"
trunk build --release --offline

step "size report"
python3 scripts/size_report.py dist

step "end-to-end tests (headless Chromium, node --test)"
NODE_PATH="$LIXUN_TOOLS/e2e/node_modules" LIXUN_DIST="$PWD/dist" \
  timeout 2100 node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/
