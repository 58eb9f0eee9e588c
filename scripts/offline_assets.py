#!/usr/bin/env python3
"""Post-build step that makes a build offline-first and deployable, run on Trunk's staging folder
(`$TRUNK_STAGING_DIR`) after scripts/content_assets.py, or by hand on a finished dist folder
(`python3 scripts/offline_assets.py DIST`; it is idempotent):

  1. CSP: writes the sha256 of every inline <script> of index.html (Trunk's module script that
     loads the wasm) into the Content-Security-Policy meta tag's script-src.
  2. build.json: the build stamp (`$LIXUN_BUILD_STAMP`, else the git commit), precached like the
     rest, so a new stamp alone makes a new service worker.
  3. sw.js + workbox-<hash>.js: Workbox `generateSW` precaching every html, js, wasm, css, json,
     md, png, svg and webmanifest file (the runtime is written next to sw.js: no CDN).
  4. Precompressed copies for the web server: `<file>.gz` (gzip -9) and, when Python's `brotli`
     is installed (scripts/tools.sh installs it), `<file>.br` (quality 11), for nginx's
     gzip_static / brotli_static.
"""
import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPRESSIBLE = {".html", ".js", ".wasm", ".css", ".json", ".md", ".svg", ".webmanifest", ".txt"}
# Trunk's content-hashed names (e.g. lixun-0123456789abcdef_bg.wasm, main-0123456789abcdef.css;
# up to 16 hex digits, as Trunk drops a hash's leading zeros):
# their URL changes with their content, so Workbox needs no revision for them.
HASHED = r"-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.I)


def csp_hashes(dist: Path) -> list[str]:
    """Adds the hashes of index.html's inline scripts to its CSP meta tag; returns them."""
    index = dist / "index.html"
    html = index.read_text(encoding="utf-8")
    hashes = []
    for body in INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    m = CSP_META.search(html)
    if not m:
        raise SystemExit("offline_assets: index.html has no Content-Security-Policy meta tag")
    directives = []
    for d in m.group(2).split(";"):
        words = d.split()
        if words and words[0] == "script-src":
            words = [w for w in words if not w.startswith("'sha256-")] + sorted(set(hashes))
        if words:
            directives.append(" ".join(words))
    html = html[: m.start(2)] + "; ".join(directives) + html[m.end(2) :]
    index.write_text(html, encoding="utf-8")
    return hashes


def stamp(dist: Path) -> str:
    value = os.environ.get("LIXUN_BUILD_STAMP")
    if not value:
        try:
            value = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                   text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            value = "unknown"
    (dist / "build.json").write_text(json.dumps({"build": value}) + "\n", encoding="utf-8")
    return value


def workbox_bin() -> str:
    found = shutil.which("workbox")
    if found:
        return found
    tools = os.environ.get("LIXUN_TOOLS") or str(Path.home() / ".cache/lixun/tools")
    candidate = Path(tools) / "npm/node_modules/.bin/workbox"
    if candidate.exists():
        return str(candidate)
    raise SystemExit("offline_assets: workbox-cli not found: run `bash scripts/tools.sh build` first")


def service_worker(dist: Path) -> None:
    """Writes sw.js and its Workbox runtime into `dist`, replacing earlier ones."""
    for old in [dist / "sw.js", dist / "sw.js.map", *dist.glob("workbox-*.js"), *dist.glob("workbox-*.js.map")]:
        old.unlink(missing_ok=True)
    config = f"""module.exports = {{
  globDirectory: {json.dumps(str(dist))},
  globPatterns: ['**/*.{{html,js,wasm,css,json,md,png,svg,webmanifest}}'],
  globIgnores: ['**/*.gz', '**/*.br'],
  swDest: {json.dumps(str(dist / "sw.js"))},
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  dontCacheBustURLsMatching: /{HASHED}/,
  navigateFallback: '/index.html',
  cleanupOutdatedCaches: true,
  // A new version waits until the user taps "update" (the page posts SKIP_WAITING).
  skipWaiting: false,
  // The first install controls the open page at once, so it works offline right away.
  clientsClaim: true,
  sourcemap: false,
  inlineWorkboxRuntime: false,
  mode: 'production',
}};
"""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "workbox-config.cjs"
        cfg.write_text(config, encoding="utf-8")
        env = dict(os.environ, NO_UPDATE_NOTIFIER="1")
        subprocess.run([workbox_bin(), "generateSW", str(cfg)], check=True, env=env, stdout=subprocess.DEVNULL)
    if not (dist / "sw.js").exists() or not list(dist.glob("workbox-*.js")):
        raise SystemExit("offline_assets: workbox did not write sw.js and its runtime")


def precompress(dist: Path) -> tuple[int, bool]:
    try:
        import brotli  # type: ignore
    except ImportError:
        brotli = None
    for old in [*dist.rglob("*.gz"), *dist.rglob("*.br")]:
        old.unlink()
    n = 0
    for f in sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE):
        data = f.read_bytes()
        if len(data) < 1024:
            continue
        f.with_name(f.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        if brotli is not None:
            f.with_name(f.name + ".br").write_bytes(brotli.compress(data, quality=11))
        n += 1
    return n, brotli is not None


def main() -> int:
    dist = Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist"))
    hashes = csp_hashes(dist)
    value = stamp(dist)
    service_worker(dist)
    # LIXUN_PRECOMPRESS=0 skips the .gz/.br copies (the update e2e test re-stamps a copied build).
    n, br = precompress(dist) if os.environ.get("LIXUN_PRECOMPRESS", "1") != "0" else (0, False)
    print(f"offline_assets: {len(hashes)} inline script hash(es) in the CSP, build {value}, sw.js written, "
          f"{n} files precompressed (gzip{' + brotli' if br else '; brotli skipped: no python brotli'})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
