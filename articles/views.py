from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from articles import readmodel
from articles.filters import ArticleFilter, EntityFilter
from articles.languages import validate_language_tag
from articles.models import Article, ArticleAuthor, Entity, Mention, Quote
from articles.pagination import NewestFirstCursorPagination
from articles.serializers import (
    ArticleDetailSerializer,
    ArticleSummarySerializer,
    EntityDetailSerializer,
    EntitySerializer,
)

# Apps that add detail fields register their prefetches here (see serializers.detail_extensions).
detail_prefetches: list = []

BYLINES = Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("user"))
JSON = "application/json"


def public_articles():
    return Article.objects.live()


def list_queryset(queryset=None):
    queryset = public_articles() if queryset is None else queryset
    return (
        queryset.select_related("desk")
        .prefetch_related(BYLINES, "tags")
        .defer("body", "search_vector", "editor_note")
    )


def detail_queryset(queryset=None):
    """Everything the detail payload reads, in a fixed number of queries."""
    queryset = public_articles() if queryset is None else queryset
    return (
        queryset.select_related("desk")
        .defer("search_vector", "editor_note")
        .prefetch_related(
            BYLINES,
            "tags",
            Prefetch("mentions", queryset=Mention.objects.select_related("entity")),
            Prefetch("claims__attributed_to"),
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("speaker", "speaker_organisation"),
            ),
            "key_figures",
            "key_dates",
            "sources",
            "corrections",
            *detail_prefetches,
        )
    )


@extend_schema_view(
    list=extend_schema(summary="Published articles, newest first"),
    retrieve=extend_schema(
        summary="One published article with all its metadata",
        parameters=[
            OpenApiParameter(
                "id_or_slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The article's id, or its slug (add ?language= when the slug "
                "exists in several languages).",
            ),
            OpenApiParameter("language", OpenApiTypes.STR, description="With a slug: language."),
        ],
    ),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """The public read API: only published, live articles out of embargo.

    Responses are served from the stored read model (articles.readmodel); the serializers
    describe their shape for the schema.
    """

    filterset_class = ArticleFilter
    pagination_class = NewestFirstCursorPagination
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[-\w]+"  # an id or a slug; anything else is a 404 before any query

    def get_queryset(self):
        return public_articles()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        return ArticleSummarySerializer

    def filter_queryset(self, queryset):
        # Building a FilterSet costs more than the query itself; skip it when nothing filters.
        if not any(name in self.request.query_params for name in ArticleFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        queryset = readmodel.with_summary(self.filter_queryset(self.get_queryset()))
        results = ",".join(readmodel.summaries(self.paginate_queryset(queryset)))
        links = readmodel.dumps(
            {"next": self.paginator.get_next_link(), "previous": self.paginator.get_previous_link()}
        )
        return HttpResponse(f'{links[:-1]},"results":[{results}]}}', content_type=JSON)

    def retrieve(self, request, *args, **kwargs):
        key = self.kwargs[self.lookup_url_kwarg]
        if key.isdigit():
            # An id past the database's bigint range cannot exist.
            found = readmodel.live_details(pk=int(key)) if int(key) < 2**63 else []
        else:
            language = request.query_params.get("language")
            if language:
                try:
                    validate_language_tag(language)
                except DjangoValidationError as exc:
                    raise ValidationError({"language": exc.messages}) from exc
            found = readmodel.live_details(slug=key, language=language)
        if len(found) > 1:
            languages = ", ".join(sorted(f.language for f in found))
            raise ValidationError(
                {
                    "language": [
                        _(
                            "This slug exists in several languages (%(languages)s): add "
                            "?language= to choose."
                        )
                        % {"languages": languages}
                    ]
                }
            )
        body = found[0].json() if found else ""
        if not body:
            raise NotFound(_("No published article with this id or slug."))
        return HttpResponse(body, content_type=JSON)


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
