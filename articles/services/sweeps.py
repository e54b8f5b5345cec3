"""The beat sweeps' own record: when each last finished (read by /metrics)."""

import datetime

from django.utils import timezone

from articles.models import SweepRun


def sweep_run_record(*, name: str, now: datetime.datetime | None = None) -> SweepRun:
    """Store that the sweep `name` just ran to the end. One row per sweep, updated in place."""
    run, _created = SweepRun.objects.update_or_create(
        name=name, defaults={"succeeded_at": now or timezone.now()}
    )
    return run
