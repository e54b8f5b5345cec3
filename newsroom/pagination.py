"""Pagination shared by the apps' list endpoints."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# LIMIT and OFFSET are bigints in PostgreSQL (and 64-bit integers in SQLite): a larger value is
# a database error, a 500, rather than the client's mistake it is.
# https://www.postgresql.org/docs/current/sql-select.html#SQL-LIMIT
MAX_SQL_INTEGER = 2**63 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset pagination, answering 400 by parameter for values no database takes."""

    def get_limit(self, request) -> int | None:
        self._refuse_out_of_range(request, self.limit_query_param)
        return super().get_limit(request)

    def get_offset(self, request) -> int:
        self._refuse_out_of_range(request, self.offset_query_param)
        return super().get_offset(request)

    def _refuse_out_of_range(self, request, name: str) -> None:
        raw = request.query_params.get(name, "")
        try:
            value = int(raw)
        except ValueError:
            return  # DRF falls back to the default for what is not a number
        if value > MAX_SQL_INTEGER:
            raise ValidationError(
                {name: [_("Ensure this value is at most %(max)d.") % {"max": MAX_SQL_INTEGER}]}
            )
