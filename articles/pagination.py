from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

INVALID_CURSOR = "Not a cursor this API gave out: follow the next or previous link of a page."


class NewestFirstCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts, and no COUNT query."""

    ordering = ("-published_at", "-id")
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def decode_cursor(self, request):
        # DRF answers a bad cursor with 404; it is a bad query parameter, so 400 naming it.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except DjangoValidationError as exc:  # a well-formed cursor, bad position
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
