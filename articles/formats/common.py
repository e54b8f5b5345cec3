"""What the format writers share: the article's addresses, its plain text, the vocabularies."""

from html.parser import HTMLParser

from django.conf import settings

from articles.models import Article
from media_credits.models import IPTC_DIGITAL_SOURCE_TYPE
from media_credits.serializers import rendition_url

# Elements that end a line of text when an HTML body becomes plain text.
BLOCKS = frozenset(
    {"p", "br", "li", "h2", "h3", "h4", "blockquote", "figure", "figcaption", "pre", "hr", "tr"}
)

# The IPTC Digital Source Type NewsCodes' own names (https://cv.iptc.org/newscodes/digitalsourcetype/).
IPTC_SOURCE_TYPE_NAMES = {
    "digitalCapture": "Original digital capture of a real life scene",
    "computationalCapture": "Computational capture of a real life scene",
    "negativeFilm": "Digitised from a negative on film",
    "positiveFilm": "Digitised from a positive on film",
    "print": "Digitised from a print on non-transparent medium",
    "humanEdits": "Human-edited media",
    "minorHumanEdits": "Minor human edits",
    "compositeCapture": "Composite of captured elements",
    "algorithmicallyEnhanced": "Algorithmically-enhanced media",
    "screenCapture": "Screen capture",
    "virtualRecording": "Virtual recording",
    "dataDrivenMedia": "Data-driven media",
    "digitalCreation": "Digital creation",
    "digitalArt": "Digital art",
    "composite": "Composite with unspecified elements",
    "compositeSynthetic": "Composite including synthetic elements",
    "trainedAlgorithmicMedia": "Trained algorithmic media",
    "compositeWithTrainedAlgorithmicMedia": "Composite with trained algorithmic media",
    "algorithmicMedia": "Pure algorithmic media",
}


def site_url(path: str) -> str:
    return settings.NEWSROOM_SITE_URL + path


def absolute_rendition_url(rendition) -> str:
    """A rendition's URL for a document that leaves the site (ninjs, JSON-LD): absolute, on the
    site's address when MEDIA_URL is a path, as is when it is a CDN origin."""
    url = rendition_url(rendition)
    return site_url(url) if url.startswith("/") else url


def article_uri(article_id: int) -> str:
    """The article's stable identifier: its id never changes, its slug may."""
    return site_url(f"/api/v1/articles/{article_id}/")


def image_uri(image_id: int) -> str:
    return site_url(f"/api/v1/images/{image_id}/")


def entity_uri(entity) -> str | None:
    return f"http://www.wikidata.org/entity/{entity.wikidata_id}" if entity.wikidata_id else None


def page_url(article: Article) -> str:
    """The public page of the article (its canonical URL when it lives elsewhere)."""
    return article.canonical_url or site_url(f"/articles/{article.slug}/")


def source_type_code(uri: str) -> str:
    return uri.removeprefix(IPTC_DIGITAL_SOURCE_TYPE)


def source_type_name(uri: str) -> str:
    code = source_type_code(uri)
    return IPTC_SOURCE_TYPE_NAMES.get(code, code)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.lines.append("")

    def handle_data(self, data):
        self.lines[-1] += data


def plain_text(html: str) -> str:
    """The text of an HTML body, one paragraph per line."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in parser.lines)
    return "\n".join(line for line in lines if line)


def word_count(text: str) -> int:
    return len(text.split())
