from .article import Article, ArticleAuthor, ArticleQuerySet, Desk, DeskMembership, Tag
from .followups import FollowUp, JournalistProfile, ReminderDelivery
from .highlights import HighlightBox, HighlightItem
from .metadata import Claim, Correction, Entity, KeyDate, KeyFigure, Mention, Quote, Source
from .readmodel import ArticleDocument

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleDocument",
    "ArticleQuerySet",
    "Claim",
    "Correction",
    "Desk",
    "DeskMembership",
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
