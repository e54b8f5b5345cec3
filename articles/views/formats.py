"""The standard formats of an article: ninjs and schema.org JSON-LD over the API, and the public
HTML page that carries the JSON-LD (articles.formats builds the documents)."""

from django.db.models import Q
from django.http import Http404
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

from articles import permissions, readmodel
from articles.formats import jsonld, ninjs
from articles.languages import slug_language, validate_language_tag
from articles.models import Article
from articles.serializers.desk import article_editorial
from articles.serializers.public import detail_queryset
from articles.services.ninjs_import import NinjsInvalid, article_import_ninjs
from articles.views.schema import ID_OR_SLUG, SLUG_LANGUAGE
from newsroom import http_cache
from newsroom.params import MAX_ID, ascii_int, is_ascii_number
from newsroom.parsers import SafeJSONParser


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


def public_detail(key: str, language: str | None) -> readmodel.LiveDetail | None:
    """The live article behind a public format's address, from the read model (one query), or
    None when the address names none or several (the full lookup then gives the 404 or 400).

    Its stored digest and translations stand for everything a format is built from (the
    article at its version and the shared records it shows), so a format's strong ETag and
    Last-Modified are known, and a 304 answered, without building the format.
    """
    pk = ascii_int(key)
    if pk is not None:
        found = readmodel.live_details(pk=pk) if pk <= MAX_ID else []
    else:
        if language:
            try:
                validate_language_tag(language)
            except Exception:
                return None
        found = readmodel.live_details(slug=key, language=language or None)
    if len(found) != 1 or not found[0].build():
        return None
    return found[0]


def format_etag(detail: readmodel.LiveDetail, representation: str) -> str:
    return http_cache.strong_etag(detail.etag(), representation)


class ArticleFormatView(APIView):
    """Shared lookup, permission and caching rules of the article's format endpoints."""

    def article(self, request, id_or_slug: str) -> Article:
        return find_article(
            readable_articles(request.user), id_or_slug, slug_language(request.query_params)
        )

    def editorial(self, request, article: Article) -> bool:
        return permissions.can_view_editorial(request.user, article)

    def handle_exception(self, exc):
        # An error is the API's plain JSON error, not a ninjs or JSON-LD document.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def respond(self, request, data: dict, tag: str, vary=("Accept", "Authorization", "Cookie")):
        if not_modified(request, tag):
            response = Response(status=304)
        else:
            response = Response(data)
        response["ETag"] = tag
        patch_vary_headers(response, vary)
        return response

    def public_answer(self, request, detail, representation: str, build, vary: str):
        """A public reader's answer: a 304 from the read model's validators when the request's
        preconditions match, else ``build()``'s data, with the public caching headers."""
        etag = format_etag(detail, representation)
        answer = http_cache.conditional_answer(request, etag=etag, last_modified=detail.changed_at)
        if answer is not None and answer.status_code != 304:
            return answer
        response = Response(build()) if answer is None else Response(status=304)
        return http_cache.mark_public(
            response, etag=etag, last_modified=detail.changed_at, keys=detail.keys(), vary=vary
        )


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
        if not request.user.is_authenticated:
            detail = public_detail(id_or_slug, slug_language(request.query_params))
            if detail is not None:
                response = self.public_answer(
                    request,
                    detail,
                    f"ninjs-{version}-{request.accepted_renderer.format}",
                    lambda: ninjs.article_ninjs(
                        self.article(request, id_or_slug), version=version, editorial=False
                    ),
                    # Accept chooses the version and the media type.
                    vary="Accept, Authorization, Cookie",
                )
                if response.status_code == 200 and request.accepted_renderer.format == "ninjs":
                    response.content_type = f"{ninjs.MEDIA_TYPE}; version={version}"
                return response
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
        language = slug_language(request.query_params)

        def build():
            article = find_article(detail_queryset(), id_or_slug, language)
            return jsonld.article_jsonld(article, translations=live_translations(article))

        detail = public_detail(id_or_slug, language)
        if detail is None:  # the lookup's 404 or 400
            build()
            raise NotFound(_("No published article with this id or slug."))
        # Live articles only, the same for everyone: only Accept (the media type) varies.
        representation = f"jsonld-{request.accepted_renderer.format}"
        return self.public_answer(request, detail, representation, build, vary="Accept")


def article_page(request, slug: str):
    """The public page of a live article, in its language, with its JSON-LD."""
    language = request.GET.get("language")
    queryset = detail_queryset().filter(slug=slug)
    if language:
        queryset = queryset.filter(language__iexact=language)
    # A slug shared by translations: the original first, unless ?language= chooses.
    queryset = queryset.order_by("translation_of_id", "id")
    # The article without its prefetches: enough to know which one and its validators.
    found = queryset.values_list("pk", "language").first()
    if found is None:
        raise Http404(_("No published article with this address."))
    pk, article_language = found
    details = readmodel.live_details(pk=pk)
    if not details or not details[0].build():
        raise Http404(_("No published article with this address."))
    detail = details[0]
    # The page is the same for everyone (no user, no token in it): nothing varies.
    etag = format_etag(detail, "page")
    response = http_cache.conditional_answer(request, etag=etag, last_modified=detail.changed_at)
    if response is not None and response.status_code != 304:
        return response
    if response is None:
        article = queryset.filter(pk=pk).first()
        if article is None:
            raise Http404(_("No published article with this address."))
        translations = live_translations(article)
        with translation.override(article.language):
            context = jsonld.page_context(article, translations=translations)
            response = render(request, "articles/public/article.html", context)
    response["Content-Language"] = article_language
    return http_cache.mark_public(
        response, etag=etag, last_modified=detail.changed_at, keys=detail.keys(), vary=None
    )


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
    parameters=[
        OpenApiParameter(
            "desk",
            {"type": "integer", "minimum": 0, "maximum": MAX_ID},
            description="Id of your desk.",
        )
    ],
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
