"""Limit/offset pagination that never hands the database a number it cannot take.

DRF's own reads any ``limit`` or ``offset`` into the SQL: 2**63 overflows PostgreSQL's bigint
(a 500). Here, as DRF does for a malformed value, a limit that is not a whole number gives the
default page size, and a number too large is clamped: the limit to ``max_limit``, the offset to
the largest the database takes (an empty page, as any offset past the end).
"""

from rest_framework.pagination import LimitOffsetPagination

from newsroom.params import MAX_ID, ascii_int

MAX_OFFSET = MAX_ID


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000

    def get_limit(self, request):
        limit = ascii_int(request.query_params.get(self.limit_query_param))
        if limit is None or limit < 1:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        offset = ascii_int(request.query_params.get(self.offset_query_param))
        return 0 if offset is None else min(offset, MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
                parameter["description"] += f" (1–{self.max_limit}; larger is clamped)"
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0})
        return parameters
