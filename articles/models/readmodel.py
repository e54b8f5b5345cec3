from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .article import Article


class ArticleDocumentQuerySet(models.QuerySet):
    def invalidate(self, *, article_ids) -> None:
        """Forget stored documents whose content changed without a version bump (shared
        records: an entity's name, an image's renditions). The next read rebuilds them, and the
        cached copies of the live ones are purged after commit (articles.purge)."""
        from articles.purge import articles_shown_changed

        articles_shown_changed(article_ids=article_ids)
        self.filter(article_id__in=article_ids).delete()


class ArticleDocument(models.Model):
    """The public JSON of an article, built once per version and served as stored bytes.

    A read model: valid while `version` equals the article's version. Every change to an article
    or its metadata bumps the article's version (the ETag depends on it too), which makes the
    document stale; changes to shared records (an entity's name, an image's renditions) delete
    the documents they affect. A stale or missing document is rebuilt on the next read.
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="document",
        verbose_name=_("article"),
        help_text=_("The article this document shows to the public API."),
    )
    version = models.PositiveIntegerField(
        _("version"), help_text=_("The article version it was built from; stale when they differ.")
    )
    summary = models.TextField(_("list item"), help_text=_("JSON of the list item."))
    detail = models.TextField(
        _("whole article"), help_text=_("JSON of the whole article, without translations.")
    )
    digest = models.CharField(
        _("digest"),
        max_length=32,
        default="",
        help_text=_("BLAKE2b digest of the stored detail: the basis of the public ETag."),
    )
    surrogate_keys = models.TextField(
        _("surrogate keys"),
        default="",
        help_text=_("What the article shows (desk, entities, images), for cache purges."),
    )
    built_at = models.DateTimeField(
        _("built at"), default=timezone.now, help_text=_("When the document was built.")
    )

    objects = ArticleDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("article document")
        verbose_name_plural = _("article documents")

    def __str__(self) -> str:
        return f"document of article {self.article_id} v{self.version}"
