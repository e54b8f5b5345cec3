"""Follow-up services and the reminder pipeline.

The database is the source of truth: a reminder is a ReminderDelivery row, unique per
(follow-up, due time). Beat runs `reminders_dispatch` every minute; it creates the rows for the
follow-ups that are due, advances each follow-up by its cadence, and claims pending rows whose
time has come (quiet hours, back-off), enqueueing one send task per row after commit. The send
task claims its row with a conditional UPDATE (pending -> sending), sends one email, and marks it
sent. A row left in "sending" past NEWSROOM_REMINDER_STALE_SECONDS (a worker died) is reclaimed;
a claimed row whose message never ran (Redis lost it) is claimed again after
NEWSROOM_REMINDER_REQUEUE_SECONDS. Nothing waits in Redis: every wait is a column.
"""

import datetime
import logging
import random
import smtplib
import socket
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.history import current_acting_user
from articles.models import (
    Article,
    ArticleDocument,
    Entity,
    FollowUp,
    JournalistProfile,
    ReminderDelivery,
)
from articles.models.followups import default_promise
from articles.nested import add_errors

logger = logging.getLogger(__name__)

State = ReminderDelivery.State
Status = FollowUp.Status

# --- Time arithmetic ---------------------------------------------------------------------------


def owner_profile(user) -> JournalistProfile:
    """The user's profile, or an unsaved one with the site defaults."""
    try:
        return user.journalist_profile
    except JournalistProfile.DoesNotExist:
        return JournalistProfile(user=user, time_zone=settings.TIME_ZONE, language="fr")


def _local_at(day: datetime.date, at: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    # A wall-clock time that falls in a DST gap (02:30 on the spring-forward night) is read with
    # the offset before the change, i.e. one hour later in real time.
    return datetime.datetime.combine(day, at, tzinfo=tz).astimezone(datetime.UTC)


def next_sending_time(
    when: datetime.datetime,
    *,
    tz: zoneinfo.ZoneInfo,
    window: tuple[datetime.time, datetime.time] | None,
) -> datetime.datetime:
    """`when`, or the start of the next local sending window if `when` falls in quiet hours."""
    if window is None:
        return when
    start, end = window
    if start == end:
        return when
    local = when.astimezone(tz)
    now_t = local.time().replace(tzinfo=None)
    if start < end:
        if start <= now_t < end:
            return when
        day = local.date() if now_t < start else local.date() + datetime.timedelta(days=1)
        return _local_at(day, start, tz)
    # A window that spans midnight, e.g. 22:00-06:00.
    if now_t >= start or now_t < end:
        return when
    return _local_at(local.date(), start, tz)


def next_check_after(
    current: datetime.datetime,
    *,
    every_days: int | None,
    tz: zoneinfo.ZoneInfo,
    now: datetime.datetime,
) -> datetime.datetime | None:
    """The next check by cadence, keeping the local wall-clock time across DST changes.

    Once: None. Every N days: N local days later, and past `now` (a follow-up that was due long
    ago gets one reminder, not one per missed period).
    """
    if not every_days:
        return None
    local = current.astimezone(tz).replace(tzinfo=None)
    step = datetime.timedelta(days=every_days)
    nxt = (local + step).replace(tzinfo=tz).astimezone(datetime.UTC)
    while nxt <= now:
        local += step
        nxt = (local + step).replace(tzinfo=tz).astimezone(datetime.UTC)
    return nxt


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> datetime.timedelta:
    """Exponential back-off with "equal jitter": half fixed, half random, capped.

    https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
    """
    rng = rng or random
    base = settings.NEWSROOM_REMINDER_BACKOFF_SECONDS
    cap = settings.NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return datetime.timedelta(seconds=delay / 2 + rng.uniform(0, delay / 2))


def reminder_message_id(followup_id: int, due_at: datetime.datetime) -> str:
    return f"<reminder.{followup_id}.{int(due_at.timestamp())}@{settings.NEWSROOM_EMAIL_DOMAIN}>"


# --- Follow-up services ------------------------------------------------------------------------


def _check_aware(field: str, value: datetime.datetime | None) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its time zone.")})


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
    _check_aware("next_check_at", next_check_at)
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
        raise ValidationError(
            {"status": _("Only a follow-up being watched can be changed.")}, code="workflow"
        )
    _check_aware("next_check_at", fields.get("next_check_at"))
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
        raise ValidationError(
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
        raise ValidationError(
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
        raise ValidationError(
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


# --- Dispatch ----------------------------------------------------------------------------------


def _enqueue_on_commit(ids: list[int]) -> None:
    from articles.tasks import reminder_send

    for pk in ids:
        reminder_send.delay_on_commit(pk)


PROFILE_FIELDS = (
    "owner__journalist_profile__id",
    "owner__journalist_profile__time_zone",
    "owner__journalist_profile__any_hour",
    "owner__journalist_profile__quiet_hours_start",
    "owner__journalist_profile__quiet_hours_end",
)


def _owner_clock(row: tuple, cache: dict) -> tuple[zoneinfo.ZoneInfo, tuple | None]:
    """(time zone, sending window) from a row's profile columns; site defaults without one."""
    key = row
    if key not in cache:
        profile_id, time_zone, any_hour, start, end = row
        profile = JournalistProfile(
            time_zone=time_zone if profile_id else settings.TIME_ZONE,
            any_hour=bool(any_hour),
            quiet_hours_start=start,
            quiet_hours_end=end,
        )
        cache[key] = (profile.tz, profile.sending_window())
    return cache[key]


def reminders_create_due(
    *,
    now: datetime.datetime,
    batch_size: int,
    enqueue: Callable[[list[int]], None] | None = None,
) -> int:
    """One batch: delivery rows for due follow-ups, and each follow-up moved to its next check.

    Reads plain rows, not model instances, and writes with one statement each on PostgreSQL:
    this is the part of the sweep that scales with the number of due follow-ups. On PostgreSQL
    a new row that may go out now is inserted already claimed (the lease set, its id returned
    and enqueued after commit): no other sweep can hold a row this transaction just created, so
    the separate claim pass is left with deferred rows (quiet hours, retries, lost messages).
    """
    with transaction.atomic():
        rows = list(
            FollowUp.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_check_at")
            .values_list("id", "next_check_at", "every_days", *PROFILE_FIELDS)[:batch_size]
        )
        if not rows:
            return 0
        clocks: dict = {}
        deliveries = []  # (followup id, due at, next attempt at, Message-ID)
        advanced = []  # (followup id, next check)
        for followup_id, due_at, every_days, *profile in rows:
            tz, window = _owner_clock(tuple(profile), clocks)
            # Quiet hours count from now: a reminder due at 19:59 and seen at 20:00:30 waits
            # for the morning.
            deliveries.append(
                (
                    followup_id,
                    due_at,
                    next_sending_time(now, tz=tz, window=window),
                    reminder_message_id(followup_id, due_at),
                )
            )
            advanced.append(
                (followup_id, next_check_after(due_at, every_days=every_days, tz=tz, now=now))
            )
        claimed = _insert_deliveries(deliveries, now=now, claim=enqueue is not None)
        _advance(advanced)
        if claimed:
            enqueue(claimed)
        return len(rows)


def _insert_deliveries(
    deliveries: list[tuple], *, now: datetime.datetime, claim: bool
) -> list[int]:
    """INSERT ... ON CONFLICT DO NOTHING: a row that exists already (same follow-up and due
    time, from a racing sweep) is left as it is. Returns the ids of the rows claimed here."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ReminderDelivery._meta.db_table)
        followup_ids, due_ats, next_attempts, message_ids = (
            list(c) for c in zip(*deliveries, strict=True)
        )
        lease = now + datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
        claim_until = now if claim else None
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (followup_id, due_at, state, attempts, next_attempt_at, "
                "claimed_at, message_id, last_error, created_at) "
                "SELECT f, d, %(pending)s, 0, "
                "CASE WHEN n <= %(claim_until)s THEN %(lease)s ELSE n END, "
                "CASE WHEN n <= %(claim_until)s THEN %(now)s END, m, '', %(now)s "
                "FROM unnest(%(f)s::bigint[], %(d)s::timestamptz[], %(n)s::timestamptz[], "
                "%(m)s::text[]) AS v(f, d, n, m) "
                "ON CONFLICT (followup_id, due_at) DO NOTHING "
                "RETURNING id, claimed_at IS NOT NULL",
                {
                    "pending": State.PENDING,
                    "now": now,
                    "lease": lease,
                    "claim_until": claim_until,
                    "f": followup_ids,
                    "d": due_ats,
                    "n": next_attempts,
                    "m": message_ids,
                },
            )
            return [pk for pk, claimed in cursor.fetchall() if claimed]
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                followup_id=followup_id,
                due_at=due_at,
                next_attempt_at=next_attempt_at,
                message_id=message_id,
                created_at=now,
            )
            for followup_id, due_at, next_attempt_at, message_id in deliveries
        ],
        ignore_conflicts=True,
    )
    return []


def _advance(advanced: list[tuple[int, datetime.datetime | None]]) -> None:
    """Store each follow-up's next check (and status watching) in as few statements as fit.

    Django's bulk_update builds a CASE expression per row, which costs more than the rest of the
    dispatch together; on PostgreSQL one UPDATE ... FROM unnest() does it.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(FollowUp._meta.db_table)
        ids, next_checks = (list(c) for c in zip(*advanced, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS f SET next_check_at = v.next, status = %s "
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, next) WHERE f.id = v.id",
                [Status.WATCHING, ids, next_checks],
            )
        return
    by_value: dict = {}
    for followup_id, next_check in advanced:
        by_value.setdefault(next_check, []).append(followup_id)
    for value, ids in by_value.items():
        FollowUp.objects.filter(pk__in=ids).update(next_check_at=value, status=Status.WATCHING)


def reminders_reclaim_stale(*, now: datetime.datetime) -> int:
    """Deliveries stuck in "sending" (their worker died mid-send) go back to pending."""
    stale_before = now - datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_STALE_SECONDS)
    reclaimed = ReminderDelivery.objects.filter(
        state=State.SENDING, claimed_at__lt=stale_before
    ).update(state=State.PENDING, next_attempt_at=now, last_error="reclaimed after a stale send")
    if reclaimed:
        logger.warning("reclaimed %d stale reminder deliveries", reclaimed)
    return reclaimed


def reminders_claim_batch(
    *, now: datetime.datetime, batch_size: int, enqueue: Callable[[list[int]], None]
) -> int:
    """Claim one batch of pending deliveries whose time has come and enqueue them after commit.

    The claim pushes next_attempt_at to a lease: if the broker loses the message, the row comes
    due again when the lease ends and is enqueued again (the send task's own claim keeps a second
    message from sending twice).
    """
    lease = now + datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            ReminderDelivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return 0
        ReminderDelivery.objects.filter(pk__in=ids).update(next_attempt_at=lease, claimed_at=now)
        enqueue(ids)
    return len(ids)


def reminders_dispatch(
    *,
    now: datetime.datetime | None = None,
    batch_size: int | None = None,
    enqueue: Callable[[list[int]], None] = _enqueue_on_commit,
    max_batches: int = 1000,
) -> dict[str, int]:
    """The beat sweep. Safe to run twice, and in parallel (skip_locked, unique rows)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.NEWSROOM_REMINDER_BATCH_SIZE
    created = 0
    enqueued: list[int] = []

    def counted_enqueue(ids: list[int]) -> None:
        enqueued.extend(ids)
        enqueue(ids)

    for _batch in range(max_batches):
        count = reminders_create_due(now=now, batch_size=batch_size, enqueue=counted_enqueue)
        created += count
        if count < batch_size:
            break
    reclaimed = reminders_reclaim_stale(now=now)
    for _batch in range(max_batches):
        count = reminders_claim_batch(now=now, batch_size=batch_size, enqueue=counted_enqueue)
        if count < batch_size:
            break
    return {"created": created, "reclaimed": reclaimed, "claimed": len(enqueued)}


# --- Sending -----------------------------------------------------------------------------------


class PermanentSendError(Exception):
    pass


def is_transient(exc: BaseException) -> bool:
    """4xx SMTP answers, refused or dropped connections and timeouts are worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, PermanentSendError):
        return False
    return isinstance(exc, (smtplib.SMTPException, OSError, socket.timeout, TimeoutError))


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
    followup = FollowUp.objects.filter(pk=data.get("f")).select_related("article").first()
    if followup is None:
        raise ValidationError(
            {"token": ValidationError(_("This follow-up no longer exists."), code="gone")}
        )
    return followup, data["a"]


def followup_apply_action(*, followup: FollowUp, action: str) -> FollowUp:
    if action == "done":
        return followup_done(followup=followup)
    return followup_snooze(followup=followup, period=action.removeprefix("snooze_"))


def related_articles(followup: FollowUp, *, since: datetime.datetime, limit: int = 20):
    entity_ids = list(followup.entities.values_list("pk", flat=True))
    if not entity_ids:
        return []
    return list(
        Article.objects.live()
        .filter(mentions__entity_id__in=entity_ids)
        .filter(Q(published_at__gte=since) | Q(first_published_at__gte=since))
        .exclude(pk=followup.article_id)
        .distinct()
        .only("id", "headline", "published_at", "language")
        .order_by("-published_at", "-id")[:limit]
    )


SUBJECTS = {"fr": "Suivi : {headline}", "en": "Follow-up: {headline}"}


def reminder_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    followup = delivery.followup
    owner = followup.owner
    profile = owner_profile(owner)
    language = profile.language if profile.language in SUBJECTS else "en"
    tz = profile.tz
    site = settings.NEWSROOM_SITE_URL
    since = followup.last_reminded_at or followup.created_at
    article = followup.article
    context = {
        "owner_name": owner.get_full_name() or owner.get_username(),
        "headline": article.headline,
        "admin_url": site + reverse("admin:articles_article_change", args=[article.pk]),
        "followup_admin_url": site + reverse("admin:articles_followup_change", args=[followup.pk]),
        "what": followup.what,
        "entities": [e.name for e in followup.entities.all()],
        "since": timezone.localtime(since, tz),
        "due_at": timezone.localtime(delivery.due_at, tz),
        "articles": [
            {
                "headline": a.headline,
                "published_at": timezone.localtime(a.published_at, tz) if a.published_at else None,
                "admin_url": site + reverse("admin:articles_article_change", args=[a.pk]),
            }
            for a in related_articles(followup, since=since)
        ],
        "links": {
            action: site
            + reverse("followup-action", args=[followup_action_token(followup, action)])
            for action in ACTIONS
        },
        "every_days": followup.every_days,
    }
    text = render_to_string(f"articles/email/reminder.{language}.txt", context)
    html = render_to_string(f"articles/email/reminder.{language}.html", context)
    if not owner.email:
        raise PermanentSendError(f"user {owner.pk} has no email address")
    cc = [w.email for w in followup.watchers.all() if w.email and w.email != owner.email]
    message = EmailMultiAlternatives(
        subject=SUBJECTS[language].format(headline=article.headline),
        body=text,
        to=[owner.email],
        cc=cc,
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_send(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Send one reminder at most once per claim. Not atomic on purpose: each step commits.

    pending -> sending (conditional UPDATE: one sender wins) -> email -> sent. A crash between
    the SMTP server's acceptance and the "sent" commit leaves the row in "sending"; the stale
    sweep sends it again, which is the one case that can duplicate an email.
    """
    now = now or timezone.now()
    claimed = ReminderDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed"
    delivery = ReminderDelivery.objects.select_related(
        "followup__article", "followup__owner__journalist_profile"
    ).get(pk=delivery_id)
    followup = delivery.followup
    mine = ReminderDelivery.objects.filter(pk=delivery_id, state=State.SENDING)
    if not followup.is_active or followup.article_id is None:
        mine.update(state=State.CANCELLED, last_error=f"follow-up {followup.status}")
        return "cancelled"
    try:
        reminder_message(delivery).send(fail_silently=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if is_transient(exc) and delivery.attempts < settings.NEWSROOM_REMINDER_MAX_ATTEMPTS:
            retry_at = timezone.now() + backoff_delay(delivery.attempts)
            mine.update(state=State.PENDING, next_attempt_at=retry_at, last_error=error)
            logger.info(
                "reminder %s: transient error, retry at %s: %s", delivery_id, retry_at, error
            )
            return "retry"
        mine.update(state=State.FAILED, last_error=error)
        logger.error(
            "reminder %s failed for good after %d attempts: %s",
            delivery_id,
            delivery.attempts,
            error,
        )
        return "failed"
    sent_at = timezone.now()
    with transaction.atomic():  # one commit for both rows
        mine.update(state=State.SENT, sent_at=sent_at, last_error="")
        FollowUp.objects.filter(pk=followup.pk).update(last_reminded_at=sent_at)
    return "sent"


def journalist_profile_set(*, user, **fields) -> JournalistProfile:
    profile, _created = JournalistProfile.objects.update_or_create(user=user, defaults=fields)
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
        if changes or entities is not None:
            followup_update(followup=followup, entities=entities, **changes)
