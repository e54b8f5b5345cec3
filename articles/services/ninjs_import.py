"""ninjs in: a draft on the caller's desk from an IPTC ninjs 2.x or 3.x document.

The document is judged by the IPTC's schema first (every error with its JSON path); then read
(``articles.formats.ninjs.reader``), its image renditions fetched from the allowed hosts only,
before anything is written; then everything is written in one transaction, through the same
serializer and services as the write API, so a bad part leaves nothing behind.
"""

import datetime
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.formats import validation
from articles.formats.ninjs.reader import (
    IncomingArticle,
    IncomingEntity,
    NinjsReadError,
    read_ninjs,
)
from articles.models import Article, Desk, Entity, Mention, Source, Tag
from articles.models.entities import name_key as fold
from articles.services.articles import article_create
from media_credits.models import ArticleImage, Licence
from media_credits.services import image_ingest

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 10
# A follow-up promised in an incoming document is checked by the importing journalist a week on.
FOLLOWUP_CHECK_AFTER = datetime.timedelta(days=7)


class NinjsInvalid(Exception):
    """The document is not valid ninjs: ``errors`` lists {path, message}, JSON paths."""

    def __init__(self, version: str, errors: list[dict]) -> None:
        super().__init__(f"not valid ninjs {version}: {len(errors)} errors")
        self.version = version
        self.errors = errors


class EntityMatcher:
    """Our entity for an incoming one: by Wikidata id, then by name or alias (case- and
    accent-insensitive) within its kind; ``None`` when the desk has none yet."""

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, str], Entity] | None = None

    def _names(self) -> dict[tuple[str, str], Entity]:
        if self._by_name is None:
            self._by_name = {}
            rows = Entity.objects.only("id", "name", "kind", "aliases", "wikidata_id")
            for entity in rows.order_by("id"):
                for name in [entity.name, *entity.aliases]:
                    self._by_name.setdefault((entity.kind, fold(name)), entity)
        return self._by_name

    def match(self, incoming: IncomingEntity) -> Entity | None:
        if incoming.wikidata_id:
            found = Entity.objects.filter(wikidata_id=incoming.wikidata_id).first()
            if found is not None:
                return found
        for name in [incoming.name, *incoming.aliases]:
            found = self._names().get((incoming.kind, fold(name)))
            if found is not None:
                return found
        return None

    def remember(self, entity: Entity) -> None:
        for name in [entity.name, *entity.aliases]:
            self._names().setdefault((entity.kind, fold(name)), entity)


@dataclass
class Fetched:
    data: bytes
    name: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could leave the allowed hosts: it is refused, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirect refused", headers, fp)


def host_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    allowed = settings.NEWSROOM_INGEST_HOSTS
    return parts.hostname in allowed or parts.netloc in allowed


def rendition_fetch(url: str) -> bytes:
    """The rendition's bytes, within the upload limit and the time-out (ValueError if not)."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(url, timeout=FETCH_TIMEOUT_SECONDS) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ValueError(_("The file is over the upload limit."))
        data = response.read(limit + 1)
    if len(data) > limit:
        raise ValueError(_("The file is over the upload limit."))
    return data


def _largest(renditions: list[dict]) -> list[dict]:
    """Renditions to try, the widest first (the most faithful copy of the picture)."""
    return sorted(renditions, key=lambda r: -(r.get("width") or 0))


def images_fetch(incoming: IncomingArticle) -> tuple[dict[int, Fetched], list[dict]]:
    """The bytes of each image association from an allowed host, with a warning for each one
    left behind. Runs before the transaction: no row is locked while the network answers."""
    fetched: dict[int, Fetched] = {}
    warnings: list[dict] = []
    for index, image in enumerate(incoming.images):
        candidates = [r for r in _largest(image.renditions) if host_allowed(r["href"])]
        if not candidates:
            warnings.append(
                {
                    "path": image.path,
                    "message": _(
                        "Image not fetched: no rendition on a host this service may fetch from."
                    ),
                }
            )
            continue
        for rendition in candidates:
            try:
                data = rendition_fetch(rendition["href"])
            except (OSError, ValueError) as exc:
                logger.info("ninjs import: %s not fetched: %r", rendition["href"], exc)
                continue
            name = urlsplit(rendition["href"]).path.rsplit("/", 1)[-1] or "image"
            fetched[index] = Fetched(data=data, name=name)
            break
        else:
            warnings.append(
                {"path": image.path, "message": _("Image not fetched: the host did not answer.")}
            )
    return fetched, warnings


def _entity_for(matcher: EntityMatcher, incoming: IncomingEntity, suggested: set[int]) -> Entity:
    entity = matcher.match(incoming)
    if entity is not None:
        return entity
    entity = Entity(
        name=incoming.name[:200],
        kind=incoming.kind,
        aliases=incoming.aliases,
        wikidata_id=incoming.wikidata_id,
    )
    entity.full_clean()
    entity.save()
    matcher.remember(entity)
    suggested.add(entity.pk)
    return entity


def _ref(matcher: EntityMatcher, ref: Any, suggested: set[int]) -> int | None:
    """An entity reference of an extension item ({name, kind, wikidata_id}) as our id."""
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        return None
    kind = ref.get("kind") if ref.get("kind") in Entity.Kind.values else Entity.Kind.ORGANISATION
    incoming = IncomingEntity(ref["name"], kind, ref.get("wikidata_id") or "")
    return _entity_for(matcher, incoming, suggested).pk


def _authors(incoming: IncomingArticle, user, desk: Desk) -> list:
    """Desk members named in ``by``, in its order; the importer when it names nobody we know."""
    names = [n.strip() for n in incoming.by.replace(" & ", ", ").split(",") if n.strip()]
    members = get_user_model().objects.filter(is_active=True, desk_memberships__desk=desk)
    by_name = {}
    for member in members.distinct():
        by_name.setdefault(fold(member.get_full_name() or member.get_username()), member)
    authors = [by_name[fold(n)] for n in names if fold(n) in by_name]
    authors = list(dict.fromkeys(authors))
    if not authors:
        return [user]
    if not (permissions.is_editor(user) or permissions.is_admin(user)) and user not in authors:
        authors.append(user)
    return authors


def _write_input(
    incoming: IncomingArticle, *, desk: Desk, matcher: EntityMatcher, suggested: set[int]
) -> dict:
    """The write API's input for the draft (entities and tags found or created)."""
    data: dict[str, Any] = {
        "headline": incoming.headline,
        "language": incoming.language,
        "desk": desk.pk,
        "standfirst": incoming.standfirst,
        "body": incoming.body,
        "editor_note": incoming.editor_note,
        "embargo_until": incoming.embargo_until,
    }
    mentions = []
    for entity, role in incoming.mentions:
        mentions.append({"entity": _entity_for(matcher, entity, suggested).pk, "role": role})
    data["mentions"] = list({(m["entity"], m["role"]): m for m in mentions}.values())
    tags = []
    for slug, name in incoming.tags:
        tag = Tag.objects.filter(slug=slug).first() if slug else None
        tag = tag or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag(name=name[:100], slug=slug[:100])
            tag.full_clean()
            tag.save()
        tags.append(tag.slug)
    data["tags"] = list(dict.fromkeys(tags))
    data["sources"] = [
        {
            "name": s["name"][:300],
            "role": s["role"] if s["role"] in Source.Role.values else Source.Role.WIRE,
            "url": s["url"] or "",
        }
        for s in incoming.sources
    ]
    ext = incoming.extensions
    data["claims"] = [
        {
            "text": c.get("text"),
            "status": c.get("status"),
            "attributed_to": _ref(matcher, c.get("attributed_to"), suggested),
            "sourcing": c.get("sourcing") or "",
            "as_of": c.get("as_of"),
        }
        for c in ext.get("claims", [])
    ]
    data["quotes"] = [
        {
            "text": q.get("text"),
            "speaker": _ref(matcher, q.get("speaker"), suggested),
            "speaker_label": q.get("speaker_label") or "",
            "speaker_organisation": _ref(matcher, q.get("speaker_organisation"), suggested),
            "said_at": q.get("said_at"),
        }
        for q in ext.get("quotes", [])
    ]
    data["key_figures"] = [
        {k: f.get(k) for k in ("label", "value", "value_high", "unit", "as_of", "source")}
        for f in ext.get("key_figures", [])
    ]
    data["key_dates"] = [
        {k: d.get(k) for k in ("date", "precision", "label")} for d in ext.get("key_dates", [])
    ]
    data["corrections"] = [
        {k: c.get(k) for k in ("text", "corrected_at")} for c in ext.get("corrections", [])
    ]
    data["highlight_boxes"] = [
        {"title": b.get("title") or "", "items": b.get("items") or []}
        for b in ext.get("highlight_boxes", [])
    ]
    # Drop the unset keys so the serializer's defaults apply, as for a JSON request.
    for name in ("claims", "quotes", "key_figures"):
        data[name] = [{k: v for k, v in item.items() if v is not None} for item in data[name]]
    return {k: v for k, v in data.items() if v is not None}


def _licence(url: str) -> Licence | None:
    return Licence.objects.filter(url=url).first() if url else None


def _images(incoming: IncomingArticle, fetched: dict[int, Fetched], user) -> list[dict]:
    uses = []
    for index, image in enumerate(incoming.images):
        if index not in fetched:
            continue
        metadata: dict[str, Any] = dict(image.metadata)
        licence = _licence(image.licence_url)
        if licence is not None:
            metadata["licence"] = licence
            # The writer puts "licence name. terms" in usageterms: keep only the terms.
            terms = metadata.get("usage_terms", "")
            if terms == licence.name or terms.startswith(licence.name + ". "):
                metadata["usage_terms"] = terms.removeprefix(licence.name).removeprefix(". ")
        try:
            stored, _created = image_ingest(
                file=ContentFile(fetched[index].data, name=fetched[index].name),
                uploaded_by=user,
                metadata=metadata,
            )
        except ValidationError as exc:
            messages = [m for msgs in exc.message_dict.values() for m in msgs]
            raise ValidationError({image.path.removeprefix("$."): messages}) from exc
        uses.append({"image": stored.pk, "role": ArticleImage.Role(image.role)})
    return uses


def _followups(incoming: IncomingArticle, user, now: datetime.datetime) -> list[dict]:
    return [
        {
            "what": promise or _("Follow-up promised in the imported copy"),
            "promise": promise[:300],
            "next_check_at": now + FOLLOWUP_CHECK_AFTER,
            "owner": user,
            "entities": [],
        }
        for promise in incoming.promises
    ]


def desk_for_import(user, desk_id: int | None) -> Desk:
    """The desk the draft goes to: the one asked for, else the caller's only desk."""
    refusal = _("You can import only to a desk you belong to as a reporter or editor.")
    desks = permissions.writable_desks(user)
    if desk_id is not None:
        desk = desks.filter(pk=desk_id).first()
        permissions.require(desk is not None, refusal)
        return desk
    found = list(desks.order_by("id")[:2])
    permissions.require(bool(found), refusal)
    if len(found) > 1:
        raise ValidationError({"desk": [_("You belong to several desks: choose one with ?desk=.")]})
    return found[0]


def article_import_ninjs(
    *, user, document: Any, desk_id: int | None = None, now: datetime.datetime | None = None
) -> Article:
    """Create a draft from a ninjs 2.x / 3.x document on the caller's desk.

    Raises NinjsInvalid (schema errors with their JSON paths) or ValidationError (by field)
    before anything is written; fetches images from ``NEWSROOM_INGEST_HOSTS`` only, before the
    transaction; then writes the entities it could not match (as suggested mentions the desk
    confirms), the tags, the images and the draft together, or nothing.
    """
    from articles.serializers.desk import ArticleWriteSerializer

    now = now or timezone.now()
    if not isinstance(document, dict):
        raise NinjsInvalid("2.2", [{"path": "$", "message": _("A ninjs document is an object.")}])
    version = validation.version_of(document)
    errors = validation.errors(document, version)
    if errors:
        raise NinjsInvalid(version, errors)
    try:
        incoming = read_ninjs(document)
    except NinjsReadError as exc:
        raise NinjsInvalid(version, [{"path": exc.path, "message": exc.message}]) from exc
    desk = desk_for_import(user, desk_id)
    fetched, warnings = images_fetch(incoming)

    with transaction.atomic():
        matcher = EntityMatcher()
        suggested: set[int] = set()
        data = _write_input(incoming, desk=desk, matcher=matcher, suggested=suggested)
        uses = _images(incoming, fetched, user)
        data["images"] = [{"image": u["image"], "role": u["role"]} for u in uses]
        serializer = ArticleWriteSerializer(data=data, context={"request": None})
        # The write API's own errors, with their paths (claims[2].status...).
        serializer.is_valid(raise_exception=True)
        validated = dict(serializer.validated_data)
        validated["authors"] = _authors(incoming, user, desk)
        validated["followups"] = _followups(incoming, user, now)
        for mention in validated.get("mentions", []):
            # Entities this document brought in are the importer's suggestions to confirm.
            mention["suggested"] = mention["entity"].pk in suggested
        article = article_create(user=user, data=validated, now=now)
        Article.objects.filter(pk=article.pk).update(import_warnings=warnings)
        article.import_warnings = warnings
        unconfirmed = Mention.objects.filter(article=article, suggested=True).count()
        logger.info(
            "ninjs %s import: article %s, %d images, %d suggested mentions",
            version,
            article.pk,
            len(uses),
            unconfirmed,
        )
    return article
