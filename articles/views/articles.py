from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles import permissions
from articles.filters import ArticleFilter
from articles.languages import slug_language
from articles.models import Article
from articles.pagination import NewestFirstCursorPagination
from articles.revisions import RevisionSerializer, article_revisions
from articles.serializers.desk import (
    ArticleEditorialSerializer,
    ArticleWriteSerializer,
    RetractInputSerializer,
    ScheduleInputSerializer,
)
from articles.serializers.public import (
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    detail_queryset,
    list_queryset,
    translations_of,
)
from articles.services import articles as services
from articles.views import public
from articles.views.public import ambiguous_slug_message
from articles.views.schema import (
    ARTICLE_SCHEMA,
    ID_OR_SLUG,
    SLUG_LANGUAGE,
    WRITE_ERRORS,
    with_errors,
    workflow_action,
)
from newsroom.conditional import if_match_versions
from newsroom.params import MAX_ID, ascii_int, whole_number


def etag(article: Article) -> str:
    return f'"{article.version}"'


class EditorialCursorPagination(NewestFirstCursorPagination):
    """Desk members' list includes drafts, which have no publication time: newest change first."""

    ordering = ("-updated_at", "-id")


def editorial_detail_queryset(articles):
    return detail_queryset(articles).defer(None).defer("search_vector")


@extend_schema_view(**ARTICLE_SCHEMA)
class ArticleViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Articles: the public read API, and the desk's write API under articles.permissions."""

    filterset_class = ArticleFilter
    pagination_class = NewestFirstCursorPagination
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[-\w]+"  # an id or a slug; anything else is a 404 before any query

    def editorial(self) -> bool:
        """Whether the request comes from someone who sees more than the public site."""
        if not hasattr(self, "_editorial"):
            self._editorial = permissions.has_editorial_access(self.request.user)
        return self._editorial

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            editorial = self.request is not None and self.editorial()
            self._paginator = (
                EditorialCursorPagination() if editorial else NewestFirstCursorPagination()
            )
        return self._paginator

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            if not self.editorial():
                return detail_queryset()
            return editorial_detail_queryset(permissions.visible_articles(user))
        if self.action == "list":
            if not self.editorial():
                return list_queryset()
            return list_queryset(permissions.visible_articles(user))
        return permissions.visible_articles(user).select_related("desk")

    def get_throttles(self):
        # Anonymous reads of the public site are what a CDN or the reverse proxy caches and
        # rate-limits; DRF's per-process counters would cost more than serving the stored
        # document. Writes, logins and everything a signed-in client does stay throttled.
        if self.request.method in ("GET", "HEAD") and not self.request.user.is_authenticated:
            if self.action in ("list", "retrieve"):
                return []
        return super().get_throttles()

    def dispatch(self, request, *args, **kwargs):
        """Anonymous GETs of the public site skip DRF's request cycle (articles.views.public).

        Everything else, and any request that carries a token or a signed-in session, goes
        through DRF as usual.
        """
        # DRF names the action in initialize_request(); the fast path needs it before that.
        self.action = self.action_map.get(request.method.lower())
        if public.is_public_read(request, self.action):
            self.args, self.kwargs, self.request = args, kwargs, request
            try:
                if self.action == "retrieve":
                    # The public path checks ?language= with a slug only.
                    slug_language(request.GET)
                    return public.public_retrieve(request, kwargs[self.lookup_url_kwarg])
                return public.public_list(request)
            except (ValidationError, NotFound) as exc:
                return public.error_response(exc)
        return super().dispatch(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Building a FilterSet costs more than the query itself; skip it when nothing filters.
        if not any(name in self.request.query_params for name in ArticleFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        if self.editorial():
            return super().list(request, *args, **kwargs)
        return public.public_list(request, self.filter_queryset)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        if self.action in ("create", "update", "partial_update"):
            return ArticleWriteSerializer
        return ArticleSummarySerializer

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        language = slug_language(self.request.query_params)
        queryset = self.get_queryset()
        pk = ascii_int(key)
        if pk is not None:
            article = queryset.filter(pk=pk).first() if pk <= MAX_ID else None
        else:
            matches = queryset.filter(slug=key)
            if language:
                matches = matches.filter(language__iexact=language)
            found = list(matches[:2])
            if len(found) > 1:
                raise ValidationError(
                    {"language": [ambiguous_slug_message(sorted(a.language for a in found))]}
                )
            article = found[0] if found else None
        if article is None:
            raise NotFound(_("No published article with this id or slug."))
        return article

    def retrieve(self, request, *args, **kwargs):
        if not self.editorial():
            return public.public_retrieve(request, kwargs[self.lookup_url_kwarg])
        article = self.get_object()
        context = self.get_serializer_context() | {"translations": translations_of(article)}
        if permissions.can_view_editorial(request.user, article):
            serializer = ArticleEditorialSerializer(article, context=context)
        else:
            serializer = ArticleDetailSerializer(article, context=context)
        # Labels (a claim's status) follow the article's language, not the reader's.
        with translation.override(article.language):
            data = serializer.data
        return Response(data, headers={"ETag": etag(article)})

    # --- Writing ----------------------------------------------------------------------------

    def editorial_response(self, article: Article, status_code: int = 200) -> Response:
        article = editorial_detail_queryset(Article.objects.filter(pk=article.pk)).get()
        context = self.get_serializer_context() | {"translations": translations_of(article)}
        with translation.override(article.language):
            data = ArticleEditorialSerializer(article, context=context).data
        return Response(data, status=status_code, headers={"ETag": etag(article)})

    def written(self, write, status_code: int = 200) -> Response:
        """Run ``write`` (a service returning the article) and build the answer in one
        transaction: a response that cannot be built rolls the change back, so a client that
        got an error never finds the change saved."""
        with transaction.atomic():
            response = self.editorial_response(write(), status_code)
            # What the renderer will do after the view returns, done while it can still undo.
            JSONRenderer().render(response.data)
        return response

    def create(self, request, *args, **kwargs):
        serializer = ArticleWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.written(
            lambda: services.article_create(user=request.user, data=serializer.validated_data),
            status.HTTP_201_CREATED,
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        article = self.get_object()
        permissions.require(
            permissions.can_edit(request.user, article),
            permissions.edit_refusal(request.user, article),
        )
        versions = if_match_versions(request)
        serializer = ArticleWriteSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.written(
            lambda: services.article_update(
                user=request.user,
                article_id=article.pk,
                data=serializer.validated_data,
                expected_versions=versions,
                replace=not partial,
            )
        )

    @workflow_action("Submit a draft for review")
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        article = self.get_object()
        return self.written(lambda: services.article_submit(article=article, user=request.user))

    @workflow_action("Publish now (editors)")
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        article = self.get_object()
        return self.written(lambda: services.article_publish(article=article, user=request.user))

    @workflow_action("Schedule publication at a future time (editors)", ScheduleInputSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        publish_at = serializer.validated_data["publish_at"]
        return self.written(
            lambda: services.article_schedule(
                article=article, publish_at=publish_at, user=request.user
            )
        )

    @workflow_action(
        "Retract a published article; the reason becomes a public correction (editors)",
        RetractInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def retract(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = RetractInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self.written(
            lambda: services.article_retract(article=article, reason=reason, user=request.user)
        )

    @extend_schema(
        summary="Revision history with field-level changes, newest first",
        # A list of one article's revisions: the article filters do not apply.
        filters=False,
        parameters=[
            ID_OR_SLUG,
            SLUG_LANGUAGE,
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 500, "default": 200},
                description="At most this many entries (1–500).",
            ),
        ],
        # A bare list, not a page: the limit bounds it.
        responses={
            200: RevisionSerializer(many=True),
            **with_errors({c: r for c, r in WRITE_ERRORS.items() if c != 413}),
        },
    )
    @action(
        detail=True, methods=["get"], permission_classes=[IsAuthenticated], pagination_class=None
    )
    def revisions(self, request, *args, **kwargs):
        article = self.get_object()
        permissions.require(
            permissions.can_view_editorial(request.user, article),
            _("Only the article's desk and authors can read its history."),
        )
        limit = whole_number(request.query_params, "limit", minimum=1, maximum=500) or 200
        entries = article_revisions(article=article, limit=limit)
        return Response(RevisionSerializer(entries, many=True).data)
