"""IPTC ninjs 2.2 and 3.1: the writer (``writer.py``) and the reader (``reader.py``)."""

from articles.formats.ninjs.reader import IncomingArticle, IncomingImage, read_ninjs
from articles.formats.ninjs.writer import (
    DEFAULT_VERSION,
    MEDIA_TYPE,
    NAMES_2,
    NAMES_3,
    VERSIONS,
    article_ninjs,
    negotiate_version,
    rename,
)

__all__ = [
    "DEFAULT_VERSION",
    "MEDIA_TYPE",
    "NAMES_2",
    "NAMES_3",
    "VERSIONS",
    "IncomingArticle",
    "IncomingImage",
    "article_ninjs",
    "negotiate_version",
    "read_ninjs",
    "rename",
]
