"""Follow-up services: the desk's writes, the signed links in reminder emails, and the nested
writer of the article API. The reminder pipeline is articles.reminders (clock, dispatch, send).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.history import current_acting_user
from articles.models import (
    Article,
    ArticleDocument,
    DeskMembership,
    Entity,
    FollowUp,
    JournalistProfile,
    ReminderDelivery,
)
from articles.models.followups import default_promise
from articles.nested import add_errors
from articles.reminders.clock import next_sending_time
from articles.services.errors import WorkflowError

State = ReminderDelivery.State
Status = FollowUp.Status


def owner_profile(user) -> JournalistProfile:
    """The user's profile, or an unsaved one with the site defaults."""
    try:
        return user.journalist_profile
    except JournalistProfile.DoesNotExist:
        return JournalistProfile(user=user, time_zone=settings.TIME_ZONE, language="fr")


def _check_aware(field: str, value: datetime.datetime | None) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its time zone.")})


def _check_next_check(value: datetime.datetime | None) -> None:
    """A follow-up being watched needs its next check: without one it would never remind."""
    if value is None:
        raise ValidationError(
            {"next_check_at": _("Give the time of the next check; to stop, cancel the follow-up.")}
        )
    _check_aware("next_check_at", value)


def followups_visible(user):
    """The follow-ups the user may see, in the admin and the API: a follow-up (its owner, what
    the desk watches) is the desk's internal side of an article, so only those of the articles
    whose editorial side the user reads: their desks' and their own, live or not."""
    rows = FollowUp.objects.all()
    if permissions.is_admin(user):
        return rows
    return rows.filter(article__in=permissions.editorial_articles(user).values("pk"))


def followup_people_check(
    *, article: Article, owner=None, watchers: Iterable | None = None
) -> None:
    """The owner and watchers of a follow-up are active members of its article's desk."""
    people = ([("owner", owner)] if owner is not None else []) + [
        ("watchers", user) for user in (watchers or ())
    ]
    if not people:
        return
    members = set(
        DeskMembership.objects.filter(
            desk_id=article.desk_id, user__in=[user.pk for _field, user in people]
        )
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for field, user in people:
        if user.pk not in members:
            errors.setdefault(field, []).append(
                _("%(user)s is not an active member of the article's desk.") % {"user": user}
            )
    if errors:
        raise ValidationError(errors)


def followup_targets_changed(*, article: Article) -> None:
    """The article was published, retracted, changed or deleted: the stored documents of the
    articles whose follow-ups link to it (``followed_up_by``) are rebuilt on their next read."""
    ids = list(
        FollowUp.objects.filter(followed_up_by_id=article.pk)
        .exclude(article_id=None)
        .values_list("article_id", flat=True)
        .distinct()
    )
    if ids:
        ArticleDocument.objects.invalidate(article_ids=ids)


def _article_document_invalidate(followup: FollowUp) -> None:
    """The public article shows its follow-ups' promises from its stored document."""
    ArticleDocument.objects.invalidate(article_ids=[followup.article_id])


def _cancel_pending_deliveries(followup: FollowUp, reason: str) -> None:
    followup.deliveries.filter(state=State.PENDING).update(state=State.CANCELLED, last_error=reason)


@transaction.atomic
def followup_create(
    *,
    article: Article,
    owner,
    what: str,
    next_check_at: datetime.datetime,
    every_days: int | None = None,
    entities: Iterable[Entity] = (),
    watchers: Iterable = (),
    promise: str = "",
) -> FollowUp:
    _check_next_check(next_check_at)
    if article.status == Article.Status.RETRACTED:
        raise ValidationError({"article": _("A retracted article cannot be followed up.")})
    followup = FollowUp(
        article=article,
        owner=owner,
        what=(what or "").strip(),
        next_check_at=next_check_at,
        every_days=every_days,
        promise=(promise or "").strip(),
    )
    followup.full_clean(exclude=["promise"])
    followup.save()
    followup.entities.set(list(entities))
    followup.watchers.set(list(watchers))
    _article_document_invalidate(followup)
    return followup


@transaction.atomic
def followup_update(
    *, followup: FollowUp, entities: Iterable[Entity] | None = None, watchers=None, **fields
) -> FollowUp:
    """Change what, next check, cadence, promise or owner of an open follow-up."""
    allowed = {"what", "next_check_at", "every_days", "promise", "owner"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup.is_active:
        raise WorkflowError(
            {"status": _("Only a follow-up being watched can be changed.")}, code="workflow"
        )
    if "next_check_at" in fields:
        _check_next_check(fields["next_check_at"])
    for name, value in fields.items():
        setattr(followup, name, value.strip() if isinstance(value, str) else value)
    followup.updated_at = timezone.now()
    followup.full_clean(exclude=["promise"])
    followup.save()
    if entities is not None:
        followup.entities.set(list(entities))
    if watchers is not None:
        followup.watchers.set(list(watchers))
    _article_document_invalidate(followup)
    return followup


SNOOZE_PERIODS = {"day": datetime.timedelta(days=1), "week": datetime.timedelta(days=7)}


@transaction.atomic
def followup_snooze(
    *,
    followup: FollowUp,
    period: str | None = None,
    until: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> FollowUp:
    """Put the next reminder off by a day, a week or until a date; drops pending reminders."""
    now = now or timezone.now()
    if (period is None) == (until is None):
        raise ValidationError({"period": _("Snooze for a day, a week, or until a date.")})
    if period is not None:
        if period not in SNOOZE_PERIODS:
            raise ValidationError(
                {"period": _("Snooze for “day” or “week” (got “%(value)s”).") % {"value": period}}
            )
        until = now + SNOOZE_PERIODS[period]
    _check_aware("until", until)
    if until <= now:
        raise ValidationError({"until": _("Snooze until a time in the future.")})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup.is_active:
        raise WorkflowError(
            {"status": _("Only a follow-up being watched can be snoozed.")}, code="workflow"
        )
    followup.status = Status.SNOOZED
    followup.next_check_at = until
    followup.updated_at = now
    followup.save(update_fields=["status", "next_check_at", "updated_at"])
    _cancel_pending_deliveries(followup, "snoozed")
    return followup


@transaction.atomic
def followup_done(
    *,
    followup: FollowUp,
    followed_up_by: Article | None = None,
    now: datetime.datetime | None = None,
) -> FollowUp:
    """Close the follow-up; the article that continued the story, if any, shows on the original."""
    now = now or timezone.now()
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status == Status.CANCELLED:
        raise WorkflowError(
            {"status": _("A cancelled follow-up cannot be marked done.")}, code="workflow"
        )
    if followed_up_by is not None and followed_up_by.pk == followup.article_id:
        raise ValidationError(
            {"followed_up_by": _("The follow-up article must be another article.")}
        )
    followup.status = Status.DONE
    followup.next_check_at = None
    followup.resolved_at = now
    followup.updated_at = now
    if followed_up_by is not None:
        followup.followed_up_by = followed_up_by
    followup.save()
    _cancel_pending_deliveries(followup, "done")
    _article_document_invalidate(followup)
    return followup


@transaction.atomic
def followup_cancel(*, followup: FollowUp, now: datetime.datetime | None = None) -> FollowUp:
    now = now or timezone.now()
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status == Status.DONE:
        raise WorkflowError(
            {"status": _("This follow-up is done; it cannot be cancelled.")}, code="workflow"
        )
    if followup.status != Status.CANCELLED:
        followup.status = Status.CANCELLED
        followup.next_check_at = None
        followup.resolved_at = now
        followup.updated_at = now
        followup.save()
        _article_document_invalidate(followup)
    _cancel_pending_deliveries(followup, "cancelled")
    return followup


def followups_cancel_for_article(article: Article) -> None:
    """retract hook: a retracted article is no longer followed."""
    for followup in FollowUp.objects.filter(article=article).active():
        followup_cancel(followup=followup)


ACTIONS = ("snooze_day", "snooze_week", "done")
SIGNING_SALT = "articles.followups.email-action"  # in emails already sent: never change


def followup_action_token(followup: FollowUp, action: str) -> str:
    return signing.dumps({"f": followup.pk, "a": action}, salt=SIGNING_SALT, compress=True)


def followup_action_from_token(token: str) -> tuple[FollowUp, str]:
    """The follow-up and action a signed link names; ValidationError if forged, expired or gone."""
    try:
        data = signing.loads(
            token, salt=SIGNING_SALT, max_age=settings.NEWSROOM_FOLLOWUP_LINK_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise ValidationError(
            {
                "token": ValidationError(
                    _("This link has expired; open the follow-up in the admin."), code="expired"
                )
            }
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(
            {"token": ValidationError(_("This link is not valid."), code="invalid")}
        ) from exc
    if not isinstance(data, dict) or data.get("a") not in ACTIONS:
        raise ValidationError(
            {"token": ValidationError(_("This link is not valid."), code="invalid")}
        )
    pk = data.get("f")
    # A payload this code did not sign could name anything: only an int is a follow-up id
    # (bool is an int to Python, not to us).
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise ValidationError(
            {"token": ValidationError(_("This link is not valid."), code="invalid")}
        )
    followup = FollowUp.objects.filter(pk=pk).select_related("article").first()
    if followup is None:
        raise ValidationError(
            {"token": ValidationError(_("This follow-up no longer exists."), code="gone")}
        )
    return followup, data["a"]


def followup_apply_action(*, followup: FollowUp, action: str) -> FollowUp:
    if action == "done":
        return followup_done(followup=followup)
    return followup_snooze(followup=followup, period=action.removeprefix("snooze_"))


@transaction.atomic
def journalist_profile_set(
    *, user, now: datetime.datetime | None = None, **fields
) -> JournalistProfile:
    """Save the journalist's preferences and re-plan their reminders that wait for a sweep.

    A pending reminder never tried yet and not in a worker's hands (held by quiet hours, or due
    and waiting for the next sweep) is given the sending time the new hours and time zone say:
    turning quiet hours off sends a held one at the next sweep, and new quiet hours or a new
    time zone hold one that was about to go out at night. Retries keep their back-off.
    """
    now = now or timezone.now()
    profile, _created = JournalistProfile.objects.update_or_create(user=user, defaults=fields)
    waiting = ReminderDelivery.objects.select_for_update().filter(
        followup__owner=user, state=State.PENDING, attempts=0, claimed_at__isnull=True
    )
    window, tz = profile.sending_window(), profile.tz
    for delivery in waiting:
        planned = next_sending_time(now, tz=tz, window=window)
        if delivery.next_attempt_at <= now and planned <= now:
            continue  # due already, and still allowed now: the next sweep sends it
        if planned != delivery.next_attempt_at:
            delivery.next_attempt_at = planned
            delivery.save(update_fields=["next_attempt_at"])
    return profile


FOLLOWUP_FIELDS = ("what", "next_check_at", "every_days", "promise", "owner")


class FollowUpWriter:
    """Replaces the article's open follow-ups through the follow-up services.

    An item with an ``id`` changes that follow-up (``followup_update``), one without creates a
    follow-up (``followup_create``, owned by the requesting user unless ``owner`` is given), and
    a watched follow-up left out of the list is cancelled (``followup_cancel``): never deleted,
    so its reminder deliveries stay on record. Done follow-ups are closed: left out, they stay.
    """

    name = "followups"

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = {
            f.pk: f
            for f in FollowUp.objects.filter(article=article)
            .exclude(status=FollowUp.Status.CANCELLED)
            .prefetch_related("entities")
        }
        errors: dict[str, list[str]] = {}
        seen: dict[int, int] = {}
        for index, data in enumerate(items):
            path = f"{self.name}[{index}]"
            pk = data.get("id")
            if pk is None:
                for name in ("what", "next_check_at"):
                    if not data.get(name):
                        errors[f"{path}.{name}"] = [_("A new follow-up needs this field.")]
            elif pk not in stored:
                errors[f"{path}.id"] = [_("This article has no open follow-up with this id.")]
            elif pk in seen:
                errors[path] = [
                    _("This is the same as item %(index)d of the list.") % {"index": seen[pk]}
                ]
            else:
                seen[pk] = index
        if errors:
            raise ValidationError(errors)

        for pk, followup in stored.items():
            if pk not in seen and followup.is_active:
                followup_cancel(followup=followup)
        for index, data in enumerate(items):
            path = f"{self.name}[{index}]"
            try:
                if data.get("id") is None:
                    self._create(article=article, data=data, path=path)
                else:
                    self._update(article=article, followup=stored[data["id"]], data=data)
            except ValidationError as exc:
                add_errors(errors, path, exc)
        if errors:
            raise ValidationError(errors)

    def _create(self, *, article: Article, data: dict[str, Any], path: str) -> None:
        followup_people_check(article=article, owner=data.get("owner"))
        owner = data.get("owner") or current_acting_user()
        if owner is None:
            raise ValidationError({"owner": _("Name the owner who gets the reminders.")})
        followup_create(
            article=article,
            owner=owner,
            what=data["what"],
            next_check_at=data["next_check_at"],
            every_days=data.get("every_days"),
            entities=data.get("entities", ()),
            promise=data.get("promise", ""),
        )

    def _update(self, *, article: Article, followup: FollowUp, data: dict[str, Any]) -> None:
        changes = {}
        for name in FOLLOWUP_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            if name == "promise" and not value:
                value = default_promise(article.language)
            current = followup.owner_id if name == "owner" else getattr(followup, name)
            if current != (value.pk if name == "owner" else value):
                changes[name] = value
        entities = None
        if "entities" in data:
            wanted = {entity.pk for entity in data["entities"]}
            if wanted != {entity.pk for entity in followup.entities.all()}:
                entities = data["entities"]
        if "owner" in changes:
            followup_people_check(article=article, owner=changes["owner"])
        if changes or entities is not None:
            followup_update(followup=followup, entities=entities, **changes)
