"""Publishing rules: publish, republish, schedule, the due-publication sweep, retract, embargo."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import articles as services
from articles.services.articles import (
    article_publish,
    article_publish_due,
    article_retract,
    article_schedule,
    article_touch,
)
from articles.tasks import articles_publish_due
from tests.factories import (
    ArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def publishable(**kwargs) -> Article:
    return ArticleFactory(authors=[UserFactory()], **kwargs)


# --- Publish ---------------------------------------------------------------------------------


def test_publishing_a_complete_draft_makes_it_live_and_bumps_the_version():
    article = publishable()
    now = timezone.now()
    published = article_publish(article=article, now=now)
    assert published.status == Article.Status.PUBLISHED
    assert published.published_at == now
    assert published.first_published_at == now
    assert published.last_published_at == now
    assert published.updated_at == now
    assert published.version == article.version + 1
    assert published.is_live(now)


def test_publishing_without_headline_body_or_author_names_each_field():
    article = ArticleFactory(headline="  ", body="", authors=[])
    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article)
    errors = excinfo.value.message_dict
    assert set(errors) == {"headline", "body", "authors"}
    assert "headline" in errors["headline"][0]
    assert "author" in errors["authors"][0]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.version == 1


def test_publishing_without_a_language_names_the_language():
    article = publishable(language="")
    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article)
    assert list(excinfo.value.message_dict) == ["language"]


def test_a_body_of_only_unsafe_markup_counts_as_empty():
    article = publishable(body="<script>alert(1)</script>")
    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article)
    assert "body" in excinfo.value.message_dict


def test_republishing_keeps_the_original_publication_time():
    first = timezone.now() - 3 * HOUR
    article = article_publish(article=publishable(), now=first)
    later = timezone.now()
    again = article_publish(article=article, now=later)
    assert again.published_at == first
    assert again.first_published_at == first
    assert again.last_published_at == later
    assert again.version == article.version + 1


def test_a_publication_time_set_in_the_future_is_brought_back_to_now():
    now = timezone.now()
    article = publishable(published_at=now + 5 * HOUR)
    assert article_publish(article=article, now=now).published_at == now


def test_a_retracted_article_cannot_be_published_again():
    article = article_retract(article=PublishedArticleFactory(), reason="Wrong company.")
    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article)
    assert "status" in excinfo.value.message_dict


# --- Schedule --------------------------------------------------------------------------------


def test_scheduling_needs_an_aware_time_in_the_future():
    article = publishable()
    now = timezone.now()
    naive = datetime.datetime(2099, 1, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValidationError) as excinfo:
        article_schedule(article=article, publish_at=naive, now=now)
    assert "publish_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        article_schedule(article=article, publish_at=now - HOUR, now=now)
    assert "publish_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        article_schedule(article=article, publish_at=now, now=now)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_scheduling_a_complete_draft_sets_the_status_and_time():
    article = publishable()
    now = timezone.now()
    when = datetime.datetime(2099, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    scheduled = article_schedule(article=article, publish_at=when, now=now)
    assert scheduled.status == Article.Status.SCHEDULED
    assert scheduled.publish_at == when
    assert scheduled.version == 2
    assert not scheduled.is_live(now)


def test_scheduling_checks_the_publishing_rules_first():
    article = ArticleFactory(authors=[])
    with pytest.raises(ValidationError) as excinfo:
        article_schedule(article=article, publish_at=timezone.now() + HOUR)
    assert "authors" in excinfo.value.message_dict


def test_a_published_article_cannot_be_scheduled():
    with pytest.raises(ValidationError) as excinfo:
        article_schedule(article=PublishedArticleFactory(), publish_at=timezone.now() + HOUR)
    assert "status" in excinfo.value.message_dict


# --- The due-publication sweep ---------------------------------------------------------------


def test_due_scheduled_articles_are_published_once_even_when_the_sweep_runs_twice():
    now = timezone.now()
    due = article_schedule(article=publishable(), publish_at=now + HOUR, now=now)
    not_yet = article_schedule(article=publishable(), publish_at=now + 5 * HOUR, now=now)
    draft = publishable()

    later = now + 2 * HOUR
    assert article_publish_due(now=later) == [due.pk]
    assert article_publish_due(now=later) == []

    due.refresh_from_db()
    assert due.status == Article.Status.PUBLISHED
    assert due.published_at == later
    assert due.publish_at is None
    assert due.version == 3  # scheduled, then published; the second sweep changed nothing
    not_yet.refresh_from_db()
    assert not_yet.status == Article.Status.SCHEDULED
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_a_due_article_that_no_longer_meets_the_rules_stays_scheduled():
    now = timezone.now()
    article = ScheduledArticleFactory(publish_at=now - HOUR)
    article.bylines.all().delete()
    assert article_publish_due(now=now) == []
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED


def test_the_beat_task_publishes_what_is_due_and_is_safe_to_repeat():
    article = ScheduledArticleFactory(publish_at=timezone.now() - HOUR)
    assert articles_publish_due() == 1
    assert articles_publish_due() == 0
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


# --- Retract ---------------------------------------------------------------------------------


def test_retracting_takes_the_article_down_and_adds_a_public_correction():
    article = PublishedArticleFactory()
    now = timezone.now()
    retracted = article_retract(
        article=article, reason="  The company was misidentified. ", now=now
    )
    assert retracted.status == Article.Status.RETRACTED
    assert not retracted.is_live()
    correction = Correction.objects.get(article=article)
    assert correction.text == "The company was misidentified."
    assert correction.corrected_at == now
    assert retracted.version == article.version + 1


@pytest.mark.parametrize("status", ["draft", "in_review", "retracted"])
def test_only_a_published_article_can_be_retracted(status):
    article = ArticleFactory(status=status)
    with pytest.raises(ValidationError) as excinfo:
        article_retract(article=article, reason="Wrong.")
    assert "status" in excinfo.value.message_dict
    assert not Correction.objects.exists()


def test_a_retraction_needs_a_reason():
    article = PublishedArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        article_retract(article=article, reason="   ")
    assert "reason" in excinfo.value.message_dict
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


# --- Touch and embargo -----------------------------------------------------------------------


def test_touching_an_article_bumps_its_version_and_update_time():
    article = ArticleFactory()
    now = timezone.now() + HOUR
    article_touch(article=article, now=now)
    assert article.version == 2
    assert article.updated_at == now


def test_an_embargo_keeps_a_published_article_out_of_the_public_api_until_it_lifts(api_client):
    now = timezone.now()
    article = article_publish(
        article=publishable(embargo_until=now + 2 * HOUR, slug="embargoed"), now=now
    )
    assert article.status == Article.Status.PUBLISHED
    assert api_client.get("/api/v1/articles/").json()["results"] == []
    assert api_client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert api_client.get("/api/v1/articles/embargoed/").status_code == 404

    # The embargo lifts: the same row becomes visible, nothing else to do.
    Article.objects.filter(pk=article.pk).update(embargo_until=now - datetime.timedelta(seconds=1))
    assert [a["id"] for a in api_client.get("/api/v1/articles/").json()["results"]] == [article.pk]
    assert api_client.get(f"/api/v1/articles/{article.pk}/").status_code == 200


def test_a_failing_followup_cancellation_leaves_the_retraction_unsaved(monkeypatch):
    def broken(article):
        raise RuntimeError("follow-ups unavailable")

    monkeypatch.setattr(services, "followups_cancel_for_article", broken)
    article = PublishedArticleFactory()
    with pytest.raises(RuntimeError):
        article_retract(article=article, reason="Wrong.")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.version == 1
    assert not Correction.objects.exists()


def test_rescheduling_moves_the_publication_time():
    now = timezone.now()
    article = article_schedule(article=publishable(), publish_at=now + HOUR, now=now)
    article = article_schedule(article=article, publish_at=now + 3 * HOUR, now=now)
    assert article.publish_at == now + 3 * HOUR
    assert article_publish_due(now=now + 2 * HOUR) == []
    assert article_publish_due(now=now + 4 * HOUR) == [article.pk]
