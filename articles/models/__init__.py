from .article import Article, ArticleAuthor, ArticleQuerySet, Desk, DeskMembership, Tag
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
    "KeyDate",
    "KeyFigure",
    "Mention",
    "Quote",
    "Source",
    "Tag",
]
