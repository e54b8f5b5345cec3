"""The limit/offset pagination of every list endpoint (entities, follow-ups, images).

DRF's own reads any ``limit`` or ``offset`` into the SQL: 2**63 overflows PostgreSQL's bigint,
a database error (a 500) for what is the client's mistake, so it gets a 400 naming the
parameter. As in DRF, a value that is not a whole number in ASCII digits gives the default, and
a limit above ``max_limit`` is brought down to it.
https://www.postgresql.org/docs/current/sql-select.html#SQL-LIMIT
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from newsroom.params import MAX_ID, ascii_int

MAX_SQL_INTEGER = MAX_ID


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000

    def get_limit(self, request) -> int | None:
        limit = self._number(request, self.limit_query_param)
        if limit is None or limit < 1:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request) -> int:
        offset = self._number(request, self.offset_query_param)
        return 0 if offset is None else offset

    def _number(self, request, name: str) -> int | None:
        value = ascii_int(request.query_params.get(name))
        if value is not None and value > MAX_SQL_INTEGER:
            raise ValidationError(
                {name: [_("Ensure this value is at most %(max)d.") % {"max": MAX_SQL_INTEGER}]}
            )
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
                parameter["description"] += f" (1–{self.max_limit}; larger is brought down)"
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": MAX_SQL_INTEGER})
        return parameters
