"""The beat sweep of the reminder pipeline.

The database is the source of truth: a reminder is a ReminderDelivery row, unique per
(follow-up, due time). Beat runs `reminders_dispatch` every minute; it creates the rows for the
follow-ups that are due, advances each follow-up by its cadence, and claims pending rows whose
time has come (quiet hours, back-off), enqueueing one send task per row after commit. The send
task (articles.reminders.send) claims its row with a conditional UPDATE (pending -> sending),
sends one email, and marks it sent. A row left in "sending" past NEWSROOM_REMINDER_STALE_SECONDS
(a worker died) is reclaimed; a claimed row whose message never ran (Redis lost it) is claimed
again after NEWSROOM_REMINDER_REQUEUE_SECONDS. Nothing waits in Redis: every wait is a column.
"""

import datetime
import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from articles.models import FollowUp, JournalistProfile, ReminderDelivery
from articles.reminders.clock import next_check_after, next_sending_time, reminder_message_id

logger = logging.getLogger(__name__)

State = ReminderDelivery.State
Status = FollowUp.Status


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
