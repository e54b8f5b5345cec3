"""The limit/offset pagination of every list endpoint (entities, follow-ups, images).

DRF's own reads any ``limit`` or ``offset`` into the SQL: 2**63 overflows PostgreSQL's bigint,
a database error (a 500) for what is the client's mistake. DRF also reads ``limit=abc`` or
``limit=0`` as the default. Here each is what the schema says: a whole number in ASCII digits
(``limit`` from 1, ``offset`` from 0, both at most the largest bigint), given once, or a 400
naming the parameter. A limit above ``max_limit`` is brought down to it, as in DRF.
https://www.postgresql.org/docs/current/sql-select.html#SQL-LIMIT
"""

from rest_framework.pagination import LimitOffsetPagination

from newsroom.params import MAX_ID, whole_number

MAX_SQL_INTEGER = MAX_ID


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000

    def get_limit(self, request) -> int | None:
        limit = whole_number(
            request.query_params, self.limit_query_param, minimum=1, maximum=MAX_SQL_INTEGER
        )
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request) -> int:
        offset = whole_number(
            request.query_params, self.offset_query_param, minimum=0, maximum=MAX_SQL_INTEGER
        )
        return 0 if offset is None else offset

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_SQL_INTEGER})
                parameter["description"] += f" (from 1; above {self.max_limit} is brought down)"
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": MAX_SQL_INTEGER})
        return parameters
