"""The admin index's "My follow-ups": what is due today, what is late, which reminders wait."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import FollowUp, ReminderDelivery
from articles.reminders.plan import reminder_plan

register = template.Library()


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
        "held": [
            row(d.followup) | {"hold": plan.reason_display}
            for d in held
            if (plan := reminder_plan(d, now=now)) and plan.held
        ],
        "list_url": reverse("admin:articles_followup_changelist") + "?mine=1",
    }
