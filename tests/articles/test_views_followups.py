import datetime

import pytest
from django.core import signing
from django.utils import timezone

from articles.models import FollowUp
from articles.services import followups as services
from tests.articles.conftest import client_for
from tests.factories import (
    EntityFactory,
    FollowUpFactory,
    JournalistProfileFactory,
    PublishedArticleFactory,
    UserFactory,
    desk_member,
)

pytestmark = pytest.mark.django_db

Status = FollowUp.Status
IN_A_DAY = datetime.timedelta(days=1)


def later(**kwargs) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**kwargs)


# --- Staff API ---------------------------------------------------------------------------------


@pytest.fixture
def staff(api_client):
    """An admin: the desk rules let them see and change every follow-up."""
    user = UserFactory(is_staff=True, is_superuser=True)
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
    assert response.status_code == 409
    assert "status" in response.json()


@pytest.mark.parametrize("close", [services.followup_done, services.followup_cancel])
def test_changing_a_closed_followup_is_a_conflict_not_invalid_input(api_client, staff, close):
    # Its state refuses the change (409, as for a workflow step), whatever the body says.
    followup = close(followup=FollowUpFactory(owner=staff, what="The ruling"))
    response = api_client.patch(
        f"/api/v1/followups/{followup.pk}/", {"what": "The appeal"}, format="json"
    )

    assert response.status_code == 409, response.content
    assert response.json()["detail"] == "Only a follow-up being watched can be changed."
    followup.refresh_from_db()
    assert followup.what == "The ruling"


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


# --- Desk rules on the staff API (issue 9) -------------------------------------------------------


def staff_client(user):
    """The API client of a desk member who also has a staff account (the admin's flag)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return client_for(user)


def test_a_staff_account_lists_and_reads_only_followups_of_articles_it_may_see(newsroom):
    own_desk = FollowUpFactory(article=newsroom.draft_colleague)
    other_desk = FollowUpFactory(article=newsroom.draft_other_desk)
    client = staff_client(newsroom.reporter_a)
    listed = {row["id"] for row in client.get("/api/v1/followups/").json()["results"]}
    assert listed == {own_desk.pk}
    assert client.get(f"/api/v1/followups/{other_desk.pk}/").status_code == 404
    nobody = staff_client(UserFactory())
    assert nobody.get("/api/v1/followups/").json()["count"] == 0
    assert nobody.get(f"/api/v1/followups/{own_desk.pk}/").status_code == 404


@pytest.mark.parametrize(
    "method,suffix,payload",
    [
        ("patch", "", {"what": "Changed"}),
        ("post", "snooze/", {"period": "day"}),
        ("post", "done/", {}),
        ("post", "cancel/", {}),
    ],
)
def test_another_desks_followups_are_404_whether_its_article_is_a_draft_or_live(
    newsroom, method, suffix, payload
):
    # A follow-up (owner, what the desk watches) is its desk's internal side of the story.
    on_draft = FollowUpFactory(article=newsroom.draft_mine)
    on_live = FollowUpFactory(article=newsroom.published_a)
    client = staff_client(newsroom.reporter_b)
    send = getattr(client, method)
    for followup in (on_draft, on_live):
        url = f"/api/v1/followups/{followup.pk}/{suffix}"
        assert send(url, payload, format="json").status_code == 404
    for followup in (on_draft, on_live):
        followup.refresh_from_db()
        assert (followup.status, followup.what) == (Status.WATCHING, "The regulator's decision")


def test_an_editor_of_the_desk_changes_its_followups(newsroom):
    followup = FollowUpFactory(article=newsroom.draft_colleague)
    client = staff_client(newsroom.editor_a)
    response = client.post(f"/api/v1/followups/{followup.pk}/snooze/", {"period": "day"})
    assert response.status_code == 200, response.content


def test_creating_needs_an_article_the_user_sees_and_may_change(newsroom):
    client = staff_client(newsroom.reporter_b)
    payload = {"what": "x", "next_check_at": "2030-01-02T09:00:00Z"}
    response = client.post(
        "/api/v1/followups/", payload | {"article": newsroom.draft_mine.pk}, format="json"
    )
    assert response.status_code == 400
    assert "article" in response.json()
    response = client.post(
        "/api/v1/followups/", payload | {"article": newsroom.published_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert FollowUp.objects.count() == 0


def test_owner_and_watchers_must_be_active_members_of_the_articles_desk(newsroom):
    client = staff_client(newsroom.editor_a)
    inactive = desk_member(desk=newsroom.desk_a, role="reporter", is_active=False)
    payload = {
        "article": newsroom.draft_mine.pk,
        "what": "x",
        "next_check_at": "2030-01-02T09:00:00Z",
    }
    for change, field in [
        ({"owner": newsroom.reporter_b.pk}, "owner"),
        ({"owner": inactive.pk}, "owner"),
        ({"watchers": [newsroom.reporter_a.pk, UserFactory().pk]}, "watchers"),
    ]:
        response = client.post("/api/v1/followups/", payload | change, format="json")
        assert response.status_code == 400, change
        assert field in response.json()
    followup = FollowUpFactory(article=newsroom.draft_mine, owner=newsroom.reporter_a)
    response = client.patch(
        f"/api/v1/followups/{followup.pk}/", {"owner": newsroom.reporter_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    response = client.post(
        "/api/v1/followups/",
        payload | {"owner": newsroom.reporter_a.pk, "watchers": [newsroom.colleague_a.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_followed_up_by_must_be_an_article_the_user_may_see(newsroom):
    followup = FollowUpFactory(article=newsroom.draft_mine)
    client = staff_client(newsroom.editor_a)
    url = f"/api/v1/followups/{followup.pk}/done/"
    response = client.post(url, {"followed_up_by": newsroom.draft_other_desk.pk}, format="json")
    assert response.status_code == 400
    assert "followed_up_by" in response.json()
    followup.refresh_from_db()
    assert followup.status == Status.WATCHING


def test_a_desk_editor_lists_followups_in_a_fixed_number_of_queries(
    newsroom, django_assert_max_num_queries
):
    client = staff_client(newsroom.editor_a)
    for _ in range(5):
        FollowUpFactory(article=newsroom.draft_mine).entities.add(EntityFactory())
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/followups/")
    assert response.json()["count"] == 5


# --- Out-of-range input (issue 9) ----------------------------------------------------------------

BAD_TIMES = ["2030-01-01T00:00:00+20:00", "2030-01-01T12:99:00Z", "2030-01-01T25:00"]


@pytest.mark.parametrize("value", BAD_TIMES)
def test_an_impossible_due_before_is_a_400_naming_the_parameter(api_client, staff, value):
    FollowUpFactory()
    response = api_client.get("/api/v1/followups/", {"due_before": value})
    assert response.status_code == 400
    assert "due_before" in response.json()


@pytest.mark.parametrize("value", BAD_TIMES)
def test_an_impossible_time_to_create_change_or_snooze_is_a_400_naming_the_field(
    api_client, staff, value
):
    article = PublishedArticleFactory()
    payload = {"article": article.pk, "what": "x", "next_check_at": value}
    response = api_client.post("/api/v1/followups/", payload, format="json")
    assert response.status_code == 400
    assert "next_check_at" in response.json()
    followup = FollowUpFactory(owner=staff)
    url = f"/api/v1/followups/{followup.pk}/"
    response = api_client.patch(url, {"next_check_at": value}, format="json")
    assert response.status_code == 400
    assert "next_check_at" in response.json()
    response = api_client.post(url + "snooze/", {"until": value}, format="json")
    assert response.status_code == 400
    assert "until" in response.json()


def test_a_time_with_the_largest_offset_a_database_holds_is_accepted(api_client, staff):
    followup = FollowUpFactory(owner=staff)
    response = api_client.patch(
        f"/api/v1/followups/{followup.pk}/",
        {"next_check_at": "2030-01-01T00:00:00-15:59"},
        format="json",
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_limit_or_offset_past_a_bigint_is_a_400_naming_it(api_client, staff, name):
    FollowUpFactory()
    response = api_client.get("/api/v1/followups/", {name: str(2**63)})
    assert response.status_code == 400
    assert name in response.json()
    assert api_client.get("/api/v1/followups/", {name: str(2**63 - 1)}).status_code == 200


@pytest.mark.parametrize("payload_id", ["²", "12", "abc", 1.5, [1], None, True])
def test_a_signed_link_whose_id_is_not_an_integer_is_an_invalid_link(client, payload_id):
    token = signing.dumps({"f": payload_id, "a": "done"}, salt=services.SIGNING_SALT, compress=True)
    response = client.get(f"/followups/action/{token}/")
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert client.post(f"/followups/action/{token}/").status_code == 400


def test_the_link_page_speaks_the_owners_language(client):
    owner = JournalistProfileFactory(language="fr").user
    followup = FollowUpFactory(owner=owner)
    token = services.followup_action_token(followup, "done")
    page = client.get(f"/followups/action/{token}/").content.decode()
    assert "Marquer ce suivi comme traité ?" in page
    assert "Marquer comme traité</button>" in page
    assert "Suivi traité." in client.post(f"/followups/action/{token}/").content.decode()
