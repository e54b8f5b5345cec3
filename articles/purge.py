"""Surrogate keys of the public reads, and the purges that changes enqueue after commit.

Each public response names what it shows (newsroom.http_cache.mark_public):

- ``article-<id>``: the article, on its detail, its formats, its page, and on every list page,
  translation and entity page that shows it;
- ``family-<id>``: the detail of every article of a translation family (``<id>`` is the
  original), which lists the family's other live members;
- ``articles``: every list of articles (a publication or a retraction moves every page);
- ``entity-<id>``, ``image-<id>``, ``licence-<id>``, ``desk-<id>``: the shared records shown;
- ``entities``: the entity lists; ``mentions-<id>``: the pages that list or count the live
  articles mentioning an entity (its detail, the entity list page that shows it).

A change enqueues, after its transaction commits, one purge of exactly the keys whose bytes it
changes; the purger (newsroom.purgers) is chosen by ``NEWSROOM_CACHE_PURGER``.
"""

import datetime
import functools
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsroom import revalidation

ARTICLES = "articles"
ENTITIES = "entities"


def article_key(pk: int) -> str:
    return f"article-{pk}"


def family_key(original_id: int) -> str:
    return f"family-{original_id}"


def entity_key(pk: int) -> str:
    return f"entity-{pk}"


def mentions_key(entity_id: int) -> str:
    """The entity's own pages and the entity lists that count its articles."""
    return f"mentions-{entity_id}"


def document_keys(article) -> list[str]:
    """The shared records a stored document shows, from the prefetches of detail_queryset."""
    keys = []
    if article.desk_id:
        keys.append(f"desk-{article.desk_id}")
    entities = [m.entity_id for m in article.mentions.all()]
    entities += [c.attributed_to_id for c in article.claims.all()]
    for quote in article.quotes.all():
        entities += [quote.speaker_id, quote.speaker_organisation_id]
    keys += [entity_key(pk) for pk in sorted({pk for pk in entities if pk})]
    uses = list(article.article_images.all())
    keys += [f"image-{pk}" for pk in sorted({use.image_id for use in uses})]
    licences = {use.image.licence_id for use in uses if use.image.licence_id}
    keys += [f"licence-{pk}" for pk in sorted(licences)]
    return keys


def detail_keys(*, article_id: int, original_id: int, stored: str, translation_ids) -> str:
    keys = [article_key(article_id), family_key(original_id)]
    keys += [article_key(pk) for pk in translation_ids]
    if stored:
        keys.append(stored)
    return " ".join(keys)


def enabled() -> bool:
    return settings.NEWSROOM_CACHE_PURGER not in ("", "none")


def purge_on_commit(keys: Iterable[str]) -> None:
    """Enqueue one purge of these keys once the current transaction commits (now, outside one).

    Nothing is enqueued when no purger is configured; the origin's remembered validators are
    dropped all the same (newsroom.revalidation).
    """
    keys = sorted(set(keys))
    if not keys:
        return
    # The origin's own 304s before Django (newsroom.revalidation) stop answering for old ETags.
    if revalidation.enabled():
        transaction.on_commit(revalidation.bump)
    if not enabled():
        return
    from articles.tasks import cache_purge as cache_purge_task

    transaction.on_commit(functools.partial(cache_purge_task.delay, keys))


def article_change_keys(*, article, was_live: bool, now: datetime.datetime | None = None) -> set:
    """What a change to this article alters in public: its own copies (and the pages that
    show it) while it is or was live; when it comes or goes, the lists and its family's pages."""
    is_live = article.is_live(now)
    if not (was_live or is_live):
        return set()
    keys = {article_key(article.pk)}
    if was_live != is_live:
        keys |= {ARTICLES, family_key(article.translation_of_id or article.pk)}
    return keys


def articles_shown_changed(*, article_ids) -> None:
    """Shared records these articles show changed (their stored documents are dropped)."""
    if not (enabled() or revalidation.enabled()):
        return
    from articles.models import Article

    ids = Article.objects.live().filter(pk__in=article_ids).values_list("pk", flat=True)
    purge_on_commit(article_key(pk) for pk in ids)


def came_live_keys(*, since: datetime.datetime, now: datetime.datetime | None = None) -> set:
    """Articles that became live by the clock alone between ``since`` and ``now``: an embargo
    that lifted, a publication time reached. Nothing was written, so the sweep purges them."""
    from django.db.models import Q

    from articles.models import Article

    now = now or timezone.now()
    lifted = Q(embargo_until__gt=since, embargo_until__lte=now) | Q(
        published_at__gt=since, published_at__lte=now
    )
    rows = list(Article.objects.live(now).filter(lifted).values_list("pk", "translation_of_id"))
    if not rows:
        return set()
    keys = {ARTICLES}
    for pk, original in rows:
        keys |= {article_key(pk), family_key(original or pk)}
    return keys
