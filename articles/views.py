from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

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


def public_articles():
    return Article.objects.live()


def list_queryset():
    return (
        public_articles()
        .select_related("desk")
        .prefetch_related(BYLINES, "tags")
        .defer("body", "search_vector", "editor_note")
    )


def detail_queryset():
    return (
        public_articles()
        .select_related("desk")
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


def translations_of(article: Article) -> list[Article]:
    original = article.translation_of_id or article.pk
    return list(
        public_articles()
        .filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=article.pk)
        .only("id", "slug", "language", "headline")
        .order_by("language", "id")
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
    """The public read API: only published, live articles out of embargo."""

    filterset_class = ArticleFilter
    pagination_class = NewestFirstCursorPagination
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[-\w]+"  # an id or a slug; anything else is a 404 before any query

    def get_queryset(self):
        if self.action == "retrieve":
            return detail_queryset()
        return list_queryset()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        return ArticleSummarySerializer

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        queryset = self.get_queryset()
        if key.isdigit():
            article = queryset.filter(pk=int(key)).first()
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
                languages = ", ".join(sorted(a.language for a in found))
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
            article = found[0] if found else None
        if article is None:
            raise NotFound(_("No published article with this id or slug."))
        return article

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        context = self.get_serializer_context() | {"translations": translations_of(article)}
        return Response(ArticleDetailSerializer(article, context=context).data)


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
