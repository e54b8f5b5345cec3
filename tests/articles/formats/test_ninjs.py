"""ninjs out: what the document carries, who may read it, and that the IPTC schemas accept it."""

import json

import pytest
from rest_framework.test import APIClient

from articles.formats import ninjs, validation
from articles.models import Article
from articles.serializers.public import detail_queryset
from tests.factories import desk_member

pytestmark = pytest.mark.django_db

VERSIONS = ninjs.VERSIONS


def document(article: Article, version: str, *, editorial: bool = False) -> dict:
    loaded = detail_queryset(Article.objects.filter(pk=article.pk)).defer(None).get()
    return ninjs.article_ninjs(loaded, version=version, editorial=editorial)


def extension(doc: dict, name: str):
    bodies = [b for b in doc["bodies"] if b["role"] == f"newsroom:{name}"]
    return json.loads(bodies[0]["value"]) if bodies else None


@pytest.mark.parametrize("version", VERSIONS)
def test_every_demo_article_is_valid_ninjs_in_both_versions(demo_articles, version):
    for article in demo_articles:
        doc = document(article, version, editorial=True)
        assert validation.errors(doc, version) == [], article.slug


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "case", ["no_image", "ai_image", "original", "translation", "embargoed_draft", "retracted"]
)
def test_every_edge_case_is_valid_ninjs_in_both_versions(cases, case, version):
    doc = document(cases[case], version, editorial=True)
    assert validation.errors(doc, version) == []


def test_the_document_carries_the_article_in_2_2_names(cases, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    settings.NEWSROOM_CORRECTIONS_POLICY_URL = "https://news.example/corrections"
    article = cases["ai_image"]
    doc = document(article, "2.2")
    assert doc["uri"] == f"https://news.example/api/v1/articles/{article.pk}/"
    assert doc["version"] == str(article.version)
    assert doc["language"] == "en"
    assert doc["pubstatus"] == "usable"
    assert doc["headlines"][0]["value"] == article.headline
    assert doc["descriptions"][0] == {
        "role": "summary",
        "contenttype": "text/plain",
        "value": article.standfirst,
    }
    html, plain = doc["bodies"][0], doc["bodies"][1]
    assert html["contenttype"] == "text/html" and html["value"] == article.body
    assert plain["value"] == "The company neither confirmed nor denied."
    assert plain["charcount"] == len(plain["value"]) and plain["wordcount"] == 6
    assert {"role": "newsroom:slug", "value": article.slug} in doc["altids"]
    assert doc["trustindicators"][0]["href"] == "https://news.example/corrections"
    assert {
        "name": "Ada Lovelace",
        "rel": "about",
        "uri": "http://www.wikidata.org/entity/Q7259",
    } in doc["people"]
    assert doc["subjects"][0]["name"] == article.tags.first().name
    assert doc["infosources"][0]["name"] == article.sources.first().name


def test_an_ai_image_travels_as_an_association_with_its_digital_source_type(cases):
    doc = document(cases["ai_image"], "2.2")
    lead = doc["associations"][0]
    assert lead["name"] == "featureimage" and lead["type"] == "picture"
    assert lead["digitalsourcetype"] == {
        "uri": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        "name": "Trained algorithmic media",
    }
    rendition = lead["renditions"][0]
    assert set(rendition) == {"name", "href", "contenttype", "width", "height", "sizeinbytes"}
    assert rendition["href"].startswith("http")
    assert "a glowing chip" not in json.dumps(doc)  # the prompt is internal
    doc3 = document(cases["ai_image"], "3.1")
    assert doc3["associations"][0]["digitalSourceType"]["uri"].endswith("trainedAlgorithmicMedia")
    assert "sizeInBytes" in doc3["associations"][0]["renditions"][0]


def test_3_1_respells_the_names_and_carries_follow_ups_as_planned_coverage(cases):
    doc = document(cases["ai_image"], "3.1")
    assert {"firstCreated", "versionCreated", "pubStatus", "altIds", "infoSources"} <= set(doc)
    assert "firstcreated" not in doc and "pubstatus" not in doc
    assert doc["bodies"][0]["contentType"] == "text/html"
    assert doc["plannedCoverage"][0]["title"] == cases["ai_image"].followups.get().promise
    assert extension(doc, "followups") is None
    assert extension(document(cases["ai_image"], "2.2"), "followups")[0]["promise"]


def test_structured_data_travels_in_json_bodies_without_owners(cases):
    article = cases["ai_image"]
    doc = document(article, "2.2")
    assert extension(doc, "claims")[0]["text"] == article.claims.first().text
    assert extension(doc, "quotes")[1]["speaker"]["name"] == "Ada Lovelace"
    assert extension(doc, "key_figures")[0]["display"]
    assert extension(doc, "highlight_boxes")[0]["items"][0]["emoji"] == "🔎"
    assert "owner" not in json.dumps(extension(doc, "followups"))
    owner = article.followups.get().owner
    assert owner.email not in json.dumps(doc)


def test_a_desk_member_reads_an_embargoed_draft_as_withheld_with_the_editors_note(cases):
    article = cases["embargoed_draft"]
    editor = desk_member(desk=article.desk, role="editor")
    client = APIClient()
    client.force_authenticate(editor)
    doc = client.get(f"/api/v1/articles/{article.pk}/ninjs/").json()
    assert doc["pubstatus"] == "withheld"
    assert doc["embargoed"]
    assert doc["ednote"] == "Check the figures with the desk."
    doc3 = client.get(f"/api/v1/articles/{article.pk}/ninjs/?version=3.1").json()
    assert (doc3["pubStatus"], doc3["edNote"]) == ("withheld", "Check the figures with the desk.")
    assert doc3["embargoedUntil"] == doc["embargoed"]


def test_the_public_gets_no_draft_and_no_editors_note(cases, api_client):
    article = cases["embargoed_draft"]
    assert api_client.get(f"/api/v1/articles/{article.pk}/ninjs/").status_code == 404
    live = cases["no_image"]
    Article.objects.filter(pk=live.pk).update(editor_note="internal")
    response = api_client.get(f"/api/v1/articles/{live.slug}/ninjs/")
    assert response.status_code == 200
    assert "ednote" not in response.json() and "internal" not in response.content.decode()


def test_a_desk_member_reads_a_retracted_article_as_canceled(cases):
    article = cases["retracted"]
    client = APIClient()
    client.force_authenticate(desk_member(desk=article.desk, role="reporter"))
    assert client.get(f"/api/v1/articles/{article.pk}/ninjs/").json()["pubstatus"] == "canceled"


def test_the_version_comes_from_the_query_or_the_accept_header(cases, api_client):
    url = f"/api/v1/articles/{cases['no_image'].pk}/ninjs/"
    default = api_client.get(url)
    assert default["Content-Type"] == "application/ninjs+json; version=2.2"
    assert "firstcreated" in default.json()
    by_accept = api_client.get(url, HTTP_ACCEPT="application/ninjs+json; version=3.1")
    assert by_accept["Content-Type"] == "application/ninjs+json; version=3.1"
    assert "firstCreated" in by_accept.json()
    assert "firstCreated" in api_client.get(url + "?version=3.1").json()
    assert api_client.get(url + "?version=1.6").status_code == 400


def test_the_etag_answers_a_repeated_request_with_not_modified(cases, api_client):
    url = f"/api/v1/articles/{cases['no_image'].pk}/ninjs/"
    tag = api_client.get(url)["ETag"]
    assert api_client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert api_client.get(url + "?version=3.1", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_slug_in_two_languages_needs_the_language(cases, api_client):
    assert api_client.get("/api/v1/articles/shared-slug/ninjs/").status_code == 400
    doc = api_client.get("/api/v1/articles/shared-slug/ninjs/?language=fr").json()
    assert doc["language"] == "fr"


def test_the_version_negotiation_reads_only_the_ninjs_media_type():
    assert ninjs.negotiate_version(None, "") == "2.2"
    assert (
        ninjs.negotiate_version(None, "application/json, application/ninjs+json;version=3.1")
        == "3.1"
    )
    assert ninjs.negotiate_version(None, "text/html; version=3.1") == "2.2"
    assert ninjs.negotiate_version("3.0", "") is None
