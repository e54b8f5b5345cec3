"""schema.org NewsArticle: the public page and the API, judged by structured-data-testing-tool."""

import json
import re

import pytest

from articles.models import Article
from tests.articles.formats.conftest import node_tool, run

pytestmark = pytest.mark.django_db

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    settings.NEWSROOM_PUBLISHER_LOGO_URL = "https://news.example/logo.png"


def page(client, article: Article) -> str:
    response = client.get(f"/articles/{article.slug}/?language={article.language}")
    assert response.status_code == 200
    return response.content.decode()


def jsonld_of(html: str) -> dict:
    blocks = JSONLD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def sdtt(path) -> str:
    """Google's preset; fails when nothing was tested (sdtt then says "No tests run", exit 0)."""
    result = run([node_tool("sdtt"), "--file", path, "--presets", "Google"])
    out = result.stdout + result.stderr
    ran = re.search(r"Pass/Fail tests run: (\d+)", out)
    assert ran and int(ran.group(1)) > 0, out
    assert re.search(r"Failed: 0\b", out), out
    assert result.returncode == 0, out
    return out


def test_the_page_shows_a_live_article_in_its_language_with_one_news_article(cases, client):
    article = cases["ai_image"]
    html = page(client, article)
    assert '<html lang="en">' in html
    assert f"<h1>{article.headline}</h1>" in html
    assert 'rel="canonical" href="https://news.example/articles/ai-image/"' in html
    assert 'property="og:title"' in html and 'property="og:image"' in html
    assert "srcset=" in html and "AI-generated image (Midjourney)." in html
    data = jsonld_of(html)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "en"
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    lead = data["image"][0]
    assert lead["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"
    assert lead["license"] and lead["acquireLicensePage"] == "https://www.midjourney.com/"
    assert {"@type": "Quotation", "text": article.quotes.last().text} | {
        "creator": {
            "@type": "Person",
            "name": "Ada Lovelace",
            "sameAs": "https://www.wikidata.org/wiki/Q7259",
        }
    } in data["hasPart"]
    assert data["correction"][0]["@type"] == "CorrectionComment"


def test_the_page_contains_nothing_internal(cases, client):
    article = cases["ai_image"]
    Article.objects.filter(pk=article.pk).update(editor_note="secret desk note")
    html = page(client, article)
    assert "secret desk note" not in html
    assert "a glowing chip" not in html  # the AI prompt
    owner = article.followups.get().owner
    assert owner.email not in html and owner.username not in html


def test_translations_link_each_other_with_hreflang(cases, client):
    html = page(client, cases["original"])
    assert 'hreflang="fr" href="https://news.example/articles/shared-slug/"' in html
    data = jsonld_of(page(client, cases["translation"]))
    assert data["translationOfWork"]["@id"].endswith("#article")


def test_drafts_and_retracted_articles_have_no_public_page(cases, client):
    for case in ("embargoed_draft", "retracted"):
        assert client.get(f"/articles/{cases[case].slug}/").status_code == 404
        assert client.get(f"/api/v1/articles/{cases[case].pk}/jsonld/").status_code == 404


def test_the_api_serves_the_same_json_ld_as_the_page(cases, client):
    article = cases["ai_image"]
    api = client.get(f"/api/v1/articles/{article.pk}/jsonld/")
    assert api["Content-Type"] == "application/ld+json"
    assert api.json() == jsonld_of(page(client, article))


def test_the_page_answers_a_repeated_request_with_not_modified(cases, client):
    url = f"/articles/{cases['no_image'].slug}/"
    tag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_google_s_article_rules_pass_on_the_demo_and_the_edge_cases(
    demo_articles, cases, client, tmp_path
):
    live = [a for a in Article.objects.order_by("id") if a.is_live()]
    assert len(live) == len(demo_articles) + 4
    for article in live:
        path = tmp_path / f"{article.pk}.html"
        path.write_text(page(client, article))
        sdtt(path)
