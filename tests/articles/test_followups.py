import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FollowUp, ReminderDelivery
from articles.services import followups as services
from articles.services.articles import article_retract
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
    services.reminders_dispatch(enqueue=lambda ids: None)
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
    assert services.reminders_dispatch(enqueue=lambda ids: None)["created"] == 0


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
    services.reminders_dispatch(enqueue=lambda ids: None)
    delivery = ReminderDelivery.objects.get()
    services.reminder_send(delivery_id=delivery.pk)
    article.delete()
    followup.refresh_from_db()
    assert followup.article is None
    assert followup.status == Status.CANCELLED
    assert followup.article_headline == "Novalys and Arcturus"
    assert ReminderDelivery.objects.get().state == ReminderDelivery.State.SENT


def test_a_followup_with_a_delivery_log_cannot_be_deleted():
    FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    services.reminders_dispatch(enqueue=lambda ids: None)
    with pytest.raises(ProtectedError):
        FollowUp.objects.all().delete()


def test_a_pending_reminder_of_a_deleted_article_is_closed_not_sent(mailoutbox):
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    services.reminders_dispatch(enqueue=lambda ids: None)
    followup.article.delete()
    assert services.reminder_send(delivery_id=ReminderDelivery.objects.get().pk) == "cancelled"
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


# --- Staff API ---------------------------------------------------------------------------------


@pytest.fixture
def staff(api_client):
    user = UserFactory(is_staff=True)
    api_client.force_authenticate(user)
    return user


def test_the_staff_api_is_closed_to_readers_and_non_staff(api_client):
    assert api_client.get("/api/v1/followups/").status_code == 401
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/followups/").status_code == 403


def test_staff_create_a_followup_owned_by_themselves(api_client, staff):
    article = PublishedArticleFactory(language="en")
    entity = EntityFactory()
    response = api_client.post(
        "/api/v1/followups/",
        {
            "article": article.pk,
            "what": "The regulator's decision",
            "next_check_at": "2030-01-02T09:00:00+01:00",
            "every_days": 7,
            "entities": [entity.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == staff.pk
    assert body["status"] == "watching"
    assert body["promise"] == "We will keep following this story."
    assert body["entities"] == [entity.pk]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"next_check_at": "2030-01-02T09:00:00"}, "next_check_at"),
        ({"next_check_at": "tomorrow"}, "next_check_at"),
        ({"every_days": 0}, "every_days"),
        ({"what": ""}, "what"),
        ({"article": 999999}, "article"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(api_client, staff, change, field):
    payload = {
        "article": PublishedArticleFactory().pk,
        "what": "x",
        "next_check_at": "2030-01-02T09:00:00Z",
    } | change
    response = api_client.post("/api/v1/followups/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert FollowUp.objects.count() == 0


def test_staff_filter_followups_by_mine_due_status_and_article(api_client, staff):
    mine = FollowUpFactory(owner=staff, next_check_at=later(hours=1))
    theirs = FollowUpFactory(next_check_at=later(days=3))
    done = services.followup_done(followup=FollowUpFactory(owner=staff))

    def ids(query):
        response = api_client.get(f"/api/v1/followups/?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("mine=true") == {mine.pk, done.pk}
    assert ids("status=watching") == {mine.pk, theirs.pk}
    due_before = later(days=1).isoformat().replace("+00:00", "Z")
    assert ids(f"due_before={due_before}") == {mine.pk}
    assert ids(f"article={theirs.article_id}") == {theirs.pk}


def test_staff_update_snooze_and_close_followups_through_the_api(api_client, staff):
    followup = FollowUpFactory(owner=staff)
    url = f"/api/v1/followups/{followup.pk}/"
    response = api_client.patch(url, {"what": "The court ruling", "every_days": 3}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["what"], response.json()["every_days"]) == ("The court ruling", 3)

    response = api_client.post(url + "snooze/", {"period": "week"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "snoozed"

    assert api_client.post(url + "snooze/", {"period": "year"}, format="json").status_code == 400
    response = api_client.post(url + "snooze/", {}, format="json")
    assert response.status_code == 400
    assert "period" in response.json()

    sequel = PublishedArticleFactory()
    response = api_client.post(url + "done/", {"followed_up_by": sequel.pk}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["followed_up_by"]) == ("done", sequel.pk)

    response = api_client.post(url + "snooze/", {"period": "day"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_followup_list_query_count_is_fixed(api_client, staff, django_assert_max_num_queries):
    for _ in range(5):
        FollowUpFactory(owner=staff).entities.add(EntityFactory())
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/followups/")
    assert response.json()["count"] == 5


# --- Links in emails ---------------------------------------------------------------------------


def test_a_forged_link_is_refused(client):
    response = client.get("/followups/action/not-a-token/")
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_an_expired_link_says_so(client, settings):
    followup = FollowUpFactory()
    token = services.followup_action_token(followup, "done")
    settings.NEWSROOM_FOLLOWUP_LINK_MAX_AGE = -1
    response = client.get(f"/followups/action/{token}/")
    assert response.status_code == 410
    assert b"expired" in response.content


def test_the_done_link_closes_the_followup_on_post(client):
    followup = FollowUpFactory()
    token = services.followup_action_token(followup, "done")
    assert client.post(f"/followups/action/{token}/").status_code == 200
    followup.refresh_from_db()
    assert followup.status == Status.DONE
    # Clicking again on a closed follow-up explains instead of failing.
    response = client.post(f"/followups/action/{token.replace('done', 'done')}/")
    assert response.status_code == 200


def test_a_snooze_link_on_a_closed_followup_answers_409(client):
    followup = services.followup_cancel(followup=FollowUpFactory())
    token = services.followup_action_token(followup, "snooze_day")
    response = client.post(f"/followups/action/{token}/")
    assert response.status_code == 409


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_logged(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client, user


def test_the_admin_list_filters_and_actions_work(admin_client_logged):
    client, user = admin_client_logged
    overdue = FollowUpFactory(
        owner=user, next_check_at=timezone.now() - IN_A_DAY, what="Watch the court ruling"
    )
    FollowUpFactory(next_check_at=later(days=5))
    for query in ("mine=1", "due=today", "due=overdue", "status=watching"):
        assert client.get(f"/admin/articles/followup/?{query}").status_code == 200
    page = client.get("/admin/articles/followup/?due=overdue").content.decode()
    assert overdue.what in page
    response = client.post(
        "/admin/articles/followup/",
        {"action": "snooze_week", "_selected_action": [overdue.pk]},
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == Status.SNOOZED


def test_the_admin_followup_page_shows_the_delivery_log(admin_client_logged):
    client, _user = admin_client_logged
    followup = FollowUpFactory(owner=JournalistProfileFactory(any_hour=True).user)
    services.reminders_dispatch(enqueue=lambda ids: None)
    page = client.get(f"/admin/articles/followup/{followup.pk}/change/").content.decode()
    assert "delivery log" in page.lower()
    assert ReminderDelivery.objects.get().message_id.strip("<>") in page


def test_the_article_page_has_followup_and_highlight_inlines(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    FollowUpFactory(article=article, what="Watch the court")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Watch the court" in page
    assert "highlight_boxes-TOTAL_FORMS" in page
    assert "followups-TOTAL_FORMS" in page


def test_deleting_an_article_from_the_admin_keeps_its_followups(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    followup = FollowUpFactory(article=article)
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    followup.refresh_from_db()
    assert followup.status == Status.CANCELLED


def test_the_admin_delete_confirmation_of_an_article_changes_nothing(admin_client_logged):
    client, _user = admin_client_logged
    article = PublishedArticleFactory()
    followup = FollowUpFactory(article=article)
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 200
    followup.refresh_from_db()
    assert (followup.status, followup.article_id) == (Status.WATCHING, article.pk)


def test_the_openapi_schema_describes_the_new_fields_and_the_staff_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "highlight_boxes" in text
    assert "followed_up_by" in text
    assert "/api/v1/followups/{id}/snooze/" in text
    assert "PublicFollowUpShape" in text
