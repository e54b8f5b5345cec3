"""Writing the entity registry: create, edit, merge namesakes into one, delete an unused one.

Entities are shared records: a change to one is not a new version of the articles that show it,
so each write drops the stored public documents of those articles (``ArticleDocument``), which
the next read rebuilds.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from articles import purge
from articles.models import (
    Article,
    ArticleDocument,
    Claim,
    Entity,
    FollowUp,
    Mention,
    Quote,
)
from articles.services.errors import WorkflowError

EDITABLE_FIELDS = ("name", "kind", "aliases", "wikidata_id", "description")


def articles_showing(entity_ids: list[int]) -> QuerySet:
    """Ids of the articles whose documents show one of the entities (by name or alias)."""
    return (
        Article.objects.filter(
            Q(mentions__entity__in=entity_ids)
            | Q(claims__attributed_to__in=entity_ids)
            | Q(claims__responded_by__in=entity_ids)
            | Q(quotes__speaker__in=entity_ids)
            | Q(quotes__speaker_organisation__in=entity_ids)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def _documents_invalidate(entity_ids: list[int]) -> None:
    """Refresh what shows the entities: the articles' documents, and the cached copies of the
    entity pages and lists (articles.purge)."""
    ArticleDocument.objects.invalidate(article_ids=list(articles_showing(entity_ids)))
    purge.purge_on_commit([purge.ENTITIES, *(purge.entity_key(pk) for pk in entity_ids)])


def entity_create(*, data: dict[str, Any]) -> Entity:
    entity = Entity(**{name: data[name] for name in EDITABLE_FIELDS if name in data})
    entity.full_clean()
    entity.save()
    purge.purge_on_commit([purge.ENTITIES])
    return entity


@transaction.atomic
def entity_update(*, entity: Entity, data: dict[str, Any]) -> Entity:
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(entity, name, data[name])
    entity.full_clean()
    entity.save()
    _documents_invalidate([entity.pk])
    return entity


def entity_uses(entity: Entity) -> dict[str, int]:
    """What refers to the entity, by kind of record (only the kinds with a count)."""
    counts = {
        "mentions": entity.mentions.count(),
        "quotes": Quote.objects.filter(Q(speaker=entity) | Q(speaker_organisation=entity)).count(),
        "claims": Claim.objects.filter(Q(attributed_to=entity) | Q(responded_by=entity)).count(),
        "followups": entity.followups.count(),
    }
    return {kind: count for kind, count in counts.items() if count}


def entity_in_use_message(uses: dict[str, int]) -> str:
    labels = {
        "mentions": _("mentions"),
        "quotes": _("quotes"),
        "claims": _("claims"),
        "followups": _("follow-ups"),
    }
    listed = ", ".join(f"{count} {labels[kind]}" for kind, count in uses.items())
    return _(
        "This entity is in use (%(uses)s): merge it into another one or remove those first."
    ) % {"uses": listed}


@transaction.atomic
def entity_delete(*, entity: Entity) -> None:
    """Delete an entity nothing refers to; WorkflowError (409) naming the uses otherwise."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    uses = entity_uses(entity)
    if uses:
        raise WorkflowError(entity_in_use_message(uses))
    purge.purge_on_commit([purge.ENTITIES, purge.entity_key(entity.pk)])
    entity.delete()


@transaction.atomic
def entity_merge(*, entity: Entity, merged_ids: list[int]) -> Entity:
    """Merge other entities into ``entity``, in one transaction.

    Mentions, quotes (speaker and organisation), claims (attributed_to and responded_by) and the
    entities follow-ups watch move to the surviving entity; a mention that would repeat one the
    article already has (same role) is dropped. The merged entities' names and aliases become
    aliases of the survivor, and the merged entities are deleted.
    """
    merged_ids = sorted(set(merged_ids))
    if entity.pk in merged_ids:
        raise ValidationError({"entities": [_("An entity cannot be merged into itself.")]})
    # Lock the rows in id order, so two merges of the same entities cannot deadlock.
    locked = {
        e.pk: e
        for e in Entity.objects.select_for_update()
        .filter(pk__in=[entity.pk, *merged_ids])
        .order_by("pk")
    }
    missing = [pk for pk in merged_ids if pk not in locked]
    if missing:
        raise ValidationError(
            {
                "entities": [
                    _("No entity with the id %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                ]
            }
        )
    survivor = locked[entity.pk]
    merged = [locked[pk] for pk in merged_ids]
    affected = list(articles_showing([survivor.pk, *merged_ids]))

    kept = set(Mention.objects.filter(entity=survivor).values_list("article_id", "role"))
    for mention in Mention.objects.filter(entity_id__in=merged_ids).order_by("pk"):
        key = (mention.article_id, mention.role)
        if key in kept:
            mention.delete()
        else:
            kept.add(key)
            mention.entity = survivor
            mention.save(update_fields=["entity"])
    for model, field in (
        (Quote, "speaker"),
        (Quote, "speaker_organisation"),
        (Claim, "attributed_to"),
        (Claim, "responded_by"),
    ):
        # One save per row, so that the history records the change of each one.
        for row in model.objects.filter(**{f"{field}_id__in": merged_ids}):
            setattr(row, field, survivor)
            row.save(update_fields=[field])
    for followup in FollowUp.objects.filter(entities__in=merged_ids).distinct():
        followup.entities.remove(*merged)
        followup.entities.add(survivor)

    aliases = list(survivor.aliases)
    seen = {name.casefold() for name in survivor.names()}
    for other in merged:
        for name in other.names():
            if name.casefold() not in seen:
                seen.add(name.casefold())
                aliases.append(name)
    survivor.aliases = aliases
    if not survivor.wikidata_id:
        wikidata_ids = [e.wikidata_id for e in merged if e.wikidata_id]
        if len(wikidata_ids) == 1:
            survivor.wikidata_id = wikidata_ids[0]
    for other in merged:
        other.delete()
    survivor.full_clean()
    survivor.save()
    ArticleDocument.objects.invalidate(article_ids=affected)
    purge.purge_on_commit(
        [purge.ENTITIES, *(purge.entity_key(pk) for pk in [survivor.pk, *merged_ids])]
    )
    return survivor
