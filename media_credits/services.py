"""Writes for images: ingesting an upload, making renditions, deleting, publishing checks."""

import hashlib
import logging
import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article, ArticleDocument
from articles.nested import ModelListWriter
from media_credits import c2pa, renditions, xmp
from media_credits.models import ArticleImage, DigitalSourceType, Image, Licence, Rendition
from media_credits.storage import (
    StorageUnavailable,
    delete_files_on_commit,
    is_missing_key,
    originals,
    renditions_store,
    storage_errors,
)

logger = logging.getLogger(__name__)

# The metadata a desk may give with an upload (the same names the API returns).
INGEST_FIELDS = (
    "alt_text",
    "caption",
    "credit_line",
    "creator",
    "copyright_holder",
    "copyright_notice",
    "licence",
    "usage_terms",
    "licence_expires_on",
    "digital_source_type",
    "ai_system",
    "ai_system_version",
    "ai_prompt",
    "ai_prompt_writer",
    "licensor_name",
    "licensor_url",
    "licence_basis",
)


class UploadTooLarge(ValidationError):
    """The upload is over NEWSROOM_MAX_UPLOAD_BYTES: the API answers 413."""


class ImageInUse(ValidationError):
    """An article uses the image: it cannot be deleted (the API answers 409 with the reason)."""


class ImageVersionConflict(Exception):
    """The image's metadata changed since the caller read it (the API answers 412)."""

    def __init__(self, *, current_version: int):
        self.current_version = current_version
        super().__init__(
            _("Someone changed this image since you read it (now version %(version)s).")
            % {"version": current_version}
        )


def upload_too_large_message(size: int | None) -> str:
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    if size is None:
        return _("The file is over the limit of %(limit)s.") % {"limit": _megabytes(limit)}
    return _("The file is %(size)s; the limit is %(limit)s.") % {
        "size": _megabytes(size),
        "limit": _megabytes(limit),
    }


def _megabytes(size: int) -> str:
    """A size in the active language: "26.0 MB" / "26,0 Mo"."""
    if size < 1024 * 1024:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    return _("%(size)s MB") % {"size": number_format(size / (1024 * 1024), decimal_pos=1)}


def read_upload(file: File) -> bytes:
    """The whole upload, refusing to read past the limit whatever the client claimed."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadTooLarge({"file": [upload_too_large_message(size)]}, code="too_large")
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge({"file": [upload_too_large_message(None)]}, code="too_large")
    return data


def image_inspect(*, data: bytes) -> renditions.Inspection:
    """Check the bytes are an acceptable image; ValidationError on the `file` field if not."""
    try:
        return renditions.inspect(data, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS)
    except renditions.ImageRejected as exc:
        raise ValidationError({"file": [exc.message]}, code=exc.code) from exc


def _embedded_values(embedded: Mapping[str, str]) -> dict[str, Any]:
    """Embedded values that are valid for their field; a bad one is dropped, not an error the
    desk would not understand (it never typed it)."""
    values: dict[str, Any] = {}
    for name, raw in embedded.items():
        if name not in INGEST_FIELDS:
            continue
        model_field = Image._meta.get_field(name)
        value = raw
        if getattr(model_field, "max_length", None):
            value = value[: model_field.max_length]
        try:
            values[name] = model_field.clean(value, None)
        except ValidationError:
            logger.info("ignoring embedded %s=%r: not a valid value", name, raw[:100])
    return values


@transaction.atomic
def image_ingest(
    *,
    file: File,
    uploaded_by: AbstractBaseUser | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[Image, bool]:
    """Store an upload as an Image, or return the existing Image with the same bytes.

    Returns (image, created). Raises ValidationError by field (UploadTooLarge for the size)
    before anything is written. The original is stored byte for byte; renditions are made by
    a Celery task enqueued after commit.
    """
    unknown = set(metadata or {}) - set(INGEST_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    data = read_upload(file)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Image.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    info = image_inspect(data=data)
    credentials = c2pa.read(data, info.format, trust_anchors=c2pa.configured_trust_anchors())

    # What the file says about itself fills only what the desk left empty; a signed
    # manifest's statement of origin goes before the XMP's.
    given = {k: v for k, v in (metadata or {}).items() if v not in (None, "")}
    values = _embedded_values(info.embedded | credentials.prefill()) | given
    if values.get("digital_source_type") in (None, ""):
        values["digital_source_type"] = DigitalSourceType.DIGITAL_CAPTURE

    image = Image(
        sha256=sha256,
        width=info.width,
        height=info.height,
        format=info.format,
        bytes=len(data),
        c2pa_manifest_present=info.c2pa_manifest_present or credentials.present,
        c2pa_validation_state=credentials.state,
        c2pa_credentials=credentials.as_data(),
        original_filename=os.path.basename(getattr(file, "name", "") or "")[:255],
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
        **values,
    )
    # Uniqueness of the hash is left to the database: a concurrent upload of the same bytes
    # then ends in the IntegrityError branch below, which returns the other image.
    image.full_clean(exclude=["original"], validate_unique=False)
    del data  # the store reads the upload itself (a temporary file above 2.5 MB), in chunks
    file.seek(0)
    try:
        image.original.save(f"{sha256[:2]}/{sha256}.{info.extension}", file, save=False)
    except storage_errors() as exc:
        logger.warning("image upload %s: the media store failed: %r", sha256[:16], exc)
        raise StorageUnavailable(str(exc)) from exc
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        # The same bytes were stored by a concurrent upload a moment ago: keep theirs.
        image.original.delete(save=False)
        existing = Image.objects.filter(sha256=sha256).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        image.original.delete(save=False)
        raise
    image_renditions_enqueue(image=image)
    return image, True


def _article_documents_invalidate(**image_filter) -> None:
    """Articles showing these images serve their metadata and renditions from stored documents."""
    ArticleDocument.objects.invalidate(
        article_ids=ArticleImage.objects.filter(**image_filter).values("article_id")
    )


def image_renditions_enqueue(*, image: Image) -> None:
    from media_credits.tasks import image_renditions_make as image_renditions_make_task

    image_renditions_make_task.delay_on_commit(image.pk)


@transaction.atomic
def licence_update(*, licence: Licence) -> Licence:
    """Save a licence; renditions of its images embed its name and URL, so they are remade."""
    from media_credits.tasks import image_renditions_make as image_renditions_make_task

    licence.full_clean()
    licence.save()
    _article_documents_invalidate(image__licence=licence)
    for image_id in licence.images.values_list("pk", flat=True):
        image_renditions_make_task.delay_on_commit(image_id)
    return licence


@transaction.atomic
def image_update(*, image: Image) -> Image:
    """Save edited metadata as a new version; renditions are remade after commit, since they
    embed it."""
    image.full_clean(exclude=["original"])
    image.version = (image.version or 0) + 1
    image.save()
    _article_documents_invalidate(image=image)
    image_renditions_enqueue(image=image)
    return image


def not_applied_fields(*, image: Image, metadata: Mapping[str, Any]) -> list[str]:
    """The fields of an upload's metadata that differ from the stored image's: what a re-upload
    of the same bytes did not apply (the desk edits them with PATCH)."""
    names = []
    for name, value in metadata.items():
        if value in (None, ""):
            continue
        if getattr(image, name) != value:
            names.append(name)
    return sorted(names)


@transaction.atomic
def image_metadata_update(
    *, image_id: int, data: Mapping[str, Any], expected_versions: list[int]
) -> Image:
    """Change an image's metadata if it is still at one of ``expected_versions`` (If-Match);
    ImageVersionConflict otherwise. Fields left out keep their value."""
    unknown = set(data) - set(INGEST_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    image = Image.objects.select_for_update().get(pk=image_id)
    if image.version not in expected_versions:
        raise ImageVersionConflict(current_version=image.version)
    for name, value in data.items():
        setattr(image, name, value)
    return image_update(image=image)


def image_xmp(image: Image) -> bytes:
    licence = image.licence
    usage_terms = image.usage_terms
    if not usage_terms and licence is not None:
        usage_terms = " ".join(p for p in (licence.name, licence.url) if p)
    return xmp.build_xmp(
        {
            "digital_source_type": image.digital_source_type,
            "ai_system": image.ai_system,
            "ai_system_version": image.ai_system_version,
            "credit_line": image.credit_line,
            "creator": image.creator,
            "copyright_notice": image.copyright_notice,
            "usage_terms": usage_terms,
            "web_statement": licence.url if licence is not None else "",
            "licensor_name": image.effective_licensor_name,
            "licensor_url": image.licensor_url,
            "alt_text": image.alt_text,
            "caption": image.caption,
        }
    )


@transaction.atomic
def image_renditions_make(*, image_id: int) -> list[Rendition] | None:
    """Make the renditions that are missing or embed outdated metadata.

    Returns None when the image no longer exists (or its original is gone). Safe to run twice
    and concurrently: the image row is locked, and renditions already up to date are kept.
    """
    image = (
        Image.objects.select_for_update(of=("self",))
        .select_related("licence")
        .filter(pk=image_id)
        .first()
    )
    if image is None:
        return None
    packet = image_xmp(image)
    digest = xmp.metadata_digest(packet)
    plans = renditions.plan_renditions(image.width, image.height)
    current = {r.spec: r for r in image.renditions.all()}
    signing = c2pa.signing_configured()
    store = renditions_store()
    try:
        todo = [
            plan
            for plan in plans
            if plan.spec not in current
            or current[plan.spec].metadata_digest != digest
            or current[plan.spec].c2pa_signed != signing
            or not store.exists(current[plan.spec].file.name)
        ]
    except storage_errors() as exc:
        raise StorageUnavailable(str(exc)) from exc
    obsolete = [r for spec, r in current.items() if spec not in {p.spec for p in plans}]
    replaced: list[str] = [r.file.name for r in obsolete]
    if todo:
        try:
            with image.original.open("rb") as original:
                data = original.read()
        except FileNotFoundError:
            logger.warning("image %s: original file %s is missing", image.pk, image.original.name)
            return None
        except storage_errors() as exc:
            if is_missing_key(exc):
                logger.warning("image %s: original %s is missing", image.pk, image.original.name)
                return None
            raise StorageUnavailable(str(exc)) from exc
        written: list[str] = []
        try:
            signer = c2pa.rendition_signer(image, data)
            for output in renditions.make_renditions(data, todo, xmp=packet, signer=signer):
                plan = output.plan
                name = store.save(
                    f"renditions/{image.sha256[:2]}/{image.sha256[:16]}/"
                    f"{plan.spec}-{digest[:8]}.{plan.extension}",
                    ContentFile(output.content),
                )
                written.append(name)
                rendition = current.get(plan.spec) or Rendition(image=image, spec=plan.spec)
                if rendition.pk and rendition.file.name != name:
                    replaced.append(rendition.file.name)
                rendition.file.name = name
                rendition.format = plan.format
                rendition.width = plan.width
                rendition.height = plan.height
                rendition.bytes = len(output.content)
                rendition.metadata_digest = digest
                rendition.c2pa_signed = signer is not None
                rendition.created_at = timezone.now()
                rendition.full_clean(validate_unique=False)
                rendition.save()
                current[plan.spec] = rendition
        except BaseException as exc:
            for name in written:
                try:
                    store.delete(name)
                except storage_errors():
                    logger.warning("could not remove the partial rendition %s", name)
            if isinstance(exc, storage_errors()):
                raise StorageUnavailable(str(exc)) from exc
            raise
    for rendition in obsolete:
        rendition.delete()
        current.pop(rendition.spec)
    if todo or obsolete:
        _article_documents_invalidate(image=image)
    delete_files_on_commit([n for n in replaced if n])
    return sorted(current.values(), key=lambda r: (r.format, r.width))


@transaction.atomic
def image_delete(*, image: Image) -> None:
    """Delete an image no article uses, with its original and renditions (after commit)."""
    used = ArticleImage.objects.filter(image=image).count()
    if used:
        raise ImageInUse(
            ngettext(
                "This image is used by %(count)d article; remove it from the article first.",
                "This image is used by %(count)d articles; remove it from them first.",
                used,
            )
            % {"count": used}
        )
    names = [r.file.name for r in image.renditions.all()]
    original_name = image.original.name
    image.delete()

    delete_files_on_commit(names, renditions_store())
    delete_files_on_commit([original_name] if original_name else [], originals())


def article_image_problems(article) -> dict[str, list[str]]:
    """Publishing check: every image of the article must be publishable today."""
    if article.pk is None:
        return {}
    problems: list[str] = []
    today = timezone.localdate()
    uses = ArticleImage.objects.filter(article=article).select_related("image__licence")
    for use in uses:
        image = use.image
        label = _("Image #%(id)s (%(role)s)") % {"id": image.pk, "role": use.get_role_display()}
        if not image.alt_text.strip():
            problems.append(_("%(image)s has no alt text.") % {"image": label})
        if not image.credit_line.strip():
            problems.append(_("%(image)s has no credit line.") % {"image": label})
        if image.licence_expired(today):
            problems.append(
                _("%(image)s: its licence expired on %(date)s.")
                % {"image": label, "date": image.licence_expires_on.isoformat()}
            )
        licence = image.licence
        if settings.NEWSROOM_COMMERCIAL_USE and licence and not licence.commercial_use_allowed:
            problems.append(
                _(
                    "%(image)s is under %(licence)s, which forbids commercial use, and this "
                    "site is commercial (NEWSROOM_COMMERCIAL_USE)."
                )
                % {"image": label, "licence": licence.name}
            )
        if image.c2pa_says_ai_generated and image.is_photo and not image.c2pa_override_reason:
            problems.append(
                _(
                    "%(image)s is marked as a photo (%(marked)s), but its content credentials "
                    "say it was generated by AI (%(source)s). Correct the digital source type, "
                    "or give the reason to publish it as it is."
                )
                % {
                    "image": label,
                    "marked": image.get_digital_source_type_display(),
                    "source": image.c2pa_digital_source_type,
                }
            )
    return {"images": problems} if problems else {}


class ArticleImageWriter(ModelListWriter):
    """Rows are matched by (image, role): a use that stays keeps its history, and a role change
    removes the old row before the new one is written, so "one lead" holds at every statement."""

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        leads = [i for i, item in enumerate(items) if item.get("role") == ArticleImage.Role.LEAD]
        if len(leads) > 1:
            raise ValidationError(
                {
                    f"{self.name}[{index}].role": [
                        _("An article has only one lead image (item %(index)d is the lead).")
                        % {"index": leads[0]}
                    ]
                    for index in leads[1:]
                }
            )
        items = [{"order": index} | item for index, item in enumerate(items)]
        super().write(article=article, items=items)
