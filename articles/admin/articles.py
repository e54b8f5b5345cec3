"""The article page of the desk's admin: the form, its inlines and the workflow actions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from articles import permissions
from articles.admin.actions import run_bulk_action
from articles.admin.followups import FollowUpInline
from articles.admin.highlights import HighlightBoxInline
from articles.admin.importer import ImportedCopyAdmin, import_view
from articles.admin.metadata import (
    HTTPS_URLS,
    ClaimInline,
    CorrectionInline,
    KeyDateInline,
    KeyFigureInline,
    MentionInline,
    QuoteInline,
    SourceInline,
)
from articles.admin.page import LabelledHistoryHelper, desk_groups, recording_formset
from articles.admin.scheduling import schedule_selected_view
from articles.models import Article, ArticleAuthor
from articles.services import articles as services
from articles.services.imports import article_pending_image_apply
from articles.services.writing import byline_check, write_related
from media_credits.admin import ArticleImageInline


class BylineFormSet(BaseInlineFormSet):
    """Checks the byline with the API's rules (articles.services.writing.byline_check)."""

    user = None  # the person saving, set by BylineInline.get_formset

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        authors = [
            form.cleaned_data["user"]
            for form in self.forms
            if form.cleaned_data.get("user") and not form.cleaned_data.get("DELETE")
        ]
        if not authors and self.instance.pk is None:
            return  # signed by its creator once saved (ArticleAdmin.save_related)
        try:
            byline_check(user=self.user, authors=authors)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("author")
    verbose_name_plural = _("byline (in order)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # a class made for this request
        return formset


class ArticleAdminForm(forms.ModelForm):
    """Carries the version the journalist started from, to refuse saving over a newer one."""

    expected_version = forms.IntegerField(
        label=_("version you started from"), widget=forms.HiddenInput, required=False
    )

    class Meta:
        model = Article
        # The admin's fieldsets choose the fields shown.
        fields = "__all__"  # noqa: DJ007

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # The admin saves inside a transaction: locking the row here keeps anyone else from
        # saving between this check and save_model's conditional update.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        expected = cleaned.get("expected_version")
        if current is not None and expected != current:
            # Show the form again with the journalist's text; saving again now overwrites.
            data = self.data.copy()
            data[self.add_prefix("expected_version")] = current
            self.data = data
            raise ValidationError(
                _(
                    "Someone else saved this article while you were editing it (it is now at "
                    "version %(current)s, you started from version %(expected)s). Your text is "
                    "kept below and nothing was saved: open the article in another tab to compare, "
                    "then save again to replace their version with yours."
                ),
                code="stale",
                params={"current": current, "expected": expected},
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(ImportedCopyAdmin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        "headline",
        "status_badge",
        "language",
        "desk",
        "byline",
        "publish_time",
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
    search_help_text = _("Searches headlines, standfirsts and texts.")
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
        *ImportedCopyAdmin.imported_readonly,
    ]
    prepopulated_fields = {"slug": ["headline"]}
    formfield_overrides = HTTPS_URLS
    actions = ["submit_selected", "publish_selected", "schedule_selected", "retract_selected"]
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
        (_("For the desk only"), {"fields": ["editor_note", "canonical_url", "expected_version"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.imported_fieldsets(obj) + list(super().get_fieldsets(request, obj))

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_view(self, request))
        return [path("import/", view, name="articles_article_import"), *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if "adminform" in context:
            context["desk_groups"] = desk_groups(
                context["adminform"], context.get("inline_admin_formsets", [])
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

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
            FollowUpInline,
            HighlightBoxInline,
            ArticleImageInline,
        ]

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related("bylines__user")
        return permissions.visible_articles(request.user, articles)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            permissions.is_admin(request.user) or bool(permissions.roles(request.user))
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_publish(request.user, obj))

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, user=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_admin(request.user):
            # Bulk deletion checks no per-article rule; editors delete one article at a time.
            actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "desk":
            kwargs["queryset"] = permissions.writable_desks(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formsets_with_inlines(self, request, obj=None):
        # save_model needs the inlines to tell whether the page changed at all (Django hands
        # them only to save_related, after the version must already be bumped for history):
        # each formset the change view builds records itself on the request.
        formsets = request.newsroom_formsets = []
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            yield recording_formset(formset_class, formsets), inline

    def save_model(self, request, obj, form, change):
        if change:
            # The same single conditional UPDATE as the API's If-Match check; saving an
            # untouched page makes no new version.
            expected = form.cleaned_data.get("expected_version")
            same = Article.objects.filter(pk=obj.pk, version=expected)
            formsets = getattr(request, "newsroom_formsets", None)
            changed = (
                form.has_changed()
                or formsets is None
                or any(formset.has_changed() for formset in formsets)
            )
            if changed:
                matched = same.update(version=F("version") + 1, updated_at=timezone.now())
            else:
                matched = same.exists()
            if not matched:
                raise services.VersionConflict(
                    article_id=obj.pk,
                    current_version=Article.objects.get(pk=obj.pk).version,
                )
            fresh = Article.objects.values("version", "updated_at").get(pk=obj.pk)
            obj.version, obj.updated_at = fresh["version"], fresh["updated_at"]
            was_live = Article.objects.live().filter(pk=obj.pk).exists()
        super().save_model(request, obj, form, change)
        if change and changed:
            services.article_public_changed(article=obj, was_live=was_live)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if article_pending_image_apply(article=article):
            self.message_user(
                request,
                _("The lead image got the credit and AI attribution stated in the imported copy."),
            )
        if not change and not article.bylines.exists():
            # As in the API: a new article with an empty byline is signed by its creator.
            write_related(
                article=article, user=request.user, data={"authors": [request.user]}, replace=False
            )

    def has_view_history_or_change_history_permission(self, request, obj=None):
        allowed = super().has_view_history_or_change_history_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_editorial(request.user, obj))

    def view_on_site(self, obj: Article) -> str:
        """ "View on site": the article's public page (articles.views.formats.article_page)."""
        return obj.get_absolute_url()

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledHistoryHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        from articles.revisions import article_revisions

        article = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if article is not None and permissions.can_view_editorial(request.user, article):
            extra_context["metadata_revisions"] = [
                entry
                for entry in article_revisions(article=article, limit=300)
                if entry["section"] != "article"
            ]
        return super().history_view(request, object_id, extra_context=extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: Article) -> str:
        colours = {
            Article.Status.DRAFT: "#595959",
            Article.Status.IN_REVIEW: "#7a5a00",
            Article.Status.SCHEDULED: "#1558c0",
            Article.Status.PUBLISHED: "#1a7f37",
            Article.Status.RETRACTED: "#b91c1c",
        }
        label = obj.get_status_display()
        if obj.status == Article.Status.PUBLISHED and not obj.is_live():
            label = _("%(status)s (embargoed)") % {"status": label}
        return format_html(
            '<strong style="color:{}">{}</strong>', colours.get(obj.status, "#000"), label
        )

    @admin.display(description=_("publication"), ordering="published_at")
    def publish_time(self, obj: Article) -> str:
        """When readers get it: the publication time, or the time a scheduled article goes live."""
        if obj.status == Article.Status.SCHEDULED and obj.publish_at is not None:
            return _("scheduled for %(time)s") % {
                "time": date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
            }
        if obj.published_at is None:
            return self.get_empty_value_display()
        return date_format(timezone.localtime(obj.published_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("byline"))
    def byline(self, obj: Article) -> str:
        return ", ".join(b.user.get_full_name() or b.user.get_username() for b in obj.bylines.all())

    def _run(self, request, queryset, action, done_message):
        run_bulk_action(
            self, request, queryset, action, done_message, label=lambda a: f"“{a.headline}”"
        )

    @admin.action(description=_("Publish selected articles now"))
    def publish_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda a: services.article_publish(article=a, user=request.user),
            lambda n: ngettext("%d article published.", "%d articles published.", n) % n,
        )

    @admin.action(description=_("Submit selected articles for review"))
    def submit_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda a: services.article_submit(article=a, user=request.user),
            lambda n: (
                ngettext("%d article submitted for review.", "%d articles submitted for review.", n)
                % n
            ),
        )

    @admin.action(description=_("Schedule selected articles…"))
    def schedule_selected(self, request, queryset):
        def schedule(articles, publish_at):
            when = timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")
            self._run(
                request,
                articles,
                lambda a: services.article_schedule(
                    article=a, publish_at=publish_at, user=request.user
                ),
                lambda n: (
                    ngettext(
                        "%(count)d article scheduled for %(time)s.",
                        "%(count)d articles scheduled for %(time)s.",
                        n,
                    )
                    % {"count": n, "time": when}
                ),
            )

        return schedule_selected_view(self, request, queryset, schedule)

    @admin.action(description=_("Retract selected articles (adds a correction)"))
    def retract_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda a: services.article_retract(
                article=a,
                reason=_("This article has been retracted by the desk on %(date)s.")
                % {"date": timezone.localdate().isoformat()},
                user=request.user,
            ),
            lambda n: ngettext("%d article retracted.", "%d articles retracted.", n) % n,
        )
