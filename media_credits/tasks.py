import logging

from celery import shared_task

from media_credits.storage import StorageUnavailable

logger = logging.getLogger(__name__)


# The media store being down is transient: retry with exponential back-off (1 s, 2 s, 4 s ...
# capped at 10 minutes, with jitter), far below the broker's visibility timeout.
# https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions
@shared_task(
    autoretry_for=(StorageUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def image_renditions_make(image_id: int) -> int:
    """Make an image's missing or outdated renditions. Safe to run twice; a deleted image is
    logged and skipped; the store being down is retried with back-off."""
    from media_credits.services import image_renditions_make as make

    renditions = make(image_id=image_id)
    if renditions is None:
        logger.info("image %s is gone (or its original is): no renditions made", image_id)
        return 0
    return len(renditions)
