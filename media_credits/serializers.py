"""The staff image API, and the image shape inside the public article."""

from django.core.files.storage import default_storage
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article
from media_credits import c2pa
from media_credits.models import ArticleImage, Image, Licence, Rendition
from media_credits.services import INGEST_FIELDS
from newsroom.fields import BlankableURLField

NOTE_LANGUAGES = ("en", "fr")


def rendition_url(rendition: Rendition) -> str:
    """Where the storage serves the file: MEDIA_URL, root-relative by default ("/media/…"), so
    a stored document works on any address the site is served on, or a CDN origin."""
    return default_storage.url(rendition.file.name)


def rendition_ref(rendition: Rendition) -> dict:
    return {
        "url": rendition_url(rendition),
        "width": rendition.width,
        "height": rendition.height,
        "format": rendition.format,
    }


def licence_ref(licence: Licence | None) -> dict | None:
    if licence is None:
        return None
    return {"name": licence.name, "url": licence.url or None}


def content_credentials_public(image: Image) -> dict:
    """What readers' apps may show: a manifest was there, it validated, what it says of origin."""
    return {
        "present": image.c2pa_manifest_present,
        "valid": image.c2pa_valid,
        "digital_source_type": image.c2pa_digital_source_type or None,
    }


def content_credentials_desk(image: Image) -> dict:
    """The desk's view of the upload's manifest, and whether our renditions are signed."""
    details = image.c2pa_credentials or {}
    return content_credentials_public(image) | {
        "validation_state": image.c2pa_validation_state or None,
        "trusted": bool(details.get("trusted")),
        "failures": details.get("failures", []),
        "signer": details.get("signer", ""),
        "issuer": details.get("issuer", ""),
        "claim_generator": details.get("claim_generator", ""),
        "signed_at": details.get("signed_at") or None,
        "actions": details.get("actions", []),
        "ingredients": details.get("ingredients", []),
        "override_reason": image.c2pa_override_reason,
        "renditions_signed": c2pa.signing_configured(),
    }


def article_image_ref(use: ArticleImage, language: str) -> dict:
    """One image as an article shows it. Reads prefetched licence and renditions."""
    image = use.image
    return {
        "id": image.pk,
        "alt_text": image.alt_text,
        "caption": use.caption,
        "credit_line": image.credit_line,
        "digital_source_type": image.digital_source_type,
        "ai_generated": image.ai_generated,
        "attribution_note": image.attribution_note(language),
        "licence": licence_ref(image.licence),
        "renditions": [rendition_ref(r) for r in image.sorted_renditions],
        "content_credentials": content_credentials_public(image),
    }


def article_lead_image(article, language: str) -> dict | None:
    for use in article.article_images.all():
        if use.role == ArticleImage.Role.LEAD:
            return article_image_ref(use, language)
    return None


def article_inline_images(article, language: str) -> list[dict]:
    return [
        article_image_ref(use, language)
        for use in article.article_images.all()
        if use.role == ArticleImage.Role.INLINE
    ]


# --- Shapes -------------------------------------------------------------------------------------


class RenditionRefSerializer(serializers.Serializer):
    url = serializers.CharField(
        help_text="The file at MEDIA_URL: a root-relative path (/media/…) or a CDN's absolute URL."
    )
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.ChoiceField(choices=Rendition.Format.choices)


class LicenceRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(allow_null=True)


class ContentCredentialsSerializer(serializers.Serializer):
    present = serializers.BooleanField(help_text="The upload carried a C2PA manifest.")
    valid = serializers.BooleanField(
        help_text="The manifest validated (signature and hashes), whoever signed it."
    )
    digital_source_type = serializers.URLField(
        allow_null=True, help_text="IPTC digital source type the manifest states, if any."
    )


class ContentCredentialsActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="e.g. c2pa.created, c2pa.edited.")
    digitalSourceType = serializers.CharField(allow_blank=True)  # C2PA's own key names
    softwareAgent = serializers.CharField(allow_blank=True)


class ContentCredentialsDeskSerializer(ContentCredentialsSerializer):
    validation_state = serializers.ChoiceField(
        choices=["Valid", "Invalid", "Trusted"],
        allow_null=True,
        help_text="The C2PA SDK's state; null without a manifest.",
    )
    trusted = serializers.BooleanField(
        help_text="Signed by a CA on NEWSROOM_C2PA_TRUST_ANCHORS (none by default)."
    )
    failures = serializers.ListField(
        child=serializers.CharField(), help_text="e.g. assertion.dataHash.mismatch."
    )
    signer = serializers.CharField(allow_blank=True)
    issuer = serializers.CharField(allow_blank=True)
    claim_generator = serializers.CharField(allow_blank=True)
    signed_at = serializers.CharField(allow_null=True, help_text="Only with a timestamp authority.")
    actions = ContentCredentialsActionSerializer(many=True)
    ingredients = serializers.ListField(child=serializers.CharField(), help_text="Their titles.")
    override_reason = serializers.CharField(allow_blank=True)
    renditions_signed = serializers.BooleanField(
        help_text="Renditions carry our own manifest (a certificate is configured)."
    )


class ArticleImageSerializer(serializers.Serializer):
    """An image in the public article: what a frontend needs for <img srcset> and credits."""

    id = serializers.IntegerField()
    alt_text = serializers.CharField()
    caption = serializers.CharField(help_text="The article's caption override, else the image's.")
    credit_line = serializers.CharField()
    digital_source_type = serializers.URLField(help_text="IPTC digital source type URI.")
    ai_generated = serializers.BooleanField()
    attribution_note = serializers.CharField(help_text="In the article's language.")
    licence = LicenceRefSerializer(allow_null=True)
    renditions = RenditionRefSerializer(many=True, help_text="Ready for srcset.")
    content_credentials = ContentCredentialsSerializer()


class LicenceSerializer(serializers.ModelSerializer):
    """A licence of the catalogue; its name in the request's language (Accept-Language)."""

    name = serializers.CharField(
        source="reader_name", read_only=True, help_text="In the request's language."
    )
    url = BlankableURLField(
        read_only=True, help_text="The licence text's address, if public; empty otherwise."
    )

    class Meta:
        model = Licence
        fields = ["id", "code", "name", "url", "commercial_use_allowed", "attribution_required"]
        read_only_fields = fields


class RenditionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ["spec", "url", "width", "height", "format", "bytes"]

    def get_url(self, obj: Rendition) -> str:
        return rendition_url(obj)


def _model_field_text(name: str) -> dict:
    field = Image._meta.get_field(name)
    return {"label": capfirst(field.verbose_name), "help_text": field.help_text}


class ImageSerializer(serializers.ModelSerializer):
    """An image as the desk sees it (staff only: includes the internal AI prompt)."""

    licence = LicenceSerializer(read_only=True, allow_null=True)
    # Read-only fields lose the model's blank=True in DRF; declared here so the schema says ""
    # is a value they take (a URI or nothing, a basis or nothing).
    licensor_url = serializers.URLField(
        read_only=True, allow_blank=True, **_model_field_text("licensor_url")
    )
    licence_basis = serializers.ChoiceField(
        choices=Image.LicenceBasis.choices,
        read_only=True,
        allow_blank=True,
        **_model_field_text("licence_basis"),
    )
    ai_generated = serializers.BooleanField(read_only=True)
    attribution_notes = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()
    content_credentials = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = [
            "id",
            "sha256",
            "width",
            "height",
            "format",
            "bytes",
            "original_filename",
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
            "ai_generated",
            "ai_system",
            "ai_system_version",
            "ai_prompt",
            "ai_prompt_writer",
            "licensor_name",
            "licensor_url",
            "licence_basis",
            "c2pa_manifest_present",
            "content_credentials",
            "uploaded_by",
            "uploaded_at",
            "attribution_notes",
            "renditions",
        ]
        read_only_fields = fields

    def get_attribution_notes(self, obj: Image) -> dict[str, str]:
        return {language: obj.attribution_note(language) for language in NOTE_LANGUAGES}

    def get_renditions(self, obj: Image) -> list[dict]:
        return RenditionSerializer(obj.sorted_renditions, many=True).data

    @extend_schema_field(ContentCredentialsDeskSerializer)
    def get_content_credentials(self, obj: Image) -> dict:
        return content_credentials_desk(obj)


class ImageUploadResultSerializer(ImageSerializer):
    """The answer to an upload: the image, and whether the same bytes were stored before."""

    existing = serializers.BooleanField(
        read_only=True,
        help_text="True when the same bytes were uploaded before: that image is returned "
        "unchanged (200).",
    )
    not_applied = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Metadata fields sent with a value different from the stored image's, which "
        "were not applied (PATCH the image to change them).",
    )

    class Meta(ImageSerializer.Meta):
        fields = [*ImageSerializer.Meta.fields, "existing", "not_applied"]
        read_only_fields = fields


class NulFreeSlugRelatedField(serializers.SlugRelatedField):
    """A slug looked up in the database: NUL is refused before the query, which PostgreSQL
    would fail on (psycopg cannot send NUL in a string). DRF's CharField does the same check."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            ProhibitNullCharactersValidator()(data)
        return super().to_internal_value(data)


class ImageUploadSerializer(serializers.ModelSerializer):
    """The upload: the file, plus metadata under the names ImageSerializer returns.

    The licence is given by its code (e.g. cc-by-4.0). Fields left out are filled from the
    file's embedded metadata where it has them.
    """

    file = serializers.FileField(help_text="JPEG, PNG, WebP, GIF or AVIF; the original is kept.")
    licence = NulFreeSlugRelatedField(
        slug_field="code",
        queryset=Licence.objects.all(),
        required=False,
        allow_null=True,
        help_text="The licence code, e.g. cc-by-4.0.",
    )

    class Meta:
        model = Image
        fields = ["file", *INGEST_FIELDS]


class ImageMetadataSerializer(serializers.ModelSerializer):
    """PATCH of an image: its metadata under the names ImageSerializer returns (If-Match)."""

    licence = NulFreeSlugRelatedField(
        slug_field="code",
        queryset=Licence.objects.all(),
        required=False,
        allow_null=True,
        help_text="The licence code, e.g. cc-by-4.0; null for none.",
    )

    class Meta:
        model = Image
        fields = list(INGEST_FIELDS)


# --- The article write API and the desk's read of an article's images ---------------------------


class ArticleImageInputSerializer(serializers.Serializer):
    image = serializers.PrimaryKeyRelatedField(
        queryset=Image.objects.all(), help_text="Id of an uploaded image."
    )
    role = serializers.ChoiceField(
        choices=ArticleImage.Role.choices,
        default=ArticleImage.Role.INLINE,
        help_text="At most one lead image.",
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="Position; defaults to the place in the list.",
    )
    caption_override = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Replaces the image's own caption in this article only.",
    )


def article_images_editorial(article: Article) -> list[dict]:
    """Every use (lead and inline) as the write API takes it back, with what readers see.
    Reads the detail's prefetch."""
    return [
        article_image_ref(use, article.language)
        | {
            "image": use.image_id,
            "role": use.role,
            "order": use.order,
            "caption_override": use.caption_override,
        }
        for use in article.article_images.all()
    ]


class ArticleImageEditorialSerializer(ArticleImageSerializer):
    image = serializers.IntegerField(help_text="Id of the image (the same as id).")
    role = serializers.ChoiceField(choices=ArticleImage.Role.choices)
    order = serializers.IntegerField()
    caption_override = serializers.CharField()
