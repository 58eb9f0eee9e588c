#!/usr/bin/env bash
# Installs the build and test tools Lixun needs into a per-user folder outside the
# clone, and reuses them when the right versions are already there.
#   scripts/tools.sh build   -> rust target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/tools.sh test    -> the above + chromium, chromedriver, CJK fonts, playwright-core
# Prints `export PATH=...` lines are not needed: callers source scripts/env.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
PLAYWRIGHT_VERSION=1.65.1

log() { printf '[tools] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if "$LIXUN_TOOLS/bin/trunk" --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then return; fi
  log "installing trunk $TRUNK_VERSION (takes ~20 minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --root "$LIXUN_TOOLS"
}

ensure_wasm_bindgen() {
  if "$LIXUN_TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION" \
     && [ -x "$LIXUN_TOOLS/bin/wasm-bindgen-test-runner" ]; then return; fi
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file pins a crate version the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$LIXUN_TOOLS"
}

ensure_wasm_opt() {
  if "$LIXUN_TOOLS/npm/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then return; fi
  log "installing binaryen@$BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$LIXUN_TOOLS/npm"
  npm install --silent --no-audit --no-fund --prefix "$LIXUN_TOOLS/npm" "binaryen@$BINARYEN_VERSION"
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
  # pdftoppm: the certificate test renders the printed PDF's first page to an image.
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    apt_install "${missing[@]}"
  fi
}

ensure_e2e_node() {
  local dir="$LIXUN_TOOLS/e2e"
  if [ -f "$dir/node_modules/playwright-core/package.json" ] \
     && grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$dir/node_modules/playwright-core/package.json"; then return; fi
  log "installing playwright-core@$PLAYWRIGHT_VERSION (no browser download)"
  mkdir -p "$dir"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix "$dir" "playwright-core@$PLAYWRIGHT_VERSION"
}

mkdir -p "$LIXUN_TOOLS/bin"
case "${1:-build}" in
  build) ensure_rust_target; ensure_wasm_opt; ensure_wasm_bindgen; ensure_trunk ;;
  test)  ensure_rust_target; ensure_wasm_opt; ensure_browser; ensure_e2e_node; ensure_wasm_bindgen; ensure_trunk ;;
  *) log "usage: $0 build|test"; exit 2 ;;
esac
