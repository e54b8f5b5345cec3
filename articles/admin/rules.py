"""Admin pages of rows that belong to an article follow that article's rules.

The roles' model permissions open these pages to desk members; which rows they see and change
is decided by articles.permissions, as on the article page: a reporter changes what belongs to
their own drafts, an editor anything on their desks.
"""

from django.utils.translation import gettext as _

from articles import permissions
from articles.models import Article


class ArticleRulesAdminMixin:
    article_path = "article"  # lookup from the row to its article
    # Which articles' rows the user sees: those they may read (boxes, images), or only those
    # whose internal side they may read (follow-ups: owners, what the desk watches).
    article_scope = staticmethod(permissions.visible_articles)
    # Who may change a row: who may edit the article (boxes, images), or the desk (follow-ups).
    article_rule = staticmethod(permissions.can_edit)

    def row_article(self, obj) -> Article | None:
        article = obj
        for part in self.article_path.split("__"):
            article = getattr(article, part, None)
        return article

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if permissions.is_admin(request.user):
            return rows
        visible = self.article_scope(request.user).values("pk")
        return rows.filter(**{f"{self.article_path}__in": visible})

    def may_edit(self, request, obj) -> bool:
        if obj is None or permissions.is_admin(request.user):
            return True
        article = self.row_article(obj)
        return article is not None and self.article_rule(request.user, article)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def save_model(self, request, obj, form, change):
        article = self.row_article(obj)
        if article is not None and not permissions.is_admin(request.user):
            permissions.require(
                self.article_rule(request.user, article),
                _("Only who may change the article can change what belongs to it."),
            )
        super().save_model(request, obj, form, change)
