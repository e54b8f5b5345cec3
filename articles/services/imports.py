"""Importing plain-text wire copy as a draft (the command, the API and the admin call this)."""

import datetime
import re
from html import escape
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.formats import wirecopy
from articles.models import Article, DeskMembership, Entity, Mention
from articles.models.entities import name_key
from articles.services.articles import article_create

# The first reminder of the follow-up the copy promises, after the import.
FOLLOWUP_FIRST_CHECK = datetime.timedelta(days=7)

GENERIC_SUBJECT_RE = re.compile(
    r"^(?:l['’](?:entreprise|intéressée?|éditeur|groupe)|la (?:société|firme|start-up|compagnie)"
    r"|le (?:groupe|fabricant|concepteur)|the (?:company|firm|group|start-up|startup|maker)"
    r"|it|elle|il|they)$",
    re.IGNORECASE,
)
# Subjects of a status sentence that name no one: "Cette information a été démentie."
NOBODY_RE = re.compile(
    r"^(?:cette|l['’]) ?(?:information|affirmation|annonce|rumeur)|^ce chiffre|^this|^that"
    r"|^the (?:report|claim|figure|rumou?r)",
    re.IGNORECASE,
)


def _registry() -> list[tuple[Entity, list[str]]]:
    return [
        (entity, [name_key(n) for n in [entity.name, *entity.aliases] if name_key(n)])
        for entity in Entity.objects.all()
    ]


def _found_in(keys: list[str], folded: str) -> int | None:
    """Where one of the names first occurs in the folded text, as a whole word."""
    positions = [
        m.start()
        for key in keys
        for m in [re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded)]
        if m is not None
    ]
    return min(positions) if positions else None


class _Entities:
    """The registry's entities the copy names, and the organisations it adds as candidates."""

    def __init__(self, copy: wirecopy.WireCopy):
        self.copy = copy
        folded = name_key(copy.text)
        lead = name_key(" ".join([copy.headline, copy.standfirst, *copy.paragraphs[:1]]))
        self.registry = _registry()
        found = []
        for entity, keys in self.registry:
            position = _found_in(keys, folded)
            if position is not None:
                found.append((position, entity))
        self.mentions: list[tuple[Entity, str]] = []
        for _position, entity in sorted(found, key=lambda pair: pair[0]):
            subject = (
                entity.kind == Entity.Kind.ORGANISATION
                and _found_in([name_key(n) for n in [entity.name, *entity.aliases]], lead)
                is not None
            )
            self.mentions.append(
                (entity, Mention.Role.SUBJECT if subject else Mention.Role.MENTIONED)
            )
        self.created: list[Entity] = []
        for name in copy.organisations:
            self.organisation(name)

    def lookup(self, text: str) -> Entity | None:
        """The entity named exactly, or whose name is ``text`` and a legal form ("Orbitel"
        for "Orbitel Inc.")."""
        key = name_key(text)
        for entity, keys in self.registry:
            if key in keys:
                return entity
        for entity, keys in self.registry:
            if any(k.startswith(key + " ") for k in keys):
                return entity
        return None

    def named_in(self, text: str) -> Entity | None:
        """The first known entity the words name ("le spécialiste des puces Nvidia")."""
        folded = name_key(text)
        found = [
            (position, entity)
            for entity, keys in self.registry
            for position in [_found_in(keys, folded)]
            if position is not None
        ]
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def organisation(self, name: str) -> Entity | None:
        """The entity of an organisation name: from the registry, or a new candidate."""
        name = name.strip()
        if not name or not name[0].isupper():
            return None
        entity = self.lookup(name)
        if entity is None:
            entity = Entity(name=name[:200], kind=Entity.Kind.ORGANISATION)
            entity.full_clean()
            entity.save()
            self.registry.append((entity, [name_key(name)]))
            self.created.append(entity)
        if entity not in [e for e, _role in self.mentions]:
            lead = name_key(" ".join([self.copy.headline, self.copy.standfirst]))
            role = Mention.Role.SUBJECT if name_key(name) in lead else Mention.Role.MENTIONED
            self.mentions.append((entity, role))
        return entity

    def subjects(self) -> list[Entity]:
        return [
            e
            for e, role in self.mentions
            if role == Mention.Role.SUBJECT and e.kind == Entity.Kind.ORGANISATION
        ]

    def responder(self, text: str) -> Entity | None:
        text = text.strip()
        if not text or NOBODY_RE.match(text):
            return None
        if GENERIC_SUBJECT_RE.match(text):
            subjects = self.subjects()
            return subjects[0] if subjects else None
        entity = self.lookup(text) or self.named_in(text)
        if entity is None and _looks_like_a_name(text):
            entity = self.organisation(text)
        return entity


def _looks_like_a_name(text: str) -> bool:
    """ "Maison Dupré", "Orbitel Inc.": a few capitalised words; not "The regulator"."""
    words = [w for w in text.split() if w.lower() not in ("de", "du", "des", "of", "&", "and")]
    return 0 < len(words) <= 4 and all(w[0].isupper() for w in words)


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def _payload(
    copy: wirecopy.WireCopy, entities: _Entities, now: datetime.datetime
) -> dict[str, Any]:
    claims = []
    for claim in copy.claims:
        responder = entities.responder(claim.responder)
        claims.append(
            {
                "text": claim.text,
                "status": claim.status,
                "attributed_to": responder if claim.own_statement else None,
                "responded_by": responder,
                "sourcing": claim.sourcing,
                "as_of": now,
            }
        )
    quotes = []
    spokespeople = re.compile(r"porte-parole|spokes", re.IGNORECASE)
    for quote in copy.quotes:
        organisation = entities.organisation(quote.organisation) if quote.organisation else None
        if organisation is None and spokespeople.search(quote.speaker_label):
            subjects = entities.subjects()
            organisation = subjects[0] if subjects else None
        speaker = entities.lookup(quote.speaker_label) if not organisation else None
        if speaker is not None and speaker.kind != Entity.Kind.PERSON:
            speaker = None
        quotes.append(
            {
                "text": quote.text,
                "speaker": speaker,
                "speaker_label": quote.speaker_label,
                "speaker_organisation": organisation,
            }
        )
    data: dict[str, Any] = {
        "headline": copy.headline,
        "standfirst": copy.standfirst,
        "body": _paragraphs_html(copy.paragraphs),
        "language": copy.language,
        "source_note": copy.source_note,
        "claims": claims,
        "quotes": quotes,
        "key_figures": [
            {
                "label": f.label,
                "value": f.value,
                "value_high": f.value_high,
                "unit": f.unit,
                "approximate": f.approximate,
            }
            for f in copy.figures
        ],
        "key_dates": [
            {"date": d.date, "precision": d.precision, "label": d.label} for d in copy.dates
        ],
        "sources": [{"name": s.name, "role": s.role} for s in copy.sources],
        "highlight_boxes": [
            {"title": box.title, "items": [{"emoji": e, "text": t} for e, t in box.items]}
            for box in copy.boxes
        ],
    }
    if copy.promise:
        data["followups"] = [
            {
                "what": copy.promise,
                "promise": copy.promise,
                "next_check_at": now + FOLLOWUP_FIRST_CHECK,
                "entities": entities.subjects(),
            }
        ]
    # Last, once quotes and claims have added their organisations.
    data["mentions"] = [
        {"entity": entity, "role": role, "suggested": True} for entity, role in entities.mentions
    ]
    return data


def _warnings(copy: wirecopy.WireCopy, entities: _Entities) -> list[dict[str, str]]:
    warnings = [{"code": code, "message": message} for code, message in copy.warnings]
    for claim in copy.claims:
        if not claim.responder:
            warnings.append(
                {
                    "code": "claim_responder",
                    "message": _("Check who answered for the claim “%(claim)s”.")
                    % {"claim": claim.text[:80]},
                }
            )
    if entities.created:
        warnings.append(
            {
                "code": "new_entities",
                "message": _("New entities to check (added to the registry): %(names)s.")
                % {"names": ", ".join(e.name for e in entities.created)},
            }
        )
    known = {name_key(e.name) for e, _role in entities.mentions}
    names = [n for n in copy.names if name_key(n) not in known]
    if names:
        warnings.append(
            {
                "code": "names",
                "message": _("Names not in the entity registry: %(names)s.")
                % {"names": ", ".join(names[:20])},
            }
        )
    return warnings


def _default_desk(user):
    memberships = list(DeskMembership.objects.filter(user=user).select_related("desk")[:2])
    if len(memberships) == 1:
        return memberships[0].desk
    raise ValidationError({"desk": _("Name the desk the draft belongs to.")})


@transaction.atomic
def article_import_text(
    *,
    data: bytes | str,
    user,
    desk=None,
    language: str = "auto",
    now: datetime.datetime | None = None,
) -> Article:
    """Create a draft from plain-text wire copy, through article_create (so every rule of the
    write API holds), with what the reader found as suggestions to check: mentions marked
    ``suggested``, warnings in ``import_warnings``, the lead image's attribution in
    ``pending_image``. The text as received is kept in ``import_source``. All or nothing:
    unreadable input raises ValidationError on ``text`` (its code is the reason) and
    creates nothing."""
    now = now or timezone.now()
    if language not in ("auto", "fr", "en"):
        raise ValidationError({"language": _("Choose fr, en or auto.")})
    try:
        copy = wirecopy.read(data, language=language)
    except wirecopy.UnreadableText as exc:
        raise ValidationError({"text": ValidationError(exc.message, code=exc.reason)}) from exc
    desk = desk or _default_desk(user)
    with translation.override(copy.language):
        entities = _Entities(copy)
        payload = _payload(copy, entities, now)
        payload["desk"] = desk
        warnings = _warnings(copy, entities)
    article = article_create(user=user, data=payload, now=now)
    source = data if isinstance(data, str) else data.decode("utf-8-sig")
    Article.objects.filter(pk=article.pk).update(
        import_source=source, import_warnings=warnings, pending_image=copy.image
    )
    article.refresh_from_db()
    return article


# The lead image fields the imported copy may state (Article.pending_image keys).
PENDING_IMAGE_FIELDS = ("credit_line", "ai_system", "licensor_name", "licence_basis")


@transaction.atomic
def article_pending_image_apply(*, article: Article) -> bool:
    """Give the article's lead image the attribution its imported copy stated, then clear it.

    Only fields the desk left empty are filled; the digital source type only while the image
    still has the default (a digital capture) and no AI system, so nothing the desk or the
    file's metadata set is overwritten. Called after the images are written, by the write API
    (articles.services.writing) and the admin alike. Returns whether the image changed.
    """
    from media_credits.models import ArticleImage, DigitalSourceType
    from media_credits.services import image_update

    pending = Article.objects.filter(pk=article.pk).values_list("pending_image", flat=True).first()
    if not pending:
        return False
    use = (
        ArticleImage.objects.filter(article_id=article.pk, role=ArticleImage.Role.LEAD)
        .select_related("image")
        .first()
    )
    if use is None:
        return False
    image = use.image
    changed = False
    kind = pending.get("digital_source_type")
    if kind and image.digital_source_type == DigitalSourceType.DIGITAL_CAPTURE:
        if not image.ai_system and kind in DigitalSourceType.values:
            image.digital_source_type, changed = kind, True
    for field in PENDING_IMAGE_FIELDS:
        value = pending.get(field)
        if value and not getattr(image, field):
            setattr(image, field, value)
            changed = True
    if changed:
        image_update(image=image)
    Article.objects.filter(pk=article.pk).update(pending_image={})
    article.pending_image = {}
    return changed
