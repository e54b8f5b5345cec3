"""The journalist's desk pages: grouped article page, readable values, My follow-ups, quiet
hours re-planned, the email link pages' outcome."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.admin.metadata import GroupedDecimalField, KeyFigureForm, grouped_number
from articles.models import Entity, KeyFigure, ReminderDelivery
from articles.services import followups as services
from tests.articles.conftest import change_form_data, inline_prefix
from tests.factories import (
    EntityFactory,
    FollowUpFactory,
    JournalistProfileFactory,
    KeyFigureFactory,
    UserFactory,
    full_article,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_numbers_show_with_digit_groups_not_database_decimals():
    assert grouped_number(Decimal("7000000000000.000000")) == "7 000 000 000 000"
    with translation.override("fr"):
        assert grouped_number(Decimal("70.500000")) == "70,5"
    with translation.override("en"):
        assert grouped_number(Decimal("-1234.25")) == "-1 234.25"


def test_a_number_typed_with_spaces_or_a_french_comma_is_read():
    field = GroupedDecimalField(max_digits=30, decimal_places=6)
    assert field.clean("7 000 000 000 000") == Decimal("7000000000000")
    assert field.clean("7\u202f000\u00a0000") == Decimal("7000000")
    with translation.override("fr"):
        assert field.clean("70,5") == Decimal("70.5")
    with translation.override("en"):
        assert field.clean("1,234.5") == Decimal("1234.5")


def test_the_unit_is_chosen_from_a_list_that_keeps_an_older_typed_unit():
    # "furlongs" is not on the list (articles.rendering.UNITS): typed before the list existed.
    figure = KeyFigureFactory(unit="furlongs")
    choices = dict(KeyFigureForm(instance=figure).fields["unit"].choices)
    assert "furlongs" in choices
    assert "percent" in choices
    assert "USD" in str(KeyFigureForm().fields["unit"].choices)


def test_the_article_page_is_grouped_with_counts_and_the_figures_readable(admin_client):
    article = full_article()
    KeyFigure.objects.filter(article=article).update(value=Decimal("7000000000000"), unit="USD")
    page = admin_client.get(change_url(article), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for title in ("Texte", "Faits et sources", "Images", "Encadré et suivi", "Publication"):
        assert title in page
    assert 'value="7 000 000 000 000"' in page
    assert "7000000000000.000000" not in page
    assert 'id="desk-group-facts"' in page
    assert "desk-group-count" in page


def test_an_error_in_a_closed_group_opens_it_and_marks_it(admin_client):
    article = full_article()
    response = admin_client.get(change_url(article))
    data = change_form_data(response)
    data[f"{inline_prefix(response, KeyFigure)}-0-value"] = "not a number"
    response = admin_client.post(change_url(article), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.context["desk_groups"]}
    assert groups["facts"]["errors"] and groups["facts"]["open"]
    assert not groups["images"]["errors"]
    assert "errors to correct" in response.content.decode()


def test_aliases_are_edited_one_a_line(admin_client):
    entity = EntityFactory(aliases=["Novalys AI", "Novalys SA"])
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    page = admin_client.get(url).content.decode()
    assert "Novalys AI\nNovalys SA" in page
    assert "[&quot;" not in page
    response = admin_client.post(
        url, {"name": entity.name, "kind": entity.kind, "aliases": "One\n\n Two \nOne"}
    )
    assert response.status_code == 302
    assert Entity.objects.get(pk=entity.pk).aliases == ["One", "Two"]


def test_the_history_page_shows_status_labels(admin_client):
    article = full_article()
    article.status = "draft"
    article.save()
    page = admin_client.get(
        reverse("admin:articles_article_history", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Brouillon" in page
    assert "draft" not in page.split("change-history")[-1]


def test_the_site_title_follows_the_browser_language(client):
    assert (
        "rédaction newsroom"
        in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert (
        "newsroom desk" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_my_followups_show_overdue_and_held_reminders_with_why(admin_client, admin_user):
    JournalistProfileFactory(user=admin_user, language="fr")
    late = FollowUpFactory(
        owner=admin_user, next_check_at=timezone.now() - datetime.timedelta(hours=2)
    )
    held = FollowUpFactory(
        owner=admin_user, next_check_at=timezone.now() + datetime.timedelta(days=3)
    )
    tomorrow_8 = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(8), tzinfo=PARIS
    )
    ReminderDelivery.objects.create(
        followup=held, due_at=timezone.now(), next_attempt_at=tomorrow_8, message_id="<x@y>"
    )
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mes suivis" in page
    assert late.article_headline in page
    assert "retenu jusqu’à" in page and "08:00" in page and "heures calmes" in page


def test_turning_quiet_hours_off_replans_a_held_reminder():
    owner = JournalistProfileFactory(any_hour=False).user
    followup = FollowUpFactory(owner=owner)
    now = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=PARIS)
    morning = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=PARIS)
    delivery = ReminderDelivery.objects.create(
        followup=followup, due_at=now, next_attempt_at=morning, message_id="<a@b>"
    )
    services.journalist_profile_set(user=owner, any_hour=True, now=now)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now


def test_a_retry_keeps_its_backoff_when_the_profile_changes():
    owner = JournalistProfileFactory(any_hour=False).user
    now = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=PARIS)
    later = now + datetime.timedelta(hours=2)
    delivery = ReminderDelivery.objects.create(
        followup=FollowUpFactory(owner=owner),
        due_at=now,
        next_attempt_at=later,
        attempts=1,
        message_id="<c@d>",
    )
    services.journalist_profile_set(user=owner, any_hour=True, now=now)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == later


def test_the_snooze_link_page_says_until_when_and_a_second_click_changes_nothing(client):
    owner = JournalistProfileFactory(language="fr", user=UserFactory()).user
    followup = FollowUpFactory(owner=owner)
    url = f"/followups/action/{services.followup_action_token(followup, 'snooze_day')}/"
    page = client.post(url).content.decode()
    assert "Suivi reporté au" in page
    assert reverse("admin:articles_article_change", args=[followup.article_id]) in page
    followup.refresh_from_db()
    until = followup.next_check_at
    again = client.post(url).content.decode()
    assert "Déjà fait" in again
    followup.refresh_from_db()
    assert followup.next_check_at == until


def test_the_followup_page_says_when_a_held_reminder_goes_and_why(admin_client):
    followup = FollowUpFactory()
    ReminderDelivery.objects.create(
        followup=followup,
        due_at=timezone.now(),
        next_attempt_at=timezone.now() + datetime.timedelta(hours=30),
        message_id="<e@f>",
    )
    page = admin_client.get(
        reverse("admin:articles_followup_change", args=[followup.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "prochain rappel" in page.lower()
    assert "retenu jusqu’à" in page and "heures calmes" in page
