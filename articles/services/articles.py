"""Writes that follow the desk's rules. Each raises ValidationError with a clear message.

Three kinds of refusal, so callers can answer precisely (the API: 403, 409, 400):
- django.core.exceptions.PermissionDenied: the user's role or desk does not allow it;
- WorkflowError (a ValidationError): the article's state forbids the step (publish a retracted
  article, submit one already in review);
- ValidationError: the data does not meet a requirement (no byline, an unknown claim status).
Services that take ``user`` check the rules of articles.permissions for that user and record
them as the author of the change in the revision history; without ``user`` (the beat sweep, the
shell) no role check applies.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions, purge
from articles.history import acting_user
from articles.models import Article, ArticleDocument, Correction
from articles.services.errors import WorkflowError
from articles.services.followups import followup_targets_changed, followups_cancel_for_article
from articles.services.writing import WRITABLE_FIELDS, write_related
from media_credits.services import article_image_problems


class VersionConflict(Exception):
    """The article changed since the caller read it (the API answers 412)."""

    def __init__(self, *, article_id: int, current_version: int):
        self.article_id = article_id
        self.current_version = current_version
        super().__init__(
            f"Article {article_id} is at version {current_version}: reload and apply your "
            "change again."
        )


def article_publish_problems(*, article: Article) -> dict[str, list[str]]:
    """Everything that keeps an article from going live, by field."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not article.headline.strip():
        add("headline", _("A published article needs a headline."))
    if not article.body.strip():
        add("body", _("A published article needs a body."))
    if not article.language:
        add("language", _("A published article needs a language."))
    if article.pk is None or not article.bylines.exists():
        add("authors", _("A published article needs at least one author in its byline."))
    # The images' credits and licences (alt text, credit line, a licence that allows it).
    for field, messages in article_image_problems(article).items():
        for message in messages:
            add(field, message)
    return problems


def _bump(article: Article, now: datetime.datetime) -> None:
    """Version + 1 on an article the caller read with select_for_update (so no one else can
    bump it meanwhile). A plain number, not F(): the revision history copies the value."""
    article.version += 1
    article.updated_at = now


def article_public_changed(
    *,
    article: Article,
    was_live: bool,
    mentions_before: set[int] | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """After a change to the article: purge its cached copies after commit (articles.purge),
    and the pages of the entities whose live articles it changes (it comes or goes, or its
    mentions changed: ``mentions_before``). When it comes or goes, its family's pages list it
    or stop listing it, so their stored documents are rebuilt too (their Last-Modified moves
    with them)."""
    now = now or timezone.now()
    keys = purge.article_change_keys(article=article, was_live=was_live, now=now)
    comes_or_goes = was_live != article.is_live(now)
    if keys and (comes_or_goes or mentions_before is not None):
        mentions = set(article.mentions.values_list("entity_id", flat=True))
        entities = mentions if comes_or_goes else mentions ^ mentions_before
        keys |= {purge.mentions_key(pk) for pk in entities}
    purge.purge_on_commit(keys)
    if comes_or_goes:
        original = article.translation_of_id or article.pk
        family = Article.objects.filter(Q(pk=original) | Q(translation_of_id=original))
        ArticleDocument.objects.filter(
            article_id__in=family.exclude(pk=article.pk).values("pk")
        ).delete()


def article_touch(*, article: Article, now: datetime.datetime | None = None) -> None:
    """Record that the article or its metadata changed: version + 1, new update time."""
    now = now or timezone.now()
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1, updated_at=now)
    article.refresh_from_db(fields=["version", "updated_at"])
    article_public_changed(article=article, was_live=article.is_live(now), now=now)


@transaction.atomic
def _transition(
    *,
    article: Article,
    user,
    allowed: Callable[[Any, Article], bool],
    refusal: str,
    check: Callable[[Article], None],
    apply: Callable[[Article], None],
    now: datetime.datetime,
    after_save: Callable[[Article], None] | None = None,
) -> Article:
    """The steps every workflow move shares, in this order: lock the row; check the user's
    role (``allowed``, else PermissionDenied with ``refusal``); ``check`` the state and the
    data (raises WorkflowError or ValidationError); ``apply`` the change; version + 1; save
    (and ``after_save``) as the acting user, so the history names them."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if user is not None:
        permissions.require(allowed(user, article), refusal)
    was_live = article.is_live(now)
    check(article)
    apply(article)
    _bump(article, now)
    with acting_user(user):
        article.save()
        if after_save is not None:
            after_save(article)
    article.refresh_from_db()
    article_public_changed(article=article, was_live=was_live, now=now)
    return article


def _status_refusal(message: str, article: Article, *, lower: bool = True) -> WorkflowError:
    status = article.get_status_display()
    return WorkflowError({"status": message % {"status": status.lower() if lower else status}})


def _require_publishable(article: Article) -> None:
    problems = article_publish_problems(article=article)
    if problems:
        raise ValidationError(problems, code="publish_requirements")


def article_publish(
    *, article: Article, user=None, now: datetime.datetime | None = None
) -> Article:
    """Publish now. A publish time already set in the past is kept (a republication keeps it)."""
    now = now or timezone.now()

    def check(article: Article) -> None:
        if article.status == Article.Status.RETRACTED:
            raise WorkflowError(
                {"status": _("A retracted article cannot be published again; write a new one.")}
            )
        _require_publishable(article)

    def apply(article: Article) -> None:
        article.status = Article.Status.PUBLISHED
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        article.first_published_at = article.first_published_at or now
        article.last_published_at = now
        article.publish_at = None
        article.full_clean(exclude=["slug", "version", "updated_at"])

    article = _transition(
        article=article,
        user=user,
        allowed=permissions.can_publish,
        refusal=_("Only editors of this article's desk can publish it."),
        check=check,
        apply=apply,
        now=now,
    )
    followup_targets_changed(article=article)
    return article


def article_schedule(
    *,
    article: Article,
    publish_at: datetime.datetime,
    user=None,
    now: datetime.datetime | None = None,
) -> Article:
    now = now or timezone.now()

    def check(article: Article) -> None:
        if timezone.is_naive(publish_at):
            raise ValidationError({"publish_at": _("Give the time with its time zone.")})
        if publish_at <= now:
            raise ValidationError({"publish_at": _("A scheduled time must be in the future.")})
        if article.status in (Article.Status.PUBLISHED, Article.Status.RETRACTED):
            raise _status_refusal(
                _("Only an unpublished article can be scheduled (it is %(status)s)."),
                article,
                lower=False,
            )
        _require_publishable(article)

    def apply(article: Article) -> None:
        article.status = Article.Status.SCHEDULED
        article.publish_at = publish_at

    return _transition(
        article=article,
        user=user,
        allowed=permissions.can_publish,
        refusal=_("Only editors of this article's desk can schedule it."),
        check=check,
        apply=apply,
        now=now,
    )


def article_retract(
    *, article: Article, reason: str, user=None, now: datetime.datetime | None = None
) -> Article:
    """Take a published article down; the reason becomes a public correction note."""
    now = now or timezone.now()

    def check(article: Article) -> None:
        if article.status != Article.Status.PUBLISHED:
            raise _status_refusal(
                _("Only a published article can be retracted (it is %(status)s)."), article
            )
        if not (reason or "").strip():
            raise ValidationError(
                {"reason": _("Say why the article is retracted; readers see it.")}
            )

    def apply(article: Article) -> None:
        article.status = Article.Status.RETRACTED

    def after_save(article: Article) -> None:
        correction = Correction(article=article, text=reason.strip(), corrected_at=now)
        correction.full_clean()
        correction.save()
        # Nobody keeps watching a story the desk took down.
        followups_cancel_for_article(article)

    article = _transition(
        article=article,
        user=user,
        allowed=permissions.can_publish,
        refusal=_("Only editors of this article's desk can retract it."),
        check=check,
        apply=apply,
        now=now,
        after_save=after_save,
    )
    followup_targets_changed(article=article)
    return article


def article_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish every scheduled article whose time has come. Safe to run twice or in parallel."""
    now = now or timezone.now()
    published = []
    for pk in Article.objects.due_for_publishing(now).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            article = (
                Article.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Article.Status.SCHEDULED)
                .first()
            )
            if article is None:
                continue
            try:
                article_publish(article=article, now=now)
            except ValidationError:
                # It met the rules when scheduled; if it no longer does, it stays scheduled
                # and shows in the admin's "scheduled" filter for the desk to fix.
                continue
            published.append(pk)
    return published


@transaction.atomic
def article_delete(*, article: Article, user=None) -> None:
    """Delete an article for good (the admin's delete). The articles whose follow-ups pointed to
    it lose the link (``SET_NULL``), so their stored documents are dropped first, while the
    link can still be found."""
    if user is not None:
        permissions.require(
            permissions.can_publish(user, article),
            _("Only editors of this article's desk can delete it."),
        )
    followup_targets_changed(article=article)
    if article.is_live():
        original = article.translation_of_id or article.pk
        purge.purge_on_commit(
            [purge.article_key(article.pk), purge.family_key(original), purge.ARTICLES]
        )
    with acting_user(user):
        article.delete()


# --- Writing articles (the API, the demo, the shell) -------------------------------------------


@transaction.atomic
def article_create(*, user, data: dict[str, Any], now: datetime.datetime | None = None) -> Article:
    """Create a draft from validated input (see articles.writes.ArticleWriteSerializer).

    ``data`` holds plain fields, ``authors`` (users, in byline order; the creator when absent),
    ``tags`` and the nested lists of ``writing.NESTED_LISTS``. All or nothing.
    """
    now = now or timezone.now()
    desk = data.get("desk")
    permissions.require(
        permissions.can_create(user, desk),
        _("You can create articles only on a desk you belong to as a reporter or editor."),
    )
    article = Article(
        **{field: data[field] for field in WRITABLE_FIELDS if field in data},
        status=Article.Status.DRAFT,
        created_at=now,
        updated_at=now,
    )
    article.full_clean()
    with acting_user(user):
        article.save()
        related = dict(data)
        if not related.get("authors"):
            related["authors"] = [user]
        write_related(article=article, user=user, data=related, replace=False)
    return article


@transaction.atomic
def article_update(
    *,
    user,
    article_id: int,
    data: dict[str, Any],
    expected_versions: list[int] | None,
    replace: bool = False,
    now: datetime.datetime | None = None,
) -> Article:
    """Change an article and its nested lists; each list given replaces the stored one.

    With ``expected_versions`` the first statement of the transaction is one conditional
    ``UPDATE ... WHERE id = %s AND version IN (...)``: of two writers holding the same version,
    the second waits for the first to commit, then matches no row and gets VersionConflict.
    ``replace`` (PUT) clears what the input leaves out.
    """
    now = now or timezone.now()
    articles = Article.objects.filter(pk=article_id)
    if expected_versions is not None:
        matched = articles.filter(version__in=expected_versions).update(
            version=F("version") + 1, updated_at=now
        )
        if not matched:
            current = articles.values_list("version", flat=True).first()
            if current is None:
                raise Http404(_("No article with this id."))
            raise VersionConflict(article_id=article_id, current_version=current)
    else:
        articles.update(version=F("version") + 1, updated_at=now)
    article = Article.objects.select_for_update().get(pk=article_id)
    was_live = article.is_live(now)
    permissions.require(
        permissions.can_edit(user, article), permissions.edit_refusal(user, article)
    )
    new_desk = data.get("desk", article.desk)
    if new_desk != article.desk:
        permissions.require(
            permissions.can_create(user, new_desk),
            _("You can move an article only to a desk you belong to."),
        )
    mentions_before = set(article.mentions.values_list("entity_id", flat=True))
    for field in WRITABLE_FIELDS:
        if field in data:
            setattr(article, field, data[field])
    article.full_clean()
    with acting_user(user):
        article.save()
        write_related(article=article, user=user, data=data, replace=replace)
    if article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
        # A live or scheduled article keeps meeting the publishing rules after an edit.
        problems = article_publish_problems(article=article)
        if problems:
            raise ValidationError(problems)
    followup_targets_changed(article=article)
    article_public_changed(
        article=article, was_live=was_live, mentions_before=mentions_before, now=now
    )
    return article


def article_submit(*, article: Article, user=None, now: datetime.datetime | None = None) -> Article:
    """Send a draft to the desk's editors for review."""

    def check(article: Article) -> None:
        if article.status != Article.Status.DRAFT:
            raise _status_refusal(
                _("Only a draft can be submitted for review (it is %(status)s)."), article
            )
        problems: dict[str, list[str]] = {}
        if not article.headline.strip():
            problems["headline"] = [_("An article in review needs a headline.")]
        if not article.body.strip():
            problems["body"] = [_("An article in review needs a body.")]
        if problems:
            raise ValidationError(problems)

    def apply(article: Article) -> None:
        article.status = Article.Status.IN_REVIEW

    return _transition(
        article=article,
        user=user,
        allowed=permissions.can_submit,
        refusal=_("Only the article's authors and its desk's editors can submit it."),
        check=check,
        apply=apply,
        now=now or timezone.now(),
    )
