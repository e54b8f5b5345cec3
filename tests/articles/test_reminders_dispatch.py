import datetime
import zoneinfo

import pytest
from django.utils import timezone

from articles.models import FollowUp, ReminderDelivery
from articles.reminders import clock, dispatch
from tests.factories import (
    FollowUpFactory,
    JournalistProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
UTC = datetime.UTC
WINDOW = (datetime.time(8), datetime.time(20))
State = ReminderDelivery.State


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# --- Dispatch ----------------------------------------------------------------------------------


def collect():
    ids: list[int] = []
    return ids, ids.extend


def test_dispatch_creates_one_delivery_per_due_followup_and_claims_it():
    now = timezone.now()
    owner = JournalistProfileFactory(any_hour=True).user
    due = FollowUpFactory(owner=owner, next_check_at=now - datetime.timedelta(minutes=5))
    FollowUpFactory(owner=owner, next_check_at=now + datetime.timedelta(hours=1))
    ids, enqueue = collect()
    result = dispatch.reminders_dispatch(now=now, enqueue=enqueue)
    assert result == {"created": 1, "reclaimed": 0, "claimed": 1}
    delivery = ReminderDelivery.objects.get()
    assert ids == [delivery.pk]
    assert delivery.followup == due
    assert delivery.state == State.PENDING
    assert delivery.claimed_at == now
    assert delivery.message_id == clock.reminder_message_id(due.pk, due.next_check_at)
    due.refresh_from_db()
    assert due.next_check_at is None  # once


def test_dispatch_run_twice_creates_and_enqueues_nothing_more():
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user, every_days=1)
    dispatch.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ids, enqueue = collect()
    assert dispatch.reminders_dispatch(now=now, enqueue=enqueue) == {
        "created": 0,
        "reclaimed": 0,
        "claimed": 0,
    }
    assert ids == []
    assert ReminderDelivery.objects.count() == 1


def test_dispatch_advances_a_recurring_followup_by_its_cadence():
    now = timezone.now()
    owner = JournalistProfileFactory(any_hour=True, time_zone="Europe/Paris").user
    followup = FollowUpFactory(
        owner=owner, every_days=3, next_check_at=now - datetime.timedelta(minutes=1)
    )
    dispatch.reminders_dispatch(now=now, enqueue=lambda ids: None)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.WATCHING
    expected = clock.next_check_after(
        now - datetime.timedelta(minutes=1), every_days=3, tz=PARIS, now=now
    )
    assert followup.next_check_at == expected


def test_a_snoozed_followup_comes_back_to_watching_when_due():
    now = timezone.now()
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    followup.status = FollowUp.Status.SNOOZED
    followup.save()
    dispatch.reminders_dispatch(now=now, enqueue=lambda ids: None)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.WATCHING
    assert followup.deliveries.count() == 1


def test_a_reminder_due_at_night_waits_in_the_database_not_in_the_broker(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    night = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=PARIS)
    owner = JournalistProfileFactory(time_zone="Europe/Paris").user
    FollowUpFactory(owner=owner, next_check_at=night - datetime.timedelta(minutes=1))
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=night, enqueue=enqueue)
    delivery = ReminderDelivery.objects.get()
    assert ids == []
    assert delivery.next_attempt_at == datetime.datetime(2026, 5, 5, 8, 0, tzinfo=PARIS)
    dispatch.reminders_dispatch(
        now=datetime.datetime(2026, 5, 5, 8, 0, 30, tzinfo=PARIS), enqueue=enqueue
    )
    assert ids == [delivery.pk]


def test_a_profile_with_its_own_hours_overrides_the_site_default(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    late = datetime.datetime(2026, 5, 4, 21, 0, tzinfo=PARIS)
    owner = JournalistProfileFactory(
        quiet_hours_start=datetime.time(6), quiet_hours_end=datetime.time(23)
    ).user
    FollowUpFactory(owner=owner, next_check_at=late)
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=late, enqueue=enqueue)
    assert ids == [ReminderDelivery.objects.get().pk]


def test_a_user_without_profile_gets_the_site_default_hours(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    settings.TIME_ZONE = "Europe/Paris"
    night = datetime.datetime(2026, 5, 4, 2, 0, tzinfo=PARIS)
    FollowUpFactory(owner=UserFactory(), next_check_at=night)
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=night, enqueue=enqueue)
    assert ids == []
    assert ReminderDelivery.objects.get().next_attempt_at == paris(2026, 5, 4, 8, 0)


def test_the_claim_enqueues_the_send_task_only_after_commit(django_capture_on_commit_callbacks):
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch.reminders_dispatch()
    assert len(callbacks) == 1


def test_a_claimed_delivery_whose_message_was_lost_is_enqueued_again_after_the_lease(settings):
    settings.NEWSROOM_REMINDER_REQUEUE_SECONDS = 300
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=now + datetime.timedelta(seconds=60), enqueue=enqueue)
    assert ids == []
    dispatch.reminders_dispatch(now=now + datetime.timedelta(seconds=301), enqueue=enqueue)
    assert ids == [ReminderDelivery.objects.get().pk]


def test_a_delivery_stuck_in_sending_is_reclaimed_after_the_stale_threshold(settings):
    settings.NEWSROOM_REMINDER_STALE_SECONDS = 600
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ReminderDelivery.objects.update(state=State.SENDING, claimed_at=now)
    ids, enqueue = collect()
    assert (
        dispatch.reminders_dispatch(now=now + datetime.timedelta(seconds=60), enqueue=enqueue)[
            "reclaimed"
        ]
        == 0
    )
    later = now + datetime.timedelta(seconds=601)
    result = dispatch.reminders_dispatch(now=later, enqueue=enqueue)
    assert result["reclaimed"] == 1
    assert ids == [ReminderDelivery.objects.get().pk]
