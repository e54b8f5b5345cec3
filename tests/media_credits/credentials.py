"""Files signed with the C2PA SDK for the content-credentials tests, and their ingest."""

import io

import c2pa as sdk
from django.core.files.base import ContentFile
from PIL import Image as PillowImage

from media_credits import services
from media_credits.models import DigitalSourceType, Image
from tests.media_credits import files

AI = DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA.value
CAPTURE = DigitalSourceType.DIGITAL_CAPTURE.value
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif"}


def sign(data: bytes, fmt: str, chain, *, source_type: str, agent: str, title: str) -> bytes:
    chain_pem, key_pem, _ = chain
    manifest = {
        "claim_generator_info": [{"name": agent, "version": "1.0"}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source_type,
                            "softwareAgent": {"name": agent},
                        }
                    ]
                },
            }
        ],
    }
    signer = sdk.Signer.from_info(sdk.C2paSignerInfo(b"es256", chain_pem, key_pem, None))
    out = io.BytesIO()
    sdk.Builder(manifest).sign(signer, MIME[fmt], io.BytesIO(data), out)
    return out.getvalue()


def picture(fmt: str, size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", size, (90, 40, 160)).save(out, fmt)
    return out.getvalue()


def signed_ai_image(chain, fmt: str = "JPEG") -> bytes:
    return sign(picture(fmt), fmt, chain, source_type=AI, agent="Midjourney", title="ai." + fmt)


def signed_photo(chain) -> bytes:
    return sign(
        files.jpeg((1200, 800)), "JPEG", chain, source_type=CAPTURE, agent="Camera", title="p.jpg"
    )


def tampered(data: bytes) -> bytes:
    """Pixels changed after signing: the last bytes of the entropy-coded scan."""
    changed = bytearray(data)
    changed[-100] ^= 0xFF
    return bytes(changed)


def with_xmp_after_signing(jpeg: bytes) -> bytes:
    """An XMP APP1 segment inserted after the SOI of a signed JPEG, as a tool that edits
    metadata in place after signing would."""
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + files.xmp_packet(credit_line="Late edit")
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def ingest(data: bytes, name: str = "upload.jpg", **metadata) -> Image:
    image, created = services.image_ingest(file=ContentFile(data, name=name), metadata=metadata)
    assert created
    return image


AI_DESK_FIELDS = {"licence_basis": Image.LicenceBasis.PAID_PLAN_OWNERSHIP}
