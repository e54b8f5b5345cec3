"""One rule, one place: the byline and slug rules give the admin and the API the same outcome
(articles.services.writing.byline_check, Article.validate_constraints)."""

import pytest

from articles.models import Article
from tests.articles.conftest import change_form_data, client_for
from tests.articles.test_write_api_payloads import new_article_payload
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BYLINE_REFUSAL = "A reporter&#x27;s own article carries their name in the byline."


def admin_add_form(client, **fields) -> dict:
    data = change_form_data(client.get("/admin/articles/article/add/"))
    data.update(fields)
    return data


def with_byline(data: dict, users) -> dict:
    data = dict(data)
    data["bylines-TOTAL_FORMS"] = str(len(users))
    for index, user in enumerate(users):
        data[f"bylines-{index}-user"] = user.pk
        data[f"bylines-{index}-order"] = index
    return data


def test_a_reporter_leaving_themselves_out_of_the_byline_is_refused_in_the_admin_as_in_the_api(
    client, newsroom, entity
):
    reporter = newsroom.reporter_a
    reporter.is_staff = True
    reporter.save()
    client.force_login(reporter)
    data = admin_add_form(client, headline="Not mine", language="en", desk=newsroom.desk_a.pk)

    page = client.post("/admin/articles/article/add/", with_byline(data, [newsroom.colleague_a]))
    api = client_for(reporter).post(
        "/api/v1/articles/",
        new_article_payload(newsroom, entity, authors=[newsroom.colleague_a.pk]),
        format="json",
    )

    assert page.status_code == 200
    assert BYLINE_REFUSAL in page.content.decode()
    assert api.status_code == 400
    assert api.json()["authors"] == [BYLINE_REFUSAL.replace("&#x27;", "'")]
    assert not Article.objects.filter(headline="Not mine").exists()


def test_an_empty_byline_on_a_new_article_is_signed_by_its_creator_in_the_admin_as_in_the_api(
    client, newsroom, entity
):
    editor = newsroom.editor_a
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    data = admin_add_form(client, headline="By the editor", language="en", desk=newsroom.desk_a.pk)

    page = client.post("/admin/articles/article/add/", data)
    payload = new_article_payload(newsroom, entity, headline="By the editor, via the API")
    payload.pop("authors", None)
    api = client_for(editor).post("/api/v1/articles/", payload, format="json")

    assert page.status_code == 302
    assert api.status_code == 201, api.json()
    for headline in ("By the editor", "By the editor, via the API"):
        article = Article.objects.get(headline=headline)
        assert list(article.bylines.values_list("user", flat=True)) == [editor.pk]


def test_a_taken_slug_is_refused_with_the_same_message_naming_it_in_the_admin_and_the_api(
    client, newsroom, entity
):
    client.force_login(newsroom.admin)
    data = admin_add_form(
        client, headline="Same address", slug="draft-mine", language="en", desk=newsroom.desk_a.pk
    )

    page = client.post("/admin/articles/article/add/", data)
    api = client_for(newsroom.reporter_a).post(
        "/api/v1/articles/", new_article_payload(newsroom, entity, slug="draft-mine"), format="json"
    )

    message = "Another en article already uses the address “draft-mine”; choose another slug."
    assert page.status_code == 200
    assert message in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {"slug": [message]}


def test_a_missing_slug_is_derived_free_in_its_language_by_the_api_as_by_the_admin(
    newsroom, entity
):
    ArticleFactory(slug="arcturus-confirms-talks-on-ai-chips", language="en")
    payload = new_article_payload(newsroom, entity)
    payload.pop("slug", None)

    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 201, response.json()
    created = Article.objects.get(pk=response.json()["id"])
    assert created.slug == "arcturus-confirms-talks-on-ai-chips-2"


def test_an_all_digit_headline_without_a_slug_gets_an_address_with_a_letter_from_the_api(
    newsroom, entity
):
    payload = new_article_payload(newsroom, entity, headline="2026")
    payload.pop("slug", None)

    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert Article.objects.get(pk=response.json()["id"]).slug == "article-2026"
