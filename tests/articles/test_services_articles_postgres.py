"""Publishing sweeps on PostgreSQL with real row locks, one connection per worker thread."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article
from articles.services.articles import article_publish_due
from tests.factories import ScheduledArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_another_connection(fn):
    """Run fn in a thread, which Django gives its own database connection, and return its result."""
    result, errors = [], []

    def run():
        try:
            result.append(fn())
        except Exception as exc:  # handed back to the test below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other worker did not finish"
    if errors:
        raise errors[0]
    return result[0]


def test_a_sweep_skips_an_article_another_worker_is_publishing():
    now = timezone.now()
    locked = ScheduledArticleFactory(publish_at=now - datetime.timedelta(minutes=5))
    free = ScheduledArticleFactory(publish_at=now - datetime.timedelta(minutes=1))
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=locked.pk)  # another worker holds this row
        published = in_another_connection(lambda: article_publish_due(now=now))
    assert published == [free.pk]
    assert Article.objects.get(pk=locked.pk).status == Article.Status.SCHEDULED
    # Once the lock is released the next sweep finishes the job, and only once.
    assert in_another_connection(lambda: article_publish_due(now=now)) == [locked.pk]
    assert article_publish_due(now=now) == []
    versions = dict(Article.objects.values_list("pk", "version"))
    assert versions == {locked.pk: 2, free.pk: 2}
