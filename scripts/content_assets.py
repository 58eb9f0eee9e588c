#!/usr/bin/env python3
"""Trunk post-build hook: writes the content the app fetches on demand into the build.

  content/modules/<id>.json   a module's full file (lesson bodies included), as JSON
  content/manuals/m<N>.md     the source manuals, for the citation panel
  content/questions.json      every question bank, for quizzes and results
  content/scenarios/<id>.json a role-play scenario's full file (nodes and endings), as JSON
  content/checklists/<id>.json an observation checklist's full file (sections and items), as JSON

The catalog compiled into the wasm (build.rs) has everything but lesson bodies."""
import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

def main() -> int:
    root = Path(__file__).resolve().parent.parent / "content"
    out = Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")) / "content"
    (out / "modules").mkdir(parents=True, exist_ok=True)
    (out / "manuals").mkdir(parents=True, exist_ok=True)
    for folder in ("modules", "scenarios", "checklists"):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for f in sorted((root / folder).glob("*.toml")):
            data = tomllib.loads(f.read_text(encoding="utf-8"))
            (out / folder / (f.stem + ".json")).write_text(
                json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    banks = [tomllib.loads(f.read_text(encoding="utf-8")) for f in sorted((root / "questions").glob("*.toml"))]
    (out / "questions.json").write_text(json.dumps(banks, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for f in sorted((root / "manuals").glob("m[1-5]-*.md")):
        shutil.copyfile(f, out / "manuals" / (f.name[:2] + ".md"))
    return 0

if __name__ == "__main__":
    sys.exit(main())
