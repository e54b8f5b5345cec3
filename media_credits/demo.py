"""Demo images: an AI-generated lead for the French article, a staff photo for the English one.

The pictures are drawn with Pillow, the same bytes every time, so a second load_demo finds the
same images by their SHA-256 and changes nothing.
"""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageDraw

from media_credits import c2pa, services
from media_credits.models import ArticleImage, DigitalSourceType, Image, Licence

logger = logging.getLogger(__name__)


def _gradient_picture(size: tuple[int, int], top: tuple, bottom: tuple, shapes: str) -> bytes:
    width, height = size
    picture = PillowImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    if shapes == "ai":
        # A "chip" with glowing circuits: obviously synthetic, as the note says.
        draw.rounded_rectangle(
            [width * 0.3, height * 0.25, width * 0.7, height * 0.75],
            radius=40,
            fill=(30, 30, 60),
            outline=(120, 220, 255),
            width=8,
        )
        for i in range(12):
            x = width * 0.3 + i * width * 0.4 / 11
            draw.line([(x, height * 0.1), (x, height * 0.25)], fill=(120, 220, 255), width=6)
            draw.line([(x, height * 0.75), (x, height * 0.9)], fill=(120, 220, 255), width=6)
        for r in (60, 110, 160):
            draw.ellipse(
                [width / 2 - r, height / 2 - r, width / 2 + r, height / 2 + r],
                outline=(255, 140, 60),
                width=5,
            )
    else:
        # A skyline at dusk for the "staff photo".
        for i, h in enumerate((0.35, 0.55, 0.45, 0.7, 0.4, 0.6, 0.5, 0.3)):
            x0 = i * width / 8
            draw.rectangle(
                [x0 + 10, height * (1 - h), x0 + width / 8 - 10, height], fill=(25, 25, 35)
            )
            for wy in range(int(height * (1 - h)) + 20, height - 20, 40):
                draw.rectangle([x0 + 30, wy, x0 + 45, wy + 15], fill=(250, 210, 120))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


DEMO_IMAGES = {
    "fr": {
        "file_name": "novalys-puce-ia.jpg",
        "draw": ((1800, 1200), (40, 10, 90), (220, 80, 140), "ai"),
        "fields": {
            "alt_text": (
                "Illustration d'une puce électronique lumineuse aux circuits bleus sur un fond "
                "violet et rose."
            ),
            "caption": "Vue d'artiste d'une puce pour serveurs d'IA.",
            "credit_line": "Illustration générée par IA (Midjourney) / Rédaction",
            "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            "ai_system": "Midjourney",
            "ai_system_version": "6.1",
            "ai_prompt": "a glowing AI server chip, circuits, purple and pink gradient",
            "ai_prompt_writer": "Camille Durand",
            "licensor_name": "Midjourney",
            "licensor_url": "https://www.midjourney.com/",
            "licence_basis": Image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS,
            "licence_code": "cc-by-nc-4.0",
        },
    },
    "en": {
        "file_name": "city-skyline-dusk.jpg",
        "draw": ((2000, 1333), (20, 40, 90), (240, 150, 90), "photo"),
        "fields": {
            "alt_text": "Office towers with lit windows against an orange dusk sky.",
            "caption": "The business district at dusk.",
            "credit_line": "Camille Durand / newsroom",
            "creator": "Camille Durand",
            "copyright_holder": "newsroom",
            "copyright_notice": "© 2026 newsroom",
            "digital_source_type": DigitalSourceType.DIGITAL_CAPTURE,
            "licence_code": "staff",
        },
    },
}


def demo_signing_certificate() -> bool:
    """Make a throwaway CA and leaf where NEWSROOM_C2PA_CERT/KEY point, when those files are
    missing and inside var/ (`make run` points them there), so the demo's renditions are
    signed. A certificate elsewhere is never written. Returns whether one was made."""
    cert, key = settings.NEWSROOM_C2PA_CERT, settings.NEWSROOM_C2PA_KEY
    if not cert or not key:
        return False
    cert_path, key_path = Path(cert).resolve(), Path(key).resolve()
    var_dir = Path(settings.VAR_DIR).resolve()
    if cert_path.exists() and key_path.exists():
        return False
    if not (cert_path.is_relative_to(var_dir) and key_path.is_relative_to(var_dir)):
        logger.warning("NEWSROOM_C2PA_CERT or _KEY is missing and outside var/: not signing")
        return False
    chain_pem, key_pem, ca_pem = c2pa.throwaway_signing_chain(
        organisation="newsroom demo", common_name="newsroom demo desk"
    )
    for path, content in ((cert_path, chain_pem), (key_path, key_pem)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    key_path.chmod(0o600)
    (cert_path.parent / "demo-ca.pem").write_bytes(ca_pem)
    logger.info("demo: throwaway C2PA signing certificate written to %s", cert_path)
    return True


def demo_images(articles: dict) -> None:
    """Give each demo article its lead image, with renditions made now (not by the worker)."""
    demo_signing_certificate()
    for language, spec in DEMO_IMAGES.items():
        article = articles.get(language)
        if article is None:
            continue
        fields = dict(spec["fields"])
        licence_code = fields.pop("licence_code")
        if (
            settings.NEWSROOM_COMMERCIAL_USE
            and fields.get("licence_basis") == Image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS
        ):
            # A commercial site may not publish a non-paid Midjourney image (CC BY-NC): the
            # demo then shows the paid-plan case, where the newsroom owns the image.
            logger.info("NEWSROOM_COMMERCIAL_USE is on: the demo AI image is on a paid plan")
            fields["licence_basis"] = Image.LicenceBasis.PAID_PLAN_OWNERSHIP
            licence_code = "ai-subscriber-owned"
        fields["licence"] = Licence.objects.get(code=licence_code)
        size, top, bottom, shapes = spec["draw"]
        data = _gradient_picture(size, top, bottom, shapes)
        image, created = services.image_ingest(
            file=ContentFile(data, name=spec["file_name"]), metadata=fields
        )
        if not created:
            changed = [name for name, value in fields.items() if getattr(image, name) != value]
            if changed:
                for name in changed:
                    setattr(image, name, fields[name])
                services.image_update(image=image)
        services.image_renditions_make(image_id=image.pk)
        ArticleImage.objects.update_or_create(
            article=article, role=ArticleImage.Role.LEAD, defaults={"image": image, "order": 0}
        )
