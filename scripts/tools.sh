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
AXE_VERSION=4.14.1
WORKBOX_VERSION=7.4.1
BROTLI_VERSION=1.2.1

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

ensure_workbox() {
  local pkg="$LIXUN_TOOLS/npm/node_modules/workbox-cli/package.json"
  if [ -f "$pkg" ] && grep -q "\"version\": \"$WORKBOX_VERSION\"" "$pkg"; then return; fi
  log "installing workbox-cli@$WORKBOX_VERSION (service worker generator) from npm"
  mkdir -p "$LIXUN_TOOLS/npm"
  npm install --silent --no-audit --no-fund --prefix "$LIXUN_TOOLS/npm" "workbox-cli@$WORKBOX_VERSION"
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
  fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk)
  # pdftoppm: the certificate test renders the printed PDF's first page to an image.
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    apt_install "${missing[@]}"
  fi
}

# Brotli for the precompressed .br files the post-build hook writes (skipped without it).
ensure_brotli() {
  python3 -c 'import brotli' 2>/dev/null && return
  log "installing brotli $BROTLI_VERSION for python3 from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check "brotli==$BROTLI_VERSION"
}

# Debian's nginx (with gzip_static and the brotli_static module): the offline e2e test runs
# the example deploy/nginx.conf against the build. Installed without starting the system service.
ensure_nginx() {
  if command -v nginx >/dev/null && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then return; fi
  log "installing nginx-light and its brotli_static module from Debian (service left stopped)"
  local had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  # policy-rc.d exit 101: packages may not start services (only while installing).
  if [ "$had_policy" = 0 ] && [ "$(id -u)" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  fi
  apt_install nginx-light libnginx-mod-http-brotli-static || { [ "$had_policy" = 0 ] && rm -f /usr/sbin/policy-rc.d; return 1; }
  if [ "$had_policy" = 0 ] && [ "$(id -u)" = 0 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

ensure_e2e_node() {
  local dir="$LIXUN_TOOLS/e2e"
  if [ -f "$dir/node_modules/playwright-core/package.json" ] \
     && grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$dir/node_modules/playwright-core/package.json" \
     && [ -f "$dir/node_modules/axe-core/package.json" ] \
     && grep -q "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then return; fi
  log "installing playwright-core@$PLAYWRIGHT_VERSION (no browser download) and axe-core@$AXE_VERSION"
  mkdir -p "$dir"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix "$dir" -E \
    "playwright-core@$PLAYWRIGHT_VERSION" "axe-core@$AXE_VERSION"
}

mkdir -p "$LIXUN_TOOLS/bin"
case "${1:-build}" in
  build) ensure_rust_target; ensure_wasm_opt; ensure_workbox; ensure_brotli; ensure_wasm_bindgen; ensure_trunk ;;
  test)  ensure_rust_target; ensure_wasm_opt; ensure_workbox; ensure_brotli; ensure_browser; ensure_nginx; ensure_e2e_node; ensure_wasm_bindgen; ensure_trunk ;;
  *) log "usage: $0 build|test"; exit 2 ;;
esac
