from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from articles import permissions, readmodel
from articles.filters import ArticleFilter, EntityFilter
from articles.languages import validate_language_tag
from articles.models import Article, Entity
from articles.pagination import NewestFirstCursorPagination, Position
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
    EntityDetailSerializer,
    EntitySerializer,
    detail_queryset,
    list_queryset,
    public_articles,
    translations_of,
)
from articles.services import articles as services

JSON = "application/json"


WRITE_ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid input: {path: [messages]}, paths into the payload such as "
        "`claims[2].status`.",
    ),
    401: OpenApiResponse(description="Not authenticated (token or session)."),
    403: OpenApiResponse(description="Your role or desk does not allow it (the reason says why)."),
    404: OpenApiResponse(description="No article you may see with this id or slug."),
}
WORKFLOW_CONFLICT = {
    409: OpenApiResponse(
        OpenApiTypes.OBJECT, description="The article's workflow state forbids it: `detail`."
    )
}
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="The article's version, for If-Match.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you edited, e.g. "3".',
)
CONDITIONAL_ERRORS = {
    412: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Someone saved the article since: `current_version` and the new ETag.",
    ),
    428: OpenApiResponse(OpenApiTypes.OBJECT, description="If-Match is missing."),
}


def ambiguous_slug_message(languages: list[str]) -> str:
    return _("This slug exists in several languages (%(languages)s): add ?language= to choose.") % {
        "languages": ", ".join(languages)
    }


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = gettext_lazy(
        'Send If-Match with the ETag of the version you edited (e.g. If-Match: "3"), so '
        "that nobody's change is silently overwritten."
    )
    default_code = "precondition_required"


def if_match_versions(request) -> list[int]:
    """The versions named by If-Match; an unparsable tag matches nothing (412)."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired()
    versions = []
    for tag in raw.split(","):
        tag = tag.strip().removeprefix("W/").strip('"')
        if tag == "*":
            raise PreconditionRequired()
        if tag.isdigit():
            versions.append(int(tag))
    return versions


def etag(article: Article) -> str:
    return f'"{article.version}"'


class EditorialCursorPagination(NewestFirstCursorPagination):
    """Desk members' list includes drafts, which have no publication time: newest change first."""

    ordering = ("-updated_at", "-id")


def editorial_detail_queryset(articles):
    return detail_queryset(articles).defer(None).defer("search_vector")


@extend_schema_view(
    list=extend_schema(
        summary="Articles, newest first",
        description="Anonymous readers get published, live articles, newest publication first. "
        "Desk members also get their desks' and their own unpublished work, most recently "
        "changed first.",
    ),
    retrieve=extend_schema(
        summary="One article with all its metadata",
        description="Published, live articles for everyone; desk members also read their desks' "
        "unpublished work. The ETag header carries the version, for If-Match.",
        parameters=[
            OpenApiParameter(
                "id_or_slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The article's id, or its slug (add ?language= when the slug "
                "exists in several languages).",
            ),
            OpenApiParameter("language", OpenApiTypes.STR, description="With a slug: language."),
            ETAG,
        ],
    ),
    create=extend_schema(
        summary="Create a draft",
        request=ArticleWriteSerializer,
        responses={
            201: ArticleEditorialSerializer,
            **{code: answer for code, answer in WRITE_ERRORS.items() if code != 404},
        },
        parameters=[ETAG],
    ),
    update=extend_schema(
        summary="Replace an article (fields left out are cleared)",
        request=ArticleWriteSerializer,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **CONDITIONAL_ERRORS},
        parameters=[IF_MATCH, ETAG],
    ),
    partial_update=extend_schema(
        summary="Change some fields; each nested list given replaces the stored one",
        request=ArticleWriteSerializer,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **CONDITIONAL_ERRORS},
        parameters=[IF_MATCH, ETAG],
    ),
)
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
        """Anonymous GETs of the public site skip DRF's request cycle.

        They need none of it (no credentials, no throttle, no content negotiation: the answer is
        stored JSON), and it would cost more than the lookup itself. Everything else, and any
        request that carries a token or a signed-in session, goes through DRF as usual.
        """
        # DRF names the action in initialize_request(); the fast path needs it before that.
        self.action = self.action_map.get(request.method.lower())
        if self.public_read(request):
            self.args, self.kwargs, self.request = args, kwargs, request
            try:
                if self.action == "retrieve":
                    return self.public_retrieve(request)
                return self.public_list(request)
            except (ValidationError, NotFound) as exc:
                detail = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
                return JsonResponse(detail, status=exc.status_code)
        return super().dispatch(request, *args, **kwargs)

    def public_read(self, request) -> bool:
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return False
        if getattr(request, "_force_auth_user", None) or getattr(
            request, "_force_auth_token", None
        ):
            return False  # DRF's test client authenticating without credentials (as DRF reads it)
        if self.action == "list":
            # Filters other than the language go through django-filter (and its 400s).
            filters = {name for name in ArticleFilter.base_filters if name in request.GET}
            if filters - {"language"}:
                return False
        elif self.action != "retrieve":
            return False
        return not request.user.is_authenticated

    def filter_queryset(self, queryset):
        # Building a FilterSet costs more than the query itself; skip it when nothing filters.
        if not any(name in self.request.query_params for name in ArticleFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        if self.editorial():
            return super().list(request, *args, **kwargs)
        return self.public_list(request)

    def public_list(self, request) -> HttpResponse:
        """The public list from the stored documents, keyset-paginated (articles.readmodel)."""
        size = NewestFirstCursorPagination.page_size_from(request.GET)
        token = request.GET.get("cursor")
        position = Position.decode(token) if token else None
        filtered = None
        filters = [name for name in ArticleFilter.base_filters if name in request.GET]
        if filters == ["language"]:
            # The sites' own filter, inlined so that the page still walks the public-order
            # index (a subquery of every article in the language would be built first).
            language = request.GET["language"]
            try:
                validate_language_tag(language)
            except DjangoValidationError as exc:
                raise ValidationError({"language": exc.messages}) from exc
            filtered = readmodel.language_condition(language)
        elif filters:
            ids = self.filter_queryset(public_articles()).order_by().values("pk")
            try:
                filtered = readmodel.ids_condition(*ids.query.sql_with_params())
            except EmptyResultSet:  # a filter that can match nothing (queryset.none())
                filtered = False
        if filtered is False:
            rows, more = [], False
        else:
            rows, more = readmodel.public_page(position=position, size=size, filtered=filtered)
        going_back = position is not None and position.reverse
        has_next = more if not going_back else True
        has_previous = more if going_back else position is not None
        url = request.build_absolute_uri()

        def link(row: dict | None, reverse: bool) -> str | None:
            if row is None:
                return None
            cursor = Position(row["published_at"], row["id"], reverse).encode()
            return replace_query_param(url, "cursor", cursor)

        links = readmodel.dumps(
            {
                "next": link(rows[-1] if rows and has_next else None, False),
                "previous": link(rows[0] if rows and has_previous else None, True),
            }
        )
        results = ",".join(readmodel.summaries(rows))
        return HttpResponse(f'{links[:-1]},"results":[{results}]}}', content_type=JSON)

    def public_retrieve(self, request) -> HttpResponse:
        """The public detail from the stored document, in one round trip (articles.readmodel)."""
        key = self.kwargs[self.lookup_url_kwarg]
        if key.isdigit():
            # An id past the database's bigint range cannot exist.
            found = readmodel.live_details(pk=int(key)) if int(key) < 2**63 else []
        else:
            language = request.GET.get("language")
            if language:
                try:
                    validate_language_tag(language)
                except DjangoValidationError as exc:
                    raise ValidationError({"language": exc.messages}) from exc
            found = readmodel.live_details(slug=key, language=language)
        if len(found) > 1:
            raise ValidationError(
                {"language": [ambiguous_slug_message(sorted(f.language for f in found))]}
            )
        body = found[0].json() if found else ""
        if not body:
            raise NotFound(_("No published article with this id or slug."))
        response = HttpResponse(body, content_type=JSON)
        response["ETag"] = f'"{found[0].version}"'
        return response

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        if self.action in ("create", "update", "partial_update"):
            return ArticleWriteSerializer
        return ArticleSummarySerializer

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        queryset = self.get_queryset()
        if key.isdigit():
            article = queryset.filter(pk=int(key)).first() if int(key) < 2**63 else None
        else:
            language = self.request.query_params.get("language")
            matches = queryset.filter(slug=key)
            if language:
                try:
                    validate_language_tag(language)
                except Exception as exc:
                    raise ValidationError({"language": [str(m) for m in exc.messages]}) from exc
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
            return self.public_retrieve(request)
        article = self.get_object()
        context = self.get_serializer_context() | {"translations": translations_of(article)}
        if self.editorial() and permissions.can_view_editorial(request.user, article):
            data = ArticleEditorialSerializer(article, context=context).data
        else:
            data = ArticleDetailSerializer(article, context=context).data
        return Response(data, headers={"ETag": etag(article)})

    # --- Writing ----------------------------------------------------------------------------

    def editorial_response(self, article: Article, status_code: int = 200) -> Response:
        article = editorial_detail_queryset(Article.objects.filter(pk=article.pk)).get()
        context = self.get_serializer_context() | {"translations": translations_of(article)}
        data = ArticleEditorialSerializer(article, context=context).data
        return Response(data, status=status_code, headers={"ETag": etag(article)})

    def create(self, request, *args, **kwargs):
        serializer = ArticleWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        article = services.article_create(user=request.user, data=serializer.validated_data)
        return self.editorial_response(article, status.HTTP_201_CREATED)

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
        article = services.article_update(
            user=request.user,
            article_id=article.pk,
            data=serializer.validated_data,
            expected_versions=versions,
            replace=not partial,
        )
        return self.editorial_response(article)

    @extend_schema(
        summary="Submit a draft for review",
        request=None,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **WORKFLOW_CONFLICT},
        parameters=[ETAG],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        article = services.article_submit(article=self.get_object(), user=request.user)
        return self.editorial_response(article)

    @extend_schema(
        summary="Publish now (editors)",
        request=None,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **WORKFLOW_CONFLICT},
        parameters=[ETAG],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        article = services.article_publish(article=self.get_object(), user=request.user)
        return self.editorial_response(article)

    @extend_schema(
        summary="Schedule publication at a future time (editors)",
        request=ScheduleInputSerializer,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **WORKFLOW_CONFLICT},
        parameters=[ETAG],
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = services.article_schedule(
            article=article, publish_at=serializer.validated_data["publish_at"], user=request.user
        )
        return self.editorial_response(article)

    @extend_schema(
        summary="Retract a published article; the reason becomes a public correction (editors)",
        request=RetractInputSerializer,
        responses={200: ArticleEditorialSerializer, **WRITE_ERRORS, **WORKFLOW_CONFLICT},
        parameters=[ETAG],
    )
    @action(detail=True, methods=["post"])
    def retract(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = RetractInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = services.article_retract(
            article=article, reason=serializer.validated_data["reason"], user=request.user
        )
        return self.editorial_response(article)

    @extend_schema(
        summary="Revision history with field-level changes, newest first",
        parameters=[
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description="At most this many entries (1–500)."
            )
        ],
        responses={200: RevisionSerializer(many=True), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
    def revisions(self, request, *args, **kwargs):
        article = self.get_object()
        permissions.require(
            permissions.can_view_editorial(request.user, article),
            _("Only the article's desk and authors can read its history."),
        )
        raw = request.query_params.get("limit", "200")
        if not raw.isdigit() or not 1 <= int(raw) <= 500:
            raise ValidationError({"limit": [_("Must be a whole number from 1 to 500.")]})
        entries = article_revisions(article=article, limit=int(raw))
        return Response(RevisionSerializer(entries, many=True).data)


class EntityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People, organisations, places, products and events the desk writes about."""

    filterset_class = EntityFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        live = Article.objects.live().values("pk")
        return Entity.objects.annotate(
            article_count=Count(
                "mentions__article", filter=Q(mentions__article__in=live), distinct=True
            )
        ).order_by("name", "id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EntityDetailSerializer
        return EntitySerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve":
            context["articles"] = list(
                list_queryset().filter(mentions__entity_id=self.kwargs["pk"]).distinct()[:50]
            )
        return context
