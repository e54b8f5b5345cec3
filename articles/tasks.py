import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def articles_publish_due() -> int:
    """Beat sweep: publish scheduled articles whose time has come. Safe to run twice."""
    from articles.services import article_publish_due

    published = article_publish_due()
    if published:
        logger.info("published %d scheduled articles: %s", len(published), published)
    return len(published)
