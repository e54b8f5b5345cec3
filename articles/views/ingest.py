"""POST /api/v1/ingest/text/: plain-text wire copy in, a draft out (articles.services.imports)."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import permissions
from articles.formats.wirecopy import MAX_BYTES
from articles.models import Article, Desk
from articles.serializers.desk import ArticleEditorialSerializer
from articles.serializers.public import translations_of
from articles.services.imports import article_import_text
from articles.views.articles import editorial_detail_queryset, etag
from articles.views.schema import FORBIDDEN, NOT_AUTHENTICATED, TOO_LARGE
from newsroom.params import ascii_int
from newsroom.parsers import RequestTooLarge, SafeMultiPartParser

_NOT_CONTROL = r"[^\x00-\x08\x0b\x0e-\x1f]"
TEXT_PATTERN = rf"^{_NOT_CONTROL}*[^\s\ufeff\x00-\x08\x0b\x0e-\x1f]{_NOT_CONTROL}*$"


class PlainTextParser(BaseParser):
    """A text/plain body, as bytes: the import service decodes it and names what is wrong."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return b""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1 if limit is not None else -1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        return raw


class IngestUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The wire copy as a UTF-8 text file.")
    desk = serializers.CharField(required=False, help_text="The desk's slug or id.")
    language = serializers.ChoiceField(choices=["fr", "en", "auto"], required=False)


DESK = OpenApiParameter(
    "desk",
    OpenApiTypes.STR,
    description="The desk's slug or id (default: your only desk). A multipart field wins.",
)
LANGUAGE = OpenApiParameter(
    "language",
    {"type": "string", "enum": ["fr", "en", "auto"], "default": "auto"},
    description="The copy's language; auto guesses it.",
)


def _desk(value: str | None) -> Desk | None:
    if not value:
        return None
    pk = ascii_int(value)
    desk = Desk.objects.filter(pk=pk).first() if pk is not None else None
    desk = desk or Desk.objects.filter(slug=value).first()
    if desk is None:
        raise ValidationError({"desk": [_("No desk with this slug or id.")]})
    return desk


class IngestTextView(APIView):
    """Wire copy in, a draft out: desk members only."""

    permission_classes = [IsAuthenticated]
    parser_classes = [PlainTextParser, SafeMultiPartParser]

    @extend_schema(
        operation_id="ingest_text",
        summary="Import plain-text wire copy as a draft (desk members)",
        description=(
            "A multipart upload with the copy in `file`, or (not described by this schema, "
            "which documents one body per operation) a `text/plain` body that is the copy "
            f"itself, UTF-8. At most {MAX_BYTES:,} bytes of text. Creates a draft (never "
            "published) with what the importer recognised: headline, standfirst, claims, "
            "quotes, key figures and dates, sources, highlight boxes, the follow-up promise, "
            "suggested mentions, the lead image's attribution (`pending_image`) and what the "
            "journalist must check (`import_warnings`). Nothing is created on an error."
        ),
        parameters=[DESK, LANGUAGE],
        # One documented body, as client generators need (openapi-python-client has no
        # text/plain bodies); a text/plain body with the copy itself is accepted as well.
        request={"multipart/form-data": IngestUploadSerializer},
        responses={
            201: ArticleEditorialSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "Unreadable copy, naming the reason under `text` (a text/plain body) or "
                    "`file` (an upload): binary, empty, over 1 MB, not UTF-8; or a bad `desk` "
                    "or `language`; or a draft the article rules refuse: {field: [messages]}."
                ),
            ),
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            413: TOO_LARGE,
            415: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Neither text/plain nor multipart/form-data: `detail`.",
            ),
        },
        tags=["articles"],
    )
    def post(self, request, *args, **kwargs):
        permissions.require(
            permissions.has_editorial_access(request.user),
            _("Only desk members can import wire copy."),
        )
        uploaded = not request.content_type.lower().startswith("text/plain")
        field = "file" if uploaded else "text"
        if uploaded:
            form = IngestUploadSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data["file"].read(MAX_BYTES + 1)
            desk_value = form.validated_data.get("desk") or request.query_params.get("desk")
            language = form.validated_data.get("language") or request.query_params.get(
                "language", "auto"
            )
        else:
            # An empty body leaves DRF's data an empty form rather than b"".
            data = request.data if isinstance(request.data, bytes) else b""
            desk_value = request.query_params.get("desk")
            language = request.query_params.get("language", "auto")
        if language not in ("fr", "en", "auto"):
            raise ValidationError({"language": [_("Choose fr, en or auto.")]})
        desk = _desk(desk_value)
        try:
            with transaction.atomic():
                article = article_import_text(
                    data=data, user=request.user, desk=desk, language=language
                )
                response = self._created(request, article)
                JSONRenderer().render(response.data)
        except DjangoValidationError as exc:
            errors = exc.message_dict
            if "text" in errors:
                errors[field] = errors.pop("text")
            raise ValidationError(errors) from exc
        return response

    def _created(self, request, article: Article) -> Response:
        article = editorial_detail_queryset(Article.objects.filter(pk=article.pk)).get()
        context = {"request": request, "translations": translations_of(article)}
        with translation.override(article.language):
            data = ArticleEditorialSerializer(article, context=context).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag(article)})
