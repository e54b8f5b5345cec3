import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from articles.models import FollowUp, ReminderDelivery
from articles.reminders import dispatch, send
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


def collect():
    ids: list[int] = []
    return ids, ids.extend


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# --- Sending -----------------------------------------------------------------------------------


def dispatched_delivery(**followup_kwargs) -> ReminderDelivery:
    followup_kwargs.setdefault(
        "owner",
        JournalistProfileFactory(any_hour=True, user=UserFactory(email="owner@example.org")).user,
    )
    FollowUpFactory(**followup_kwargs)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    return ReminderDelivery.objects.get()


def test_sending_marks_the_delivery_sent_with_its_message_id(mailoutbox):
    delivery = dispatched_delivery()
    assert send.reminder_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.state == State.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == delivery.message_id
    assert delivery.followup.__class__.objects.get().last_reminded_at == delivery.sent_at


def test_sending_twice_sends_one_email(mailoutbox):
    delivery = dispatched_delivery()
    send.reminder_send(delivery_id=delivery.pk)
    assert send.reminder_send(delivery_id=delivery.pk) == "not-claimed"
    assert len(mailoutbox) == 1


def test_a_reminder_for_a_cancelled_followup_is_not_sent_but_kept(mailoutbox):
    delivery = dispatched_delivery()
    FollowUp.objects.update(status=FollowUp.Status.CANCELLED)
    assert send.reminder_send(delivery_id=delivery.pk) == "cancelled"
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
    assert send.reminder_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    assert before + datetime.timedelta(seconds=30) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=60)
    # Once its time has come it is claimed and sent.
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=delivery.next_attempt_at, enqueue=enqueue)
    assert ids == [delivery.pk]
    assert send.reminder_send(delivery_id=delivery.pk) == "sent"
    assert smtp_sink.handler.counts() == {delivery.message_id: 1}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SENT, 2)


def test_a_550_answer_fails_the_delivery_for_good(settings, smtp_sink, caplog):
    smtp_settings(settings, smtp_sink.port)
    smtp_sink.handler.fail_first = 99
    smtp_sink.handler.fail_code = "550 5.1.1 No such user"
    delivery = dispatched_delivery()
    assert send.reminder_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
    assert "550" in delivery.last_error
    assert "failed for good" in caplog.text


def test_a_refused_connection_is_retried_later(settings):
    smtp_settings(settings, free_port())
    delivery = dispatched_delivery()
    assert send.reminder_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING
    assert delivery.next_attempt_at > timezone.now()


def test_a_delivery_fails_after_the_last_allowed_attempt(settings):
    smtp_settings(settings, free_port())
    settings.NEWSROOM_REMINDER_MAX_ATTEMPTS = 2
    delivery = dispatched_delivery()
    assert send.reminder_send(delivery_id=delivery.pk) == "retry"
    ReminderDelivery.objects.update(next_attempt_at=timezone.now())
    assert send.reminder_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.FAILED, 2)


def test_an_owner_without_email_fails_at_once():
    owner = JournalistProfileFactory(any_hour=True, user=UserFactory(email="")).user
    delivery = dispatched_delivery(owner=owner)
    assert send.reminder_send(delivery_id=delivery.pk) == "failed"
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
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
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
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    message = mailoutbox[0]
    assert message.subject.startswith("Follow-up: ")
    assert "Nothing new has been published" in message.body
    assert "Snooze for a week" in message.alternatives[0][0]


def test_the_email_links_snooze_and_close_the_followup(client, mailoutbox):
    owner = JournalistProfileFactory(language="en", any_hour=True).user
    followup = FollowUpFactory(owner=owner, every_days=7)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
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
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    assert "Arcturus first story" in mailoutbox[0].body

    after = PublishedArticleFactory(headline="Arcturus second story", published_at=timezone.now())
    MentionFactory(article=after, entity=entity)
    next_time = timezone.now() + datetime.timedelta(days=1, minutes=1)
    ids, enqueue = collect()
    dispatch.reminders_dispatch(now=next_time, enqueue=enqueue)
    send.reminder_send(delivery_id=ids[0], now=next_time)
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


@pytest.mark.parametrize(
    "language,every_days,lines",
    [
        ("fr", 3, ["Bonjour ", "Rappel tous les 3 jours.", "Reporter d'une semaine : http"]),
        ("fr", 1, ["Rappel tous les 1 jour.", "Le suivi : http"]),
        ("en", 3, ["Hello ", "You are reminded every 3 days.", "Snooze for a week: http"]),
        ("en", 1, ["You are reminded every 1 day.", "The follow-up: http"]),
    ],
)
def test_the_email_is_one_template_translated_into_the_owners_language(
    mailoutbox, language, every_days, lines
):
    owner = JournalistProfileFactory(language=language, any_hour=True).user
    FollowUpFactory(owner=owner, every_days=every_days)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk)
    message = mailoutbox[0]
    for line in lines:
        assert line in message.body
    assert f'<html lang="{language}">' in message.alternatives[0][0]
    # French dates are day/month/year; English ones spell the month.
    since = r"\d{1,2}/\d{2}/\d{4}" if language == "fr" else r"\d{1,2} [A-Z][a-z]+ \d{4}"
    assert re.search(since + r" \d{2}:\d{2}", message.body)


@pytest.mark.parametrize("path,greeting", [("fr.txt", "Bonjour"), ("en.html", "Hello")])
def test_the_old_language_suffixed_template_paths_still_render(path, greeting):
    from django.template.loader import render_to_string

    context = {"owner_name": "Léa", "since": timezone.now(), "links": {}, "articles": []}
    assert render_to_string(f"articles/email/reminder.{path}", context).count(greeting) == 1
