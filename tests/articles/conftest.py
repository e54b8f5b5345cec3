from dataclasses import dataclass

import pytest
from django.forms import MultiWidget
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


def widget_data(widget, name: str, value) -> dict:
    widget = getattr(widget, "widget", widget)  # related-field and autocomplete wrappers
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {
            f"{name}{suffix}": "" if part is None else str(part)
            for suffix, part in zip(widget.widgets_names, parts, strict=True)
        }
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if getattr(widget, "allow_multiple_selected", False):
        return {name: [str(getattr(v, "pk", v)) for v in value or []]}
    return {name: "" if value is None else str(value)}


def bound_field_data(bound) -> dict:
    """What a browser would post for one field of a rendered admin form."""
    data = widget_data(bound.field.widget, bound.html_name, bound.value())
    if bound.field.show_hidden_initial:  # fields with a callable default, e.g. corrected_at
        data |= widget_data(bound.field.hidden_widget(), bound.html_initial_name, bound.initial)
    return data


def change_form_data(response) -> dict:
    """The POST body of the change page exactly as rendered: main form and every inline."""
    data = {}
    for bound in response.context["adminform"].form:
        data |= bound_field_data(bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for form in [formset.management_form, *formset.forms]:
            for bound in form:
                data |= bound_field_data(bound)
    return data


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no inline for {model.__name__}")


@pytest.fixture
def desk_staff():
    """A desk with an editor and a reporter who may use the admin."""
    desk = DeskFactory()
    editor = desk_member(desk=desk, role="editor", username="editor", is_staff=True)
    reporter = desk_member(desk=desk, role="reporter", username="reporter", is_staff=True)
    return desk, editor, reporter
