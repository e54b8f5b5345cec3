import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FollowUp, ReminderDelivery
from articles.models.followups import default_promise
from articles.reminders import dispatch, send
from articles.services import followups as services
from articles.services.articles import article_publish, article_retract, article_update
from tests.articles.conftest import client_for
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    FollowUpFactory,
    HighlightItemFactory,
    JournalistProfileFactory,
    PublishedArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = FollowUp.Status
IN_A_DAY = datetime.timedelta(days=1)


def later(**kwargs) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**kwargs)


# --- Services ----------------------------------------------------------------------------------


def test_a_followup_gets_the_promise_of_its_article_language():
    french = PublishedArticleFactory(language="fr")
    english = PublishedArticleFactory(language="en-GB")
    owner = UserFactory()
    fr = services.followup_create(
        article=french, owner=owner, what="La décision", next_check_at=later(days=1)
    )
    en = services.followup_create(
        article=english, owner=owner, what="The decision", next_check_at=later(days=1)
    )
    assert fr.promise == "La rédaction continuera à suivre ce dossier."
    assert en.promise == "We will keep following this story."
    assert fr.status == Status.WATCHING


def test_creating_a_followup_keeps_entities_and_watchers():
    entity, watcher = EntityFactory(), UserFactory()
    followup = services.followup_create(
        article=PublishedArticleFactory(),
        owner=UserFactory(),
        what="The deal",
        next_check_at=later(days=2),
        every_days=7,
        entities=[entity],
        watchers=[watcher],
        promise="We are watching the regulator.",
    )
    assert list(followup.entities.all()) == [entity]
    assert list(followup.watchers.all()) == [watcher]
    assert followup.promise == "We are watching the regulator."


def test_a_naive_next_check_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as error:
        services.followup_create(
            article=PublishedArticleFactory(),
            owner=UserFactory(),
            what="x",
            next_check_at=datetime.datetime(2026, 5, 4, 9, 0),  # noqa: DTZ001
        )
    assert "next_check_at" in error.value.message_dict


def test_an_empty_what_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        services.followup_create(
            article=PublishedArticleFactory(), owner=UserFactory(), what="  ", next_check_at=later()
        )
    assert "what" in error.value.message_dict
    assert FollowUp.objects.count() == 0


def test_snoozing_for_a_day_a_week_or_until_a_date():
    followup = FollowUpFactory()
    now = timezone.now()
    services.followup_snooze(followup=followup, period="day", now=now)
    followup.refresh_from_db()
    assert (followup.status, followup.next_check_at) == (Status.SNOOZED, now + IN_A_DAY)
    services.followup_snooze(followup=followup, period="week", now=now)
    followup.refresh_from_db()
    assert followup.next_check_at == now + datetime.timedelta(days=7)
    until = now + datetime.timedelta(days=30)
    services.followup_snooze(followup=followup, until=until, now=now)
    followup.refresh_from_db()
    assert followup.next_check_at == until


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"period": "month"}, "period"),
        ({}, "period"),
        ({"until": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}, "until"),
    ],
)
def test_a_bad_snooze_is_refused_with_the_field_named(kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.followup_snooze(followup=FollowUpFactory(), **kwargs)
    assert field in error.value.message_dict


def test_snoozing_drops_a_pending_reminder():
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    services.followup_snooze(followup=followup, period="day")
    assert ReminderDelivery.objects.get().state == ReminderDelivery.State.CANCELLED


def test_done_links_the_followup_article_and_stops_reminders():
    followup = FollowUpFactory(every_days=1)
    sequel = PublishedArticleFactory()
    services.followup_done(followup=followup, followed_up_by=sequel)
    followup.refresh_from_db()
    assert followup.status == Status.DONE
    assert followup.followed_up_by == sequel
    assert followup.next_check_at is None
    assert followup.resolved_at is not None
    assert dispatch.reminders_dispatch(enqueue=lambda ids: None)["created"] == 0


def test_a_followup_cannot_be_continued_by_its_own_article():
    followup = FollowUpFactory()
    with pytest.raises(ValidationError) as error:
        services.followup_done(followup=followup, followed_up_by=followup.article)
    assert "followed_up_by" in error.value.message_dict


def test_the_state_machine_refuses_moves_out_of_closed_states():
    cancelled = services.followup_cancel(followup=FollowUpFactory())
    with pytest.raises(ValidationError):
        services.followup_snooze(followup=cancelled, period="day")
    with pytest.raises(ValidationError):
        services.followup_done(followup=cancelled)
    done = services.followup_done(followup=FollowUpFactory())
    with pytest.raises(ValidationError):
        services.followup_cancel(followup=done)
    with pytest.raises(ValidationError):
        services.followup_snooze(followup=done, period="week")
    # Cancelling twice is harmless.
    assert services.followup_cancel(followup=cancelled).status == Status.CANCELLED


def test_retracting_an_article_cancels_its_followups():
    article = PublishedArticleFactory()
    followup = FollowUpFactory(article=article)
    article_retract(article=article, reason="The deal was invented.")
    followup.refresh_from_db()
    assert followup.status == Status.CANCELLED


def test_deleting_an_article_cancels_its_followups_and_keeps_the_delivery_log():
    article = PublishedArticleFactory(headline="Novalys and Arcturus")
    followup = FollowUpFactory(article=article, owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    delivery = ReminderDelivery.objects.get()
    send.reminder_send(delivery_id=delivery.pk)
    article.delete()
    followup.refresh_from_db()
    assert followup.article is None
    assert followup.status == Status.CANCELLED
    assert followup.article_headline == "Novalys and Arcturus"
    assert ReminderDelivery.objects.get().state == ReminderDelivery.State.SENT


def test_a_followup_with_a_delivery_log_cannot_be_deleted():
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    with pytest.raises(ProtectedError):
        FollowUp.objects.all().delete()


def test_a_pending_reminder_of_a_deleted_article_is_closed_not_sent(mailoutbox):
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    followup.article.delete()
    assert send.reminder_send(delivery_id=ReminderDelivery.objects.get().pk) == "cancelled"
    assert mailoutbox == []


# --- Public payload ----------------------------------------------------------------------------


def test_the_article_shows_its_promises_and_the_followup_article(api_client):
    article = PublishedArticleFactory(language="fr")
    sequel = PublishedArticleFactory(headline="Arcturus confirme", slug="arcturus-confirme")
    owner = UserFactory(email="secret@example.org")
    FollowUpFactory(article=article, owner=owner)
    services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    services.followup_cancel(followup=FollowUpFactory(article=article))
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["followups"] == [
        {
            "promise": "La rédaction continuera à suivre ce dossier.",
            "status": "watching",
            "followed_up_by": None,
        },
        {
            "promise": "La rédaction continuera à suivre ce dossier.",
            "status": "done",
            "followed_up_by": {
                "id": sequel.pk,
                "slug": "arcturus-confirme",
                "language": sequel.language,
                "headline": "Arcturus confirme",
            },
        },
    ]
    text = str(data)
    assert "secret@example.org" not in text
    assert owner.username not in text


def test_an_unpublished_followup_article_is_not_linked(api_client):
    article = PublishedArticleFactory()
    services.followup_done(
        followup=FollowUpFactory(article=article), followed_up_by=ArticleFactory()
    )
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["followups"][0]["followed_up_by"] is None


def test_the_detail_query_count_does_not_grow_with_boxes_and_followups(api_client):
    bare = PublishedArticleFactory()
    HighlightItemFactory(box__article=bare)
    services.followup_done(
        followup=FollowUpFactory(article=bare), followed_up_by=PublishedArticleFactory()
    )
    rich = PublishedArticleFactory()
    for _ in range(3):
        HighlightItemFactory(box__article=rich)
        services.followup_done(
            followup=FollowUpFactory(article=rich), followed_up_by=PublishedArticleFactory()
        )
    with CaptureQueriesContext(connection) as bare_queries:
        assert api_client.get(f"/api/v1/articles/{bare.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as rich_queries:
        response = api_client.get(f"/api/v1/articles/{rich.pk}/")
    assert len(response.json()["highlight_boxes"]) == 3
    assert len(response.json()["followups"]) == 3
    assert len(rich_queries) == len(bare_queries)


# --- The follow-up article changes (issue 9) -----------------------------------------------------


def followed_up_by_on(api_client, article):
    return [
        f["followed_up_by"]
        for f in api_client.get(f"/api/v1/articles/{article.pk}/").json()["followups"]
    ]


def test_a_retracted_followup_article_leaves_the_stored_document(api_client):
    article = PublishedArticleFactory()
    sequel = PublishedArticleFactory()
    services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    assert followed_up_by_on(api_client, article)[0]["id"] == sequel.pk
    article_retract(article=sequel, reason="Wrong facts.")
    assert followed_up_by_on(api_client, article) == [None]


def test_a_renamed_followup_article_is_shown_with_its_new_headline(api_client):
    article = PublishedArticleFactory()
    sequel = PublishedArticleFactory(headline="Old headline")
    services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    assert followed_up_by_on(api_client, article)[0]["headline"] == "Old headline"
    article_update(
        user=UserFactory(is_superuser=True),
        article_id=sequel.pk,
        data={"headline": "New headline"},
        expected_versions=None,
    )
    assert followed_up_by_on(api_client, article)[0]["headline"] == "New headline"


def test_a_followup_article_published_later_is_linked(api_client):
    article = PublishedArticleFactory()
    sequel = ArticleFactory(authors=[UserFactory()])
    services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    assert followed_up_by_on(api_client, article) == [None]
    article_publish(article=sequel)
    assert followed_up_by_on(api_client, article)[0]["id"] == sequel.pk


def test_a_deleted_followup_article_leaves_the_stored_document(api_client, admin_client):
    article = PublishedArticleFactory()
    sequel = PublishedArticleFactory()
    services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    assert followed_up_by_on(api_client, article)[0]["id"] == sequel.pk
    response = admin_client.post(
        f"/admin/articles/article/{sequel.pk}/delete/", {"post": "yes"}, follow=False
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=sequel.pk).exists()
    assert followed_up_by_on(api_client, article) == [None]


# --- The nested follow-ups of the article API (issue 9) ------------------------------------------


def patch_article(user, article, payload):
    article.refresh_from_db()
    return client_for(user).patch(
        f"/api/v1/articles/{article.pk}/",
        payload,
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )


NEW = {"what": "The vote", "next_check_at": "2031-03-10T09:00:00+01:00"}


def test_a_nested_followup_owner_must_be_an_active_member_of_the_desk(newsroom):
    response = patch_article(
        newsroom.editor_a,
        newsroom.draft_mine,
        {"followups": [NEW | {"owner": newsroom.reporter_b.pk}]},
    )
    assert response.status_code == 400
    assert "followups[0].owner" in response.json()
    existing = FollowUpFactory(article=newsroom.draft_mine, owner=newsroom.reporter_a)
    response = patch_article(
        newsroom.editor_a,
        newsroom.draft_mine,
        {"followups": [{"id": existing.pk, "owner": newsroom.reporter_b.pk}]},
    )
    assert response.status_code == 400
    assert "followups[0].owner" in response.json()
    existing.refresh_from_db()
    assert existing.owner == newsroom.reporter_a


def test_a_nested_followup_keeps_the_staff_apis_bounds(newsroom):
    existing = FollowUpFactory(article=newsroom.draft_mine, owner=newsroom.reporter_a)
    for item, field in [
        ({"id": existing.pk, "next_check_at": None}, "followups[0].next_check_at"),
        ({"id": existing.pk, "every_days": FollowUp.EVERY_DAYS_MAX + 1}, "followups[0].every_days"),
        (NEW | {"every_days": 32767}, "followups[0].every_days"),
    ]:
        response = patch_article(newsroom.editor_a, newsroom.draft_mine, {"followups": [item]})
        assert response.status_code == 400, item
        assert field in response.json()
    existing.refresh_from_db()
    assert existing.next_check_at is not None


@pytest.mark.parametrize(
    "value", ["2030-01-01T00:00:00+20:00", "2030-01-01T12:99:00Z", "2030-01-01T25:00"]
)
def test_a_nested_impossible_next_check_is_a_400_naming_it(newsroom, value):
    response = patch_article(
        newsroom.editor_a, newsroom.draft_mine, {"followups": [NEW | {"next_check_at": value}]}
    )
    assert response.status_code == 400
    assert "followups[0].next_check_at" in response.json()


def test_the_usual_promise_follows_the_article_language_through_gettext():
    assert default_promise("fr") == "La rédaction continuera à suivre ce dossier."
    assert default_promise("fr-CA") == "La rédaction continuera à suivre ce dossier."
    assert default_promise("de") == "We will keep following this story."
    assert default_promise("") == "We will keep following this story."
