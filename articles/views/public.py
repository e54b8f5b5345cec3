"""The anonymous read path of the public site: lists and details served from the stored
documents (articles.readmodel), outside DRF's request cycle.

They need none of DRF's cycle (no credentials, no throttle, no content negotiation: the answer is
stored JSON), and it would cost more than the lookup itself. ``ArticleViewSet.dispatch`` sends a
request here only when it carries no credentials at all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import replace_query_param

from articles import readmodel, search
from articles.filters import ArticleFilter
from articles.languages import language_param
from articles.pagination import NewestFirstCursorPagination, Position
from articles.purge import ARTICLES, article_key
from articles.serializers.public import public_articles
from newsroom import http_cache
from newsroom.params import MAX_ID, ascii_int, single_value

JSON = "application/json"


def ambiguous_slug_message(languages: list[str]) -> str:
    return _("This slug exists in several languages (%(languages)s): add ?language= to choose.") % {
        "languages": ", ".join(languages)
    }


def is_public_read(request: HttpRequest, action: str | None) -> bool:
    """Whether the request is an anonymous GET the stored documents can answer.

    A request with an Authorization header or a signed-in session goes through DRF, and so does
    a list filtered by anything but the language (django-filter gives the 400s). HEAD is a GET
    whose body the server leaves out.
    """
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
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


def search_text(request: HttpRequest, filters: list[str]) -> str:
    """The text of a full-text search the search SQL answers (articles.search), else "".

    On PostgreSQL, with no filter but the language besides it; elsewhere (SQLite) and combined
    with other filters, the filter set's own search applies.
    """
    if "q" not in filters or connection.vendor != "postgresql":
        return ""
    if set(filters) - {"q", "language", "order"}:
        return ""
    return request.GET["q"].strip()


@dataclass
class Answer:
    """What a public read answers with: its bytes and the headers made of what they show."""

    body: bytes
    etag: str
    last_modified: int | None
    keys: str


def public_list(request: HttpRequest, filter_queryset: Callable | None = None) -> HttpResponse:
    """The public list from the stored documents, keyset-paginated (articles.readmodel).

    ``filter_queryset`` applies the filters other than the language (the viewset's, when the
    request goes through DRF).
    """
    page = list_page(request, filter_queryset)
    if isinstance(page, HttpResponse):
        return page
    return list_response(request, page)


def list_page(
    request: HttpRequest, filter_queryset: Callable | None = None
) -> Answer | HttpResponse:
    """A page of the public list (or of a search ordered by relevance, already answered)."""
    size = NewestFirstCursorPagination.page_size_from(request.GET)
    token = single_value(request.GET, "cursor")
    filtered = None
    filters = [name for name in ArticleFilter.base_filters if name in request.GET]
    text = search_text(request, filters)
    language = single_value(request.GET, "language") if "language" in filters else None
    if text and filter_queryset is not None:
        filter_queryset(public_articles())  # the filter set's 400s (q too long, order, language)
    if filters == ["language"] or text:
        # The sites' own filter, inlined so that the page still walks the public-order
        # index (a subquery of every article in the language would be built first).
        if language is not None:
            filtered = readmodel.language_condition(language_param(language))
    elif filters and filter_queryset is not None:
        ids = filter_queryset(public_articles()).order_by().values("pk")
        try:
            filtered = readmodel.ids_condition(*ids.query.sql_with_params())
        except EmptyResultSet:  # a filter that can match nothing (queryset.none())
            filtered = False
    url = request.build_absolute_uri()
    if text and request.GET.get("order") == search.ORDERS[1]:
        return ranked_list(request, text=text, language=language, size=size, filtered=filtered)
    position = Position.decode(token) if token else None
    if filtered is False:
        rows, more = [], False
    elif text:
        fetched = search.search_newest(
            text=text, language=language, position=position, size=size, filtered=filtered
        )
        rows, more = readmodel.page_rows(
            fetched, size=size, reverse=position is not None and position.reverse
        )
    else:
        rows, more = readmodel.public_page(position=position, size=size, filtered=filtered)
    going_back = position is not None and position.reverse
    has_next = more if not going_back else True
    has_previous = more if going_back else position is not None

    def link(row: dict | None, reverse: bool) -> str | None:
        if row is None:
            return None
        cursor = Position(row["published_at"], row["id"], reverse).encode()
        return replace_query_param(url, "cursor", cursor)

    return list_answer(
        rows,
        next_url=link(rows[-1] if rows and has_next else None, False),
        previous_url=link(rows[0] if rows and has_previous else None, True),
    )


def ranked_list(
    request: HttpRequest,
    *,
    text: str,
    language: str | None,
    size: int,
    filtered: tuple[str, tuple] | None,
) -> HttpResponse:
    """A page of a search ordered by relevance (articles.search.search_ranked)."""
    token = single_value(request.GET, "cursor")
    position = search.RankedPosition.decode(token) if token else None
    fetched, more = search.search_ranked(
        text=text, language=language, position=position, size=size, filtered=filtered
    )
    rows, _ = readmodel.page_rows(fetched, size=size)
    offset = position.offset if position is not None else 0
    url = request.build_absolute_uri()

    def link(start: int) -> str:
        return replace_query_param(url, "cursor", search.RankedPosition(start).encode())

    return list_response(
        request,
        list_answer(
            rows,
            next_url=link(offset + size) if more else None,
            previous_url=link(max(0, offset - size)) if offset else None,
        ),
    )


def list_answer(rows: list[dict], *, next_url: str | None, previous_url: str | None) -> Answer:
    links = readmodel.dumps({"next": next_url, "previous": previous_url})
    results = ",".join(readmodel.summaries(rows))
    body = f'{links[:-1]},"results":[{results}]}}'.encode()
    return Answer(
        body=body,
        # The page's digest is its ETag.
        etag=http_cache.strong_etag(http_cache.digest(body)),
        last_modified=max((row["changed_at"] for row in rows), default=None),
        keys=http_cache.surrogate_keys([ARTICLES, *(article_key(row["id"]) for row in rows)]),
    )


def list_response(request: HttpRequest, answer: Answer) -> HttpResponse:
    # A page can lose a row (a retraction) without any row it shows changing, so
    # If-Modified-Since is not evaluated here: the ETag decides.
    response = http_cache.conditional_answer(request, etag=answer.etag, last_modified=None)
    if response is None:
        response = HttpResponse(answer.body, content_type=JSON)
    elif response.status_code != 304:
        return response
    return http_cache.mark_public(
        response, etag=answer.etag, last_modified=answer.last_modified, keys=answer.keys
    )


def public_retrieve(request: HttpRequest, key: str) -> HttpResponse:
    """The public detail from the stored document, in one round trip (articles.readmodel)."""
    detail = live_detail(request, key)
    if not detail.build():
        raise NotFound(_("No published article with this id or slug."))
    etag = detail.etag()
    # A 304 costs the lookup only: the stored digest stands for the stored bytes.
    response = http_cache.conditional_answer(request, etag=etag, last_modified=detail.changed_at)
    if response is None:
        response = HttpResponse(detail.json(), content_type=JSON)
    elif response.status_code != 304:
        return response
    return http_cache.mark_public(
        response, etag=etag, last_modified=detail.changed_at, keys=detail.keys()
    )


def live_detail(request: HttpRequest, key: str) -> readmodel.LiveDetail:
    """The live article at this address (an id, or a slug and its ?language=); a 400 naming
    ``language`` when the slug needs one, a 404 when there is none. Its stored document may
    still be missing or stale (``LiveDetail.build``)."""
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
    if not found:
        raise NotFound(_("No published article with this id or slug."))
    return found[0]


def detail_answer(detail: readmodel.LiveDetail) -> Answer | None:
    """The answer of a live article whose stored document is current, else None (it must be
    built first, which ``public_retrieve`` does)."""
    if detail.document is None or detail.document_version != detail.version:
        return None
    return Answer(
        body=detail.json().encode(),
        etag=detail.etag(),
        last_modified=detail.changed_at,
        keys=detail.keys(),
    )
