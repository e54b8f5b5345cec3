"""The article list's workflow actions: submit for review, and schedule at a chosen time."""

import datetime
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.admin.scheduling import next_full_hour
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    DeskFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    UserFactory,
    desk_member,
    full_article,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def ask_to_schedule(client, *articles: Article):
    return client.post(
        CHANGELIST,
        {"action": "schedule_selected", "_selected_action": [a.pk for a in articles]},
    )


def schedule(client, when: datetime.datetime, *articles: Article):
    local = when.astimezone(PARIS)
    return client.post(
        CHANGELIST,
        {
            "action": "schedule_selected",
            "_selected_action": [a.pk for a in articles],
            "apply": "Schedule",
            "publish_at_0": local.strftime("%Y-%m-%d"),
            "publish_at_1": local.strftime("%H:%M:%S"),
        },
        follow=True,
    )


def test_the_schedule_action_asks_for_the_time_on_its_own_page(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    first = ArticleFactory(headline="Novalys designs its own chips")
    second = ArticleFactory(headline="Chip partner confirms the deal")
    response = ask_to_schedule(admin_client, first, second)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/articles/article/schedule_selected.html"
    html = response.content.decode()
    assert "Novalys designs its own chips" in html
    assert "Chip partner confirms the deal" in html
    assert "Europe/Paris" in html
    assert 'name="publish_at_0"' in html and 'name="publish_at_1"' in html
    assert html.count('name="_selected_action"') == 2
    # Nothing happens before the journalist confirms.
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}


def test_the_schedule_page_offers_the_next_full_hour_on_the_site_clock(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    response = ask_to_schedule(admin_client, ArticleFactory())
    offered = response.context["form"]["publish_at"].value()
    expected = next_full_hour()
    assert offered == expected
    assert offered.tzinfo == PARIS
    assert (offered.minute, offered.second) == (0, 0)
    html = response.content.decode()
    assert f'value="{expected.strftime("%H:%M:%S")}"' in html


def test_the_next_full_hour_is_counted_on_the_site_clock(settings):
    settings.TIME_ZONE = "Europe/Paris"
    now = datetime.datetime(2026, 3, 29, 0, 20, tzinfo=datetime.UTC)  # 01:20 in Paris
    # Clocks go forward at 02:00 that night: the next full hour is 03:00 summer time.
    assert next_full_hour(now) == datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC)
    assert next_full_hour(now).astimezone(PARIS).hour == 3


def test_a_past_time_is_refused_with_a_clear_message_and_nothing_changes(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory(authors=[UserFactory()])
    response = schedule(admin_client, timezone.now() - datetime.timedelta(hours=2), article)
    assert response.status_code == 200
    errors = response.context["form"].errors["publish_at"]
    assert len(errors) == 1 and "has already passed: choose a time in the future" in errors[0]
    assert "has already passed" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None


def test_a_valid_time_schedules_the_articles_and_lists_them_as_scheduled(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory(authors=[UserFactory()], headline="Novalys designs its own chips")
    when = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    response = schedule(admin_client, when, article)
    assert response.status_code == 200
    # Back on the list, as after any other action.
    assert [status for _url, status in response.redirect_chain] == [302]
    assert response.request["PATH_INFO"] == CHANGELIST
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.publish_at == when
    local = when.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")
    assert messages_of(response) == [("success", f"1 article scheduled for {local}.")]
    listing = admin_client.get(CHANGELIST, {"status__exact": "scheduled"})
    assert [a.pk for a in listing.context["cl"].result_list] == [article.pk]
    assert "Scheduled" in listing.content.decode()


def test_the_schedule_action_names_each_article_it_could_not_schedule(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    valid = ArticleFactory(authors=[UserFactory()])
    no_body = ArticleFactory(headline="Novalys chips", body="", authors=[UserFactory()])
    live = PublishedArticleFactory(headline="Already out")
    when = timezone.now() + datetime.timedelta(hours=3)
    response = schedule(admin_client, when, valid, no_body, live)
    shown = messages_of(response)
    local = when.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")
    assert ("success", f"1 article scheduled for {local}.") in shown
    errors = sorted(text for level, text in shown if level == "error")
    assert len(errors) == 2
    assert errors[0].startswith("“Already out”: Only an unpublished article can be scheduled")
    assert errors[1].startswith("“Novalys chips”: ") and "needs a body" in errors[1]
    no_body.refresh_from_db()
    live.refresh_from_db()
    assert (no_body.status, live.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)


@pytest.fixture
def desk(db):
    """A desk with a reporter and an editor who work in the admin, and the reporter's draft."""
    tech = DeskFactory(name="Tech", slug="tech")
    reporter = desk_member(desk=tech, role="reporter", username="reporter", is_staff=True)
    editor = desk_member(desk=tech, role="editor", username="editor", is_staff=True)
    draft = ArticleFactory(desk=tech, authors=[reporter], headline="Novalys designs its chips")
    return reporter, editor, draft


def test_a_reporter_cannot_schedule_and_is_told_why(client, desk):
    reporter, _editor, draft = desk
    client.force_login(reporter)
    response = schedule(client, timezone.now() + datetime.timedelta(hours=3), draft)
    assert messages_of(response) == [
        (
            "error",
            "“Novalys designs its chips”: Only editors of this article's desk can schedule it.",
        )
    ]
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_the_submit_action_sends_drafts_to_review_and_explains_refusals(client, desk):
    reporter, _editor, draft = desk
    published = PublishedArticleFactory(desk=draft.desk, authors=[reporter], headline="Out")
    client.force_login(reporter)
    response = client.post(
        CHANGELIST,
        {"action": "submit_selected", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    shown = dict(messages_of(response))
    assert shown["success"] == "1 article submitted for review."
    assert shown["error"].startswith("“Out”: Only a draft can be submitted for review")


def test_an_editor_sees_the_workflow_actions_in_order(client, desk):
    _reporter, editor, _draft = desk
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    choices = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert choices == [
        "",
        "submit_selected",
        "publish_selected",
        "schedule_selected",
        "retract_selected",
    ]


def test_a_desk_editor_schedules_a_reporters_draft(client, desk):
    _reporter, editor, draft = desk
    client.force_login(editor)
    when = timezone.now() + datetime.timedelta(hours=5)
    response = schedule(client, when, draft)
    assert messages_of(response)[0][0] == "success"
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == (
        Article.Status.SCHEDULED,
        when.replace(microsecond=0),
    )


def test_the_list_shows_when_a_scheduled_article_goes_live(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    when = datetime.datetime(2031, 3, 4, 13, 0, tzinfo=datetime.UTC)
    ScheduledArticleFactory(headline="Novalys chips, the sequel", publish_at=when)
    html = admin_client.get(CHANGELIST).content.decode()
    assert "publication" in html.lower()
    assert "scheduled for 03/04/2031 2 p.m." in html
    assert "Searches headlines, standfirsts and texts." in html


def test_a_french_journalist_reads_the_article_page_in_french(admin_client):
    article = full_article()
    response = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk]),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = response.content.decode()
    for text in (
        "Titre",
        "Chapô",
        "Circuit de publication",
        "Affirmations",
        "Ni confirmé ni démenti",
    ):
        assert text in html, text
    listing = admin_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Programmer les articles sélectionnés…" in listing
    assert "Envoyer en relecture les articles sélectionnés" in listing
