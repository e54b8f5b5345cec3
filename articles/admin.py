from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Correction,
    Desk,
    Entity,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("author")
    verbose_name_plural = _("byline (in order)")


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["entity"]


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    autocomplete_fields = ["attributed_to"]
    fields = [("status", "sourcing"), "text", ("attributed_to", "as_of"), "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "speaker_organisation"]
    fields = ["text", ("speaker", "speaker_label"), ("speaker_organisation", "said_at"), "order"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0
    fields = ["label", "value", "value_high", "unit", "as_of", "source", "order", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("as readers see it"))
    def preview(self, obj: KeyFigure) -> str:
        if obj.pk is None:
            return "—"
        return obj.display(obj.article.language)


class KeyDateInline(admin.TabularInline):
    model = KeyDate
    extra = 0
    fields = ["date", "precision", "label", "order", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("as readers see it"))
    def preview(self, obj: KeyDate) -> str:
        if obj.pk is None:
            return "—"
        return obj.display(obj.article.language)


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0


# Other apps append their inlines here (highlight boxes, images, follow-ups).
extra_article_inlines: list = []


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "status_badge",
        "language",
        "desk",
        "byline",
        "published_at",
        "updated_at",
    ]
    list_filter = [
        "status",
        "language",
        "desk",
        "tags",
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    list_select_related = ["desk"]
    autocomplete_fields = ["translation_of", "tags"]
    readonly_fields = [
        "status",
        "version",
        "first_published_at",
        "last_published_at",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"slug": ["headline"]}
    actions = ["publish_selected", "retract_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            _("Where and by whom"),
            {"fields": [("language", "desk"), "tags", "source_note", "translation_of"]},
        ),
        (
            _("Workflow"),
            {
                "fields": [
                    ("status", "version"),
                    ("publish_at", "embargo_until"),
                    "published_at",
                    ("first_published_at", "last_published_at"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
        (_("For the desk only"), {"fields": ["editor_note", "canonical_url"]}),
    ]

    def get_inlines(self, request, obj):
        return [
            BylineInline,
            MentionInline,
            ClaimInline,
            QuoteInline,
            KeyFigureInline,
            KeyDateInline,
            SourceInline,
            CorrectionInline,
            *extra_article_inlines,
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__user")

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: Article) -> str:
        colours = {
            Article.Status.DRAFT: "#777",
            Article.Status.IN_REVIEW: "#b8860b",
            Article.Status.SCHEDULED: "#1f6feb",
            Article.Status.PUBLISHED: "#2da44e",
            Article.Status.RETRACTED: "#cf222e",
        }
        label = obj.get_status_display()
        if obj.status == Article.Status.PUBLISHED and not obj.is_live():
            label = _("%(status)s (embargoed)") % {"status": label}
        return format_html(
            '<strong style="color:{}">{}</strong>', colours.get(obj.status, "#000"), label
        )

    @admin.display(description=_("byline"))
    def byline(self, obj: Article) -> str:
        return ", ".join(b.user.get_full_name() or b.user.get_username() for b in obj.bylines.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(fs.has_changed() for fs in formsets):
            services.article_touch(article=form.instance)

    def _run(self, request, queryset, action, done_message):
        done = 0
        for article in queryset:
            try:
                action(article)
                done += 1
            except ValidationError as exc:
                details = (
                    "; ".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs)
                    if hasattr(exc, "error_dict")
                    else "; ".join(exc.messages)
                )
                self.message_user(request, f"“{article.headline}”: {details}", level=messages.ERROR)
        if done:
            self.message_user(request, done_message(done), level=messages.SUCCESS)

    @admin.action(description=_("Publish selected articles now"))
    def publish_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda a: services.article_publish(article=a),
            lambda n: ngettext("%d article published.", "%d articles published.", n) % n,
        )

    @admin.action(description=_("Retract selected articles (adds a correction)"))
    def retract_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda a: services.article_retract(
                article=a,
                reason=_("This article has been retracted by the desk on %(date)s.")
                % {"date": timezone.localdate().isoformat()},
            ),
            lambda n: ngettext("%d article retracted.", "%d articles retracted.", n) % n,
        )


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "wikidata_link", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases", "wikidata_id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("mentions__article", distinct=True))
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj: Entity) -> int:
        return obj.article_count

    @admin.display(description=_("Wikidata"))
    def wikidata_link(self, obj: Entity) -> str:
        if not obj.wikidata_id:
            return "—"
        return format_html(
            '<a href="https://www.wikidata.org/wiki/{}" target="_blank" rel="noopener">{}</a>',
            obj.wikidata_id,
            obj.wikidata_id,
        )


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# Highlight boxes and follow-ups register their admin and article-page inlines.
from articles import admin_followups, admin_highlights  # noqa: E402, F401
