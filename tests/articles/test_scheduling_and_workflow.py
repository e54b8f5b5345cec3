import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article
from articles.services import articles as services
from newsroom.celery import app
from tests.articles.conftest import client_for
from tests.factories import ArticleFactory, PublishedArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def test_the_beat_sweeps_due_articles_every_30_seconds():
    entry = app.conf.beat_schedule["articles-publish-due"]

    assert entry == {"task": "articles.tasks.articles_publish_due", "schedule": 30.0}


def test_a_scheduled_article_is_published_by_the_sweep_once_its_time_has_come(newsroom):
    article = services.article_schedule(
        article=newsroom.draft_mine,
        publish_at=NOON + datetime.timedelta(hours=2),
        user=newsroom.editor_a,
        now=NOON,
    )
    assert article.status == Article.Status.SCHEDULED

    assert services.article_publish_due(now=NOON + datetime.timedelta(hours=1)) == []
    assert services.article_publish_due(now=NOON + datetime.timedelta(hours=2)) == [article.pk]
    assert services.article_publish_due(now=NOON + datetime.timedelta(hours=3)) == []

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == NOON + datetime.timedelta(hours=2)
    assert article.publish_at is None
    assert Article.objects.live(now=NOON + datetime.timedelta(hours=2)).filter(pk=article.pk)


def test_a_due_article_that_no_longer_meets_the_rules_stays_scheduled(newsroom):
    article = services.article_schedule(
        article=newsroom.draft_mine, publish_at=NOON + datetime.timedelta(hours=1), now=NOON
    )
    article.bylines.all().delete()

    assert services.article_publish_due(now=NOON + datetime.timedelta(hours=2)) == []
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED


def test_an_embargo_hides_a_published_article_until_it_lifts():
    article = PublishedArticleFactory(
        published_at=NOON - datetime.timedelta(hours=1),
        embargo_until=NOON + datetime.timedelta(hours=1),
    )

    assert not Article.objects.live(now=NOON).filter(pk=article.pk).exists()
    assert not article.is_live(now=NOON)
    assert Article.objects.live(now=NOON + datetime.timedelta(hours=1)).filter(pk=article.pk)
    assert article.is_live(now=NOON + datetime.timedelta(hours=1))


def test_public_reads_hide_an_embargoed_article_and_show_it_after_the_embargo(api_client):
    now = timezone.now()
    embargoed = PublishedArticleFactory(embargo_until=now + datetime.timedelta(hours=1))
    lifted = PublishedArticleFactory(embargo_until=now - datetime.timedelta(minutes=1))

    listed = {item["id"] for item in api_client.get("/api/v1/articles/").json()["results"]}

    assert listed == {lifted.pk}
    assert api_client.get(f"/api/v1/articles/{embargoed.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/articles/{lifted.pk}/").status_code == 200


def test_scheduling_in_the_past_is_a_400_on_publish_at(newsroom):
    response = client_for(newsroom.editor_a).post(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/schedule/",
        {"publish_at": (timezone.now() - datetime.timedelta(minutes=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["publish_at"]


def test_publishing_an_article_without_a_byline_is_a_400_naming_the_field(newsroom):
    article = ArticleFactory(desk=newsroom.desk_a)

    response = client_for(newsroom.editor_a).post(f"/api/v1/articles/{article.pk}/publish/")

    assert response.status_code == 400
    assert "authors" in response.json()


def test_publishing_a_retracted_article_is_a_409_with_the_reason(newsroom):
    services.article_retract(article=newsroom.published_a, reason="Wrong.")

    response = client_for(newsroom.editor_a).post(
        f"/api/v1/articles/{newsroom.published_a.pk}/publish/"
    )

    assert response.status_code == 409
    assert "retracted" in response.json()["detail"]


def test_retracting_through_the_api_adds_the_reason_as_a_public_correction(newsroom):
    response = client_for(newsroom.editor_a).post(
        f"/api/v1/articles/{newsroom.published_a.pk}/retract/",
        {"reason": "The company denied the deal after publication."},
        format="json",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "retracted"
    assert data["corrections"][-1]["text"] == "The company denied the deal after publication."


def test_retracting_without_a_reason_is_a_400_on_reason(newsroom):
    response = client_for(newsroom.editor_a).post(
        f"/api/v1/articles/{newsroom.published_a.pk}/retract/", {"reason": ""}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_submitting_moves_a_draft_to_review_and_a_second_submit_is_a_409(newsroom):
    client = client_for(newsroom.reporter_a)
    url = f"/api/v1/articles/{newsroom.draft_mine.pk}/submit/"

    first = client.post(url)
    second = client.post(url)

    assert (first.status_code, first.json()["status"]) == (200, "in_review")
    assert second.status_code == 409
    assert "in review" in second.json()["detail"]


def test_services_apply_the_same_rules_as_the_api(newsroom):
    with pytest.raises(PermissionDenied):
        services.article_publish(article=newsroom.draft_mine, user=newsroom.reporter_a)
    with pytest.raises(PermissionDenied):
        services.article_update(
            user=newsroom.reporter_b,
            article_id=newsroom.draft_mine.pk,
            data={"headline": "x"},
            expected_versions=None,
        )
    with pytest.raises(PermissionDenied):
        services.article_create(user=UserFactory(), data={"headline": "x", "language": "en"})


def test_a_workflow_refusal_is_still_a_validation_error_for_the_admin(newsroom):
    services.article_retract(article=newsroom.published_a, reason="Wrong.")

    with pytest.raises(ValidationError) as caught:
        services.article_publish(article=newsroom.published_a)

    assert isinstance(caught.value, services.WorkflowError)
    assert "status" in caught.value.message_dict
