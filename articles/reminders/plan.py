"""When a pending reminder will actually be sent, and why it waits: one answer for the
follow-up API, the follow-up admin page and the admin index's "My follow-ups"."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, gettext_lazy

from articles.models import ReminderDelivery
from articles.services.followups import owner_profile


class HoldReason(models.TextChoices):
    QUEUED = "queued", gettext_lazy("being sent")
    QUIET_HOURS = "quiet_hours", gettext_lazy("quiet hours")
    BACKOFF = "backoff", gettext_lazy("retry after a sending failure")


@dataclass(frozen=True)
class ReminderPlan:
    sends_at: datetime.datetime
    held: bool
    # A HoldReason, or None: it goes out at the next sweep.
    reason: str | None
    reason_display: str
    time_zone: str

    def as_dict(self) -> dict:
        return {
            "sends_at": self.sends_at,
            "held": self.held,
            "reason": self.reason,
            "reason_display": self.reason_display,
            "time_zone": self.time_zone,
        }


def _is_queued(delivery: ReminderDelivery) -> bool:
    """A claim sets claimed_at and pushes next_attempt_at to the lease in one statement."""
    lease = datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
    return (
        delivery.claimed_at is not None and delivery.next_attempt_at == delivery.claimed_at + lease
    )


def reminder_plan(delivery: ReminderDelivery, *, now: datetime.datetime) -> ReminderPlan | None:
    """The plan of a pending delivery, in the active language; None for any other state."""
    if delivery.state != ReminderDelivery.State.PENDING:
        return None
    profile = owner_profile(delivery.followup.owner)
    if _is_queued(delivery):
        return ReminderPlan(
            delivery.claimed_at,
            False,
            HoldReason.QUEUED,
            str(HoldReason.QUEUED.label),
            profile.time_zone,
        )
    if delivery.next_attempt_at <= now:
        return ReminderPlan(
            delivery.next_attempt_at, False, None, gettext("going out now"), profile.time_zone
        )
    local = delivery.next_attempt_at.astimezone(profile.tz)
    when = time_format(local, "H:i")
    if local.date() != now.astimezone(profile.tz).date():
        when = gettext("%(day)s at %(time)s") % {"day": date_format(local, "l j F"), "time": when}
    reason = HoldReason.BACKOFF if delivery.attempts else HoldReason.QUIET_HOURS
    display = gettext("held until %(when)s: %(reason)s") % {"when": when, "reason": reason.label}
    return ReminderPlan(delivery.next_attempt_at, True, reason, display, profile.time_zone)


def followup_reminder_plan(deliveries, *, now: datetime.datetime) -> ReminderPlan | None:
    """The plan of a follow-up's next pending reminder (from its deliveries, prefetched or not)."""
    pending = [d for d in deliveries if d.state == ReminderDelivery.State.PENDING]
    if not pending:
        return None
    return reminder_plan(min(pending, key=lambda d: (d.next_attempt_at, d.pk)), now=now)
