# Sourced by the scripts: where Lixun's tools live (outside the clone, reused across clones).
export LIXUN_TOOLS="${LIXUN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/lixun/tools}"
export PATH="$LIXUN_TOOLS/bin:$LIXUN_TOOLS/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_TOOLS_WASM_BINDGEN=0.2.130
export TRUNK_TOOLS_WASM_OPT=version_132
