"""The two media stores (STORAGES: ``originals``, private; ``renditions``, public) and how their
failures are told apart: a store that does not answer (503, retried) from a missing file."""

import logging

from django.core.files.storage import Storage, storages
from django.db import transaction

from media_credits.models import Image
from media_credits.models.images import ORIGINALS, RENDITIONS

logger = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The media store (S3 or the local disk) did not answer: the API answers 503 and the
    renditions task retries with back-off. Nothing was saved."""


def storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage backend raises when the store itself fails (not a missing file)."""
    errors: tuple[type[BaseException], ...] = (PermissionError, TimeoutError, ConnectionError)
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # only the local file system is in use
        return errors
    return (*errors, BotoCoreError, ClientError)


def originals() -> Storage:
    return storages[ORIGINALS]


def renditions_store() -> Storage:
    return storages[RENDITIONS]


def original_url(*, image: Image) -> str:
    """A signed URL to the original that expires after NEWSROOM_ORIGINALS_URL_SECONDS, for
    staff only. Raises ValueError on the local storage, which has no URL at all."""
    return originals().url(image.original.name)


def is_missing_key(exc: BaseException) -> bool:
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


def delete_files_on_commit(names: list[str], storage: Storage | None = None) -> None:
    def delete() -> None:
        store = storage or renditions_store()
        for name in names:
            try:
                store.delete(name)
            except storage_errors() as exc:
                # The rows are gone already; a leftover file is harmless (names are unique).
                logger.warning("could not delete %s from the media store: %r", name, exc)

    if names:
        transaction.on_commit(delete)
