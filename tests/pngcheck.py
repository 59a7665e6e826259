"""Read a screenshot PNG (8-bit RGB or RGBA, as Chromium writes) with the standard library only,
to tell a drawn picture from a blank page: how many pixels differ from the corner colour."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import NamedTuple

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Picture(NamedTuple):
    width: int
    height: int
    rows: list[bytes]  # unfiltered, `channels` bytes per pixel
    channels: int

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        start = x * self.channels
        return tuple(self.rows[y][start : start + 3])

    def ink(self) -> int:
        """Pixels whose colour differs from the top-left one (the page background)."""
        background = self.pixel(0, 0)
        pixels = ((x, y) for y in range(self.height) for x in range(self.width))
        return sum(1 for x, y in pixels if self.pixel(x, y) != background)

    def colours(self) -> set[tuple[int, ...]]:
        return {self.pixel(x, y) for y in range(0, self.height, 2) for x in range(0, self.width, 2)}


def read_png(path: Path) -> Picture:
    data = path.read_bytes()
    assert data.startswith(_SIGNATURE), f"{path} is not a PNG"
    offset, header, compressed = len(_SIGNATURE), b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A) PNGs"
    channels = 3 if colour == 2 else 4
    return Picture(
        width, height, _unfilter(zlib.decompress(compressed), width, height, channels), channels
    )


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> list[bytes]:
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    return (left, up, corner)[distances.index(min(distances))]
