from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.settings import APISettings

from media_credits import services
from media_credits.models import Image
from media_credits.serializers import ImageSerializer, ImageUploadSerializer
from media_credits.storage import StorageUnavailable
from newsroom.parsers import SafeFormParser, SafeMultiPartParser

# Room for the multipart envelope and the metadata fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 256 * 1024

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid input: {field or parameter: [messages]}."
)
NOT_AUTHENTICATED = OpenApiResponse(description="Not authenticated (token or session).")
NOT_STAFF = OpenApiResponse(description="Staff only.")
NOT_FOUND = OpenApiResponse(description="No image with this id.")


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
        summary="One image with its renditions (staff)",
        responses={
            200: ImageSerializer,
            401: NOT_AUTHENTICATED,
            403: NOT_STAFF,
            404: NOT_FOUND,
        },
    ),
    create=extend_schema(
        summary="Upload an image (multipart; staff)",
        # A file travels in multipart/form-data only (a form-encoded body cannot carry one).
        request={"multipart/form-data": ImageUploadSerializer},
        responses={
            201: ImageSerializer,
            200: OpenApiResponse(
                ImageSerializer, description="The same bytes were uploaded before."
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
    viewsets.GenericViewSet,
):
    """Images with their credits, licences and renditions. Staff only for now."""

    permission_classes = [IsAdminUser]
    parser_classes = [SafeMultiPartParser, SafeFormParser]
    content_negotiation_class = FilterFormatNegotiation
    lookup_value_regex = r"\d+"
    filterset_fields = ["digital_source_type", "licence__code", "format"]

    def get_queryset(self):
        return Image.objects.select_related("licence").prefetch_related("renditions")

    def get_serializer_class(self):
        if self.action == "create":
            return ImageUploadSerializer
        return ImageSerializer

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
        image = self.get_queryset().get(pk=image.pk)
        return Response(
            ImageSerializer(image, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
