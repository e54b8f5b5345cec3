"""Images, where their originals are kept, and the renditions readers download."""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import LazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from media_credits.attribution import render_attribution_note
from media_credits.models.licences import Licence
from media_credits.models.sources import AI_SOURCE_TYPES, PHOTO_SOURCE_TYPES, DigitalSourceType


class OriginalsStorage(FileSystemStorage):
    """The local (embedded) `originals` storage: outside MEDIA_ROOT and with no public URL.

    The folder is read from settings.NEWSROOM_ORIGINALS_ROOT on each use, so a test (or a
    deployment) can move it without re-importing the models.
    """

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.NEWSROOM_ORIGINALS_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Originals are private and have no URL; publish a rendition instead.")


class ContentCredentialsState(models.TextChoices):
    """The C2PA SDK's validation states (Reader.get_validation_state())."""

    VALID = "Valid", _("Valid (signer not on our trust list)")
    INVALID = "Invalid", _("Invalid")
    TRUSTED = "Trusted", _("Valid, signed by a trusted signer")


class NamedStorage(LazyObject):
    """The storage named `alias` in settings.STORAGES, looked up on every use.

    A FileField calls its storage callable once, when the model class is built; this proxy
    keeps the field following STORAGES (a deployment's environment, a test's override)
    instead of freezing the backend of import time. Django's own `default_storage` is the
    same kind of object: https://docs.djangoproject.com/en/5.2/ref/files/storage/#storages
    """

    def __init__(self, alias: str) -> None:
        super().__init__()
        self.__dict__["_alias"] = alias

    def _setup(self) -> None:
        self._wrapped = storages[self.__dict__["_alias"]]

    def __getattr__(self, name: str):
        return getattr(storages[self.__dict__["_alias"]], name)

    @property  # type: ignore[misc]
    def __class__(self):  # isinstance(field.storage, Storage) holds for the named backend
        return type(storages[self.__dict__["_alias"]])


ORIGINALS = "originals"
RENDITIONS = "renditions"


def originals_storage() -> Storage:
    """Private: originals byte for byte; staff reach them through a signed, expiring URL."""
    return NamedStorage(ORIGINALS)  # type: ignore[return-value]


def renditions_storage() -> Storage:
    """Public: the renditions readers download, with URLs from the storage (or MEDIA_URL)."""
    return NamedStorage(RENDITIONS)  # type: ignore[return-value]


class ImageQuerySet(models.QuerySet):
    def ai_generated(self) -> "ImageQuerySet":
        return self.filter(digital_source_type__in=AI_SOURCE_TYPES)

    def missing_alt_text(self) -> "ImageQuerySet":
        return self.filter(alt_text="")

    def licence_expiring(self, *, within_days: int = 30, today=None) -> "ImageQuerySet":
        """Licences that end between today and `within_days` from now."""
        today = today or timezone.localdate()
        return self.filter(
            licence_expires_on__gte=today,
            licence_expires_on__lte=today + datetime.timedelta(days=within_days),
        )


class Image(models.Model):
    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        GIF = "GIF", "GIF"
        AVIF = "AVIF", "AVIF"

    class LicenceBasis(models.TextChoices):
        PAID_PLAN_OWNERSHIP = (
            "paid_plan_ownership",
            _("Paid plan: the subscriber (the newsroom) owns the output"),
        )
        NON_COMMERCIAL_CREATIVE_COMMONS = (
            "non_commercial_creative_commons",
            _("Non-paid plan: Creative Commons non-commercial licence from the provider"),
        )
        PROVIDER_LICENCE = (
            "provider_licence",
            _("Another licence granted by the service provider"),
        )
        IN_HOUSE = "in_house", _("Made with a model the newsroom runs itself")

    original = models.FileField(
        _("original file"),
        storage=originals_storage,
        max_length=300,
        editable=False,
        help_text=_("Kept byte for byte, never re-encoded, never served publicly."),
    )
    original_filename = models.CharField(
        _("uploaded file name"), max_length=255, blank=True, editable=False
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, editable=False)
    bytes = models.PositiveBigIntegerField(_("size in bytes"), editable=False)

    alt_text = models.TextField(
        _("alt text"),
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it. Required before publishing."
        ),
    )
    caption = models.TextField(
        _("caption"),
        blank=True,
        help_text=_("The text under the image: who, what, where, when."),
    )
    credit_line = models.CharField(
        _("credit line"),
        max_length=300,
        blank=True,
        help_text=_('Who to credit, e.g. "Jane Doe / Agency". Required before publishing.'),
    )
    creator = models.CharField(
        _("creator"),
        max_length=200,
        blank=True,
        help_text=_("The photographer or artist. IPTC advises leaving it empty for AI images."),
    )
    copyright_holder = models.CharField(
        _("copyright holder"),
        max_length=200,
        blank=True,
        help_text=_("Who owns the rights, e.g. the agency or the photographer."),
    )
    copyright_notice = models.CharField(
        _("copyright notice"), max_length=300, blank=True, help_text=_('e.g. "© 2026 Agency".')
    )
    licence = models.ForeignKey(
        Licence,
        verbose_name=_("licence"),
        on_delete=models.PROTECT,
        related_name="images",
        null=True,
        blank=True,
        help_text=_("The terms we may use the image under, e.g. CC BY 4.0 or an agency contract."),
    )
    usage_terms = models.TextField(
        _("usage terms"), blank=True, help_text=_("Restrictions that come with the image.")
    )
    licence_expires_on = models.DateField(
        _("licence expires on"),
        null=True,
        blank=True,
        help_text=_("Articles using the image cannot be published after this date."),
    )
    digital_source_type = models.CharField(
        _("digital source type"),
        max_length=120,
        choices=DigitalSourceType.choices,
        default=DigitalSourceType.DIGITAL_CAPTURE,
        help_text=_("How the image was made (IPTC vocabulary). Choose an AI type for AI images."),
    )
    ai_system = models.CharField(
        _("AI system"), max_length=100, blank=True, help_text=_("e.g. Midjourney.")
    )
    ai_system_version = models.CharField(
        _("AI system version"), max_length=50, blank=True, help_text=_("e.g. 6.1.")
    )
    ai_prompt = models.TextField(
        _("AI prompt"), blank=True, help_text=_("Internal only: never shown to readers.")
    )
    ai_prompt_writer = models.CharField(
        _("prompt writer"),
        max_length=200,
        blank=True,
        help_text=_("Who wrote the prompt, for the desk's records."),
    )
    licensor_name = models.CharField(
        _("licensor"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who grants the licence, e.g. the AI service provider. Defaults to the AI system."
        ),
    )
    licensor_url = models.URLField(
        _("licensor URL"), blank=True, help_text=_("The licensor's website, e.g. its terms page.")
    )
    licence_basis = models.CharField(
        _("licence basis"),
        max_length=40,
        choices=LicenceBasis.choices,
        blank=True,
        help_text=_("On what terms the newsroom may use an AI image. Required for AI images."),
    )
    c2pa_manifest_present = models.BooleanField(
        _("C2PA manifest in the upload"),
        default=False,
        editable=False,
        help_text=_("The uploaded file carried content credentials (C2PA)."),
    )
    c2pa_validation_state = models.CharField(
        _("content credentials"),
        max_length=10,
        choices=ContentCredentialsState.choices,
        blank=True,
        editable=False,
        help_text=_(
            "What the C2PA SDK said of the upload's manifest: valid, invalid or trusted "
            "(empty: no manifest)."
        ),
    )
    c2pa_credentials = models.JSONField(
        _("content credentials details"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Read from the upload's manifest: failure codes, signer, claim generator, signing "
            "time, actions and ingredients."
        ),
    )
    c2pa_override_reason = models.TextField(
        _("reason to publish despite the content credentials"),
        blank=True,
        help_text=_(
            "The upload's content credentials say AI-generated but the image is marked as a "
            "photo: publishing is refused unless you say here why the marking is right."
        ),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_images",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up with each change of the metadata; the API's ETag, for If-Match."),
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="image_has_dimensions"
            ),
        ]

    def __str__(self) -> str:
        label = self.alt_text or self.caption or self.original_filename or str(_("image"))
        return f"#{self.pk} {label[:60]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.ai_generated:
            if not self.ai_system.strip():
                errors["ai_system"] = _(
                    "An AI-generated image needs the AI system that made it (e.g. Midjourney)."
                )
            if not self.licence_basis:
                errors["licence_basis"] = _(
                    "An AI-generated image needs a licence basis (e.g. paid plan ownership)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def ai_generated(self) -> bool:
        return self.digital_source_type in AI_SOURCE_TYPES

    @property
    def is_photo(self) -> bool:
        return self.digital_source_type in PHOTO_SOURCE_TYPES

    @property
    def c2pa_valid(self) -> bool:
        return self.c2pa_validation_state in (
            ContentCredentialsState.VALID,
            ContentCredentialsState.TRUSTED,
        )

    @property
    def c2pa_digital_source_type(self) -> str:
        """The digital source type the upload's manifest states ("" without one)."""
        for action in (self.c2pa_credentials or {}).get("actions", []):
            if action.get("digitalSourceType"):
                return action["digitalSourceType"]
        return ""

    @property
    def c2pa_says_ai_generated(self) -> bool:
        return any(
            action.get("digitalSourceType") in AI_SOURCE_TYPES
            for action in (self.c2pa_credentials or {}).get("actions", [])
        )

    @property
    def effective_licensor_name(self) -> str:
        return self.licensor_name or (self.ai_system if self.ai_generated else "")

    def licence_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.licence_expires_on is not None and self.licence_expires_on < today

    def attribution_note(self, language: str) -> str:
        """The note readers see under the image, in `language` (French or English)."""
        return render_attribution_note(self, language)

    @cached_property
    def sorted_renditions(self) -> list["Rendition"]:
        """Renditions, smallest first (reads the prefetch when there is one)."""
        return sorted(self.renditions.all(), key=lambda r: (r.format, r.width))


class Rendition(models.Model):
    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(
        Image,
        on_delete=models.CASCADE,
        related_name="renditions",
        verbose_name=_("image"),
        help_text=_("The uploaded image this version is made from."),
    )
    spec = models.CharField(_("spec"), max_length=30, help_text=_("e.g. w640-webp."))
    file = models.FileField(
        _("file"),
        upload_to="renditions/",
        max_length=300,
        help_text=_("The resized file readers download."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, help_text=_("WebP or JPEG.")
    )
    width = models.PositiveIntegerField(_("width"), help_text=_("In pixels."))
    height = models.PositiveIntegerField(_("height"), help_text=_("In pixels."))
    bytes = models.PositiveBigIntegerField(
        _("size in bytes"), help_text=_("The file's size, what readers download.")
    )
    metadata_digest = models.CharField(
        _("metadata digest"),
        max_length=64,
        editable=False,
        help_text=_("Hash of the embedded metadata: a rendition is remade when it changes."),
    )
    c2pa_signed = models.BooleanField(
        _("signed (content credentials)"),
        default=False,
        editable=False,
        help_text=_("The file carries our own C2PA manifest (NEWSROOM_C2PA_CERT is set)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["image", "format", "width"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(fields=["image", "spec"], name="rendition_unique_per_spec"),
        ]

    def __str__(self) -> str:
        return f"{self.spec} of image #{self.image_id}"
