"""Plain helpers shared by the article API tests: URLs, time offsets, a versioned PATCH."""

import datetime

from django.utils import timezone

from tests.articles.conftest import client_for

LIST = "/api/v1/articles/"
HOUR = datetime.timedelta(hours=1)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def hours_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=n)


def detail_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


NEXT_WEEK = "2031-03-10T09:00:00+01:00"


def patch(user, article, payload, version=None):
    version = article.version if version is None else version
    return client_for(user).patch(
        f"/api/v1/articles/{article.pk}/",
        payload,
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )
