import datetime
import random
import zoneinfo

import pytest

from articles.models import ReminderDelivery
from articles.reminders import clock

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
UTC = datetime.UTC
WINDOW = (datetime.time(8), datetime.time(20))
State = ReminderDelivery.State


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# --- Time arithmetic ---------------------------------------------------------------------------


def test_a_reminder_due_during_working_hours_goes_out_at_once():
    when = paris(2026, 5, 4, 10, 30)
    assert clock.next_sending_time(when, tz=PARIS, window=WINDOW) == when


def test_a_reminder_due_at_night_waits_for_the_next_morning():
    result = clock.next_sending_time(paris(2026, 5, 4, 23, 15), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 5, 8, 0)


def test_a_reminder_due_before_dawn_goes_out_the_same_morning():
    result = clock.next_sending_time(paris(2026, 5, 4, 3, 0), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 4, 8, 0)


def test_the_end_of_the_window_is_already_quiet():
    result = clock.next_sending_time(paris(2026, 5, 4, 20, 0), tz=PARIS, window=WINDOW)
    assert result == paris(2026, 5, 5, 8, 0)


def test_quiet_hours_follow_the_owner_time_zone():
    when = datetime.datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # 05:00 Paris, 23:00 Montreal
    assert clock.next_sending_time(when, tz=PARIS, window=WINDOW) == paris(2026, 5, 4, 8)
    assert clock.next_sending_time(when, tz=MONTREAL, window=WINDOW) == datetime.datetime(
        2026, 5, 4, 8, tzinfo=MONTREAL
    )


def test_an_overnight_window_is_understood():
    window = (datetime.time(22), datetime.time(6))
    assert clock.next_sending_time(paris(2026, 5, 4, 23), tz=PARIS, window=window) == paris(
        2026, 5, 4, 23
    )
    assert clock.next_sending_time(paris(2026, 5, 4, 12), tz=PARIS, window=window) == paris(
        2026, 5, 4, 22
    )


def test_no_window_means_any_hour():
    when = paris(2026, 5, 4, 3, 0)
    assert clock.next_sending_time(when, tz=PARIS, window=None) == when


def test_the_next_morning_after_the_spring_forward_night_is_0800_summer_time():
    # Paris springs forward on 2026-03-29 at 02:00: 08:00 that morning is 06:00 UTC, not 07:00.
    result = clock.next_sending_time(paris(2026, 3, 28, 23, 0), tz=PARIS, window=WINDOW)
    assert result == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_a_daily_cadence_keeps_the_local_time_across_spring_forward():
    start = paris(2026, 3, 28, 9, 0)  # 08:00 UTC
    nxt = clock.next_check_after(start, every_days=1, tz=PARIS, now=start)
    assert nxt == datetime.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert nxt.astimezone(PARIS).hour == 9
    assert nxt - start == datetime.timedelta(hours=23)


def test_a_weekly_cadence_keeps_the_local_time_across_fall_back():
    start = paris(2026, 10, 22, 9, 0)  # CEST
    nxt = clock.next_check_after(start, every_days=7, tz=PARIS, now=start)
    assert nxt.astimezone(PARIS) == paris(2026, 10, 29, 9, 0)
    assert nxt.astimezone(PARIS).utcoffset() == datetime.timedelta(hours=1)
    assert nxt - start == datetime.timedelta(days=7, hours=1)


def test_a_once_cadence_has_no_next_check():
    start = paris(2026, 3, 28, 9, 0)
    assert clock.next_check_after(start, every_days=None, tz=PARIS, now=start) is None


def test_a_long_overdue_cadence_skips_missed_periods_instead_of_piling_reminders():
    start = paris(2026, 1, 1, 9, 0)
    now = paris(2026, 1, 10, 12, 0)
    nxt = clock.next_check_after(start, every_days=2, tz=PARIS, now=now)
    assert nxt == paris(2026, 1, 11, 9, 0)


def test_backoff_grows_exponentially_with_bounded_jitter(settings):
    settings.NEWSROOM_REMINDER_BACKOFF_SECONDS = 60
    settings.NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS = 3600
    rng = random.Random(7)
    for attempt, full in [(1, 60), (2, 120), (3, 240), (8, 3600), (20, 3600)]:
        delays = {clock.backoff_delay(attempt, rng=rng).total_seconds() for _ in range(50)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered


def test_the_message_id_is_deterministic():
    due = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    assert clock.reminder_message_id(12, due) == (
        f"<reminder.12.{int(due.timestamp())}@newsroom.localhost>"
    )
