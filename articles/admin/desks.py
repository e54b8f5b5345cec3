"""Admin for the shared records articles show: entities, desks, tags and the journalists."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import purge
from articles.models import Article, ArticleDocument, Desk, DeskMembership, Entity, Tag


class InvalidatesDocumentsAdmin(admin.ModelAdmin):
    """Saving a shared record (entity, desk, tag) refreshes the articles that show its name."""

    article_lookup = ""

    def shown_keys(self, obj) -> list[str]:
        """Surrogate keys of the public pages that show the record itself (articles.purge)."""
        return []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            ArticleDocument.objects.invalidate(
                article_ids=Article.objects.filter(**{self.article_lookup: obj}).values("pk")
            )
        purge.purge_on_commit(self.shown_keys(obj))


class AliasesField(forms.CharField):
    """The entity's aliases as one name a line (stored as a JSON list)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        names = []
        for line in text.splitlines():
            name = line.strip()
            if name and name not in names:
                names.append(name)
        return names


class EntityAdminForm(forms.ModelForm):
    aliases = AliasesField(
        label=_("aliases"),
        required=False,
        help_text=_("Other names for the same thing, one a line, e.g. OpenAI and Open AI."),
    )

    class Meta:
        model = Entity
        fields = ["name", "kind", "aliases", "wikidata_id", "description"]


@admin.register(Entity)
class EntityAdmin(InvalidatesDocumentsAdmin):
    article_lookup = "mentions__entity"
    form = EntityAdminForm

    def shown_keys(self, obj) -> list[str]:
        # Its pages, the pages that name it, and the entity lists (sorted by name).
        return [purge.entity_key(obj.pk), purge.ENTITIES]

    list_display = ["name", "kind", "wikidata_link", "article_count"]
    list_filter = ["kind"]
    # The count annotation drops Meta.ordering; autocomplete pages need a stable order.
    ordering = ["name", "id"]
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


class DeskMembershipInline(admin.TabularInline):
    model = DeskMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("member")
    verbose_name_plural = _("members (their role comes from their groups: reporter, editor)")


@admin.register(Desk)
class DeskAdmin(InvalidatesDocumentsAdmin):
    article_lookup = "desk"
    inlines = [DeskMembershipInline]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(InvalidatesDocumentsAdmin):
    article_lookup = "tags"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class NewsroomUserAdmin(UserAdmin):
    """The stock user admin; a renamed journalist's byline is refreshed in public documents."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            ArticleDocument.objects.invalidate(
                article_ids=Article.objects.filter(bylines__user=obj).values("pk")
            )


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), NewsroomUserAdmin)
