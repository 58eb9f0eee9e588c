#!/usr/bin/env python3
"""Writes the app icons (static/icons/*.png) with the standard library only: a full-bleed
brand-red square (#8c2f39) with a white seal ring and dot, kept inside the central 80 % circle so
the same drawing is a valid maskable icon. Run once; the PNGs are committed.

  python3 scripts/make_icons.py"""
import struct
import zlib
from pathlib import Path

RED = (0x8C, 0x2F, 0x39)
WHITE = (0xFF, 0xFF, 0xFF)


def pixel(x: float, y: float, size: int) -> tuple:
    """The colour at the centre of pixel (x, y), antialiased by 4x4 supersampling."""
    c = size / 2
    ring_out, ring_in, dot = 0.30 * size, 0.22 * size, 0.09 * size
    hits = 0
    for i in range(4):
        for j in range(4):
            dx = x + (i + 0.5) / 4 - c
            dy = y + (j + 0.5) / 4 - c
            r = (dx * dx + dy * dy) ** 0.5
            if ring_in <= r <= ring_out or r <= dot:
                hits += 1
    a = hits / 16
    return tuple(round(RED[k] * (1 - a) + WHITE[k] * a) for k in range(3))


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + bytes(v for x in range(size) for v in pixel(x, y, size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "static" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size))
    # The maskable one is the same drawing: everything white lies within the safe zone.
    (out / "icon-maskable-512.png").write_bytes(png(512))


if __name__ == "__main__":
    main()
