"""IPTC ninjs (News in JSON) 2.2 and 3.1: the writer (the reader is ``reader.py``).

https://iptc.org/standards/ninjs/ — the official schemas are in ``../schemas/`` (MIT licence).

One writer builds the 2.2 document (lower-case names); 3.1 is the same document with the 3.x
spellings (``firstCreated``, ``contentType``...) plus what only 3.x has (``plannedCoverage``).
The schemas forbid unknown keys at the top level and in every object we use, so our own
structured data (claims, quotes, key figures and dates, highlight boxes, follow-ups) travels as
extra ``bodies`` entries, each with a ``newsroom:`` role and ``application/json`` content: the
documents stay valid, and a consumer that only wants the text picks the ``main`` body.
"""

import json

from django.conf import settings
from django.utils import timezone

from articles.formats.common import (
    absolute_rendition_url,
    article_uri,
    entity_uri,
    image_uri,
    page_url,
    plain_text,
    source_type_name,
    word_count,
)
from articles.models import Article, Entity, FollowUp, Mention
from articles.serializers.public import article_detail
from media_credits.models import ArticleImage

VERSIONS = ("2.2", "3.1")
DEFAULT_VERSION = "2.2"
MEDIA_TYPE = "application/ninjs+json"
SCHEMA_URIS = {
    "2.2": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json",
    "3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
}
# https://cv.iptc.org/newscodes/trustindicator/ — the IPTC's trust indicator codes.
TRUST_CORRECTIONS_POLICY = "http://cv.iptc.org/newscodes/trustindicator/correctionsPolicy"

# Which ninjs list an entity goes to, by its kind.
ENTITY_LISTS = {
    Entity.Kind.PERSON: "people",
    Entity.Kind.ORGANISATION: "organisations",
    Entity.Kind.PLACE: "places",
    Entity.Kind.EVENT: "events",
    Entity.Kind.PRODUCT: "objects",
}
# How the article relates to a mentioned entity (ninjs `rel`, the IPTC examples' words).
MENTION_RELS = {
    Mention.Role.SUBJECT: "about",
    Mention.Role.MENTIONED: "mentions",
    Mention.Role.SOURCE: "source",
}
EXTENSION_ROLE = "newsroom:"
LICENCE_BASIS_ROLE = "newsroom:licence_basis"
JSON_CONTENT = "application/json"

# The 3.x spelling of every 2.2 name that changed (the schemas' own property names).
NAMES_3 = {
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "contentcreated": "contentCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "ednote": "edNote",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "contactinfo": "contactInfo",
    "geojson": "geoJSON",
    "infosources": "infoSources",
    "sizeinbytes": "sizeInBytes",
    "altids": "altIds",
    "trustindicators": "trustIndicators",
    "rightsinfo": "rightsInfo",
    "linkedrights": "linkedRights",
    "encodedrights": "encodedRights",
    "langid": "langId",
    "digitalsourcetype": "digitalSourceType",
}
NAMES_2 = {new: old for old, new in NAMES_3.items()}


def negotiate_version(query_version: str | None, accept: str) -> str | None:
    """The version asked for (?version= first, then the Accept header), or None if unknown."""
    if query_version:
        return query_version if query_version in VERSIONS else None
    for media_range in accept.split(","):
        kind, *params = (part.strip() for part in media_range.split(";"))
        if kind.lower() != MEDIA_TYPE:
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "version":
                value = value.strip().strip('"')
                return value if value in VERSIONS else None
    return DEFAULT_VERSION


def pubstatus(article: Article) -> str:
    """usable when readers may see it, canceled once retracted, withheld otherwise."""
    if article.status == Article.Status.RETRACTED:
        return "canceled"
    return "usable" if article.is_live() else "withheld"


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _extension(name: str, data) -> dict:
    return {
        "role": EXTENSION_ROLE + name,
        "contenttype": JSON_CONTENT,
        "value": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    }


def _entity_item(entity: Entity, rel: str) -> dict:
    item = {"name": entity.name, "rel": rel}
    uri = entity_uri(entity)
    if uri:
        item["uri"] = uri
    return item


def _byline(article: Article) -> str:
    names = [b.user.get_full_name() or b.user.get_username() for b in article.bylines.all()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def _image_association(use: ArticleImage, name: str, language: str) -> dict:
    """The image as its own ninjs picture item (what an agency sends as an association)."""
    image = use.image
    item: dict = {
        "name": name,
        "uri": image_uri(image.pk),
        "type": "picture",
        "language": language,
    }
    if use.caption:
        item["headlines"] = [{"role": "caption", "value": use.caption}]
    descriptions = []
    if image.alt_text:
        descriptions.append({"role": "alt", "contenttype": "text/plain", "value": image.alt_text})
    note = image.attribution_note(language)
    if note:
        descriptions.append({"role": "attribution", "contenttype": "text/plain", "value": note})
    if image.licence_basis:
        # On what terms we may use an AI image: no ninjs field says it, a description can.
        descriptions.append(
            {"role": LICENCE_BASIS_ROLE, "contenttype": "text/plain", "value": image.licence_basis}
        )
    if descriptions:
        item["descriptions"] = descriptions
    if image.creator:
        item["by"] = image.creator
    credit = image.credit_line or image.copyright_holder
    if image.copyright_holder:
        item["copyrightholder"] = image.copyright_holder
    if image.copyright_notice:
        item["copyrightnotice"] = image.copyright_notice
    terms = [t for t in (image.licence.name if image.licence else "", image.usage_terms) if t]
    if terms:
        item["usageterms"] = ". ".join(terms)
    if image.licence is not None and image.licence.url:
        item["rightsinfo"] = {"linkedrights": image.licence.url}
    if credit:
        item["infosources"] = [{"name": credit, "role": "credit"}]
    item["digitalsourcetype"] = {
        "uri": image.digital_source_type,
        "name": source_type_name(image.digital_source_type),
    }
    item["altids"] = [{"role": "newsroom:image-id", "value": str(image.pk)}]
    renditions = []
    for rendition in image.sorted_renditions:
        renditions.append(
            {
                "name": rendition.spec,
                "href": absolute_rendition_url(rendition),
                "contenttype": f"image/{rendition.format}",
                "width": rendition.width,
                "height": rendition.height,
                "sizeinbytes": rendition.bytes,
            }
        )
    if renditions:
        item["renditions"] = renditions
    return item


def _planned_coverage(article: Article, followups: list[dict], language: str) -> list[dict]:
    """Follow-ups as 3.x planned coverage: the promised next article, and the one that came."""
    coverage = []
    for followup, public in zip(article.followups.all(), followups, strict=True):
        target = public["followed_up_by"]
        item = {
            "uri": article_uri(target["id"])
            if target
            else f"{article_uri(article.pk)}#followup-{followup.pk}",
            "title": public["promise"],
            "type": "text",
            "language": target["language"] if target else language,
            "pubStatus": "canceled" if followup.status == FollowUp.Status.CANCELLED else "usable",
        }
        coverage.append(item)
    return coverage


def article_ninjs(
    article: Article,
    *,
    version: str = DEFAULT_VERSION,
    editorial: bool = False,
) -> dict:
    """The article as a ninjs document. Expects the prefetches of ``detail_queryset``.

    ``editorial`` adds what only the desk reads (the editor's note); the article may then be at
    any status, and ``pubstatus`` says which.
    """
    if version not in VERSIONS:
        raise ValueError(f"ninjs {version} is not written here; use one of {VERSIONS}.")
    lang = article.language
    detail = article_detail(article)
    text = plain_text(article.body)
    doc: dict = {
        "uri": article_uri(article.pk),
        "standard": {"name": "ninjs", "version": version, "schema": SCHEMA_URIS[version]},
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": _time(article.created_at),
        "versioncreated": _time(article.updated_at),
        "contentcreated": _time(article.first_published_at or article.created_at),
        "pubstatus": pubstatus(article),
        "language": lang,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
    }
    if article.embargo_until is not None:
        doc["embargoed"] = _time(article.embargo_until)
    if article.standfirst:
        doc["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
        ]
    bodies = [
        {
            "role": "main",
            "contenttype": "text/html",
            "charcount": len(text),
            "wordcount": word_count(text),
            "value": article.body,
        },
        {
            "role": "plain",
            "contenttype": "text/plain",
            "charcount": len(text),
            "wordcount": word_count(text),
            "value": text,
        },
    ]
    by = _byline(article)
    if by:
        doc["by"] = by
    if editorial and getattr(article, "editor_note", ""):
        doc["ednote"] = article.editor_note

    for mention in article.mentions.all():
        if mention.suggested:  # the importer's, until a journalist confirms it
            continue
        key = ENTITY_LISTS[mention.entity.kind]
        doc.setdefault(key, []).append(
            _entity_item(mention.entity, MENTION_RELS.get(mention.role, "mentions"))
        )
    subjects = [
        {"name": tag.name, "literal": tag.slug, "rel": "about"} for tag in article.tags.all()
    ]
    if subjects:
        doc["subjects"] = subjects
    infosources = []
    for source in article.sources.all():
        info = {"name": source.name, "role": source.role}
        if source.url:
            info["uri"] = source.url
        infosources.append(info)
    if infosources:
        doc["infosources"] = infosources

    associations = []
    inline = 0
    for use in article.article_images.all():
        if use.role == ArticleImage.Role.LEAD:
            name = "featureimage"
        else:
            inline += 1
            name = f"image{inline}"
        associations.append(_image_association(use, name, lang))
    if associations:
        doc["associations"] = associations
    publisher_name = settings.NEWSROOM_PUBLISHER_NAME
    if publisher_name:
        doc["copyrightholder"] = publisher_name
        year = (article.first_published_at or article.created_at).year
        doc["copyrightnotice"] = f"© {year} {publisher_name}"
    if settings.NEWSROOM_CORRECTIONS_POLICY_URL:
        doc["trustindicators"] = [
            {
                "role": TRUST_CORRECTIONS_POLICY,
                "title": "Corrections policy",
                "href": settings.NEWSROOM_CORRECTIONS_POLICY_URL,
            }
        ]
    doc["altids"] = [
        {"role": "newsroom:id", "value": str(article.pk)},
        {"role": "newsroom:slug", "value": article.slug},
        {"role": "newsroom:url", "value": page_url(article)},
    ]

    # Our structured data, where the schema has no field for it (see the module docstring).
    extensions = {
        "claims": detail["claims"],
        "quotes": detail["quotes"],
        "key_figures": detail["key_figures"],
        "key_dates": detail["key_dates"],
        "corrections": detail["corrections"],
        "highlight_boxes": detail["highlight_boxes"],
        "entities": [
            {
                "name": m.entity.name,
                "kind": m.entity.kind,
                "role": m.role,
                "aliases": m.entity.aliases,
                "wikidata_id": m.entity.wikidata_id or None,
            }
            for m in article.mentions.all()
            if not m.suggested
        ],
    }
    if version == "2.2":
        extensions["followups"] = detail["followups"]
    else:
        coverage = _planned_coverage(article, detail["followups"], lang)
        if coverage:
            doc["plannedCoverage"] = coverage
    bodies += [_extension(name, data) for name, data in extensions.items() if data]
    doc["bodies"] = bodies
    return rename(doc, NAMES_3) if version != "2.2" else doc


def rename(value, names: dict[str, str]):
    """The same document with its property names respelt (2.2 ↔ 3.x)."""
    if isinstance(value, dict):
        return {names.get(key, key): rename(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [rename(item, names) for item in value]
    return value
