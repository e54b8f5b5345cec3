"""Image files built in the tests: real encoders, plus hand-made headers for hostile files."""

import io
import struct
import zlib

from PIL import Image

from media_credits import xmp


def jpeg(size=(1200, 800), colour=(200, 80, 40), **save) -> bytes:
    out = io.BytesIO()
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    im.paste(colour, (0, 0, size[0] // 3, size[1] // 3))
    im.save(out, "JPEG", quality=85, **save)
    return out.getvalue()


def png(size=(800, 600), mode="RGBA", transparent=False) -> bytes:
    out = io.BytesIO()
    im = Image.new(mode, size, (10, 120, 200, 255) if mode == "RGBA" else (10, 120, 200))
    if transparent:
        im.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    im.save(out, "PNG")
    return out.getvalue()


def exif_with(*, artist="", copyright="", orientation=None, gps=False) -> Image.Exif:
    exif = Image.Exif()
    if artist:
        exif[0x013B] = artist
    if copyright:
        exif[0x8298] = copyright
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    return exif


def xmp_packet(**values) -> bytes:
    return xmp.build_xmp(values)


def _iim(dataset: int, value: str) -> bytes:
    data = value.encode("utf-8")
    return b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(data)) + data


def with_iptc(jpeg_bytes: bytes, *, byline: str = "", credit: str = "") -> bytes:
    """Insert an APP13 Photoshop segment carrying IPTC IIM by-line (2:80) and credit (2:110)."""
    iim = b""
    if byline:
        iim += _iim(80, byline)
    if credit:
        iim += _iim(110, credit)
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def with_c2pa_app11(jpeg_bytes: bytes) -> bytes:
    """A JPEG carrying a (minimal, unsigned) JUMBF superbox labelled c2pa in APP11."""
    label = b"c2pa\x00"
    jumd = b"jumd" + b"c2pa\x00\x11\x00\x10\x80\x00\xaa\x00\x38\x9b\x71" + b"\x03" + label
    jumd = struct.pack(">I", len(jumd) + 4) + jumd
    jumb = b"jumb" + jumd
    jumb = struct.pack(">I", len(jumb) + 4) + jumb
    payload = b"JP" + b"\x00\x01" + b"\x00\x00\x00\x01" + jumb
    segment = b"\xff\xeb" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return struct.pack(">I", len(data)) + kind + data + crc


def with_png_chunk(png_bytes: bytes, kind: bytes, data: bytes) -> bytes:
    iend = png_bytes.rindex(b"IEND") - 4
    return png_bytes[:iend] + png_chunk(kind, data) + png_bytes[iend:]


def tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(out, "TIFF")
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(out, "PDF")
    return out.getvalue()


def svg() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert("x")</script><rect width="10" height="10"/></svg>'
    )


def psd() -> bytes:
    """A Photoshop header: signature, version 1, reserved, 3 channels, 64x64, 8 bits, RGB."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 64, 64, 8, 3)
    return header + struct.pack(">I", 0) * 3 + struct.pack(">H", 0) + b"\x00" * (64 * 64 * 3)


def png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels of one colour: a few kilobytes of
    compressed zeros that would decode to gigabytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_per_block = 256
    block = row * rows_per_block
    body = b"".join(compressor.compress(block) for _ in range(height // rows_per_block))
    body += compressor.compress(row * (height % rows_per_block)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", body)
        + png_chunk(b"IEND", b"")
    )
