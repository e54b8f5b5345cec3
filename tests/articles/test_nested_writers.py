"""Other apps plug their nested lists into the write API through the registry."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from articles.models import Source
from articles.writes import ArticleWriteSerializer, flatten_errors, nested_writers
from tests.articles.conftest import client_for

pytestmark = pytest.mark.django_db


class DocumentInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    url = serializers.URLField()


class DocumentWriter:
    """A writer that is not a plain model list: documents become sources of role "document"."""

    name = "documents"
    serializer_class = DocumentInputSerializer

    def write(self, *, article, items):
        Source.objects.filter(article=article, role=Source.Role.DOCUMENT).delete()
        for index, item in enumerate(items):
            if "example.com" in item["url"]:
                raise ValidationError({f"documents[{index}].url": ["Not a real document."]})
            Source.objects.create(
                article=article, name=item["title"], url=item["url"], role="document"
            )


@pytest.fixture
def documents_writer(monkeypatch):
    monkeypatch.setitem(nested_writers, "documents", DocumentWriter())


def test_a_registered_writer_adds_its_list_to_the_input(documents_writer):
    assert "documents" in ArticleWriteSerializer().fields


def test_a_registered_writer_writes_in_the_same_transaction(newsroom, documents_writer):
    response = client_for(newsroom.editor_a).patch(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/",
        {"documents": [{"title": "Annual report", "url": "https://arcturus.test/report.pdf"}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert response.json()["sources"] == [
        {"name": "Annual report", "role": "document", "url": "https://arcturus.test/report.pdf"}
    ]


def test_a_registered_writer_reports_errors_by_path_and_rolls_everything_back(
    newsroom, documents_writer
):
    response = client_for(newsroom.editor_a).patch(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/",
        {
            "headline": "Should not stay",
            "documents": [
                {"title": "Fine", "url": "https://arcturus.test/a.pdf"},
                {"title": "Made up", "url": "https://example.com/b.pdf"},
            ],
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 400
    assert response.json() == {"documents[1].url": ["Not a real document."]}
    newsroom.draft_mine.refresh_from_db()
    assert newsroom.draft_mine.headline != "Should not stay"
    assert not Source.objects.filter(article=newsroom.draft_mine).exists()


def test_nested_drf_errors_flatten_into_paths():
    detail = {
        "headline": ["This field is required."],
        "claims": [{}, {}, {"status": ["Not a valid choice."]}],
        "authors": {1: ["Unknown user."]},
        "quotes": [{"non_field_errors": ["Name the speaker."]}],
    }

    assert flatten_errors(detail) == {
        "headline": ["This field is required."],
        "claims[2].status": ["Not a valid choice."],
        "authors[1]": ["Unknown user."],
        "quotes[0]": ["Name the speaker."],
    }
