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
