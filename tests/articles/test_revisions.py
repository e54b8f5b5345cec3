import pytest

from articles.services import articles as services
from tests.articles.conftest import client_for
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_revisions_record_who_changed_which_field_of_the_article_and_its_claims(newsroom, entity):
    article = newsroom.draft_mine
    ClaimFactory(article=article, text="Talks have begun.", attributed_to=entity)
    client = client_for(newsroom.reporter_a)
    response = client.patch(
        f"/api/v1/articles/{article.pk}/",
        {
            "headline": "A better headline",
            "claims": [
                {"text": "Talks have begun.", "status": "confirmed", "attributed_to": entity.pk}
            ],
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200

    revisions = client.get(f"/api/v1/articles/{article.pk}/revisions/").json()

    article_change = next(r for r in revisions if r["section"] == "article")
    assert article_change["user"]["id"] == newsroom.reporter_a.pk
    assert article_change["action"] == "changed"
    assert article_change["version"] == 2
    headline = next(c for c in article_change["changes"] if c["field"] == "headline")
    assert headline["new"] == "A better headline"
    claim_change = next(r for r in revisions if r["section"] == "claims")
    assert claim_change["user"]["id"] == newsroom.reporter_a.pk
    assert claim_change["changes"] == [
        {"field": "status", "old": "neither_confirmed_nor_denied", "new": "confirmed"}
    ]


def test_revisions_show_workflow_steps_and_the_byline(newsroom):
    services.article_submit(article=newsroom.draft_mine, user=newsroom.reporter_a)
    services.article_publish(article=newsroom.draft_mine, user=newsroom.editor_a)

    revisions = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/revisions/"
    )

    entries = revisions.json()
    publish, submit = entries[0], entries[1]
    assert publish["user"]["id"] == newsroom.editor_a.pk
    assert {"field": "status", "old": "in_review", "new": "published"} in publish["changes"]
    assert submit["user"]["id"] == newsroom.reporter_a.pk
    byline = next(r for r in entries if r["section"] == "authors")
    assert byline["action"] == "created"


def test_revisions_limit_is_validated(newsroom):
    response = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/revisions/?limit=0"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_tag_changes_appear_in_the_article_revisions(newsroom):
    from tests.factories import TagFactory

    TagFactory(slug="chips")
    response = client_for(newsroom.editor_a).patch(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/",
        {"tags": ["chips"]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200

    revisions = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/revisions/"
    )

    tag_changes = [
        change
        for entry in revisions.json()
        if entry["section"] == "article"
        for change in entry["changes"]
        if change["field"] == "tags"
    ]
    assert tag_changes == [{"field": "tags", "old": [], "new": [newsroom.draft_mine.tags.get().pk]}]


def test_the_revisions_cost_a_fixed_number_of_queries(newsroom, django_assert_max_num_queries):
    client = client_for(newsroom.editor_a)
    url = f"/api/v1/articles/{newsroom.draft_mine.pk}/"
    for version in range(1, 11):
        client.patch(
            url, {"headline": f"Take {version}"}, format="json", HTTP_IF_MATCH=f'"{version}"'
        )

    with django_assert_max_num_queries(20):
        response = client.get(f"{url}revisions/")

    assert response.status_code == 200
    headlines = [
        change["new"]
        for entry in response.json()
        for change in entry["changes"]
        if change["field"] == "headline" and entry["action"] == "changed"
    ]
    assert headlines[:2] == ["Take 10", "Take 9"]


def test_the_documented_shapes_match_the_payloads(newsroom):
    from articles.revisions import RevisionSerializer
    from articles.serializers.desk import ArticleEditorialSerializer

    client = client_for(newsroom.editor_a)
    detail = client.get(f"/api/v1/articles/{newsroom.draft_mine.pk}/").json()
    revisions = client.get(f"/api/v1/articles/{newsroom.draft_mine.pk}/revisions/").json()

    assert set(detail) == set(ArticleEditorialSerializer().fields)
    assert {key for entry in revisions for key in entry} == set(RevisionSerializer().fields)
