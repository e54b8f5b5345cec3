"""What article_create and article_update write besides the article's own fields: the byline,
the tags and the nested lists. The admin checks its byline with the same ``byline_check``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles import permissions
from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Correction,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
)
from articles.nested import ModelListWriter, NestedWriter
from articles.services.followups import FollowUpWriter
from articles.services.highlights import HighlightBoxWriter
from media_credits.models import ArticleImage
from media_credits.services import ArticleImageWriter

# Plain fields a writer may set; status and the publication times move only through the
# workflow services (articles.services.articles).
WRITABLE_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "language",
    "desk",
    "source_note",
    "editor_note",
    "translation_of",
    "canonical_url",
    "embargo_until",
)

# The nested lists of an article and their writers, in the order the API documents them.
NESTED_LISTS: dict[str, NestedWriter] = {
    writer.name: writer
    for writer in (
        ModelListWriter(name="mentions", model=Mention, match_on=lambda m: (m.entity_id, m.role)),
        ModelListWriter(name="claims", model=Claim),
        ModelListWriter(name="quotes", model=Quote),
        ModelListWriter(name="key_figures", model=KeyFigure),
        ModelListWriter(name="key_dates", model=KeyDate),
        ModelListWriter(name="sources", model=Source),
        ModelListWriter(name="corrections", model=Correction, order_field=None),
        HighlightBoxWriter(),
        FollowUpWriter(),
        ArticleImageWriter(
            name="images",
            model=ArticleImage,
            order_field=None,
            match_on=lambda use: (use.image_id, use.role),
        ),
    )
}


def byline_check(*, user, authors: list) -> None:
    """The byline's rules, for the API and the admin alike: each author once, and a reporter
    (neither editor nor admin) keeps their own name in it, so the article stays theirs to edit.
    ``user`` None (a shell, a task) checks only the first rule."""
    is_plain_reporter = not (permissions.is_admin(user) or permissions.is_editor(user))
    if is_plain_reporter and user is not None and user.pk not in {a.pk for a in authors}:
        raise ValidationError(
            {"authors": _("A reporter's own article carries their name in the byline.")}
        )
    if len({a.pk for a in authors}) != len(authors):
        raise ValidationError({"authors": _("Each author appears once in the byline.")})


def _write_byline(*, article: Article, authors: list) -> None:
    """Replace the byline with ``authors`` in order, keeping rows that stay (for the history)."""
    existing = {byline.user_id: byline for byline in ArticleAuthor.objects.filter(article=article)}
    wanted = [user.pk for user in authors]
    for user_id, byline in existing.items():
        if user_id not in wanted:
            byline.delete()
    for order, user_id in enumerate(wanted):
        byline = existing.get(user_id)
        if byline is None:
            ArticleAuthor.objects.create(article=article, user_id=user_id, order=order)
        elif byline.order != order:
            byline.order = order
            byline.save(update_fields=["order"])


def write_related(*, article: Article, user, data: dict[str, Any], replace: bool) -> None:
    """Write the byline, the tags and the nested lists ``data`` names (all with ``replace``)."""
    if "authors" in data or replace:
        authors = list(data.get("authors") or [])
        byline_check(user=user, authors=authors)
        _write_byline(article=article, authors=authors)
    if "tags" in data or replace:
        article.tags.set(data.get("tags") or [])
    errors: dict[str, list[str]] = {}
    for name, writer in NESTED_LISTS.items():
        if name in data or replace:
            try:
                writer.write(article=article, items=list(data.get(name) or []))
            except ValidationError as exc:
                errors.update(
                    exc.message_dict if hasattr(exc, "error_dict") else {name: exc.messages}
                )
    if errors:
        raise ValidationError(errors)
    if "images" in data:
        # The lead image attached now gets the attribution the imported copy stated.
        from articles.services.imports import article_pending_image_apply

        article_pending_image_apply(article=article)
