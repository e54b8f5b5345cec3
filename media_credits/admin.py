from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from media_credits import c2pa, services
from media_credits.models import AI_SOURCE_TYPES, ArticleImage, Image, Licence, Rendition
from media_credits.serializers import rendition_url


def thumbnail_html(image: Image | None, width: int = 120) -> str:
    if image is None:
        return "—"
    smallest = next((r for r in image.sorted_renditions if r.format == "jpeg"), None)
    if smallest is None:
        return _("(renditions pending)")
    return format_html(
        '<img src="{}" alt="{}" style="max-width:{}px;height:auto">',
        rendition_url(smallest),
        image.alt_text,
        width,
    )


def credentials_status(details: dict) -> str:
    state = details.get("state")
    if state not in (c2pa.VALID, c2pa.TRUSTED):
        codes = ", ".join(c for c in details.get("failures", []) if c)
        return _("Invalid: %(codes)s") % {"codes": codes or details.get("error") or "?"}
    if details.get("trusted"):
        return _("Valid, trusted (the signer's CA is on our trust list).")
    return _(
        "Valid, untrusted: the signature and hashes check out, but the signer is not on "
        "our trust list (NEWSROOM_C2PA_TRUST_ANCHORS)."
    )


def renditions_status(image: Image) -> str:
    """Whether our renditions are signed, checked by reading the smallest one back."""
    signed = next((r for r in image.sorted_renditions if r.c2pa_signed), None)
    if signed is None:
        if c2pa.signing_configured():
            return _("Signed with NEWSROOM_C2PA_CERT (renditions pending).")
        return _("Unsigned: no signing certificate is configured (NEWSROOM_C2PA_CERT).")
    try:
        with default_storage.open(signed.file.name, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return _("Signed, but the file %(name)s is missing.") % {"name": signed.file.name}
    found = c2pa.read(data, signed.format, trust_anchors=c2pa.configured_trust_anchors())
    return _("Signed: %(status)s (read back from %(spec)s)") % {
        "status": credentials_status(found.as_data()) if found.present else _("no manifest"),
        "spec": signed.spec,
    }


def content_credentials_html(image: Image) -> str:
    """The panel: the upload's manifest (valid / invalid / untrusted / none), its actions, and
    whether our renditions are signed."""
    details = image.c2pa_credentials or {}
    if not image.c2pa_manifest_present:
        status = _("None: the upload carried no content credentials.")
    else:
        status = credentials_status(details)
    rows = [(_("Status"), status)]
    if details:
        signer = ", ".join(p for p in (details.get("signer"), details.get("issuer")) if p)
        rows += [
            (_("Signed by"), signer or "—"),
            (_("Claim generator"), details.get("claim_generator") or "—"),
            (_("Signed at"), details.get("signed_at") or _("no timestamp")),
            (_("Ingredients"), ", ".join(details.get("ingredients", [])) or "—"),
        ]
    rows.append((_("Our renditions"), renditions_status(image)))
    actions = details.get("actions", [])
    action_list = format_html_join(
        "",
        "<li><code>{}</code> {} {}</li>",
        (
            (a.get("action"), a.get("digitalSourceType", ""), a.get("softwareAgent", ""))
            for a in actions
        ),
    )
    return format_html(
        "<dl>{}</dl>{}",
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        format_html("<p>{}</p><ul>{}</ul>", _("Actions"), action_list) if actions else "",
    )


class AIGeneratedFilter(admin.SimpleListFilter):
    title = _("AI-generated")
    parameter_name = "ai_generated"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.ai_generated()
        if self.value() == "no":
            return queryset.exclude(digital_source_type__in=AI_SOURCE_TYPES)
        return queryset


class LicenceExpiryFilter(admin.SimpleListFilter):
    title = _("licence expiry")
    parameter_name = "licence_expiry"

    def lookups(self, request, model_admin):
        return [("soon", _("Expires within 30 days")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return queryset.licence_expiring(within_days=30)
        if self.value() == "expired":
            return queryset.filter(licence_expires_on__lt=timezone.localdate())
        return queryset


class MissingAltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.missing_alt_text()
        return queryset


class ImageAddForm(forms.ModelForm):
    """The add page: the file, checked exactly as the API checks it, then the metadata."""

    file = forms.FileField(
        label=_("file"),
        help_text=_("JPEG, PNG, WebP, GIF or AVIF. The original is kept as uploaded."),
    )

    class Meta:
        model = Image
        fields = ["file", *services.INGEST_FIELDS]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.image_inspect(data=services.read_upload(upload))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from exc
        return upload


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    fields = ["spec", "width", "height", "bytes", "c2pa_signed", "link"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def link(self, obj: Rendition) -> str:
        return format_html('<a href="{}">{}</a>', rendition_url(obj), obj.file.name)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "id",
        "alt_text_short",
        "credit_line",
        "digital_source_type",
        "ai_flag",
        "licence_name",
        "licence_expires_on",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail", "id"]
    list_filter = [
        AIGeneratedFilter,
        "licence",
        LicenceExpiryFilter,
        MissingAltTextFilter,
        "digital_source_type",
        "c2pa_manifest_present",
    ]
    search_fields = ["alt_text", "caption", "credit_line", "creator", "original_filename", "sha256"]
    list_select_related = ["licence"]
    readonly_fields = [
        "preview",
        "attribution_preview",
        "original_filename",
        "original_link",
        "sha256",
        "format",
        "width",
        "height",
        "bytes",
        "c2pa_manifest_present",
        "content_credentials",
        "uploaded_by",
        "uploaded_at",
    ]
    fieldsets = [
        (None, {"fields": ["preview", "alt_text", "caption"]}),
        (
            _("Credit and rights"),
            {
                "fields": [
                    "credit_line",
                    ("creator", "copyright_holder"),
                    "copyright_notice",
                    ("licence", "licence_expires_on"),
                    "usage_terms",
                ]
            },
        ),
        (
            _("Source and AI"),
            {
                "fields": [
                    "digital_source_type",
                    ("ai_system", "ai_system_version"),
                    "licence_basis",
                    ("licensor_name", "licensor_url"),
                    "ai_prompt",
                    "ai_prompt_writer",
                ]
            },
        ),
        (
            _("Content Credentials"),
            {"fields": ["content_credentials", "c2pa_override_reason"]},
        ),
        (_("What readers see"), {"fields": ["attribution_preview"]}),
        (
            _("File"),
            {
                "fields": [
                    ("original_filename", "original_link"),
                    "sha256",
                    ("format", "width", "height", "bytes"),
                    "c2pa_manifest_present",
                    ("uploaded_by", "uploaded_at"),
                ]
            },
        ),
    ]
    inlines = [RenditionInline]

    @admin.display(description=_("licence"), ordering="licence__name")
    def licence_name(self, obj: Image) -> str:
        return obj.licence.reader_name if obj.licence_id else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "licence" and field is not None:
            # The catalogue's names in the journalist's language.
            field.label_from_instance = lambda licence: licence.reader_name
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImageAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            first = (None, {"fields": ["file", "alt_text", "caption"]})
            return [first, *self.fieldsets[1:3]]
        return self.fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Image) -> str:
        return thumbnail_html(obj, width=80)

    @admin.display(description=_("preview"))
    def preview(self, obj: Image) -> str:
        return thumbnail_html(obj, width=320)

    @admin.display(description=_("alt text"), ordering="alt_text")
    def alt_text_short(self, obj: Image) -> str:
        if not obj.alt_text:
            return format_html('<strong style="color:#cf222e">{}</strong>', _("missing"))
        return obj.alt_text[:80]

    @admin.display(description=_("AI"), boolean=True)
    def ai_flag(self, obj: Image) -> bool:
        return obj.ai_generated

    @admin.display(description=_("attribution note"))
    def attribution_preview(self, obj: Image) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                (
                    (label, obj.attribution_note(code))
                    for code, label in (("fr", "Français"), ("en", "English"))
                ),
            ),
        )

    @admin.display(description=_("original file"))
    def original_link(self, obj: Image) -> str:
        """A signed link that expires (media_credits.originals); the view checks the desk."""
        if obj.pk is None or not obj.original:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("original-open", args=[obj.pk]),
            _("Open the original (signed link, for this image's desks)"),
        )

    @admin.display(description=_("Content Credentials"))
    def content_credentials(self, obj: Image) -> str:
        return content_credentials_html(obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.image_update(image=obj)
            return
        metadata = {
            name: form.cleaned_data.get(name)
            for name in services.INGEST_FIELDS
            if name in form.cleaned_data
        }
        image, created = services.image_ingest(
            file=form.cleaned_data["file"], uploaded_by=request.user, metadata=metadata
        )
        if not created:
            self.message_user(
                request,
                _("This file was already uploaded as image #%(id)s: that image is kept.")
                % {"id": image.pk},
                level=messages.WARNING,
            )
        # The admin goes on with the saved row (its id for the redirect and the log).
        obj.pk = image.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        try:
            services.image_delete(image=obj)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            self.delete_model(request, image)


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["reader_name", "code", "commercial_use_allowed", "attribution_required", "url"]
    list_filter = ["commercial_use_allowed", "attribution_required"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    @admin.display(description=_("name"), ordering="name")
    def reader_name(self, obj: Licence) -> str:
        return obj.reader_name

    def save_model(self, request, obj, form, change):
        services.licence_update(licence=obj)


class ArticleImageInline(admin.StackedInline):
    """Stacked: thumbnail, caption and attribution note do not fit a table in 1,366 pixels."""

    model = ArticleImage
    extra = 0
    autocomplete_fields = ["image"]
    fields = [("thumbnail", "image"), ("role", "order"), "caption_override", "note"]
    readonly_fields = ["thumbnail", "note"]
    verbose_name_plural = _("images (lead and inline, in order)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("image__licence", "article")
            .prefetch_related("image__renditions")
        )

    @admin.display(description=_("image"))
    def thumbnail(self, obj: ArticleImage) -> str:
        return thumbnail_html(obj.image if obj.pk else None, width=80)

    @admin.display(description=_("attribution note"))
    def note(self, obj: ArticleImage) -> str:
        if obj.pk is None:
            return "—"
        return obj.image.attribution_note(obj.article.language)
