"""The standard formats of an article: ninjs and schema.org JSON-LD over the API, and the public
HTML page that carries the JSON-LD (articles.formats builds the documents)."""

from django.db.models import Q
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import permissions
from articles.formats import jsonld, ninjs
from articles.languages import language_param
from articles.models import Article
from articles.serializers.public import detail_queryset
from articles.views.schema import ID_OR_SLUG, SLUG_LANGUAGE
from newsroom.params import MAX_ID, ascii_int


class NinjsRenderer(JSONRenderer):
    media_type = ninjs.MEDIA_TYPE
    format = "ninjs"


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


NOT_FOUND = OpenApiResponse(description="No article you may see with this id or slug.")


def live_translations(article: Article) -> list[Article]:
    """The article's live translations, as rows (their pages and canonical URLs are linked)."""
    original = article.translation_of_id or article.pk
    return list(
        Article.objects.live()
        .filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=article.pk)
        .only("id", "slug", "language", "headline", "canonical_url", "translation_of_id")
        .order_by("language", "id")
    )


def readable_articles(user):
    """What ``user`` may read, with the detail's prefetches; desk readers also get the note."""
    if not permissions.has_editorial_access(user):
        return detail_queryset()
    return detail_queryset(permissions.visible_articles(user)).defer(None).defer("search_vector")


def find_article(queryset, key: str, language: str | None) -> Article:
    pk = ascii_int(key)
    if pk is not None:
        article = queryset.filter(pk=pk).first() if pk <= MAX_ID else None
    else:
        matches = queryset.filter(slug=key)
        if language:
            matches = matches.filter(language__iexact=language_param(language))
        found = list(matches[:2])
        if len(found) > 1:
            languages = ", ".join(sorted(a.language for a in found))
            raise ValidationError(
                {
                    "language": [
                        _(
                            "This slug exists in several languages (%(languages)s): "
                            "add ?language= to choose."
                        )
                        % {"languages": languages}
                    ]
                }
            )
        article = found[0] if found else None
    if article is None:
        raise NotFound(_("No published article with this id or slug."))
    return article


def not_modified(request, tag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return tag in (t.strip() for t in sent.split(",")) or sent.strip() == "*"


class ArticleFormatView(APIView):
    """Shared lookup, permission and caching rules of the article's format endpoints."""

    def article(self, request, id_or_slug: str) -> Article:
        return find_article(
            readable_articles(request.user), id_or_slug, request.query_params.get("language")
        )

    def editorial(self, request, article: Article) -> bool:
        return permissions.can_view_editorial(request.user, article)

    def handle_exception(self, exc):
        # An error is the API's plain JSON error, not a ninjs or JSON-LD document.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def respond(self, request, data: dict, tag: str) -> Response:
        if not_modified(request, tag):
            response = Response(status=304)
        else:
            response = Response(data)
        response["ETag"] = tag
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        return response


@extend_schema(
    summary="The article as IPTC ninjs 2.2 or 3.1",
    description="News in JSON (https://iptc.org/standards/ninjs/), valid against the IPTC's "
    "schemas. Choose the version with ?version= or `Accept: application/ninjs+json; "
    "version=3.1`; 2.2 by default. Public readers get live articles; desk members also their "
    "desks' work at any status, `pubstatus`/`pubStatus` saying so, with the editor's note.",
    parameters=[
        ID_OR_SLUG,
        SLUG_LANGUAGE,
        OpenApiParameter("version", OpenApiTypes.STR, enum=list(ninjs.VERSIONS)),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: NOT_FOUND},
)
class ArticleNinjsView(ArticleFormatView):
    renderer_classes = [NinjsRenderer, JSONRenderer]

    def get(self, request, id_or_slug: str):
        version = ninjs.negotiate_version(
            request.query_params.get("version"), request.headers.get("Accept", "")
        )
        if version is None:
            raise ValidationError(
                {
                    "version": [
                        _("Choose ninjs %(versions)s.") % {"versions": " or ".join(ninjs.VERSIONS)}
                    ]
                }
            )
        article = self.article(request, id_or_slug)
        editorial = self.editorial(request, article)
        data = ninjs.article_ninjs(article, version=version, editorial=editorial)
        tag = f'"{article.version}-ninjs-{version}{"-desk" if editorial else ""}"'
        response = self.respond(request, data, tag)
        if response.status_code == 200 and request.accepted_renderer.format == "ninjs":
            response.content_type = f"{ninjs.MEDIA_TYPE}; version={version}"
        return response


@extend_schema(
    summary="The article as schema.org NewsArticle (JSON-LD)",
    description="The JSON-LD of the public article page, for search engines and aggregators. "
    "Live articles only: schema.org describes what readers can see.",
    parameters=[ID_OR_SLUG, SLUG_LANGUAGE],
    responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
)
class ArticleJsonLdView(ArticleFormatView):
    renderer_classes = [JsonLdRenderer, JSONRenderer]

    def get(self, request, id_or_slug: str):
        article = find_article(detail_queryset(), id_or_slug, request.query_params.get("language"))
        data = jsonld.article_jsonld(article, translations=live_translations(article))
        return self.respond(request, data, f'"{article.version}-jsonld"')


def article_page(request, slug: str):
    """The public page of a live article, in its language, with its JSON-LD."""
    queryset = detail_queryset().filter(slug=slug)
    language = request.GET.get("language")
    if language:
        queryset = queryset.filter(language__iexact=language)
    # A slug shared by translations: the original first, unless ?language= chooses.
    article = queryset.order_by("translation_of_id", "id").first()
    if article is None:
        raise Http404(_("No published article with this address."))
    tag = f'"{article.version}-page"'
    if not_modified(request, tag):
        response = HttpResponseNotModified()
    else:
        translations = live_translations(article)
        with translation.override(article.language):
            context = jsonld.page_context(article, translations=translations)
            response = render(request, "articles/public/article.html", context)
    response["ETag"] = tag
    response["Content-Language"] = article.language
    patch_vary_headers(response, ["Cookie"])
    return response
