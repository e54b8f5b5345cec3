"""Images, their licences and where they come from (IPTC digital source type, AI attribution).

One module per subject; everything is re-exported here, where Django and the migrations look
(`media_credits.models.originals_storage` is named in migration 0001).
"""

from media_credits.models.article_images import ArticleImage
from media_credits.models.images import (
    ContentCredentialsState,
    Image,
    ImageQuerySet,
    OriginalsStorage,
    Rendition,
    originals_storage,
)
from media_credits.models.licences import Licence, licence_code_validator
from media_credits.models.sources import (
    AI_SOURCE_TYPES,
    IPTC_DIGITAL_SOURCE_TYPE,
    PHOTO_SOURCE_TYPES,
    DigitalSourceType,
)

__all__ = [
    "AI_SOURCE_TYPES",
    "IPTC_DIGITAL_SOURCE_TYPE",
    "PHOTO_SOURCE_TYPES",
    "ArticleImage",
    "ContentCredentialsState",
    "DigitalSourceType",
    "Image",
    "ImageQuerySet",
    "Licence",
    "OriginalsStorage",
    "Rendition",
    "licence_code_validator",
    "originals_storage",
]
