"""Reminder clock: quiet hours, cadence, back-off and Message-ID. Pure functions of their arguments
(and settings), so the sweep and the tests call them without a database."""

import datetime
import random
import zoneinfo

from django.conf import settings


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
