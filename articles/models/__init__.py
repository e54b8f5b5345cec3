from .article import Article, ArticleAuthor, ArticleQuerySet, Desk, Tag
from .followups import FollowUp, JournalistProfile, ReminderDelivery
from .highlights import HighlightBox, HighlightItem
from .metadata import Claim, Correction, Entity, KeyDate, KeyFigure, Mention, Quote, Source

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleQuerySet",
    "Claim",
    "Correction",
    "Desk",
    "Entity",
    "FollowUp",
    "HighlightBox",
    "HighlightItem",
    "JournalistProfile",
    "KeyDate",
    "KeyFigure",
    "Mention",
    "Quote",
    "ReminderDelivery",
    "Source",
    "Tag",
]
