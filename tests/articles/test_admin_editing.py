import pytest

from articles.models import Article
from tests.articles.conftest import change_form_data
from tests.factories import ArticleFactory, DeskFactory, PublishedArticleFactory, desk_member

pytestmark = pytest.mark.django_db


def test_a_stale_admin_save_is_refused_with_a_message_and_keeps_the_journalists_text(
    client, desk_staff
):
    desk, editor, _ = desk_staff
    article = ArticleFactory(desk=desk, authors=[editor], headline="Original")
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(client.get(url))
    assert data["expected_version"] == "1"
    # Someone else saves meanwhile.
    Article.objects.filter(pk=article.pk).update(version=2, headline="Their headline")

    data["headline"] = "My careful new headline"
    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this article" in page
    assert "My careful new headline" in page
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Their headline", 2)

    # The form now carries the newer version: saving again is a deliberate overwrite.
    again = change_form_data(response)
    assert again["expected_version"] == "2"
    assert again["headline"] == "My careful new headline"
    saved = client.post(url, again)
    assert saved.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.version) == ("My careful new headline", 3)
    assert article.history.first().history_user == editor


def test_an_admin_save_bumps_the_version_once(client, desk_staff):
    desk, editor, _ = desk_staff
    article = ArticleFactory(desk=desk, authors=[editor])
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(client.get(url))
    data["standfirst"] = "Sharper."

    response = client.post(url, data)
    assert response.status_code == 302, [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in response.context["inline_admin_formsets"]
    ]
    article.refresh_from_db()
    assert (article.standfirst, article.version) == ("Sharper.", 2)


def test_the_admin_shows_reporters_their_desk_only_and_their_own_drafts_as_editable(
    client, desk_staff
):
    desk, _, reporter = desk_staff
    colleague = desk_member(desk=desk, role="reporter")
    mine = ArticleFactory(desk=desk, authors=[reporter], headline="Mine")
    theirs = ArticleFactory(desk=desk, authors=[colleague], headline="A colleague's")
    elsewhere = ArticleFactory(headline="Another desk's draft")
    client.force_login(reporter)

    listing = client.get("/admin/articles/article/").content.decode()
    assert "Mine" in listing and "A colleague&#x27;s" in listing
    assert "Another desk" not in listing
    assert client.get(f"/admin/articles/article/{elsewhere.pk}/change/").status_code == 302

    data = change_form_data(client.get(f"/admin/articles/article/{mine.pk}/change/"))
    data["headline"] = "Mine, better"
    assert client.post(f"/admin/articles/article/{mine.pk}/change/", data).status_code == 302
    read_only = client.post(f"/admin/articles/article/{theirs.pk}/change/", data)
    assert read_only.status_code == 403


def test_the_admin_history_lists_metadata_changes(client, desk_staff):
    desk, editor, _ = desk_staff
    article = ArticleFactory(desk=desk, authors=[editor])
    client.force_login(editor)

    response = client.get(f"/admin/articles/article/{article.pk}/history/")

    assert response.status_code == 200
    assert "Changes to the article" in response.content.decode()
    assert response.context["metadata_revisions"][0]["section"] == "authors"


def test_another_desks_staff_cannot_read_an_articles_history(client, desk_staff):
    desk, editor, _ = desk_staff
    article = PublishedArticleFactory(desk=desk, authors=[editor])
    outsider = desk_member(desk=DeskFactory(), role="editor", is_staff=True)
    client.force_login(outsider)

    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200
    assert client.get(f"/admin/articles/article/{article.pk}/history/").status_code == 403


def test_a_reporter_adding_an_article_in_the_admin_is_put_in_its_byline(client, desk_staff):
    desk, _, reporter = desk_staff
    client.force_login(reporter)
    data = change_form_data(client.get("/admin/articles/article/add/"))
    data.update({"headline": "From the admin", "language": "en", "desk": desk.pk})

    response = client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    article = Article.objects.get(headline="From the admin")
    assert list(article.bylines.values_list("user", flat=True)) == [reporter.pk]
    assert article.history.first().history_user == reporter


def test_editors_delete_only_their_desks_articles_one_at_a_time(client, desk_staff):
    desk, editor, _ = desk_staff
    own = ArticleFactory(desk=desk, authors=[editor])
    elsewhere = PublishedArticleFactory()
    client.force_login(editor)

    changelist = client.get("/admin/articles/article/")
    refused = client.post(f"/admin/articles/article/{elsewhere.pk}/delete/", {"post": "yes"})
    deleted = client.post(f"/admin/articles/article/{own.pk}/delete/", {"post": "yes"})

    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
    assert refused.status_code == 403
    assert deleted.status_code == 302
    assert not Article.objects.filter(pk=own.pk).exists()
    assert Article.objects.filter(pk=elsewhere.pk).exists()
