"""Which surrogate keys each change purges, enqueued after commit (articles.purge)."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, ArticleDocument
from articles.purge import came_live_keys
from articles.services.articles import (
    article_publish,
    article_publish_due,
    article_retract,
    article_touch,
    article_update,
)
from articles.tasks import cache_purge_came_live
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _varnish(settings):
    settings.NEWSROOM_CACHE_PURGER = "varnish"


def purged(callbacks) -> list[list[str]]:
    """The keys of each purge the captured after-commit callbacks would enqueue."""
    return [callback.args[0] for callback in callbacks if hasattr(callback, "args")]


def test_publishing_purges_the_article_its_family_the_lists_and_its_entities(
    django_capture_on_commit_callbacks,
):
    draft = ArticleFactory(authors=[UserFactory()])
    entity = EntityFactory()
    MentionFactory(article=draft, entity=entity)
    with django_capture_on_commit_callbacks() as callbacks:
        article_publish(article=draft)
    assert purged(callbacks) == [
        sorted([f"article-{draft.pk}", "articles", f"family-{draft.pk}", f"mentions-{entity.pk}"])
    ]


def test_an_edit_of_a_live_article_purges_only_its_own_key(django_capture_on_commit_callbacks):
    article = PublishedArticleFactory()
    user = article.bylines.get().user
    user.is_superuser = True
    user.save()
    with django_capture_on_commit_callbacks() as callbacks:
        article_update(
            user=user,
            article_id=article.pk,
            data={"headline": "A new headline"},
            expected_versions=[article.version],
        )
    assert purged(callbacks) == [[f"article-{article.pk}"]]


def test_an_edit_of_a_draft_purges_nothing(django_capture_on_commit_callbacks):
    draft = ArticleFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        article_touch(article=draft)
    assert purged(callbacks) == []


def test_a_retraction_purges_the_article_its_family_and_the_lists(
    django_capture_on_commit_callbacks,
):
    original = PublishedArticleFactory()
    translation = PublishedArticleFactory(translation_of=original, language="fr")
    with django_capture_on_commit_callbacks() as callbacks:
        article_retract(article=translation, reason="Wrong figures.")
    assert purged(callbacks) == [
        sorted([f"article-{translation.pk}", "articles", f"family-{original.pk}"])
    ]
    # The original's page listed the translation: its document is rebuilt without it.
    assert not ArticleDocument.objects.filter(article=original).exists()


def test_the_sweep_purges_what_it_publishes(django_capture_on_commit_callbacks):
    due = ScheduledArticleFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks() as callbacks:
        assert article_publish_due() == [due.pk]
    assert purged(callbacks) == [sorted([f"article-{due.pk}", "articles", f"family-{due.pk}"])]


def test_an_embargo_lift_is_purged_by_the_beat_sweep(django_capture_on_commit_callbacks):
    now = timezone.now()
    lifted = PublishedArticleFactory(embargo_until=now - datetime.timedelta(seconds=5))
    PublishedArticleFactory(embargo_until=now + datetime.timedelta(hours=1))  # still embargoed
    PublishedArticleFactory()  # live for an hour: nothing new
    keys = came_live_keys(since=now - datetime.timedelta(seconds=60), now=now)
    assert keys == {f"article-{lifted.pk}", f"family-{lifted.pk}", "articles"}
    with django_capture_on_commit_callbacks() as callbacks:
        assert cache_purge_came_live() == 3
    assert purged(callbacks) == [sorted(keys)]


def test_a_shared_record_change_purges_the_live_articles_that_show_it(
    django_capture_on_commit_callbacks,
):
    live = PublishedArticleFactory()
    draft = ArticleFactory()
    image = ArticleImageFactory(article=live).image
    ArticleImageFactory(article=draft, image=image)
    from media_credits.services import image_update

    image.caption = "A new caption."
    with django_capture_on_commit_callbacks() as callbacks:
        image_update(image=image)
    assert [f"article-{live.pk}"] in purged(callbacks)


def test_dropping_a_live_articles_document_purges_it(django_capture_on_commit_callbacks):
    article = PublishedArticleFactory()
    # What a follow-up's public promise, a highlight box or new renditions do.
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleDocument.objects.invalidate(
            article_ids=Article.objects.filter(pk=article.pk).values("pk")
        )
    assert purged(callbacks) == [[f"article-{article.pk}"]]


def test_nothing_is_enqueued_without_a_purger(settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_CACHE_PURGER = "none"
    draft = ArticleFactory(authors=[UserFactory()])
    with django_capture_on_commit_callbacks() as callbacks:
        article_publish(article=draft)
    assert purged(callbacks) == []
