"""Admin for follow-ups: the desk's list, the inline on the article page, the delivery log."""

import datetime

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import permissions
from articles.admin.actions import run_bulk_action
from articles.admin.rules import ArticleRulesAdminMixin
from articles.models import FollowUp, JournalistProfile, ReminderDelivery
from articles.reminders.plan import followup_reminder_plan
from articles.services import followups as services


class MineFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine")), ("watching", _("I watch"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(owner=request.user)
        if self.value() == "watching":
            return queryset.filter(watchers=request.user)
        return queryset


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("today", _("Due today")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "today":
            start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            end = start + datetime.timedelta(days=1)
            return queryset.active().filter(next_check_at__gte=start, next_check_at__lt=end)
        if self.value() == "overdue":
            return queryset.active().filter(next_check_at__lt=now)
        return queryset


class DeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    extra = 0
    can_delete = False
    verbose_name_plural = _("delivery log")
    fields = [
        "due_at",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["entities", "owner", "watchers"]
    fields = [
        "what",
        ("owner", "watchers"),
        "entities",
        ("next_check_at", "every_days", "status"),
        "promise",
        "followed_up_by",
    ]
    readonly_fields = ["status", "followed_up_by"]
    show_change_link = True


def _run(modeladmin, request, queryset, action, label):
    allowed = []
    for followup in queryset:
        if modeladmin.may_edit(request, followup):
            allowed.append(followup)
        else:
            modeladmin.message_user(
                request,
                _("%(followup)s: only who may change its article can change it.")
                % {"followup": followup},
                level=messages.ERROR,
            )
    run_bulk_action(
        modeladmin,
        request,
        allowed,
        action,
        lambda done: (
            ngettext("%(n)d follow-up %(label)s.", "%(n)d follow-ups %(label)s.", done)
            % {"n": done, "label": label}
        ),
    )


@admin.register(FollowUp)
class FollowUpAdmin(ArticleRulesAdminMixin, admin.ModelAdmin):
    article_scope = staticmethod(permissions.editorial_articles)
    article_rule = staticmethod(permissions.can_manage_followups)
    list_display = [
        "article_headline",
        "what",
        "owner",
        "status",
        "next_check_at",
        "every_days",
        "last_reminded_at",
    ]
    list_filter = [MineFilter, DueFilter, "status"]
    list_select_related = ["owner"]
    search_fields = ["what", "article_headline", "promise"]
    autocomplete_fields = ["article", "entities", "owner", "watchers", "followed_up_by"]
    readonly_fields = [
        "status",
        "article_headline",
        "last_reminded_at",
        "resolved_at",
        "created_at",
        "updated_at",
        "next_reminder",
    ]
    fields = [
        ("article", "article_headline"),
        "next_reminder",
        "what",
        "entities",
        ("owner", "watchers"),
        ("next_check_at", "every_days", "status"),
        "promise",
        "followed_up_by",
        ("last_reminded_at", "resolved_at"),
        ("created_at", "updated_at"),
    ]
    inlines = [DeliveryInline]
    actions = ["snooze_day", "snooze_week", "mark_done", "cancel"]
    ordering = ["next_check_at"]

    @admin.display(description=_("next reminder"))
    def next_reminder(self, obj: FollowUp) -> str:
        """When a pending reminder will actually go out, and why it waits (quiet hours)."""
        if obj.pk is None:
            return "—"
        plan = followup_reminder_plan(
            obj.deliveries.filter(state=ReminderDelivery.State.PENDING).select_related(
                "followup__owner__journalist_profile"
            ),
            now=timezone.now(),
        )
        return plan.reason_display if plan else "—"

    def get_changeform_initial_data(self, request):
        return {"owner": request.user.pk} | super().get_changeform_initial_data(request)

    @admin.action(description=_("Snooze for a day"))
    def snooze_day(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda f: services.followup_snooze(followup=f, period="day"),
            _("snoozed"),
        )

    @admin.action(description=_("Snooze for a week"))
    def snooze_week(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda f: services.followup_snooze(followup=f, period="week"),
            _("snoozed"),
        )

    @admin.action(description=_("Mark as done"))
    def mark_done(self, request, queryset):
        _run(self, request, queryset, lambda f: services.followup_done(followup=f), _("done"))

    @admin.action(description=_("Cancel"))
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda f: services.followup_cancel(followup=f),
            _("cancelled"),
        )


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "followup", "state", "attempts", "due_at", "sent_at"]
    list_filter = ["state"]
    list_select_related = ["followup"]
    search_fields = ["message_id"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JournalistProfile)
class JournalistProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "time_zone",
        "language",
        "quiet_hours_start",
        "quiet_hours_end",
        "any_hour",
    ]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__email"]

    def save_model(self, request, obj, form, change):
        # Through the service: new hours or a new time zone re-plan the held reminders.
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name != "user"}
        saved = services.journalist_profile_set(user=obj.user, **fields)
        obj.pk = saved.pk
