import datetime

import pytest
from django.utils import timezone

from articles.models import Article, FollowUp, ReminderDelivery
from articles.reminders import dispatch
from tests.factories import (
    FollowUpFactory,
    JournalistProfileFactory,
    PublishedArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = FollowUp.Status
IN_A_DAY = datetime.timedelta(days=1)


def later(**kwargs) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**kwargs)


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_logged(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client, user


def test_the_admin_list_filters_and_actions_work(admin_client_logged):
    client, user = admin_client_logged
    overdue = FollowUpFactory(
        owner=user, next_check_at=timezone.now() - IN_A_DAY, what="Watch the court ruling"
    )
    FollowUpFactory(next_check_at=later(days=5))
    for query in ("mine=1", "due=today", "due=overdue", "status=watching"):
        assert client.get(f"/admin/articles/followup/?{query}").status_code == 200
    page = client.get("/admin/articles/followup/?due=overdue").content.decode()
    assert overdue.what in page
    response = client.post(
        "/admin/articles/followup/",
        {"action": "snooze_week", "_selected_action": [overdue.pk]},
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == Status.SNOOZED


def test_the_admin_followup_page_shows_the_delivery_log(admin_client_logged):
    client, _user = admin_client_logged
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    page = client.get(f"/admin/articles/followup/{followup.pk}/change/").content.decode()
    assert "delivery log" in page.lower()
    assert ReminderDelivery.objects.get().message_id.strip("<>") in page


def test_the_article_page_has_followup_and_highlight_inlines(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    FollowUpFactory(article=article, what="Watch the court")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Watch the court" in page
    assert "highlight_boxes-TOTAL_FORMS" in page
    assert "followups-TOTAL_FORMS" in page


def test_deleting_an_article_from_the_admin_keeps_its_followups(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    followup = FollowUpFactory(article=article)
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    followup.refresh_from_db()
    assert followup.status == Status.CANCELLED


def test_the_admin_delete_confirmation_of_an_article_changes_nothing(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    followup = FollowUpFactory(article=article)
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 200
    followup.refresh_from_db()
    assert (followup.status, followup.article_id) == (Status.WATCHING, article.pk)


def test_the_openapi_schema_describes_the_new_fields_and_the_staff_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "highlight_boxes" in text
    assert "followed_up_by" in text
    assert "/api/v1/followups/{id}/snooze/" in text
    assert "PublicFollowUpShape" in text
