"""The journalists' desk: the Django admin pages, filters, actions and inline saves."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Claim, Correction, Entity, Mention, Quote, Source
from tests.articles.conftest import change_form_data, inline_prefix
from tests.factories import (
    ArticleFactory,
    DeskFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    TagFactory,
    UserFactory,
    full_article,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def shown(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return sorted(a.pk for a in response.context["cl"].result_list)


# --- Pages render ----------------------------------------------------------------------------


def test_the_article_changelist_renders_with_its_columns(admin_client):
    article = full_article(authors=[UserFactory(first_name="Camille", last_name="Durand")])
    response = admin_client.get(CHANGELIST)
    assert shown(response) == [article.pk]
    html = response.content.decode()
    assert "Camille Durand" in html
    assert "Published" in html


def test_an_embargoed_article_is_flagged_in_the_changelist(admin_client):
    PublishedArticleFactory(embargo_until=timezone.now() + timedelta(hours=1))
    assert "(embargoed)" in admin_client.get(CHANGELIST).content.decode()


def test_each_changelist_filter_narrows_the_list(admin_client):
    author = UserFactory()
    desk = DeskFactory()
    tag = TagFactory()
    target = PublishedArticleFactory(language="fr", desk=desk, authors=[author], tags=[tag])
    other = ArticleFactory(language="en", authors=[UserFactory()], tags=[TagFactory()])
    assert shown(admin_client.get(CHANGELIST)) == sorted([target.pk, other.pk])
    for query in (
        "status__exact=published",
        "language=fr",
        f"desk__id__exact={desk.pk}",
        f"tags__id__exact={tag.pk}",
        f"authors__id__exact={author.pk}",
        f"published_at__year={target.published_at.year}",
    ):
        assert shown(admin_client.get(f"{CHANGELIST}?{query}")) == [target.pk], query


def test_the_changelist_searches_headline_and_body(admin_client):
    in_headline = ArticleFactory(headline="Arcturus designs chips")
    in_body = ArticleFactory(body="<p>Arcturus said nothing.</p>")
    ArticleFactory(headline="Budget")
    assert shown(admin_client.get(f"{CHANGELIST}?q=arcturus")) == sorted(
        [in_headline.pk, in_body.pk]
    )


def test_the_add_page_renders_with_every_inline(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    models = {inline.formset.model for inline in response.context["inline_admin_formsets"]}
    assert {"ArticleAuthor", "Mention", "Claim", "Quote", "KeyFigure", "KeyDate"} <= {
        m.__name__ for m in models
    }
    assert {"Source", "Correction"} <= {m.__name__ for m in models}


def test_the_change_page_renders_all_metadata_with_previews(admin_client):
    article = full_article(language="fr")
    response = admin_client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "7\u00a0000 milliards de dollars" in html  # the key figure as readers see it
    assert "septembre 2023" in html
    assert "a spokesperson" in html
    assert article.claims.get().text in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/entity/add/",
        "/admin/articles/desk/",
        "/admin/articles/desk/add/",
        "/admin/articles/tag/",
        "/admin/articles/tag/add/",
        "/admin/",
    ],
)
def test_the_other_desk_pages_render(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_the_entity_changelist_shows_article_counts_and_searches_aliases(admin_client):
    novalys = EntityFactory(name="Novalys", aliases=["Novalys AI"], wikidata_id="Q4242")
    EntityFactory(name="Arcturus")
    for article in (PublishedArticleFactory(), ArticleFactory()):
        MentionFactory(article=article, entity=novalys)
    MentionFactory(article=article, entity=novalys, role=Mention.Role.SOURCE)
    response = admin_client.get("/admin/articles/entity/")
    assert response.status_code == 200
    counts = {e.name: e.article_count for e in response.context["cl"].result_list}
    assert counts == {"Novalys": 2, "Arcturus": 0}
    assert "https://www.wikidata.org/wiki/Q4242" in response.content.decode()
    found = admin_client.get("/admin/articles/entity/?q=novalys%20ai").context["cl"].result_list
    assert [e.name for e in found] == ["Novalys"]
    ordered = admin_client.get("/admin/articles/entity/?o=-4").context["cl"].result_list
    assert [e.name for e in ordered] == ["Novalys", "Arcturus"]


def test_the_entity_change_page_renders(admin_client):
    entity = EntityFactory()
    assert admin_client.get(f"/admin/articles/entity/{entity.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [
        ("mention", "entity"),
        ("claim", "attributed_to"),
        ("quote", "speaker"),
        ("articleauthor", "user"),
        ("article", "translation_of"),
        ("article", "tags"),
    ],
)
def test_the_autocomplete_boxes_of_the_article_page_answer(admin_client, model_name, field_name):
    EntityFactory(name="Novalys")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": "a"},
    )
    assert response.status_code == 200
    assert "results" in response.json()


# --- Actions ---------------------------------------------------------------------------------


def run_action(admin_client, action: str, *articles: Article):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_the_publish_action_publishes_a_valid_article(admin_client):
    article = ArticleFactory(authors=[UserFactory()])
    response = run_action(admin_client, "publish_selected", article)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 article published."]


def test_the_publish_action_explains_why_an_article_cannot_go_out(admin_client):
    valid = ArticleFactory(authors=[UserFactory()])
    invalid = ArticleFactory(headline="Novalys chips", body="", authors=[])
    response = run_action(admin_client, "publish_selected", valid, invalid)
    messages = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert messages["success"] == "1 article published."
    assert messages["error"].startswith("“Novalys chips”: ")
    assert "needs a body" in messages["error"]
    assert "at least one author" in messages["error"]
    invalid.refresh_from_db()
    assert invalid.status == Article.Status.DRAFT


def test_the_retract_action_retracts_and_adds_a_correction(admin_client):
    article = PublishedArticleFactory()
    draft = ArticleFactory()
    response = run_action(admin_client, "retract_selected", article, draft)
    article.refresh_from_db()
    assert article.status == Article.Status.RETRACTED
    assert "retracted by the desk" in Correction.objects.get(article=article).text
    messages = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert messages["success"] == "1 article retracted."
    assert "Only a published article can be retracted" in messages["error"]
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


# --- Saving the change page ------------------------------------------------------------------


def test_saving_inline_metadata_bumps_the_version(admin_client):
    article = full_article()
    version = Article.objects.get(pk=article.pk).version
    page = admin_client.get(change_url(article))
    data = change_form_data(page)
    prefix = inline_prefix(page, Claim)
    data[f"{prefix}-0-text"] = "The company confirmed it designs its own chips."
    data[f"{prefix}-0-status"] = Claim.Status.CONFIRMED
    data["_save"] = "Save"
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article.refresh_from_db()
    assert article.claims.get().status == Claim.Status.CONFIRMED
    assert article.version == version + 1


def test_adding_an_inline_row_bumps_the_version(admin_client):
    article = full_article()
    entity = EntityFactory(kind=Entity.Kind.PERSON)
    version = Article.objects.get(pk=article.pk).version
    page = admin_client.get(change_url(article))
    data = change_form_data(page)
    prefix = inline_prefix(page, Mention)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data |= {
        f"{prefix}-{index}-entity": str(entity.pk),
        f"{prefix}-{index}-role": Mention.Role.MENTIONED,
        f"{prefix}-{index}-order": "3",
        f"{prefix}-{index}-article": str(article.pk),
    }
    response = admin_client.post(change_url(article), data | {"_save": "Save"})
    assert response.status_code == 302
    assert article.mentions.count() == 2
    assert Article.objects.get(pk=article.pk).version == version + 1


def test_editing_the_headline_bumps_the_version_and_update_time(admin_client):
    article = full_article()
    before = Article.objects.get(pk=article.pk)
    page = admin_client.get(change_url(article))
    data = change_form_data(page) | {"headline": "A corrected headline", "_save": "Save"}
    assert admin_client.post(change_url(article), data).status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert after.headline == "A corrected headline"
    assert after.version == before.version + 1
    assert after.updated_at > before.updated_at


def test_saving_an_untouched_page_changes_no_version(admin_client):
    article = full_article()
    version = Article.objects.get(pk=article.pk).version
    page = admin_client.get(change_url(article))
    response = admin_client.post(change_url(article), change_form_data(page) | {"_save": "Save"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).version == version


def test_an_inline_breaking_a_rule_is_shown_as_an_error_and_nothing_is_saved(admin_client):
    article = full_article()
    page = admin_client.get(change_url(article))
    data = change_form_data(page)
    quotes = inline_prefix(page, Quote)
    data[f"{quotes}-0-speaker_label"] = ""
    data[f"{quotes}-0-speaker"] = ""
    data["headline"] = "Should not be saved"
    response = admin_client.post(change_url(article), data | {"_save": "Save"})
    assert response.status_code == 200
    assert "Name the speaker" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "Should not be saved"


def test_a_new_article_can_be_written_in_the_admin(admin_client):
    desk = DeskFactory()
    page = admin_client.get(reverse("admin:articles_article_add"))
    data = change_form_data(page) | {
        "headline": "Novalys prépare ses puces",
        "slug": "",
        "language": "fr",
        "desk": str(desk.pk),
        "body": '<p onclick="x()">Texte</p>',
        "_save": "Save",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get()
    assert article.slug == "novalys-prepare-ses-puces"
    assert article.body == "<p>Texte</p>"
    assert article.status == Article.Status.DRAFT


def test_clearing_the_publication_time_of_a_published_article_is_refused(admin_client):
    article = full_article()
    page = admin_client.get(change_url(article))
    data = change_form_data(page) | {"published_at_0": "", "published_at_1": "", "_save": "Save"}
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "A published article needs a publication time." in response.content.decode()
    assert Article.objects.get(pk=article.pk).published_at is not None


def test_the_changelist_takes_the_same_queries_for_3_and_30_articles(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(captured)

    authors = [UserFactory(), UserFactory()]
    for _ in range(3):
        full_article(authors=authors)
    few = queries()
    for _ in range(27):
        full_article(authors=authors)
    assert queries() == few


def test_addresses_typed_without_a_scheme_are_saved_as_https(admin_client):
    article = full_article()
    page = admin_client.get(change_url(article))
    data = change_form_data(page) | {"canonical_url": "example.org/novalys", "_save": "Save"}
    data[f"{inline_prefix(page, Source)}-0-url"] = "example.org/report.pdf"
    assert admin_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.canonical_url == "https://example.org/novalys"
    assert article.sources.get().url == "https://example.org/report.pdf"
