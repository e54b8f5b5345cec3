"""POST /api/v1/ingest/text/ and the import_article command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Entity
from tests.articles.conftest import client_for
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "formats" / "wirecopy_samples"
URL = "/api/v1/ingest/text/"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def novalys():
    return EntityFactory(name="Novalys", kind=Entity.Kind.ORGANISATION)


def post_text(client, data: bytes, query: str = ""):
    return client.post(URL + query, data, content_type="text/plain; charset=utf-8")


def test_a_reporter_posts_plain_text_and_gets_the_draft_as_the_desk_sees_it(newsroom, novalys):
    response = post_text(client_for(newsroom.reporter_a), sample("fr_novalys_puces.txt"))

    assert response.status_code == 201, response.json()
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert article.status == Article.Status.DRAFT
    assert response["ETag"] == f'"{article.version}"'
    assert body["headline"] == article.headline
    assert body["import_source"] == sample("fr_novalys_puces.txt").decode("utf-8")
    assert body["import_warnings"] == article.import_warnings
    assert body["pending_image"]["ai_system"] == "Midjourney"
    assert {
        "entity": {
            "id": novalys.pk,
            "name": "Novalys",
            "kind": "organisation",
            "wikidata_id": None,
        },
        "role": "subject",
        "suggested": True,
    } in [
        {**m, "entity": {k: m["entity"][k] for k in ("id", "name", "kind", "wikidata_id")}}
        for m in body["mentions"]
    ]
    assert body["claims"][0]["status"] == "neither_confirmed_nor_denied"


def test_a_multipart_upload_is_imported_into_the_desk_it_names(newsroom):
    response = client_for(newsroom.editor_a).post(
        URL,
        {"file": io.BytesIO(sample("en_kestrel_robotics.txt")), "desk": "tech"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert Article.objects.get(pk=response.json()["id"]).desk == newsroom.desk_a


def test_public_documents_leave_suggested_mentions_out(newsroom, novalys):
    response = post_text(client_for(newsroom.reporter_a), sample("fr_novalys_puces.txt"))
    article = Article.objects.get(pk=response.json()["id"])
    from articles.serializers.public import article_detail, detail_queryset

    public = article_detail(detail_queryset(Article.objects.filter(pk=article.pk)).get())
    assert public["mentions"] == []
    assert "import_source" not in public and "import_warnings" not in public
    assert "pending_image" not in public


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The text is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is a binary file, not text."),
        (b"caf\xe9", "The text is not UTF-8 (byte 3 cannot be read); save it as UTF-8."),
        (b"a" * 1_000_001, "The text is larger than 1,000,000 bytes (1 MB)."),
    ],
)
def test_unreadable_text_is_a_400_naming_the_reason_and_creates_nothing(newsroom, data, message):
    before = Article.objects.count()
    response = post_text(client_for(newsroom.reporter_a), data)

    assert response.status_code == 400
    assert response.json()["text"] == [message]
    assert Article.objects.count() == before


def test_an_unreadable_upload_names_the_file_field(newsroom):
    response = client_for(newsroom.reporter_a).post(
        URL, {"file": io.BytesIO(b"\x00\x01\x02binary")}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["This is a binary file, not text."]


def test_a_body_beyond_the_request_limit_is_a_413(newsroom, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_text(client_for(newsroom.reporter_a), b"a" * 2000)

    assert response.status_code == 413


def test_an_unknown_desk_or_language_is_a_400_naming_it(newsroom):
    client = client_for(newsroom.reporter_a)

    assert post_text(client, b"Title\n\nText.", "?desk=nowhere").json() == {
        "desk": ["No desk with this slug or id."]
    }
    assert "language" in post_text(client, b"Title\n\nText.", "?language=de").json()


def test_a_signed_in_user_outside_any_desk_is_refused_with_the_reason(newsroom):
    from tests.factories import UserFactory

    response = post_text(client_for(UserFactory()), b"Title\n\nText.")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only desk members can import wire copy."


def test_the_command_prints_the_id_and_admin_address(newsroom, tmp_path):
    path = tmp_path / "copy.txt"
    path.write_bytes(sample("en_kestrel_robotics.txt"))
    out = io.StringIO()

    call_command("import_article", str(path), "--author", "reporter_a", stdout=out)

    article = Article.objects.get(headline="Kestrel Robotics declines to comment on layoffs")
    assert f"draft #{article.pk}: " in out.getvalue()
    assert f"/admin/articles/article/{article.pk}/change/" in out.getvalue()


def test_the_command_json_is_the_api_detail_for_a_desk_member(newsroom, tmp_path):
    path = tmp_path / "copy.txt"
    path.write_bytes(sample("fr_veltra_energie.txt"))
    out = io.StringIO()

    call_command(
        "import_article",
        str(path),
        "--author",
        "reporter_a",
        "--format",
        "json",
        "--language",
        "fr",
        stdout=out,
    )

    printed = json.loads(out.getvalue())
    api = client_for(newsroom.reporter_a).get(f"/api/v1/articles/{printed['id']}/").json()
    assert printed == api
    assert printed["status"] == "draft"


def test_the_command_names_the_reason_for_unreadable_input(newsroom, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="text: The text is empty."):
        call_command("import_article", str(path), "--author", "reporter_a")
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_article", str(path), "--author", "nobody")
