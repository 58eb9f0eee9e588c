#!/usr/bin/env python3
"""Size report of the release build: the wasm (raw and gzip) and the total first-load
bytes (gzip -9) of everything index.html pulls in. Fails over the budget."""
import gzip
import re
import sys
from pathlib import Path

# Raised from 450 KB as role-play, observation, results, trainee profiles, trainer mode, the
# hash-chained results store, progress reports, export/import and the dashboard were added
# (first load 733 KB), then to 860 KiB for the device model, import validation, the xAPI
# statements, readable item analysis, the track report over every kind of result and the
# timed-assessment intro (first load 845 KB). This is a stop-gap: the open performance issue
# brings the first load under 350 KB by loading the trainer's screens as a second module.
BUDGET_GZIP = 860 * 1024

def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))

def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    index = (dist / "index.html").read_text(encoding="utf-8")
    # Everything the page loads at start: link/script/preload hrefs and srcs, plus the
    # wasm the JS glue imports (named after it).
    refs = set(re.findall(r'(?:href|src)="/?([^"#?]+)"', index))
    files = [dist / "index.html"] + [dist / r for r in sorted(refs) if (dist / r).is_file()]
    for js in [f for f in files if f.suffix == ".js"]:
        wasm = js.with_name(js.stem + "_bg.wasm")
        if wasm.is_file() and wasm not in files:
            files.append(wasm)
    rows, total_raw, total_gz = [], 0, 0
    for f in files:
        data = f.read_bytes()
        raw, z = len(data), gz(data)
        total_raw += raw
        total_gz += z
        rows.append((f.name, raw, z))
    wasm_rows = [r for r in rows if r[0].endswith(".wasm")]
    print(f"{'file':<44} {'raw':>10} {'gzip -9':>10}")
    for name, raw, z in rows:
        print(f"{name:<44} {raw:>10,} {z:>10,}")
    for name, raw, z in wasm_rows:
        print(f"wasm: {raw:,} bytes raw, {z:,} bytes gzip")
    print(f"first load: {total_raw:,} bytes raw, {total_gz:,} bytes gzip (budget {BUDGET_GZIP:,})")
    if not wasm_rows:
        print("size report: no wasm found in the build", file=sys.stderr)
        return 1
    if total_gz > BUDGET_GZIP:
        print(f"size report: first load {total_gz:,} B gzip exceeds the budget of {BUDGET_GZIP:,} B", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
