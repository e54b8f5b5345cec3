"""The desk's rules of who sees and changes what: one module for the services, admin and API.

Roles are the Django groups "reporter" and "editor" (created by a data migration); admins are
superusers. Desk membership is ``Desk.members``.

- Anonymous readers (and anyone, for articles outside their desks) see live articles only.
- Desk members also see their desks' unpublished work; authors always see their own articles.
- A reporter creates drafts on their desks, edits their own drafts and submits them for review.
- An editor edits anything on their desks, publishes, schedules and retracts.

Questions return booleans; ``require`` turns a "no" into PermissionDenied with the reason, which
the API answers with 403 and the admin shows as a refusal.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ArticleAuthor, Desk, live_condition

REPORTER = "reporter"
EDITOR = "editor"
ROLES = (REPORTER, EDITOR)


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return _authenticated(user) and user.is_superuser


def roles(user) -> frozenset[str]:
    """The user's editorial roles, read once per user object."""
    if not _authenticated(user):
        return frozenset()
    cached = getattr(user, "_newsroom_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._newsroom_roles = cached
    return cached


def desk_ids(user) -> frozenset[int]:
    """Ids of the desks the user belongs to, read once per user object."""
    if not _authenticated(user):
        return frozenset()
    cached = getattr(user, "_newsroom_desk_ids", None)
    if cached is None:
        cached = frozenset(user.desk_memberships.values_list("desk_id", flat=True))
        user._newsroom_desk_ids = cached
    return cached


def is_editor(user) -> bool:
    return EDITOR in roles(user)


def is_reporter(user) -> bool:
    return REPORTER in roles(user)


def is_member(user, desk_id: int | None) -> bool:
    return desk_id is not None and desk_id in desk_ids(user)


def is_author(user, article: Article) -> bool:
    if not _authenticated(user) or article.pk is None:
        return False
    return ArticleAuthor.objects.filter(article_id=article.pk, user_id=user.pk).exists()


def has_editorial_access(user) -> bool:
    """Whether the user may see anything beyond the public site at all."""
    return is_admin(user) or bool(_authenticated(user) and (roles(user) or desk_ids(user)))


def visible_articles(user, queryset: QuerySet | None = None, now=None) -> QuerySet:
    """What the user may read: live articles, plus their desks' and their own unpublished work."""
    queryset = Article.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return queryset.live(now)
    if is_admin(user):
        return queryset
    condition = live_condition(now or timezone.now()) | Q(
        pk__in=ArticleAuthor.objects.filter(user_id=user.pk).values("article_id")
    )
    if desk_ids(user):
        condition |= Q(desk_id__in=desk_ids(user))
    return queryset.filter(condition)


def editorial_articles(user, queryset: QuerySet | None = None) -> QuerySet:
    """Articles whose internal side the user may read (``can_view_editorial``): their desks'
    articles and their own, whatever the status; everything for an admin; nothing anonymous."""
    queryset = Article.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    condition = Q(pk__in=ArticleAuthor.objects.filter(user_id=user.pk).values("article_id"))
    if desk_ids(user):
        condition |= Q(desk_id__in=desk_ids(user))
    return queryset.filter(condition)


def writable_desks(user) -> QuerySet:
    """Desks the user may create articles on."""
    if is_admin(user):
        return Desk.objects.all()
    if not roles(user):
        return Desk.objects.none()
    return Desk.objects.filter(pk__in=desk_ids(user))


def can_view_editorial(user, article: Article) -> bool:
    """Internal fields (editor's note, schedule) and the revision history."""
    return is_admin(user) or is_member(user, article.desk_id) or is_author(user, article)


def can_create(user, desk: Desk | None) -> bool:
    if is_admin(user):
        return True
    return desk is not None and bool(roles(user)) and is_member(user, desk.pk)


def can_edit(user, article: Article) -> bool:
    if is_admin(user):
        return True
    if not is_member(user, article.desk_id):
        return False
    if is_editor(user):
        return True
    return is_reporter(user) and article.status == Article.Status.DRAFT and is_author(user, article)


def can_manage_followups(user, article: Article) -> bool:
    """Follow-ups are the desk's own work on a story, published or not: the reporters and
    editors of the article's desk (and its authors) plan, snooze and close them."""
    if is_admin(user):
        return True
    return bool(roles(user)) and (is_member(user, article.desk_id) or is_author(user, article))


def can_submit(user, article: Article) -> bool:
    """Whether the user may send the article to review (the workflow decides if it can go)."""
    if is_admin(user) or (is_editor(user) and is_member(user, article.desk_id)):
        return True
    return is_reporter(user) and is_member(user, article.desk_id) and is_author(user, article)


def can_publish(user, article: Article) -> bool:
    """Publish, schedule and retract: editors of the article's desk and admins."""
    return is_admin(user) or (is_editor(user) and is_member(user, article.desk_id))


def edit_refusal(user, article: Article) -> str:
    if is_reporter(user) and not is_editor(user) and is_member(user, article.desk_id):
        if article.status != Article.Status.DRAFT:
            return _(
                "This article is %(status)s: only an editor of its desk can change it now."
            ) % {"status": article.get_status_display().lower()}
        return _("Reporters change only their own drafts.")
    return _("Only editors of this article's desk can change it.")


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
