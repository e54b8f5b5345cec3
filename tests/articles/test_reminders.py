import datetime
import random
import zoneinfo

import pytest
from django.utils import timezone

from articles.models import FollowUp, ReminderDelivery
from articles.services import followups as services
from tests.factories import (
    EntityFactory,
    FollowUpFactory,
    JournalistProfileFactory,
    MentionFactory,
    PublishedArticleFactory,
    UserFactory,
)
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
UTC = datetime.UTC
WINDOW = (datetime.time(8), datetime.time(20))
State = ReminderDelivery.State


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# --- Time arithmetic ---------------------------------------------------------------------------


def test_a_reminder_due_during_working_hours_goes_out_at_once():
    when = paris(2026, 5, 4, 10, 30)
    assert services.next_sending_time(when, tz=PARIS, window=WINDOW) == when


def test_a_reminder_due_at_night_waits_for_the_next_morning():
    result = services.next_sending_time(paris(2026, 5, 4, 23, 15), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 5, 8, 0)


def test_a_reminder_due_before_dawn_goes_out_the_same_morning():
    result = services.next_sending_time(paris(2026, 5, 4, 3, 0), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 4, 8, 0)


def test_the_end_of_the_window_is_already_quiet():
    result = services.next_sending_time(paris(2026, 5, 4, 20, 0), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 5, 8, 0)


def test_quiet_hours_follow_the_owner_time_zone():
    when = datetime.datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # 05:00 Paris, 23:00 Montreal
    assert services.next_sending_time(when, tz=PARIS, window=WINDOW) == paris(2026, 5, 4, 8)
    assert services.next_sending_time(when, tz=MONTREAL, window=WINDOW) == datetime.datetime(
        2026, 5, 4, 8, tzinfo=MONTREAL
    )


def test_an_overnight_window_is_understood():
    window = (datetime.time(22), datetime.time(6))
    assert services.next_sending_time(paris(2026, 5, 4, 23), tz=PARIS, window=window) == paris(
        2026, 5, 4, 23
    )
    assert services.next_sending_time(paris(2026, 5, 4, 12), tz=PARIS, window=window) == paris(
        2026, 5, 4, 22
    )


def test_no_window_means_any_hour():
    when = paris(2026, 5, 4, 3, 0)
    assert services.next_sending_time(when, tz=PARIS, window=None) == when


def test_the_next_morning_after_the_spring_forward_night_is_0800_summer_time():
    # Paris springs forward on 2026-03-29 at 02:00: 08:00 that morning is 06:00 UTC, not 07:00.
    result = services.next_sending_time(paris(2026, 3, 28, 23, 0), tz=PARIS, window=WINDOW)
    assert result == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_a_daily_cadence_keeps_the_local_time_across_spring_forward():
    start = paris(2026, 3, 28, 9, 0)  # 08:00 UTC
    nxt = services.next_check_after(start, every_days=1, tz=PARIS, now=start)
    assert nxt == datetime.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert nxt.astimezone(PARIS).hour == 9
    assert nxt - start == datetime.timedelta(hours=23)


def test_a_weekly_cadence_keeps_the_local_time_across_fall_back():
    start = paris(2026, 10, 22, 9, 0)  # CEST
    nxt = services.next_check_after(start, every_days=7, tz=PARIS, now=start)
    assert nxt.astimezone(PARIS) == paris(2026, 10, 29, 9, 0)
    assert nxt.astimezone(PARIS).utcoffset() == datetime.timedelta(hours=1)
    assert nxt - start == datetime.timedelta(days=7, hours=1)


def test_a_once_cadence_has_no_next_check():
    start = paris(2026, 3, 28, 9, 0)
    assert services.next_check_after(start, every_days=None, tz=PARIS, now=start) is None


def test_a_long_overdue_cadence_skips_missed_periods_instead_of_piling_reminders():
    start = paris(2026, 1, 1, 9, 0)
    now = paris(2026, 1, 10, 12, 0)
    nxt = services.next_check_after(start, every_days=2, tz=PARIS, now=now)
    assert nxt == paris(2026, 1, 11, 9, 0)


def test_backoff_grows_exponentially_with_bounded_jitter(settings):
    settings.NEWSROOM_REMINDER_BACKOFF_SECONDS = 60
    settings.NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS = 3600
    rng = random.Random(7)
    for attempt, full in [(1, 60), (2, 120), (3, 240), (8, 3600), (20, 3600)]:
        delays = {services.backoff_delay(attempt, rng=rng).total_seconds() for _ in range(50)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered


def test_the_message_id_is_deterministic():
    due = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    assert services.reminder_message_id(12, due) == (
        f"<reminder.12.{int(due.timestamp())}@newsroom.localhost>"
    )


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
    result = services.reminders_dispatch(now=now, enqueue=enqueue)
    assert result == {"created": 1, "reclaimed": 0, "claimed": 1}
    delivery = ReminderDelivery.objects.get()
    assert ids == [delivery.pk]
    assert delivery.followup == due
    assert delivery.state == State.PENDING
    assert delivery.claimed_at == now
    assert delivery.message_id == services.reminder_message_id(due.pk, due.next_check_at)
    due.refresh_from_db()
    assert due.next_check_at is None  # once


def test_dispatch_run_twice_creates_and_enqueues_nothing_more():
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user, every_days=1)
    services.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ids, enqueue = collect()
    assert services.reminders_dispatch(now=now, enqueue=enqueue) == {
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
    services.reminders_dispatch(now=now, enqueue=lambda ids: None)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.WATCHING
    expected = services.next_check_after(
        now - datetime.timedelta(minutes=1), every_days=3, tz=PARIS, now=now
    )
    assert followup.next_check_at == expected


def test_a_snoozed_followup_comes_back_to_watching_when_due():
    now = timezone.now()
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    followup.status = FollowUp.Status.SNOOZED
    followup.save()
    services.reminders_dispatch(now=now, enqueue=lambda ids: None)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.WATCHING
    assert followup.deliveries.count() == 1


def test_a_reminder_due_at_night_waits_in_the_database_not_in_the_broker(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    night = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=PARIS)
    owner = JournalistProfileFactory(time_zone="Europe/Paris").user
    FollowUpFactory(owner=owner, next_check_at=night - datetime.timedelta(minutes=1))
    ids, enqueue = collect()
    services.reminders_dispatch(now=night, enqueue=enqueue)
    delivery = ReminderDelivery.objects.get()
    assert ids == []
    assert delivery.next_attempt_at == datetime.datetime(2026, 5, 5, 8, 0, tzinfo=PARIS)
    services.reminders_dispatch(
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
    services.reminders_dispatch(now=late, enqueue=enqueue)
    assert ids == [ReminderDelivery.objects.get().pk]


def test_a_user_without_profile_gets_the_site_default_hours(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    settings.TIME_ZONE = "Europe/Paris"
    night = datetime.datetime(2026, 5, 4, 2, 0, tzinfo=PARIS)
    FollowUpFactory(owner=UserFactory(), next_check_at=night)
    ids, enqueue = collect()
    services.reminders_dispatch(now=night, enqueue=enqueue)
    assert ids == []
    assert ReminderDelivery.objects.get().next_attempt_at == paris(2026, 5, 4, 8, 0)


def test_the_claim_enqueues_the_send_task_only_after_commit(django_capture_on_commit_callbacks):
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    with django_capture_on_commit_callbacks() as callbacks:
        services.reminders_dispatch()
    assert len(callbacks) == 1


def test_a_claimed_delivery_whose_message_was_lost_is_enqueued_again_after_the_lease(settings):
    settings.NEWSROOM_REMINDER_REQUEUE_SECONDS = 300
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    services.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ids, enqueue = collect()
    services.reminders_dispatch(now=now + datetime.timedelta(seconds=60), enqueue=enqueue)
    assert ids == []
    services.reminders_dispatch(now=now + datetime.timedelta(seconds=301), enqueue=enqueue)
    assert ids == [ReminderDelivery.objects.get().pk]


def test_a_delivery_stuck_in_sending_is_reclaimed_after_the_stale_threshold(settings):
    settings.NEWSROOM_REMINDER_STALE_SECONDS = 600
    now = timezone.now()
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    services.reminders_dispatch(now=now, enqueue=lambda ids: None)
    ReminderDelivery.objects.update(state=State.SENDING, claimed_at=now)
    ids, enqueue = collect()
    assert (
        services.reminders_dispatch(now=now + datetime.timedelta(seconds=60), enqueue=enqueue)[
            "reclaimed"
        ]
        == 0
    )
    later = now + datetime.timedelta(seconds=601)
    result = services.reminders_dispatch(now=later, enqueue=enqueue)
    assert result["reclaimed"] == 1
    assert ids == [ReminderDelivery.objects.get().pk]


# --- Sending -----------------------------------------------------------------------------------


def dispatched_delivery(**followup_kwargs) -> ReminderDelivery:
    followup_kwargs.setdefault(
        "owner",
        JournalistProfileFactory(any_hour=True, user=UserFactory(email="owner@example.org")).user,
    )
    FollowUpFactory(**followup_kwargs)
    services.reminders_dispatch(enqueue=lambda ids: None)
    return ReminderDelivery.objects.get()


def test_sending_marks_the_delivery_sent_with_its_message_id(mailoutbox):
    delivery = dispatched_delivery()
    assert services.reminder_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.state == State.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == delivery.message_id
    assert delivery.followup.__class__.objects.get().last_reminded_at == delivery.sent_at


def test_sending_twice_sends_one_email(mailoutbox):
    delivery = dispatched_delivery()
    services.reminder_send(delivery_id=delivery.pk)
    assert services.reminder_send(delivery_id=delivery.pk) == "not-claimed"
    assert len(mailoutbox) == 1


def test_a_reminder_for_a_cancelled_followup_is_not_sent_but_kept(mailoutbox):
    delivery = dispatched_delivery()
    FollowUp.objects.update(status=FollowUp.Status.CANCELLED)
    assert services.reminder_send(delivery_id=delivery.pk) == "cancelled"
    delivery.refresh_from_db()
    assert delivery.state == State.CANCELLED
    assert mailoutbox == []


def smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False


def test_a_451_answer_puts_the_delivery_back_to_pending_with_backoff(settings, smtp_sink):
    smtp_settings(settings, smtp_sink.port)
    settings.NEWSROOM_REMINDER_BACKOFF_SECONDS = 60
    smtp_sink.handler.fail_first = 1
    delivery = dispatched_delivery()
    before = timezone.now()
    assert services.reminder_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    assert before + datetime.timedelta(seconds=30) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=60)
    # Once its time has come it is claimed and sent.
    ids, enqueue = collect()
    services.reminders_dispatch(now=delivery.next_attempt_at, enqueue=enqueue)
    assert ids == [delivery.pk]
    assert services.reminder_send(delivery_id=delivery.pk) == "sent"
    assert smtp_sink.handler.counts() == {delivery.message_id: 1}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SENT, 2)


def test_a_550_answer_fails_the_delivery_for_good(settings, smtp_sink, caplog):
    smtp_settings(settings, smtp_sink.port)
    smtp_sink.handler.fail_first = 99
    smtp_sink.handler.fail_code = "550 5.1.1 No such user"
    delivery = dispatched_delivery()
    assert services.reminder_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
    assert "550" in delivery.last_error
    assert "failed for good" in caplog.text


def test_a_refused_connection_is_retried_later(settings):
    smtp_settings(settings, free_port())
    delivery = dispatched_delivery()
    assert services.reminder_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert delivery.next_attempt_at > timezone.now()


def test_a_delivery_fails_after_the_last_allowed_attempt(settings):
    smtp_settings(settings, free_port())
    settings.NEWSROOM_REMINDER_MAX_ATTEMPTS = 2
    delivery = dispatched_delivery()
    assert services.reminder_send(delivery_id=delivery.pk) == "retry"
    ReminderDelivery.objects.update(next_attempt_at=timezone.now())
    assert services.reminder_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.FAILED, 2)


def test_an_owner_without_email_fails_at_once():
    owner = JournalistProfileFactory(any_hour=True, user=UserFactory(email="")).user
    delivery = dispatched_delivery(owner=owner)
    assert services.reminder_send(delivery_id=delivery.pk) == "failed"
    assert ReminderDelivery.objects.get().state == State.FAILED


# --- The email ---------------------------------------------------------------------------------


def test_the_email_in_french_lists_what_to_watch_and_new_articles_on_the_entities(mailoutbox):
    owner = JournalistProfileFactory(
        language="fr", any_hour=True, user=UserFactory(email="lea@example.org")
    ).user
    watcher = UserFactory(email="desk@example.org")
    entity = EntityFactory(name="Arcturus")
    followup = FollowUpFactory(
        owner=owner,
        what="La décision du régulateur",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    followup.entities.set([entity])
    followup.watchers.set([watcher])
    newer = PublishedArticleFactory(headline="Arcturus confirme l'accord")
    MentionFactory(article=newer, entity=entity)
    unrelated = PublishedArticleFactory(headline="Rien à voir")
    older = PublishedArticleFactory(
        headline="Avant le suivi", published_at=timezone.now() - datetime.timedelta(days=3)
    )
    MentionFactory(article=older, entity=entity)
    services.reminders_dispatch(enqueue=lambda ids: None)
    services.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    message = mailoutbox[0]
    assert message.subject == f"Suivi : {followup.article.headline}"
    assert message.to == ["lea@example.org"]
    assert message.cc == ["desk@example.org"]
    assert "La décision du régulateur" in message.body
    assert "Suivis : Arcturus" in message.body
    assert "Arcturus confirme l'accord" in message.body
    assert unrelated.headline not in message.body
    assert older.headline not in message.body
    assert f"/admin/articles/article/{followup.article_id}/change/" in message.body
    assert "/followups/action/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Marquer comme traité" in html
    assert "Arcturus confirme l&#x27;accord" in html


def test_the_email_in_english_says_when_nothing_new_was_published(mailoutbox):
    owner = JournalistProfileFactory(language="en", any_hour=True).user
    followup = FollowUpFactory(owner=owner)
    followup.entities.set([EntityFactory()])
    services.reminders_dispatch(enqueue=lambda ids: None)
    services.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    message = mailoutbox[0]
    assert message.subject.startswith("Follow-up: ")
    assert "Nothing new has been published" in message.body
    assert "Snooze for a week" in message.alternatives[0][0]


def test_the_email_links_snooze_and_close_the_followup(client, mailoutbox):
    owner = JournalistProfileFactory(language="en", any_hour=True).user
    followup = FollowUpFactory(owner=owner, every_days=7)
    services.reminders_dispatch(enqueue=lambda ids: None)
    services.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    body = mailoutbox[0].body
    week = next(line for line in body.splitlines() if line.startswith("Snooze for a week"))
    url = week.split(": ", 1)[1].replace("http://127.0.0.1:8000", "")
    page = client.get(url)
    assert page.status_code == 200
    assert b"Snooze this follow-up for a week?" in page.content
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.WATCHING  # a GET does nothing
    response = client.post(url)
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SNOOZED
    assert followup.next_check_at > timezone.now() + datetime.timedelta(days=6)


def test_the_next_reminder_lists_only_what_was_published_since_the_last_one(mailoutbox):
    owner = JournalistProfileFactory(language="en", any_hour=True).user
    entity = EntityFactory(name="Arcturus")
    followup = FollowUpFactory(
        owner=owner, every_days=1, created_at=timezone.now() - datetime.timedelta(days=5)
    )
    followup.entities.set([entity])
    before = PublishedArticleFactory(
        headline="Arcturus first story", published_at=timezone.now() - datetime.timedelta(days=2)
    )
    MentionFactory(article=before, entity=entity)
    services.reminders_dispatch(enqueue=lambda ids: None)
    services.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    assert "Arcturus first story" in mailoutbox[0].body

    after = PublishedArticleFactory(headline="Arcturus second story", published_at=timezone.now())
    MentionFactory(article=after, entity=entity)
    next_time = timezone.now() + datetime.timedelta(days=1, minutes=1)
    ids, enqueue = collect()
    services.reminders_dispatch(now=next_time, enqueue=enqueue)
    services.reminder_send(delivery_id=ids[0], now=next_time)
    second = mailoutbox[1].body
    assert "Arcturus second story" in second
    assert "Arcturus first story" not in second


def test_a_profile_with_only_one_reminder_hour_is_refused_with_a_clear_message():
    from django.core.exceptions import ValidationError

    profile = JournalistProfileFactory.build(
        user=UserFactory(), quiet_hours_start=datetime.time(9), quiet_hours_end=None
    )
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "reminder hours" in str(error.value)
