"""When a pending reminder will actually be sent, and why it waits: one answer
(articles.reminders.plan) for the follow-up API, the follow-up admin page and "My follow-ups";
and a journalist's new quiet hours or time zone re-plan their waiting reminders."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import ReminderDelivery
from articles.reminders.plan import reminder_plan
from articles.services import followups as services
from tests.factories import FollowUpFactory, JournalistProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def staff(api_client):
    user = UserFactory(is_staff=True, is_superuser=True)
    api_client.force_authenticate(user)
    return user


def tomorrow_at_8() -> datetime.datetime:
    day = timezone.now().astimezone(PARIS).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=PARIS)


def held_followup(**delivery):
    owner = JournalistProfileFactory(time_zone="Europe/Paris", any_hour=False).user
    followup = FollowUpFactory(owner=owner)
    fields = {"due_at": timezone.now(), "next_attempt_at": tomorrow_at_8()} | delivery
    ReminderDelivery.objects.create(followup=followup, message_id="<p@q>", **fields)
    return followup


def reminder(api_client, followup, language: str) -> dict:
    response = api_client.get(f"/api/v1/followups/{followup.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["reminder"]


def test_the_api_says_a_reminder_is_held_by_quiet_hours_until_when_in_french(api_client, staff):
    followup = held_followup()

    plan = reminder(api_client, followup, "fr")

    assert plan["held"] is True
    assert plan["reason"] == "quiet_hours"
    assert datetime.datetime.fromisoformat(plan["sends_at"]) == tomorrow_at_8()
    assert plan["time_zone"] == "Europe/Paris"
    said = plan["reason_display"].replace("\u00a0", " ").replace("\u202f", " ")
    assert said.startswith("retenu jusqu’à "), said
    assert said.endswith(" à 08:00 : heures calmes"), said


def test_the_api_says_it_in_english_for_an_english_request(api_client, staff):
    plan = reminder(api_client, held_followup(), "en")

    assert plan["reason_display"].startswith("held until ")
    assert plan["reason_display"].endswith(" at 08:00: quiet hours")


def test_a_retry_is_held_by_its_back_off(api_client, staff):
    retry_at = timezone.now() + datetime.timedelta(minutes=10)
    followup = held_followup(attempts=2, next_attempt_at=retry_at)

    plan = reminder(api_client, followup, "fr")

    assert plan["held"] is True
    assert plan["reason"] == "backoff"
    assert datetime.datetime.fromisoformat(plan["sends_at"]) == retry_at
    assert "nouvel essai après un échec d’envoi" in plan["reason_display"]


def test_a_due_reminder_goes_out_at_the_next_sweep(api_client, staff):
    due = timezone.now() - datetime.timedelta(minutes=1)
    plan = reminder(api_client, held_followup(next_attempt_at=due), "fr")

    assert plan["held"] is False
    assert plan["reason"] is None
    assert plan["reason_display"] == "part maintenant"


def test_a_reminder_a_worker_holds_is_being_sent_not_held(api_client, staff, settings):
    claimed = timezone.now()
    lease = claimed + datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
    followup = held_followup(claimed_at=claimed, next_attempt_at=lease)

    plan = reminder(api_client, followup, "fr")

    assert plan["held"] is False
    assert plan["reason"] == "queued"
    assert plan["reason_display"] == "en cours d’envoi"


def test_a_follow_up_with_no_pending_reminder_has_none(api_client, staff):
    followup = held_followup(state=ReminderDelivery.State.SENT, sent_at=timezone.now())

    assert reminder(api_client, followup, "fr") is None
    listed = api_client.get("/api/v1/followups/").json()["results"]
    assert [f["reminder"] for f in listed if f["id"] == followup.pk] == [None]


def test_the_admin_page_and_the_api_say_the_same_thing(api_client, staff, client):
    followup = held_followup()
    client.force_login(staff)

    page = client.get(
        reverse("admin:articles_followup_change", args=[followup.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    said = reminder(api_client, followup, "fr")["reason_display"]
    assert said in page.replace("&#x27;", "'")
    with translation.override("fr"):
        assert reminder_plan(followup.deliveries.get(), now=timezone.now()).reason_display == said


# --- Re-planning when the journalist's hours or time zone change ------------------------------

NIGHT = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=PARIS)
MORNING = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=PARIS)


def waiting(owner, **fields) -> ReminderDelivery:
    return ReminderDelivery.objects.create(
        followup=FollowUpFactory(owner=owner), due_at=NIGHT, message_id="<r@s>", **fields
    )


def test_a_new_time_zone_sends_a_reminder_held_by_paris_nights_now():
    owner = JournalistProfileFactory(time_zone="Europe/Paris", any_hour=False).user
    delivery = waiting(owner, next_attempt_at=MORNING)

    # 23:00 in Paris is 17:00 in New York: inside the 08:00-20:00 window there.
    services.journalist_profile_set(user=owner, time_zone="America/New_York", now=NIGHT)

    delivery.refresh_from_db()
    assert delivery.next_attempt_at == NIGHT


def test_turning_quiet_hours_on_holds_a_due_reminder_until_the_morning():
    owner = JournalistProfileFactory(time_zone="Europe/Paris", any_hour=True).user
    delivery = waiting(owner, next_attempt_at=NIGHT - datetime.timedelta(minutes=1))

    services.journalist_profile_set(user=owner, any_hour=False, now=NIGHT)

    delivery.refresh_from_db()
    assert delivery.next_attempt_at == MORNING
    with translation.override("en"):
        plan = reminder_plan(delivery, now=NIGHT)
    assert (plan.held, plan.reason) == (True, "quiet_hours")


def test_a_reminder_already_in_a_workers_hands_is_left_alone(settings):
    owner = JournalistProfileFactory(time_zone="Europe/Paris", any_hour=True).user
    lease = NIGHT + datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
    delivery = waiting(owner, next_attempt_at=lease, claimed_at=NIGHT)

    services.journalist_profile_set(user=owner, any_hour=False, now=NIGHT)

    delivery.refresh_from_db()
    assert delivery.next_attempt_at == lease


def test_changing_the_profile_in_the_admin_re_plans_the_held_reminder(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    profile = JournalistProfileFactory(time_zone="Europe/Paris", any_hour=False)
    far = timezone.now() + datetime.timedelta(days=2)
    delivery = waiting(profile.user, next_attempt_at=far)
    client.force_login(admin)

    response = client.post(
        reverse("admin:articles_journalistprofile_change", args=[profile.pk]),
        {
            "user": profile.user.pk,
            "time_zone": "Europe/Paris",
            "language": "fr",
            "quiet_hours_start": "",
            "quiet_hours_end": "",
            "any_hour": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    delivery.refresh_from_db()
    assert delivery.next_attempt_at <= timezone.now()
