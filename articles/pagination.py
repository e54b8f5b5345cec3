import base64
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from newsroom.params import single_value, whole_number

INVALID_CURSOR = "Not a cursor this API gave out: follow the next or previous link of a page."


class NewestFirstCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts, and no COUNT query."""

    ordering = ("-published_at", "-id")
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        return self.page_size_from(request.query_params)

    @classmethod
    def page_size_from(cls, params) -> int:
        """The page size a query asks for; a 400 naming `page_size` when it is not one."""
        size = whole_number(params, cls.page_size_query_param, minimum=1, maximum=cls.max_page_size)
        return cls.page_size if size is None else size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters

    def decode_cursor(self, request):
        # DRF answers a bad cursor with 404; it is a bad query parameter, so 400 naming it.
        single_value(request.query_params, self.cursor_query_param)
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except DjangoValidationError as exc:  # a well-formed cursor, bad position
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc


@dataclass(frozen=True)
class Position:
    """Where a public list page starts: after (or, going back, before) this article."""

    published_at: datetime.datetime
    id: int
    reverse: bool = False

    def encode(self) -> str:
        raw = f"{self.published_at.isoformat()}|{self.id}|{int(self.reverse)}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Position":
        """The position in a cursor this API gave out; a 400 naming `cursor` otherwise."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            when, pk, reverse = raw.split("|")
            published_at = datetime.datetime.fromisoformat(when)
            if published_at.tzinfo is None:
                published_at = published_at.replace(tzinfo=datetime.UTC)
            position = cls(published_at, int(pk), reverse == "1")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
        if position.id < 1 or position.id >= 2**63 or reverse not in ("0", "1"):
            raise ValidationError({"cursor": [INVALID_CURSOR]})
        return position
