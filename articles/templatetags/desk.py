"""The admin index's "My follow-ups": what is due today, what is late, which reminders wait."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from articles.models import FollowUp, ReminderDelivery
from articles.services.followups import owner_profile

register = template.Library()


def reminder_hold(delivery: ReminderDelivery, *, now: datetime.datetime) -> str:
    """Why and until when a pending reminder waits, in the active language ("" if it does not)."""
    if delivery.state != ReminderDelivery.State.PENDING or delivery.next_attempt_at <= now:
        return ""
    profile = owner_profile(delivery.followup.owner)
    local = delivery.next_attempt_at.astimezone(profile.tz)
    when = time_format(local, "H:i")
    if local.date() != now.astimezone(profile.tz).date():
        when = _("%(day)s at %(time)s") % {"day": date_format(local, "l j F"), "time": when}
    if delivery.attempts:
        reason = _("retry after a sending failure")
    else:
        reason = _("quiet hours")
    return _("held until %(when)s: %(reason)s") % {"when": when, "reason": reason}


@register.inclusion_tag("admin/articles/my_followups.html", takes_context=True)
def my_followups(context) -> dict:
    request = context["request"]
    user = request.user
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + datetime.timedelta(days=1)
    mine = FollowUp.objects.filter(owner=user).active().order_by("next_check_at", "id")
    held = (
        ReminderDelivery.objects.filter(
            followup__owner=user, state=ReminderDelivery.State.PENDING, next_attempt_at__gt=now
        )
        .select_related("followup__owner__journalist_profile")
        .order_by("next_attempt_at", "id")[:20]
    )

    def row(followup: FollowUp) -> dict:
        return {
            "followup": followup,
            "url": reverse("admin:articles_followup_change", args=[followup.pk]),
            "when": date_format(
                timezone.localtime(followup.next_check_at), "SHORT_DATETIME_FORMAT"
            ),
        }

    return {
        "overdue": [row(f) for f in mine.filter(next_check_at__lt=now)[:20]],
        "today": [row(f) for f in mine.filter(next_check_at__gte=now, next_check_at__lt=end)[:20]],
        "held": [row(d.followup) | {"hold": reminder_hold(d, now=now)} for d in held],
        "list_url": reverse("admin:articles_followup_changelist") + "?mine=1",
    }
