"""Who may do what, endpoint by endpoint: the expected answer of every cell is in the table.

Roles: anonymous; reporter_a, a reporter on desk A who wrote ``draft_mine`` and
``published_a``; reporter_b, a reporter on desk B who wrote ``draft_other_desk``; editor_a, an
editor on desk A; admin, a superuser. ``draft_colleague`` is another reporter's draft on desk A.
404 means the user may not even see the article; 403 that they see it but may not do this;
409 that they may, but not in the article's current state.
"""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reporter_a", "reporter_b", "editor_a", "admin")

# (endpoint, object):      anonymous  reporter_a  reporter_b  editor_a  admin
MATRIX = [
    (("retrieve", "draft_mine"), (404, 200, 404, 200, 200)),
    (("retrieve", "draft_colleague"), (404, 200, 404, 200, 200)),
    (("retrieve", "draft_other_desk"), (404, 404, 200, 404, 200)),
    (("retrieve", "published_a"), (200, 200, 200, 200, 200)),
    (("create", "desk_a"), (401, 201, 403, 201, 201)),
    (("create", "desk_b"), (401, 403, 201, 403, 201)),
    (("patch", "draft_mine"), (401, 200, 404, 200, 200)),
    (("patch", "draft_colleague"), (401, 403, 404, 200, 200)),
    (("patch", "draft_other_desk"), (401, 404, 200, 404, 200)),
    (("patch", "published_a"), (401, 403, 403, 200, 200)),
    (("put", "draft_mine"), (401, 200, 404, 200, 200)),
    (("put", "draft_colleague"), (401, 403, 404, 200, 200)),
    (("delete", "draft_mine"), (401, 405, 405, 405, 405)),
    (("submit", "draft_mine"), (401, 200, 404, 200, 200)),
    (("submit", "draft_colleague"), (401, 403, 404, 200, 200)),
    (("submit", "published_a"), (401, 409, 403, 409, 409)),
    (("publish", "draft_mine"), (401, 403, 404, 200, 200)),
    (("publish", "draft_other_desk"), (401, 404, 403, 404, 200)),
    (("schedule", "draft_mine"), (401, 403, 404, 200, 200)),
    (("schedule", "published_a"), (401, 403, 403, 409, 409)),
    (("retract", "published_a"), (401, 403, 403, 200, 200)),
    (("retract", "draft_mine"), (401, 403, 404, 409, 409)),
    (("revisions", "draft_mine"), (401, 200, 404, 200, 200)),
    (("revisions", "published_a"), (401, 200, 403, 200, 200)),
]

# Which of the fixture's articles each role finds in the list.
LIST_VISIBILITY = {
    "anonymous": {"published_a"},
    "reporter_a": {"draft_mine", "draft_colleague", "published_a"},
    "reporter_b": {"draft_other_desk", "published_a"},
    "editor_a": {"draft_mine", "draft_colleague", "published_a"},
    "admin": {"draft_mine", "draft_colleague", "draft_other_desk", "published_a"},
}

CASES = [
    pytest.param(endpoint, target, role, expected, id=f"{endpoint}-{target}-{role}")
    for (endpoint, target), row in MATRIX
    for role, expected in zip(ROLES, row, strict=True)
]


def call(client, newsroom, endpoint: str, target: str):
    if endpoint == "create":
        desk = getattr(newsroom, target)
        return client.post(
            "/api/v1/articles/",
            {"headline": f"New on {desk.name}", "language": "en", "desk": desk.pk},
            format="json",
        )
    article = newsroom.article(target)
    url = f"/api/v1/articles/{article.pk}/"
    if_match = f'"{article.version}"'
    if endpoint == "retrieve":
        return client.get(url)
    if endpoint == "patch":
        return client.patch(url, {"headline": "Changed"}, format="json", HTTP_IF_MATCH=if_match)
    if endpoint == "put":
        authors = list(article.bylines.values_list("user_id", flat=True))
        payload = {
            "headline": "Replaced",
            "language": "en",
            "desk": article.desk_id,
            "body": "<p>New body</p>",
            "authors": authors,
        }
        return client.put(url, payload, format="json", HTTP_IF_MATCH=if_match)
    if endpoint == "delete":
        return client.delete(url)
    if endpoint == "revisions":
        return client.get(f"{url}revisions/")
    data = {}
    if endpoint == "schedule":
        data = {"publish_at": (timezone.now() + datetime.timedelta(days=1)).isoformat()}
    if endpoint == "retract":
        data = {"reason": "The main claim turned out to be false."}
    return client.post(f"{url}{endpoint}/", data, format="json")


@pytest.mark.parametrize("endpoint,target,role,expected", CASES)
def test_authorization_matrix(newsroom, endpoint, target, role, expected):
    before = {a.pk: (a.version, a.status, a.headline) for a in Article.objects.all()}

    response = call(client_for(newsroom.user(role)), newsroom, endpoint, target)

    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        after = {a.pk: (a.version, a.status, a.headline) for a in Article.objects.all()}
        assert after == before, "a refused request changed something"
        if expected in (403, 409):
            assert response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_exactly_what_it_may_see(newsroom, role):
    response = client_for(newsroom.user(role)).get("/api/v1/articles/")

    assert response.status_code == 200
    names = {
        name
        for name in ("draft_mine", "draft_colleague", "draft_other_desk", "published_a")
        if newsroom.article(name).pk in {item["id"] for item in response.json()["results"]}
    }
    assert names == LIST_VISIBILITY[role]


def test_a_reporter_no_longer_edits_their_draft_once_it_is_in_review(newsroom):
    client = client_for(newsroom.reporter_a)
    article = newsroom.draft_mine
    assert client.post(f"/api/v1/articles/{article.pk}/submit/").status_code == 200

    response = client.patch(
        f"/api/v1/articles/{article.pk}/", {"headline": "x"}, format="json", HTTP_IF_MATCH='"2"'
    )

    assert response.status_code == 403
    assert "editor" in response.json()["detail"]


def test_an_editor_cannot_move_an_article_to_a_desk_they_do_not_belong_to(newsroom):
    article = newsroom.draft_mine

    response = client_for(newsroom.editor_a).patch(
        f"/api/v1/articles/{article.pk}/",
        {"desk": newsroom.desk_b.pk},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.desk_id, article.version) == (newsroom.desk_a.pk, 1)
