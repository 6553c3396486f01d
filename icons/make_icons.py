"""Draws the Walletdesk icon (a wallet on a blue tile) as RGBA PNGs, with no imaging library.

Run from this folder: python3 make_icons.py. The PNGs are committed; this keeps them reproducible.
"""
import struct
import zlib

BLUE = (9, 88, 217, 255)
WHITE = (255, 255, 255, 255)
GOLD = (250, 173, 20, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x, y, n):
    u, v = x / n, y / n
    r = 0.18  # corner radius of the tile, as a fraction of the size
    cx = min(max(u, r), 1 - r)
    cy = min(max(v, r), 1 - r)
    if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
        return CLEAR
    if 0.2 <= u <= 0.8 and 0.3 <= v <= 0.72:  # wallet body
        if 0.6 <= u <= 0.8 and 0.44 <= v <= 0.58:  # clasp
            return GOLD if (u - 0.66) ** 2 + (v - 0.51) ** 2 <= 0.0016 else BLUE
        return WHITE
    return BLUE


def png(n):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x + 0.5, y + 0.5, n)) for x in range(n)) for y in range(n)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


for name, size in [("32x32.png", 32), ("128x128.png", 128), ("icon.png", 512)]:
    with open(name, "wb") as f:
        f.write(png(size))
