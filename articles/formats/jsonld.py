"""schema.org ``NewsArticle`` as JSON-LD, and the context of the public article page.

https://schema.org/NewsArticle and Google's Article guidelines
(https://developers.google.com/search/docs/appearance/structured-data/article). Only what a
reader may see: live articles, no editor's note, no AI prompt, no follow-up owner.
"""

import json

from django.conf import settings

from articles.formats.common import (
    absolute_rendition_url,
    entity_uri,
    page_url,
    plain_text,
    site_url,
    source_type_code,
    word_count,
)
from articles.models import Article, Entity, Mention
from articles.serializers.common import iso
from articles.serializers.public import article_detail
from media_credits.models import ArticleImage

CONTEXT = "https://schema.org"
# IPTC digital source type code -> the schema.org IPTCDigitalSourceEnumeration member
# (https://schema.org/IPTCDigitalSourceEnumeration); codes without a member are left out.
SCHEMA_SOURCE_TYPES = {
    "digitalCapture": "DigitalCaptureDigitalSource",
    "computationalCapture": "MultiFrameComputationalCaptureDigitalSource",
    "negativeFilm": "NegativeFilmDigitalSource",
    "positiveFilm": "PositiveFilmDigitalSource",
    "print": "PrintDigitalSource",
    "minorHumanEdits": "MinorHumanEditsDigitalSource",
    "compositeCapture": "CompositeCaptureDigitalSource",
    "algorithmicallyEnhanced": "AlgorithmicallyEnhancedDigitalSource",
    "screenCapture": "ScreenCaptureDigitalSource",
    "virtualRecording": "VirtualRecordingDigitalSource",
    "dataDrivenMedia": "DataDrivenMediaDigitalSource",
    "digitalArt": "DigitalArtDigitalSource",
    "composite": "CompositeDigitalSource",
    "compositeSynthetic": "CompositeSyntheticDigitalSource",
    "trainedAlgorithmicMedia": "TrainedAlgorithmicMediaDigitalSource",
    "compositeWithTrainedAlgorithmicMedia": "CompositeWithTrainedAlgorithmicMediaDigitalSource",
    "algorithmicMedia": "AlgorithmicMediaDigitalSource",
}
ENTITY_TYPES = {
    Entity.Kind.PERSON: "Person",
    Entity.Kind.ORGANISATION: "Organization",
    Entity.Kind.PLACE: "Place",
    Entity.Kind.PRODUCT: "Thing",
    Entity.Kind.EVENT: "Event",
}
# A product the story mentions is not a product offered for sale: as a schema.org `Product`,
# Google's product-snippet rules (offers, review, image) would apply to it. It is a `Thing`
# whose additionalType says what it is (https://schema.org/additionalType).
ADDITIONAL_TYPES = {Entity.Kind.PRODUCT: f"{CONTEXT}/Product"}


def schema_source_type(uri: str) -> str | None:
    member = SCHEMA_SOURCE_TYPES.get(source_type_code(uri))
    return f"{CONTEXT}/{member}" if member else None


def entity_thing(entity: Entity) -> dict:
    thing = {"@type": ENTITY_TYPES[entity.kind], "name": entity.name}
    if entity.kind in ADDITIONAL_TYPES:
        thing["additionalType"] = ADDITIONAL_TYPES[entity.kind]
    uri = entity_uri(entity)
    if uri:
        thing["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata_id}"
    if entity.aliases:
        thing["alternateName"] = list(entity.aliases)
    if entity.description:
        thing["description"] = entity.description
    return thing


def publisher() -> dict:
    org = {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_PUBLISHER_NAME,
        "url": site_url("/"),
    }
    if settings.NEWSROOM_PUBLISHER_LOGO_URL:
        org["logo"] = {"@type": "ImageObject", "url": settings.NEWSROOM_PUBLISHER_LOGO_URL}
    if settings.NEWSROOM_CORRECTIONS_POLICY_URL:
        org["correctionsPolicy"] = settings.NEWSROOM_CORRECTIONS_POLICY_URL
    return org


def image_object(use: ArticleImage, language: str) -> dict:
    image = use.image
    renditions = image.sorted_renditions
    largest = max(renditions, key=lambda r: r.width, default=None)
    obj: dict = {"@type": "ImageObject"}
    if largest is not None:
        obj.update(
            {
                "contentUrl": absolute_rendition_url(largest),
                "url": absolute_rendition_url(largest),
                "width": largest.width,
                "height": largest.height,
                "encodingFormat": f"image/{largest.format}",
            }
        )
    if image.alt_text:
        obj["description"] = image.alt_text
    if use.caption:
        obj["caption"] = use.caption
    credit = image.attribution_note(language) or image.credit_line
    if credit:
        obj["creditText"] = credit
    if image.creator:
        obj["creator"] = {"@type": "Person", "name": image.creator}
    elif image.ai_generated and image.effective_licensor_name:
        obj["creator"] = {"@type": "Organization", "name": image.effective_licensor_name}
    if image.copyright_notice:
        obj["copyrightNotice"] = image.copyright_notice
    if image.copyright_holder:
        obj["copyrightHolder"] = {"@type": "Organization", "name": image.copyright_holder}
    if image.licence is not None and image.licence.url:
        obj["license"] = image.licence.url
    if image.licensor_url:
        obj["acquireLicensePage"] = image.licensor_url
    source_type = schema_source_type(image.digital_source_type)
    if source_type:
        obj["digitalSourceType"] = source_type
    return obj


def article_jsonld(article: Article, *, translations: list | None = None) -> dict:
    """The NewsArticle of a live article. Expects the prefetches of ``detail_queryset``."""
    lang = article.language
    detail = article_detail(article)
    url = page_url(article)
    text = plain_text(article.body)
    data: dict = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url + "#article",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline[:110],
        "inLanguage": lang,
        "datePublished": iso(article.first_published_at or article.published_at),
        "dateModified": iso(max(d for d in (article.updated_at, article.published_at) if d)),
        "author": [
            {
                "@type": "Person",
                "name": b.user.get_full_name() or b.user.get_username(),
                "url": site_url(f"/authors/{b.user.pk}/"),
            }
            for b in article.bylines.all()
        ],
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "wordCount": word_count(text),
    }
    if article.headline != data["headline"]:
        data["alternativeHeadline"] = article.headline
    if article.standfirst:
        data["description"] = article.standfirst
    if article.desk is not None:
        data["articleSection"] = article.desk.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    images = [image_object(use, lang) for use in article.article_images.all()]
    lead = [i for i, use in enumerate(article.article_images.all()) if use.role == "lead"]
    if lead:
        images.insert(0, images.pop(lead[0]))
    if not images and settings.NEWSROOM_PUBLISHER_LOGO_URL:
        # Google's Article rules want an image; without one of its own, the article is
        # represented by the publisher's logo (https://developers.google.com/search/docs/appearance/structured-data/article).
        images = [{"@type": "ImageObject", "url": settings.NEWSROOM_PUBLISHER_LOGO_URL}]
    if images:
        data["image"] = images
    about = [
        entity_thing(m.entity)
        for m in article.mentions.all()
        if m.role == Mention.Role.SUBJECT and not m.suggested
    ]
    mentions = [
        entity_thing(m.entity)
        for m in article.mentions.all()
        if m.role != Mention.Role.SUBJECT and not m.suggested
    ]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    quotes = []
    for quote in article.quotes.all():
        q: dict = {"@type": "Quotation", "text": quote.text}
        # The speaker only where the desk knows who it is, not "a spokesperson".
        if quote.speaker is not None:
            q["creator"] = entity_thing(quote.speaker)
        quotes.append(q)
    if quotes:
        data["hasPart"] = quotes
    corrections = [
        {"@type": "CorrectionComment", "text": c["text"], "datePublished": c["corrected_at"]}
        for c in detail["corrections"]
    ]
    if corrections:
        data["correction"] = corrections
    if article.source_note:
        data["backstory"] = article.source_note
    original = next((t for t in translations or [] if t.pk == article.translation_of_id), None)
    if original is not None:
        data["translationOfWork"] = {"@type": "NewsArticle", "@id": page_url(original) + "#article"}
    elif translations and article.translation_of_id is None:
        data["workTranslation"] = [
            {"@type": "NewsArticle", "@id": page_url(t) + "#article", "inLanguage": t.language}
            for t in translations
        ]
    return data


def page_context(article: Article, *, translations: list) -> dict:
    """What the public page template shows; call inside translation.override(article.language)."""
    lang = article.language
    detail = article_detail(article, translations=[])
    lead = next(
        (use for use in article.article_images.all() if use.role == ArticleImage.Role.LEAD), None
    )
    lead_image = None
    if lead is not None:
        renditions = lead.image.sorted_renditions
        largest = max(renditions, key=lambda r: r.width, default=None)
        # One format per srcset: WebP when there is one (every browser reads it), else JPEG.
        formats = {r.format for r in renditions}
        chosen = "webp" if "webp" in formats else "jpeg"
        srcset = ", ".join(
            f"{absolute_rendition_url(r)} {r.width}w" for r in renditions if r.format == chosen
        )
        lead_image = {
            "src": absolute_rendition_url(largest) if largest else "",
            "srcset": srcset,
            "width": largest.width if largest else None,
            "height": largest.height if largest else None,
            "alt": lead.image.alt_text,
            "caption": lead.caption,
            "note": lead.image.attribution_note(lang),
        }
    data = article_jsonld(article, translations=translations)
    return {
        "article": article,
        "detail": detail,
        "canonical": page_url(article),
        "translations": [
            {"language": t.language, "url": page_url(t), "headline": t.headline}
            for t in translations
        ],
        "byline": ", ".join(a["name"] for a in detail["authors"]),
        "lead_image": lead_image,
        "publisher_name": settings.NEWSROOM_PUBLISHER_NAME,
        # json.dumps escapes nothing HTML cares about; "</" is escaped so that the block
        # cannot be closed by the article's text (https://html.spec.whatwg.org/#restrictions-for-contents-of-script-elements).
        "jsonld": json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/"),
    }
