import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from articles.models import Article
from tests.factories import ArticleFactory, DeskFactory, desk_member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    desk = DeskFactory()
    user = desk_member(desk=desk, role="editor", username="editor")
    user.article = ArticleFactory(desk=desk, authors=[user])
    return user


def csrf_client() -> APIClient:
    return APIClient(enforce_csrf_checks=True)


def test_me_answers_401_to_strangers_but_hands_out_the_csrf_cookie():
    client = csrf_client()

    response = client.get("/api/v1/auth/me/")

    assert response.status_code == 401
    assert response.cookies["csrftoken"].value


def test_a_session_login_without_the_csrf_token_is_refused(editor):
    response = csrf_client().post(
        "/api/v1/auth/login/", {"username": "editor", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_write_without_the_csrf_token_is_refused(editor):
    client = csrf_client()
    client.force_login(editor)
    url = f"/api/v1/articles/{editor.article.pk}/"

    response = client.patch(url, {"headline": "x"}, format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    editor.article.refresh_from_db()
    assert editor.article.headline != "x"


def test_a_browser_logs_in_with_the_csrf_token_then_writes_and_logs_out(editor):
    client = csrf_client()
    token = client.get("/api/v1/auth/me/").cookies["csrftoken"].value

    login = client.post(
        "/api/v1/auth/login/",
        {"username": "editor", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert login.status_code == 200
    assert login.json()["roles"] == ["editor"]
    token = login.cookies["csrftoken"].value  # rotated on login

    me = client.get("/api/v1/auth/me/")
    assert me.json()["username"] == "editor"
    write = client.patch(
        f"/api/v1/articles/{editor.article.pk}/",
        {"headline": "Changed in the browser"},
        format="json",
        HTTP_IF_MATCH='"1"',
        HTTP_X_CSRFTOKEN=token,
    )
    assert write.status_code == 200
    assert client.post("/api/v1/auth/logout/", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_a_wrong_password_is_a_400_without_saying_which_part_was_wrong(editor):
    response = csrf_client().post(
        "/api/v1/auth/tokens/", {"username": "editor", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unknown username or wrong password."]}


def test_a_client_gets_a_hashed_expiring_token_uses_it_and_revokes_it(editor):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/tokens/", {"username": "editor", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=editor)
    assert stored.expiry is not None
    assert token not in (stored.digest, stored.token_key)

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    write = client.patch(
        f"/api/v1/articles/{editor.article.pk}/",
        {"headline": "Changed by a tool"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert write.status_code == 200
    assert Article.objects.get(pk=editor.article.pk).history.first().history_user == editor

    assert client.post("/api/v1/auth/tokens/logout/").status_code == 204
    again = client.patch(
        f"/api/v1/articles/{editor.article.pk}/", {"headline": "x"}, HTTP_IF_MATCH='"2"'
    )
    assert again.status_code == 401


def test_repeated_wrong_passwords_lock_the_account_out_of_the_api_and_the_admin(
    editor, settings, client
):
    api = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/tokens/", {"username": "editor", "password": "guess"})

    locked = api.post("/api/v1/auth/tokens/", {"username": "editor", "password": PASSWORD})
    admin_login = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert admin_login.status_code == 429
    assert AuthToken.objects.filter(user=editor).count() == 0


def test_logins_are_throttled(editor, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/minute")
    api = APIClient()
    credentials = {"username": "editor", "password": PASSWORD}

    statuses = [api.post("/api/v1/auth/tokens/", credentials).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
