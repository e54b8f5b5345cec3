import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def image_renditions_make(image_id: int) -> int:
    """Make an image's missing or outdated renditions. Safe to run twice; a deleted image is
    logged and skipped."""
    from media_credits.services import image_renditions_make as make

    renditions = make(image_id=image_id)
    if renditions is None:
        logger.info("image %s is gone (or its original is): no renditions made", image_id)
        return 0
    return len(renditions)
