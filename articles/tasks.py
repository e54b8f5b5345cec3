import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def articles_publish_due() -> int:
    """Beat sweep: publish scheduled articles whose time has come. Safe to run twice."""
    from articles.services.articles import article_publish_due
    from articles.services.sweeps import sweep_run_record

    published = article_publish_due()
    sweep_run_record(name="articles_publish_due")
    if published:
        logger.info("published %d scheduled articles: %s", len(published), published)
    return len(published)


@shared_task
def reminders_dispatch() -> dict:
    """Beat sweep: create, reclaim and claim reminder deliveries. Safe to run twice."""
    from articles.reminders.dispatch import reminders_dispatch as dispatch
    from articles.services.sweeps import sweep_run_record

    result = dispatch()
    sweep_run_record(name="reminders_dispatch")
    if any(result.values()):
        logger.info("reminders dispatch: %s", result)
    return result


@shared_task
def reminder_send(delivery_id: int) -> str:
    """Send one reminder. Safe to run twice: only the run that claims the row sends."""
    from articles.models import ReminderDelivery
    from articles.reminders.send import reminder_send as send

    if not ReminderDelivery.objects.filter(pk=delivery_id).exists():
        logger.info("reminder delivery %s is gone", delivery_id)
        return "gone"
    return send(delivery_id=delivery_id)


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=8,
)
def cache_purge(keys: list[str]) -> int:
    """Purge cached copies by surrogate key (newsroom.purgers). Safe to run twice."""
    from newsroom.purgers import cache_purge as purge

    return purge(keys=keys)


@shared_task
def cache_purge_came_live() -> int:
    """Beat sweep: purge what became live by the clock alone (an embargo lifted, a publication
    time reached) in the last two periods. Safe to run twice: a purge repeats harmlessly."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from articles.purge import came_live_keys, purge_on_commit

    now = timezone.now()
    since = now - datetime.timedelta(seconds=2 * settings.NEWSROOM_CACHE_SWEEP_SECONDS)
    keys = came_live_keys(since=since, now=now)
    purge_on_commit(keys)
    return len(keys)
