from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import APISettings

from articles.permissions import has_editorial_access
from media_credits import services
from media_credits.models import Image, Licence
from media_credits.serializers import (
    ImageMetadataSerializer,
    ImageSerializer,
    ImageUploadResultSerializer,
    ImageUploadSerializer,
    LicenceSerializer,
)
from media_credits.storage import StorageUnavailable
from newsroom.conditional import IF_MATCH_SCHEMA, if_match_versions
from newsroom.params import MAX_ID, ascii_int
from newsroom.parsers import ImageUploadParser, SafeFormParser, SafeJSONParser

# Room for the multipart envelope and the metadata fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 256 * 1024

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid input: {field or parameter: [messages]}."
)
NOT_AUTHENTICATED = OpenApiResponse(description="Not authenticated (token or session).")
NOT_STAFF = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The image library is for desk members (reporters, editors) and staff: "
    "`detail` says so.",
)
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No image with this id.")
IMAGE_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description="The image's id.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The image's metadata version, for If-Match.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    IF_MATCH_SCHEMA,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you edited, e.g. "3".',
)


def can_use_library(user) -> bool:
    """Reporters and editors of any desk, staff and admins."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or has_editorial_access(user)


class LibraryAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        if can_use_library(request.user):
            return True
        # The reason, in the request's language (DRF reads ``message`` when this says no).
        self.message = _(
            "The image library is for desk members (reporters and editors) and staff; "
            "your account is neither."
        )
        return False


def etag(image: Image) -> str:
    return f'"{image.version}"'


class FilterFormatNegotiation(DefaultContentNegotiation):
    """Content negotiation by the Accept header only: `?format=` is the images' own filter
    (the image format), not DRF's renderer override, which stays on for the other views.
    https://www.django-rest-framework.org/api-guide/settings/#url_format_override"""

    settings = APISettings(
        user_settings=getattr(settings, "REST_FRAMEWORK", {}) | {"URL_FORMAT_OVERRIDE": None}
    )


@extend_schema_view(
    list=extend_schema(
        summary="Images, newest upload first (staff)",
        responses={
            200: ImageSerializer(many=True),
            400: BAD_REQUEST,
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
        },
    ),
    retrieve=extend_schema(
        summary="One image with its renditions (desk members, staff)",
        parameters=[IMAGE_ID, ETAG],
        responses={
            200: ImageSerializer,
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
            404: NOT_FOUND,
        },
    ),
    partial_update=extend_schema(
        summary="Change an image's metadata (If-Match required)",
        description="Fields left out keep their value; renditions are remade, since they "
        "embed the metadata.",
        parameters=[IMAGE_ID, IF_MATCH, ETAG],
        request={"application/json": ImageMetadataSerializer},
        responses={
            200: ImageSerializer,
            400: BAD_REQUEST,
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
            404: NOT_FOUND,
            412: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Someone changed the image since: `current_version` and the ETag.",
            ),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="The body is too large."),
            428: OpenApiResponse(OpenApiTypes.OBJECT, description="If-Match is missing."),
        },
    ),
    destroy=extend_schema(
        summary="Delete an image no article uses, with its files",
        parameters=[IMAGE_ID],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
            404: NOT_FOUND,
            409: OpenApiResponse(
                OpenApiTypes.OBJECT, description="An article uses the image: `detail`."
            ),
        },
    ),
    create=extend_schema(
        summary="Upload an image (multipart; desk members, staff)",
        request={"multipart/form-data": ImageUploadSerializer},
        responses={
            201: ImageUploadResultSerializer,
            200: OpenApiResponse(
                ImageUploadResultSerializer,
                description="The same bytes were uploaded before: that image, unchanged, "
                "with `existing: true` and the sent fields `not_applied`.",
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Not an accepted image, or invalid metadata: {field: [messages]}.",
            ),
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
            413: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Over NEWSROOM_MAX_UPLOAD_BYTES: {file: [message]}.",
            ),
        },
    ),
)
class ImageViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Images with their credits, licences and renditions: the desks' shared library."""

    permission_classes = [LibraryAccess]
    # Uploads are multipart; metadata changes (PATCH) are JSON.
    parser_classes = [ImageUploadParser, SafeFormParser, SafeJSONParser]
    content_negotiation_class = FilterFormatNegotiation
    lookup_value_regex = r"[0-9]+"  # ASCII digits: \d would let ² through to int()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_fields = ["digital_source_type", "licence__code", "format"]

    def get_queryset(self):
        return Image.objects.select_related("licence").prefetch_related("renditions")

    def get_serializer_class(self):
        if self.action == "create":
            return ImageUploadSerializer
        if self.action == "partial_update":
            return ImageMetadataSerializer
        return ImageSerializer

    def get_object(self):
        if ascii_int(self.kwargs["pk"]) > MAX_ID:
            raise NotFound(_("No image with this id."))
        return super().get_object()

    def retrieve(self, request, *args, **kwargs):
        image = self.get_object()
        data = ImageSerializer(image, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": etag(image)})

    def partial_update(self, request, *args, **kwargs):
        image = self.get_object()
        versions = if_match_versions(request)
        serializer = ImageMetadataSerializer(image, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                image = services.image_metadata_update(
                    image_id=image.pk,
                    data=serializer.validated_data,
                    expected_versions=versions,
                )
                image = self.get_queryset().get(pk=image.pk)
                data = ImageSerializer(image, context=self.get_serializer_context()).data
                JSONRenderer().render(data)  # an answer that cannot be built undoes the change
        except services.ImageVersionConflict as exc:
            return Response(
                {"detail": str(exc), "current_version": exc.current_version},
                status=status.HTTP_412_PRECONDITION_FAILED,
                headers={"ETag": f'"{exc.current_version}"'},
            )
        return Response(data, headers={"ETag": etag(image)})

    def destroy(self, request, *args, **kwargs):
        image = self.get_object()
        try:
            services.image_delete(image=image)
        except services.ImageInUse as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create(self, request, *args, **kwargs):
        # Refuse before reading a byte of a body that cannot fit, rather than after.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.NEWSROOM_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES:
            return Response(
                {"file": [services.upload_too_large_message(declared)]},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        upload = ImageUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        metadata = dict(upload.validated_data)
        file = metadata.pop("file")
        try:
            image, created = services.image_ingest(
                file=file, uploaded_by=request.user, metadata=metadata
            )
        except services.UploadTooLarge as exc:
            return Response(exc.message_dict, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except StorageUnavailable:
            return Response(
                {"detail": "The media store is unavailable; nothing was saved. Retry later."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "30"},
            )
        not_applied = [] if created else services.not_applied_fields(image=image, metadata=metadata)
        image = self.get_queryset().get(pk=image.pk)
        data = ImageSerializer(image, context=self.get_serializer_context()).data
        data.update({"existing": not created, "not_applied": not_applied})
        return Response(
            data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": etag(image)},
        )


@extend_schema_view(
    list=extend_schema(
        summary="The licences images may be used under",
        description="Names in the request's language (Accept-Language).",
        responses={200: LicenceSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One licence, by its code",
        parameters=[
            OpenApiParameter(
                "code",
                {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*$", "maxLength": 50},
                OpenApiParameter.PATH,
                description="The licence code, e.g. cc-by-4.0.",
            )
        ],
        responses={
            200: LicenceSerializer,
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No licence with this code."),
        },
    ),
)
class LicenceViewSet(viewsets.ReadOnlyModelViewSet):
    """The licence catalogue: public, read-only (the admin edits it)."""

    serializer_class = LicenceSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9][a-z0-9.-]{0,49}"
    pagination_class = None

    def get_queryset(self):
        return Licence.objects.order_by("code")

    def get_object(self):
        licence = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if licence is None:
            raise NotFound(_("No licence with this code."))
        return licence
