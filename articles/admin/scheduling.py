"""The "Schedule selected articles…" action: an intermediate page asks for the time."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers, widgets
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def site_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_full_hour(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next o'clock in the site's time zone: 14:00 at 13:05, and at 13:00 too."""
    zone = site_zone()
    local = (now or timezone.now()).astimezone(zone)
    hour_start = local.replace(minute=0, second=0, microsecond=0)
    # Add the hour in UTC: wall-clock arithmetic would land on 02:00 the night clocks skip it.
    return (hour_start.astimezone(datetime.UTC) + datetime.timedelta(hours=1)).astimezone(zone)


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label=_("Publish at"),
        widget=widgets.AdminSplitDateTime,
    )

    def __init__(self, *args, now: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        field = self.fields["publish_at"]
        field.help_text = _("Date and time on the newsroom's clock (%(zone)s).") % {
            "zone": settings.TIME_ZONE
        }
        field.initial = next_full_hour(self.now)

    def clean_publish_at(self) -> datetime.datetime:
        value = self.cleaned_data["publish_at"]
        if value <= self.now:
            raise forms.ValidationError(
                _("%(time)s has already passed: choose a time in the future."),
                code="past",
                params={"time": timezone.localtime(value).strftime("%Y-%m-%d %H:%M")},
            )
        return value


def schedule_selected_view(modeladmin: admin.ModelAdmin, request, queryset, schedule):
    """Shows the form; once a valid time is posted, calls `schedule(queryset, publish_at)`.

    Returns None once scheduled, so the admin goes back to the list with its messages.
    """
    # The form reads and shows times on the site's clock, whatever zone is active.
    with timezone.override(site_zone()):
        if "apply" in request.POST:
            form = ScheduleForm(request.POST)
            if form.is_valid():
                schedule(queryset, form.cleaned_data["publish_at"])
                return None
        else:
            form = ScheduleForm()
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Schedule articles"),
            "subtitle": None,
            "opts": modeladmin.model._meta,
            "form": form,
            "media": modeladmin.media + form.media,
            "articles": list(queryset),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/articles/article/schedule_selected.html", context)
