"""The OpenAPI description of the article and entity operations: parameters, headers and the
errors each operation can answer (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from articles.languages import BCP47
from articles.serializers.desk import ArticleEditorialSerializer, ArticleWriteSerializer
from articles.serializers.public import ArticleDetailSerializer, ArticleSummarySerializer
from newsroom.conditional import IF_MATCH_SCHEMA
from newsroom.parsers import MAX_DEPTH

ERROR = OpenApiTypes.OBJECT

BAD_REQUEST = OpenApiResponse(
    ERROR,
    description="Invalid input: {path: [messages]}, paths into the payload such as "
    f"`claims[2].status`; also malformed JSON, or JSON nested deeper than {MAX_DEPTH} levels "
    "(`detail`).",
)
BAD_PARAMETER = OpenApiResponse(
    ERROR, description="A query parameter is invalid: {parameter: [messages]}."
)
NOT_AUTHENTICATED = OpenApiResponse(ERROR, description="Not authenticated (token or session).")
FORBIDDEN = OpenApiResponse(
    ERROR, description="Your role or desk does not allow it (the reason says why)."
)
NOT_FOUND = OpenApiResponse(ERROR, description="No article you may see with this id or slug.")
NOT_FOUND_ENTITY = OpenApiResponse(ERROR, description="No entity with this id.")
TOO_LARGE = OpenApiResponse(
    ERROR, description="The request body is larger than the API accepts: `detail`."
)

READ_ERRORS = {400: BAD_PARAMETER, 404: NOT_FOUND}
WRITE_ERRORS = {
    400: BAD_REQUEST,
    401: NOT_AUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    413: TOO_LARGE,
}
WORKFLOW_CONFLICT = {
    409: OpenApiResponse(ERROR, description="The article's workflow state forbids it: `detail`.")
}
SAVE_CONFLICT = {
    409: OpenApiResponse(
        ERROR,
        description="A concurrent change took a unique value (a slug) first; retry: `detail`.",
    )
}
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The article's version, for If-Match.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    IF_MATCH_SCHEMA,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you edited, e.g. "3".',
)
CONDITIONAL_ERRORS = {
    412: OpenApiResponse(
        ERROR,
        description="Someone saved the article since: `current_version` and the new ETag.",
    ),
    428: OpenApiResponse(ERROR, description="If-Match is missing."),
}
LANGUAGE_PATTERN = BCP47.pattern
ID_OR_SLUG = OpenApiParameter(
    "id_or_slug",
    {"type": "string", "pattern": r"^[-\w]+$", "maxLength": 200},
    OpenApiParameter.PATH,
    description="The article's id (a whole number from 1), or its slug (add ?language= when "
    "the slug exists in several languages).",
)
SLUG_LANGUAGE = OpenApiParameter(
    "language",
    {"type": "string", "pattern": LANGUAGE_PATTERN, "maxLength": 35},
    description="With a slug: language (BCP 47).",
)
LIST_LANGUAGE = OpenApiParameter(
    "language",
    {"type": "string", "pattern": LANGUAGE_PATTERN, "maxLength": 35},
    description="Language code, e.g. fr or en; fr also matches fr-CA.",
)
ENTITY_FILTER = OpenApiParameter(
    "entity",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    description="Id of an entity the article mentions.",
)
ENTITY_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description="The entity's id.",
)


def with_errors(*groups: dict) -> dict:
    merged: dict = {}
    for group in groups:
        merged.update(group)
    return dict(sorted(merged.items()))


ARTICLE_SCHEMA = {
    "list": extend_schema(
        summary="Articles, newest first",
        description="Anonymous readers get published, live articles, newest publication first. "
        "Desk members also get their desks' and their own unpublished work, most recently "
        "changed first.",
        parameters=[LIST_LANGUAGE, ENTITY_FILTER],
        responses={200: ArticleSummarySerializer, **READ_ERRORS},
    ),
    "retrieve": extend_schema(
        summary="One article with all its metadata",
        description="Published, live articles for everyone; desk members also read their desks' "
        "unpublished work. The ETag header carries the version, for If-Match.",
        parameters=[ID_OR_SLUG, SLUG_LANGUAGE, ETAG],
        responses={200: ArticleDetailSerializer, **READ_ERRORS},
    ),
    "create": extend_schema(
        summary="Create a draft",
        request=ArticleWriteSerializer,
        responses={
            201: ArticleEditorialSerializer,
            **with_errors(
                {code: answer for code, answer in WRITE_ERRORS.items() if code != 404},
                SAVE_CONFLICT,
            ),
        },
        parameters=[ETAG],
    ),
    "update": extend_schema(
        summary="Replace an article (fields left out are cleared)",
        request=ArticleWriteSerializer,
        responses={
            200: ArticleEditorialSerializer,
            **with_errors(WRITE_ERRORS, SAVE_CONFLICT, CONDITIONAL_ERRORS),
        },
        parameters=[ID_OR_SLUG, SLUG_LANGUAGE, IF_MATCH, ETAG],
    ),
    "partial_update": extend_schema(
        summary="Change some fields; each nested list given replaces the stored one",
        request=ArticleWriteSerializer,
        responses={
            200: ArticleEditorialSerializer,
            **with_errors(WRITE_ERRORS, SAVE_CONFLICT, CONDITIONAL_ERRORS),
        },
        parameters=[ID_OR_SLUG, SLUG_LANGUAGE, IF_MATCH, ETAG],
    ),
}


def workflow_action(summary: str, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: ArticleEditorialSerializer,
            **with_errors(WRITE_ERRORS, WORKFLOW_CONFLICT),
        },
        parameters=[ID_OR_SLUG, SLUG_LANGUAGE, ETAG],
    )
