"""Writes that follow the desk's rules. Each raises ValidationError with a clear message."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Correction

# Other apps add publishing checks here (media credits: alt text, credit, licence).
# Each takes the article and returns {field: [messages]}.
PublishCheck = Callable[[Article], dict[str, list[str]]]
publish_checks: list[PublishCheck] = []


def register_publish_check(check: PublishCheck) -> PublishCheck:
    publish_checks.append(check)
    return check


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
    for check in publish_checks:
        for field, messages in check(article).items():
            for message in messages:
                add(field, message)
    return problems


def _bump(article: Article, now: datetime.datetime) -> None:
    article.version = F("version") + 1
    article.updated_at = now


def article_touch(*, article: Article, now: datetime.datetime | None = None) -> None:
    """Record that the article or its metadata changed: version + 1, new update time."""
    now = now or timezone.now()
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1, updated_at=now)
    article.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def article_publish(*, article: Article, now: datetime.datetime | None = None) -> Article:
    """Publish now. A publish time already set in the past is kept (a republication keeps it)."""
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.RETRACTED:
        raise ValidationError(
            {"status": _("A retracted article cannot be published again; write a new one.")},
            code="workflow",
        )
    problems = article_publish_problems(article=article)
    if problems:
        raise ValidationError(problems, code="publish_requirements")
    article.status = Article.Status.PUBLISHED
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    article.publish_at = None
    _bump(article, now)
    article.full_clean(exclude=["slug", "version", "updated_at"])
    article.save()
    article.refresh_from_db()
    return article


@transaction.atomic
def article_schedule(
    *, article: Article, publish_at: datetime.datetime, now: datetime.datetime | None = None
) -> Article:
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if timezone.is_naive(publish_at):
        raise ValidationError({"publish_at": _("Give the time with its time zone.")})
    if publish_at <= now:
        raise ValidationError({"publish_at": _("A scheduled time must be in the future.")})
    if article.status in (Article.Status.PUBLISHED, Article.Status.RETRACTED):
        raise ValidationError(
            {
                "status": _("Only an unpublished article can be scheduled (it is %(status)s).")
                % {"status": article.get_status_display()}
            },
            code="workflow",
        )
    problems = article_publish_problems(article=article)
    if problems:
        raise ValidationError(problems, code="publish_requirements")
    article.status = Article.Status.SCHEDULED
    article.publish_at = publish_at
    _bump(article, now)
    article.save()
    article.refresh_from_db()
    return article


@transaction.atomic
def article_retract(
    *, article: Article, reason: str, now: datetime.datetime | None = None
) -> Article:
    """Take a published article down; the reason becomes a public correction note."""
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(
            {"status": _("Only a published article can be retracted.")}, code="workflow"
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the article is retracted; readers see it.")})
    article.status = Article.Status.RETRACTED
    _bump(article, now)
    article.save()
    correction = Correction(article=article, text=reason.strip(), corrected_at=now)
    correction.full_clean()
    correction.save()
    for hook in retract_hooks:
        hook(article)
    article.refresh_from_db()
    return article


# Other parts of the app react to a retraction here (follow-ups are cancelled).
retract_hooks: list[Callable[[Article], None]] = []


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
