"""Pillow code: inspecting uploads, reading their embedded metadata, making renditions.

Nothing here touches the database; services.py calls it with bytes and model values. The XMP
packets themselves are built and read in xmp.py. Refusal messages are in the active language
(the request's, in the admin and the API).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext
from PIL import Image, ImageOps, IptcImagePlugin, UnidentifiedImageError, features

from media_credits.xmp import read_xmp

if TYPE_CHECKING:
    from media_credits.c2pa import RenditionSigner

# Decided by content, never by name. AVIF only when this Pillow build can decode it.
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF") + (
    ("AVIF",) if features.check("avif") else ()
)
_LABELS = ["WebP" if f == "WEBP" else f for f in ALLOWED_FORMATS]
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}

WIDTHS: tuple[int, ...] = (320, 640, 1024, 1600)
OUTPUT_FORMATS: tuple[str, ...] = ("webp", "jpeg")
JPEG_OPTIONS = {"quality": 82, "progressive": True}
WEBP_OPTIONS = {"quality": 80, "method": 4}


class ImageRejected(ValueError):
    """An upload we refuse. `code` says why: unsupported, empty, damaged, too_many_pixels."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- Inspecting an upload ----------------------------------------------------------------------


def sniff_unsupported(head: bytes) -> str | None:
    """Name a format we refuse, from its first bytes, so the message can say what it is."""
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"8BPS"):
        return "Photoshop (PSD)"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if head.startswith(b"BM"):
        return "BMP"
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in text:
        return "SVG"
    if text.startswith((b"<", b"<!doctype", b"<html")):
        return "HTML/XML"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC"
    return None


def accepted_label() -> str:
    """ "JPEG, PNG, WebP, GIF or AVIF" in the active language."""
    return get_text_list(_LABELS, gettext("or"))


def _megapixels(pixels: float, *, trim: bool = False) -> str:
    """Megapixels with one decimal in the active language ("80.0", "80,0"); `trim` drops a
    zero decimal, for a limit ("50")."""
    value = round(pixels / 1e6, 1)
    return number_format(value, decimal_pos=0 if trim and value == int(value) else 1)


def unsupported_message(kind: str | None) -> str:
    if kind:
        return gettext(
            "The file is %(kind)s, which is not accepted: upload a %(accepted)s image "
            "(the format is read from the content, not the file name)."
        ) % {"kind": kind, "accepted": accepted_label()}
    return gettext(
        "The file is not an image we can read: upload a %(accepted)s image "
        "(the format is read from the content, not the file name)."
    ) % {"accepted": accepted_label()}


def too_many_pixels_message(width: int, height: int, max_pixels: int) -> str:
    return gettext(
        "The image is %(width)d × %(height)d pixels (%(megapixels)s megapixels); "
        "the limit is %(limit)s megapixels."
    ) % {
        "width": width,
        "height": height,
        "megapixels": _megapixels(width * height),
        "limit": _megapixels(max_pixels, trim=True),
    }


def decompression_bomb_message(max_pixels: int) -> str:
    return gettext(
        "The image declares far too many pixels (a decompression bomb?); the limit is "
        "%(limit)s megapixels."
    ) % {"limit": _megapixels(max_pixels, trim=True)}


def empty_message() -> str:
    return gettext("The file is empty (0 bytes).")


@dataclass
class Inspection:
    format: str
    width: int  # as displayed, after EXIF orientation
    height: int
    c2pa_manifest_present: bool
    embedded: dict[str, str] = field(default_factory=dict)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)


def inspect(data: bytes, *, max_pixels: int) -> Inspection:
    """Check that `data` is a whole image of an allowed format and size; read its metadata.

    Raises ImageRejected. The pixel limit is checked from the header, before anything is
    decoded, so a decompression bomb costs nothing.
    """
    if not data:
        raise ImageRejected(empty_message(), "empty")
    kind = sniff_unsupported(data[:4096])
    if kind:
        raise ImageRejected(unsupported_message(kind), "unsupported")
    try:
        im = _open(data)
    except UnidentifiedImageError as exc:
        raise ImageRejected(unsupported_message(None), "unsupported") from exc
    except Image.DecompressionBombError as exc:
        raise ImageRejected(decompression_bomb_message(max_pixels), "too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise ImageRejected(damaged_message(), "damaged") from exc
    width, height = im.size
    if width * height > max_pixels:
        raise ImageRejected(too_many_pixels_message(width, height, max_pixels), "too_many_pixels")
    image_format = im.format or ""
    try:
        im.verify()
        # verify() leaves the image unusable; decode it for real to find truncated data.
        im = _open(data)
        if image_format == "JPEG":
            # Every scan is still read at 1/8 scale, so a truncated file is still found.
            im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        im.load()
    except Image.DecompressionBombError as exc:
        raise ImageRejected(
            too_many_pixels_message(width, height, max_pixels), "too_many_pixels"
        ) from exc
    except (OSError, SyntaxError, ValueError, struct.error, EOFError, IndexError) as exc:
        raise ImageRejected(damaged_message(), "damaged") from exc
    orientation = im.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Inspection(
        format=image_format,
        width=width,
        height=height,
        c2pa_manifest_present=has_c2pa_manifest(data, image_format),
        embedded=read_embedded_metadata(im),
    )


def damaged_message() -> str:
    return gettext("The image file is damaged or incomplete (truncated): upload it again in full.")


# --- C2PA content credentials ------------------------------------------------------------------


def has_c2pa_manifest(data: bytes, image_format: str) -> bool:
    """Whether the file carries a C2PA manifest store (we only detect it; we do not validate).

    JPEG: an APP11 segment holding a JUMBF box labelled c2pa. PNG: a caBX chunk. WebP: a C2PA
    chunk. https://c2pa.org/specifications/specifications/2.1/specs/C2PA_Specification.html
    """
    if image_format == "JPEG":
        return any(
            payload.startswith(b"JP") and b"jumb" in payload and b"c2pa" in payload
            for payload in _jpeg_segments(data, marker=0xEB)
        )
    if image_format == "PNG":
        return any(kind == b"caBX" for kind in _png_chunk_types(data))
    if image_format == "WEBP":
        return any(kind == b"C2PA" for kind in _riff_chunk_types(data))
    return False


def _jpeg_segments(data: bytes, *, marker: int) -> Iterator[bytes]:
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        kind = data[pos + 1]
        if kind == 0xFF:  # fill byte
            pos += 1
            continue
        if kind in (0x01, *range(0xD0, 0xD9)):
            pos += 2
            continue
        if kind == 0xDA:  # start of scan: no more metadata segments
            return
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if kind == marker:
            yield data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def _png_chunk_types(data: bytes) -> Iterator[bytes]:
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        yield kind
        if kind == b"IEND":
            return
        pos += 12 + length


def _riff_chunk_types(data: bytes) -> Iterator[bytes]:
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        yield kind
        pos += 8 + length + (length & 1)


# --- Embedded metadata: reading ----------------------------------------------------------------

EXIF_FIELDS = {"creator": 0x013B, "copyright_notice": 0x8298}  # Artist, Copyright
IPTC_FIELDS = {"creator": (2, 80), "credit_line": (2, 110), "copyright_notice": (2, 116)}


def read_embedded_metadata(im: Image.Image) -> dict[str, str]:
    """What the file says about itself, under our field names: XMP first, then EXIF, IPTC IIM."""
    found: dict[str, str] = {}
    for key, value in read_xmp(im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")).items():
        found.setdefault(key, value)
    exif = im.getexif()
    for key, tag in EXIF_FIELDS.items():
        value = _text(exif.get(tag))
        if value:
            found.setdefault(key, value)
    try:
        iptc = IptcImagePlugin.getiptcinfo(im) or {}
    except (SyntaxError, ValueError, OSError, struct.error, IndexError):
        iptc = {}
    for key, iptc_key in IPTC_FIELDS.items():
        raw = iptc.get(iptc_key)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        value = _text(raw)
        if value:
            found.setdefault(key, value)
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return str(value).strip("\x00 \t\r\n")


# --- Renditions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenditionPlan:
    spec: str
    format: str  # "webp" or "jpeg"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format


@dataclass(frozen=True)
class RenditionOutput:
    plan: RenditionPlan
    content: bytes


def rendition_widths(width: int, widths: Iterable[int] = WIDTHS) -> list[int]:
    """The standard widths below the image's own width, plus the image's width when it is
    smaller than the largest one: never upscaled, and the srcset still reaches full size."""
    widths = sorted(widths)
    return sorted({w for w in widths if w < width} | {min(width, widths[-1])})


def plan_renditions(
    width: int,
    height: int,
    widths: Iterable[int] = WIDTHS,
    formats: Iterable[str] = OUTPUT_FORMATS,
) -> list[RenditionPlan]:
    plans = []
    for w in rendition_widths(width, widths):
        h = max(1, round(height * w / width))
        for fmt in formats:
            plans.append(RenditionPlan(spec=f"w{w}-{fmt}", format=fmt, width=w, height=h))
    return plans


def _decode_for(data: bytes, largest: tuple[int, int]) -> Image.Image:
    """Decode once, at the smallest JPEG DCT scale that still covers the largest rendition."""
    im = _open(data)
    orientation = im.getexif().get(0x0112, 1)
    if im.format == "JPEG":
        w, h = largest
        if orientation in (5, 6, 7, 8):
            w, h = h, w
        im.draft("RGB", (w, h))
    icc = im.info.get("icc_profile")
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)
    im.load()
    im = ImageOps.exif_transpose(im)
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    im = im.convert("RGBA" if has_alpha else "RGB")
    if icc:
        im.info["icc_profile"] = icc
    return im


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode != "RGBA":
        return im
    background = Image.new("RGB", im.size, (255, 255, 255))
    background.paste(im, mask=im.getchannel("A"))
    return background


def encode(im: Image.Image, fmt: str, *, xmp: bytes, icc: bytes | None = None) -> bytes:
    """Encode with our XMP and nothing else from the source (no EXIF, no GPS)."""
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "jpeg":
        _flatten(im).save(out, "JPEG", xmp=xmp, **JPEG_OPTIONS, **extra)
    elif fmt == "webp":
        im.save(out, "WEBP", xmp=xmp, **WEBP_OPTIONS, **extra)
    else:
        raise ValueError(f"unknown rendition format {fmt!r}")
    return out.getvalue()


def make_renditions(
    data: bytes,
    plans: Iterable[RenditionPlan],
    *,
    xmp: bytes,
    signer: RenditionSigner | None = None,
) -> Iterator[RenditionOutput]:
    """Decode once (JPEG draft mode for the largest size), then derive each smaller size from
    the previous one, largest first, holding at most two decoded sizes at a time.

    With a signer, each file is signed last, after its XMP is embedded (c2pa.py)."""
    by_size: dict[tuple[int, int], list[RenditionPlan]] = {}
    for plan in plans:
        by_size.setdefault((plan.width, plan.height), []).append(plan)
    if not by_size:
        return
    sizes = sorted(by_size, reverse=True)
    current = _decode_for(data, sizes[0])
    icc = current.info.get("icc_profile")
    for size in sizes:
        if current.size != size:
            # Bicubic, as thumbnail() uses; reducing_gap lets Pillow shrink by whole factors
            # first, which is faster and still sharp.
            current = current.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
        for plan in by_size[size]:
            content = encode(current, plan.format, xmp=xmp, icc=icc)
            if signer is not None:
                content = signer.sign(
                    content,
                    plan.format,
                    title=f"{plan.spec}.{plan.extension}",
                    converted=plan.format.upper() != signer.original_format,
                )
            yield RenditionOutput(plan=plan, content=content)
