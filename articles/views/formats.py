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
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import permissions
from articles.formats import jsonld, ninjs
from articles.languages import validate_language_tag
from articles.models import Article
from articles.serializers.desk import article_editorial
from articles.serializers.public import detail_queryset
from articles.services.ninjs_import import NinjsInvalid, article_import_ninjs
from newsroom.params import is_ascii_number
from newsroom.parsers import SafeJSONParser


class NinjsRenderer(JSONRenderer):
    media_type = ninjs.MEDIA_TYPE
    format = "ninjs"


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


ID_OR_SLUG = OpenApiParameter(
    "id_or_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The article's id, or its slug (add ?language= when the slug exists in several "
    "languages).",
)
LANGUAGE = OpenApiParameter("language", OpenApiTypes.STR, description="With a slug: language.")
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
    if key.isdigit():
        article = queryset.filter(pk=int(key)).first() if int(key) < 2**63 else None
    else:
        matches = queryset.filter(slug=key)
        if language:
            try:
                validate_language_tag(language)
            except Exception as exc:
                raise ValidationError({"language": list(exc.messages)}) from exc
            matches = matches.filter(language__iexact=language)
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
        LANGUAGE,
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
    parameters=[ID_OR_SLUG, LANGUAGE],
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


class NinjsParser(SafeJSONParser):
    """ninjs is JSON; its own media type is accepted too (with the JSON parser's limits)."""

    media_type = ninjs.MEDIA_TYPE


NINJS_INVALID = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Not valid ninjs: `{detail, version, errors: [{path, message}]}` with the JSON "
    "path of each schema error; or the write API's field errors (e.g. `claims[0].status`).",
)


@extend_schema(
    summary="Import an IPTC ninjs 2.x or 3.x document as a draft",
    description="Creates a draft on your desk (`?desk=` when you belong to several) from a ninjs "
    "document, its version detected: headline, standfirst, body, language, byline (desk members "
    "named in `by`, else you), mentions (entities matched by Wikidata URI, then by name or alias; "
    "new ones are created as suggestions the desk confirms), tags, sources, our structured data "
    "from `newsroom:` bodies, and images from the hosts in `NEWSROOM_INGEST_HOSTS` only. A "
    "document the IPTC schema rejects gets a 400 listing the errors with their JSON paths; "
    "nothing is saved then. The body may also be sent as `application/ninjs+json`.",
    parameters=[OpenApiParameter("desk", OpenApiTypes.INT, description="Id of your desk.")],
    request={"application/json": OpenApiTypes.OBJECT},
    responses={
        201: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description="The draft as the desk reads it, with `import_warnings` (what was left "
            "behind, such as images from hosts not allowed).",
        ),
        400: NINJS_INVALID,
        401: OpenApiResponse(description="Sign in first."),
        403: OpenApiResponse(description="Not a reporter or editor of this desk."),
    },
)
class NinjsImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser, NinjsParser]

    def post(self, request):
        raw_desk = request.query_params.get("desk")
        if raw_desk is not None and not is_ascii_number(raw_desk):
            raise ValidationError({"desk": [_("A desk id is a whole number.")]})
        desk_id = int(raw_desk) if raw_desk is not None else None
        try:
            article = article_import_ninjs(
                user=request.user, document=request.data, desk_id=desk_id
            )
        except NinjsInvalid as exc:
            return Response(
                {
                    "detail": _("This is not a valid ninjs %(version)s document.")
                    % {"version": exc.version},
                    "version": exc.version,
                    "errors": exc.errors,
                },
                status=400,
            )
        article = readable_articles(request.user).get(pk=article.pk)
        data = article_editorial(article)
        data["import_warnings"] = article.import_warnings
        response = Response(data, status=201)
        response["Location"] = f"/api/v1/articles/{article.pk}/"
        return response
