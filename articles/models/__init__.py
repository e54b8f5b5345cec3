from .article import Article, ArticleAuthor, ArticleQuerySet, live_condition
from .desks import Desk, DeskMembership, Tag
from .entities import Entity
from .followups import FollowUp, JournalistProfile, ReminderDelivery
from .highlights import HighlightBox, HighlightItem
from .metadata import Claim, Correction, KeyDate, KeyFigure, Mention, Quote, Source
from .readmodel import ArticleDocument
from .sweeps import SweepRun

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
    "SweepRun",
    "Tag",
    "live_condition",
]
