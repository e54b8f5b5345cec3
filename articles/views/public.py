"""The anonymous read path of the public site: lists and details served from the stored
documents (articles.readmodel), outside DRF's request cycle.

They need none of DRF's cycle (no credentials, no throttle, no content negotiation: the answer is
stored JSON), and it would cost more than the lookup itself. ``ArticleViewSet.dispatch`` sends a
request here only when it carries no credentials at all.
"""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import replace_query_param

from articles import readmodel
from articles.filters import ArticleFilter
from articles.languages import language_param
from articles.pagination import NewestFirstCursorPagination, Position
from articles.serializers.public import public_articles
from newsroom.params import MAX_ID, ascii_int, single_value

JSON = "application/json"


def ambiguous_slug_message(languages: list[str]) -> str:
    return _("This slug exists in several languages (%(languages)s): add ?language= to choose.") % {
        "languages": ", ".join(languages)
    }


def is_public_read(request: HttpRequest, action: str | None) -> bool:
    """Whether the request is an anonymous GET the stored documents can answer.

    A request with an Authorization header or a signed-in session goes through DRF, and so does
    a list filtered by anything but the language (django-filter gives the 400s).
    """
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if action == "list":
        filters = {name for name in ArticleFilter.base_filters if name in request.GET}
        if filters - {"language"}:
            return False
    elif action != "retrieve":
        return False
    return not request.user.is_authenticated


def error_response(exc: ValidationError | NotFound) -> JsonResponse:
    detail = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
    return JsonResponse(detail, status=exc.status_code)


def public_list(request: HttpRequest, filter_queryset: Callable | None = None) -> HttpResponse:
    """The public list from the stored documents, keyset-paginated (articles.readmodel).

    ``filter_queryset`` applies the filters other than the language (the viewset's, when the
    request goes through DRF).
    """
    size = NewestFirstCursorPagination.page_size_from(request.GET)
    token = single_value(request.GET, "cursor")
    position = Position.decode(token) if token else None
    filtered = None
    filters = [name for name in ArticleFilter.base_filters if name in request.GET]
    if filters == ["language"]:
        # The sites' own filter, inlined so that the page still walks the public-order
        # index (a subquery of every article in the language would be built first).
        language = single_value(request.GET, "language")
        filtered = readmodel.language_condition(language_param(language))
    elif filters and filter_queryset is not None:
        ids = filter_queryset(public_articles()).order_by().values("pk")
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


def public_retrieve(request: HttpRequest, key: str) -> HttpResponse:
    """The public detail from the stored document, in one round trip (articles.readmodel)."""
    pk = ascii_int(key)
    if pk is not None:
        # An id past the database's bigint range cannot exist.
        found = readmodel.live_details(pk=pk) if pk <= MAX_ID else []
    else:
        language = single_value(request.GET, "language")
        if language:
            language_param(language)
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
