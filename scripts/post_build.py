#!/usr/bin/env python3
"""Trunk's post-build hook (one hook, so the steps run in order on the staging folder):
content first (scripts/content_assets.py), then CSP hashes, the service worker and the
precompressed copies (scripts/offline_assets.py), which must see the final files."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import content_assets  # noqa: E402
import offline_assets  # noqa: E402

if __name__ == "__main__":
    sys.exit(content_assets.main() or offline_assets.main())
