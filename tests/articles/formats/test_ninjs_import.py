"""ninjs in: POST /api/v1/ingest/ninjs/ makes a draft on the caller's desk, or nothing."""

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from articles.formats import ninjs
from articles.models import Article, Desk, Entity, Mention
from articles.serializers.public import detail_queryset
from media_credits.models import Image
from media_credits.services import image_renditions_make
from tests.articles.formats.conftest import VECTORS
from tests.factories import DeskFactory, EntityFactory, desk_member
from tests.media_credits.files import jpeg

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest/ninjs/"
COMPLEX_2_2 = VECTORS / "example-2.2-005_complex_text_article.json"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def desk() -> Desk:
    return DeskFactory()


@pytest.fixture
def editor(desk):
    return desk_member(desk=desk, role="editor", first_name="Eve", last_name="Editor")


def post(user, document, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client_for(user).post(
        f"{URL}?{query}" if query else URL,
        json.dumps(document),
        content_type="application/ninjs+json",
    )


def simple(version: str = "2.2", **extra) -> dict:
    doc = {
        "uri": "urn:agency:story:1",
        "type": "text",
        "language": "fr",
        "headlines": [{"role": "main", "value": "Le Sénat adopte la loi"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Texte.</p>"}],
    }
    if version != "2.2":
        doc = ninjs.rename(doc, ninjs.NAMES_3) | {"standard": {"name": "ninjs", "version": "3.1"}}
    return doc | extra


def test_a_desk_member_imports_an_agency_2_2_document_as_a_draft_on_their_desk(desk, editor):
    document = json.loads(COMPLEX_2_2.read_text())

    response = post(editor, document)

    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == Article.Status.DRAFT and article.desk == desk
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.language == "en"
    assert "Schettino" in article.body
    assert list(article.authors.all()) == [editor]  # "by" names nobody on the desk
    mention = article.mentions.get(entity__wikidata_id="Q4421821")
    assert mention.role == Mention.Role.SUBJECT and mention.suggested is True
    assert response["Location"] == f"/api/v1/articles/{article.pk}/"


def test_a_3_1_document_is_detected_and_read_through_its_camel_case_names(editor):
    document = simple("3.1", infoSources=[{"name": "AFP", "role": "wire"}], edNote="Vérifier.")

    response = post(editor, document)

    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.editor_note == "Vérifier."
    assert [(s.name, s.role) for s in article.sources.all()] == [("AFP", "wire")]


def test_an_invalid_document_gets_a_400_listing_the_schema_errors_by_json_path(editor):
    document = simple(versioncreated="yesterday", uri="not a uri")
    document["headlines"][0]["value"] = 42
    entities = Entity.objects.count()

    response = post(editor, document)

    assert response.status_code == 400
    body = response.json()
    assert body["version"] == "2.2"
    assert {e["path"] for e in body["errors"]} == {
        "$.uri",
        "$.versioncreated",
        "$.headlines[0].value",
    }
    assert all(e["message"] for e in body["errors"])
    assert Article.objects.count() == 0 and Entity.objects.count() == entities


def test_a_document_our_write_rules_refuse_saves_nothing_not_even_its_entities(editor):
    claims = [{"text": "Claimed.", "status": "not-a-status", "attributed_to": None}]
    document = simple(
        people=[{"name": "Nouvelle Personne", "rel": "about"}],
        bodies=[
            {"role": "main", "contenttype": "text/html", "value": "<p>x</p>"},
            {
                "role": "newsroom:claims",
                "contenttype": "application/json",
                "value": json.dumps(claims),
            },
        ],
    )

    response = post(editor, document)

    assert response.status_code == 400
    assert "claims[0].status" in response.json()
    assert not Entity.objects.filter(name="Nouvelle Personne").exists()
    assert Article.objects.count() == 0


def test_an_unreadable_extension_body_is_a_400_naming_its_path(editor):
    document = simple()
    document["bodies"].append(
        {"role": "newsroom:quotes", "contenttype": "application/json", "value": "{not json"}
    )
    response = post(editor, document)
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["$.bodies[1].value"]


def test_entities_match_by_wikidata_then_by_name_or_alias_without_case_or_accents(editor):
    by_wikidata = EntityFactory(name="Emmanuel Macron", kind="person", wikidata_id="Q3052772")
    by_name = EntityFactory(name="Élysée", kind="place", wikidata_id="")
    by_alias = EntityFactory(name="OpenAI", kind="organisation", aliases=["Open AI"])
    document = simple(
        people=[{"name": "E. Macron", "uri": "http://www.wikidata.org/entity/Q3052772"}],
        places=[{"name": "elysee", "rel": "about"}],
        organisations=[{"name": "OPEN ai"}, {"name": "Mistral AI"}],
    )

    response = post(editor, document)

    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    found = {m.entity_id: m for m in article.mentions.all()}
    assert {by_wikidata.pk, by_name.pk, by_alias.pk} < set(found)
    assert not any(found[pk].suggested for pk in (by_wikidata.pk, by_name.pk, by_alias.pk))
    candidate = Entity.objects.get(name="Mistral AI")
    assert candidate.kind == "organisation" and found[candidate.pk].suggested is True
    assert found[by_name.pk].role == Mention.Role.SUBJECT


def test_roles_outside_any_desk_are_refused_and_a_second_desk_must_be_chosen(desk, editor):
    outsider = desk_member(desk=DeskFactory(), role=None)
    assert post(outsider, simple()).status_code == 403
    assert APIClient().post(URL, simple(), format="json").status_code in (401, 403)
    other = DeskFactory()
    desk_member(desk=other, role="editor", username="twodesks")
    two = desk_member(desk=desk, role="editor")
    from articles.models import DeskMembership

    DeskMembership.objects.create(desk=other, user=two)
    assert "desk" in post(two, simple()).json()
    response = post(two, simple(), desk=other.pk)
    assert response.status_code == 201 and response.json()["desk"]["id"] == other.pk
    assert post(editor, simple(), desk=other.pk).status_code == 403


def picture(href: str, *, name: str = "featureimage") -> dict:
    return {
        "name": name,
        "uri": "urn:agency:picture:1",
        "type": "picture",
        "headlines": [{"role": "caption", "value": "Le Sénat"}],
        "descriptions": [{"role": "alt", "contenttype": "text/plain", "value": "L'hémicycle"}],
        "by": "Jeanne Photo",
        "digitalsourcetype": {
            "uri": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
            "name": "Original digital capture of a real life scene",
        },
        "renditions": [{"name": "w640", "href": href, "width": 64, "height": 48}],
    }


class Files(BaseHTTPRequestHandler):
    """Serves ``files`` (path → bytes), and the media storage's files under /media/."""

    files: dict[str, bytes] = {}
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        data = self.files.get(self.path)
        if data is None and self.path.startswith("/media/"):
            name = self.path.removeprefix("/media/")
            if default_storage.exists(name):
                with default_storage.open(name) as handle:
                    data = handle.read()
        if data is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A small HTTP server on 127.0.0.1, stopped after the test."""
    Files.files, Files.requests = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_images_are_not_fetched_from_hosts_outside_the_allow_list(editor, server, settings):
    settings.NEWSROOM_INGEST_HOSTS = []
    Files.files["/a.jpg"] = jpeg((64, 48))

    response = post(editor, simple(associations=[picture(f"{server}/a.jpg")]))

    assert response.status_code == 201, response.json()
    assert Files.requests == [] and Image.objects.count() == 0
    warning = response.json()["import_warnings"][0]
    assert warning["path"] == "$.associations[0]" and "not fetched" in warning["message"]


def test_an_allowed_host_s_rendition_is_fetched_and_stored_through_image_ingest(
    editor, server, settings
):
    settings.NEWSROOM_INGEST_HOSTS = ["127.0.0.1"]
    Files.files["/a.jpg"] = jpeg((64, 48))

    response = post(editor, simple(associations=[picture(f"{server}/a.jpg")]))

    assert response.status_code == 201, response.json()
    assert Files.requests == ["/a.jpg"]
    article = Article.objects.get(pk=response.json()["id"])
    use = article.article_images.get()
    assert use.role == "lead"
    image = use.image
    assert (image.alt_text, image.caption, image.creator) == (
        "L'hémicycle",
        "Le Sénat",
        "Jeanne Photo",
    )
    assert image.digital_source_type.endswith("digitalCapture")
    assert image.uploaded_by == editor


def test_a_fetched_file_the_upload_rules_refuse_leaves_nothing_behind(editor, server, settings):
    settings.NEWSROOM_INGEST_HOSTS = ["127.0.0.1"]
    Files.files["/a.jpg"] = b"<html>not an image</html>"

    response = post(editor, simple(associations=[picture(f"{server}/a.jpg")]))

    assert response.status_code == 400
    assert "associations[0]" in response.json()
    assert Article.objects.count() == 0 and Image.objects.count() == 0


def test_a_file_over_the_upload_limit_is_not_fetched_past_it(editor, server, settings):
    settings.NEWSROOM_INGEST_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 100
    Files.files["/a.jpg"] = jpeg((64, 48))

    response = post(editor, simple(associations=[picture(f"{server}/a.jpg")]))

    assert response.status_code == 201
    assert Image.objects.count() == 0
    assert "not fetched" in response.json()["import_warnings"][0]["message"]


def comparable(doc: dict) -> dict:
    """The document without what a new article changes: ids, addresses, times, status."""
    doc = copy.deepcopy(ninjs.rename(doc, ninjs.NAMES_2))
    for key in ("uri", "altids", "version", "firstcreated", "versioncreated", "contentcreated"):
        doc.pop(key, None)
    doc.pop("pubstatus")  # a live article comes back as a draft: "withheld"
    for association in doc.get("associations", []):
        association.pop("uri")
        association.pop("altids")
        # The copy is made again from the widest rendition, not from our original: same
        # sizes and formats, heights rounded from another source (within a pixel), new bytes.
        renditions = association.get("renditions", [])
        association["renditions"] = [(r["name"], r["width"], r["contenttype"]) for r in renditions]
        association["heights"] = [r["height"] for r in renditions]
    for coverage in doc.get("plannedCoverage", []):
        coverage.pop("uri")
    for body in doc["bodies"]:
        if body["contenttype"] == "application/json":
            body["value"] = _without_ids(json.loads(body["value"]))
    return doc


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ("id", "followed_up_by")}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def export(article_id: int, version: str) -> dict:
    loaded = detail_queryset(Article.objects.filter(pk=article_id)).defer(None).get()
    return ninjs.article_ninjs(loaded, version=version, editorial=True)


@pytest.mark.parametrize("version", ninjs.VERSIONS)
def test_export_then_import_then_export_gives_the_same_ninjs_for_every_demo_article(
    demo_articles, version, server, settings
):
    # The renditions are served from 127.0.0.1, the one host the import may fetch from.
    settings.NEWSROOM_SITE_URL = server
    settings.NEWSROOM_INGEST_HOSTS = ["127.0.0.1"]
    importer = desk_member(desk=demo_articles[0].desk, role="editor")
    compared = 0
    for article in demo_articles:
        before = export(article.pk, version)
        Article.objects.filter(pk=article.pk).update(slug=f"{article.slug}-old")
        images = set(Image.objects.values_list("pk", flat=True))

        response = post(importer, before)

        assert response.status_code == 201, response.json()
        for image in Image.objects.exclude(pk__in=images):
            image_renditions_make(image_id=image.pk)
        after = export(response.json()["id"], version)
        before_doc, after_doc = comparable(before), comparable(after)
        for old, new in zip(
            before_doc.get("associations", []), after_doc.get("associations", []), strict=True
        ):
            old_heights, new_heights = old.pop("heights"), new.pop("heights")
            assert all(abs(a - b) <= 1 for a, b in zip(old_heights, new_heights, strict=True))
        assert after_doc == before_doc, article.slug
        compared += 1
    assert compared == len(demo_articles) >= 2


def test_a_3_1_planned_coverage_becomes_a_follow_up_the_importer_checks(editor):
    coverage = {"uri": "urn:agency:next", "title": "A" * 400, "type": "text", "pubStatus": "usable"}
    document = simple("3.1", plannedCoverage=[coverage])

    response = post(editor, document)

    assert response.status_code == 201, response.json()
    followup = Article.objects.get(pk=response.json()["id"]).followups.get()
    assert followup.owner == editor and followup.promise == "A" * 300
