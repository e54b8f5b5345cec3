from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from articles.models import Article, Desk
from tests.factories import (
    ArticleFactory,
    DeskFactory,
    EntityFactory,
    PublishedArticleFactory,
    UserFactory,
    desk_member,
)


@dataclass
class Newsroom:
    """Two desks, their people, and articles in each state."""

    desk_a: Desk
    desk_b: Desk
    reporter_a: object
    colleague_a: object
    editor_a: object
    reporter_b: object
    admin: object
    draft_mine: Article  # desk A, by reporter_a
    draft_colleague: Article  # desk A, by colleague_a
    draft_other_desk: Article  # desk B, by reporter_b
    published_a: Article  # desk A, live, by reporter_a

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    def article(self, name: str) -> Article:
        return getattr(self, name)


@pytest.fixture
def newsroom(db) -> Newsroom:
    desk_a = DeskFactory(name="Tech", slug="tech")
    desk_b = DeskFactory(name="Sports", slug="sports")
    reporter_a = desk_member(desk=desk_a, role="reporter", username="reporter_a")
    colleague_a = desk_member(desk=desk_a, role="reporter", username="colleague_a")
    editor_a = desk_member(desk=desk_a, role="editor", username="editor_a")
    reporter_b = desk_member(desk=desk_b, role="reporter", username="reporter_b")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return Newsroom(
        desk_a=desk_a,
        desk_b=desk_b,
        reporter_a=reporter_a,
        colleague_a=colleague_a,
        editor_a=editor_a,
        reporter_b=reporter_b,
        admin=admin,
        draft_mine=ArticleFactory(desk=desk_a, authors=[reporter_a], slug="draft-mine"),
        draft_colleague=ArticleFactory(desk=desk_a, authors=[colleague_a], slug="draft-colleague"),
        draft_other_desk=ArticleFactory(desk=desk_b, authors=[reporter_b], slug="draft-other"),
        published_a=PublishedArticleFactory(desk=desk_a, authors=[reporter_a], slug="live-a"),
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def entity():
    return EntityFactory(name="Arcturus")
