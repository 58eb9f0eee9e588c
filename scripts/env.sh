# Sourced by the scripts: where Lixun's tools live (outside the clone, reused across clones).
export LIXUN_TOOLS="${LIXUN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/lixun/tools}"
export PATH="$LIXUN_TOOLS/bin:$LIXUN_TOOLS/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_TOOLS_WASM_BINDGEN=0.2.130
export TRUNK_TOOLS_WASM_OPT=version_132

# /dev/null must be the null device. On some machines it has been found as a regular file:
# whatever one program "discards" into it, the next reads back as its input (cargo's compiler
# probe then reads a build script's error text as Rust source and every build fails).
# As root, put the device back; otherwise empty the file so that at least nothing stale is read.
lixun_repair_dev_null() {
  [ -c /dev/null ] && return 0
  echo "[lixun] /dev/null is not the null device here; restoring it" >&2
  # No redirection to /dev/null in here: once removed, a redirection would recreate it as a file.
  if [ "$(id -u)" = 0 ] && rm -f /dev/null && mknod -m 666 /dev/null c 1 3; then
    return 0
  fi
  if [ -f /dev/null ] && [ -w /dev/null ]; then : >/dev/null; fi
  echo "[lixun] could not restore /dev/null (not root?); builds may fail with stray compiler input" >&2
}
lixun_repair_dev_null
