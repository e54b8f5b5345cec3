"""The OpenAPI description of the errors every operation can answer, from what it is made of.

Each operation documents its own success and the errors particular to it (``extend_schema``);
this schema class adds the errors that come from the view's machinery, so that no endpoint, old
or new, leaves them out:

- 400 when the operation reads a body or query/header parameters (a field or parameter refused);
- 401 when the view authenticates (no credentials, or a wrong, expired or revoked token);
- 403 when a permission can refuse (a role, a desk, the CSRF check of a session);
- 404 on routes with a path parameter (nothing you may see there);
- 409 on workflow actions (the object's state forbids the step);
- 412 and 428 when the operation takes If-Match (stale version, missing header);
- 413 and 415 when the operation reads a body (too large, a media type it does not parse);
- 429 when the view is throttled.

Every error is the same JSON object (``Error``): a ``detail`` or ``{field or path: [messages]}``,
and a ``request_id`` on server errors. A 4xx an operation documents without a body, or with a
bare object, is given that schema too.
https://drf-spectacular.readthedocs.io/en/latest/customization.html#step-2-extend-schema
"""

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.authentication import SessionAuthentication
from rest_framework.fields import CharField, DecimalField
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.relations import PrimaryKeyRelatedField

from newsroom.filters import FilterBackend
from newsroom.params import MAX_ID

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` says why, or each refused field, parameter or path into "
    "the payload (`claims[2].status`) maps to its messages; server errors carry `request_id`.",
    "properties": {
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
    },
    "additionalProperties": {},
}

# A date-time with a UTC offset PostgreSQL's timestamptz takes (±15:59; RFC 3339 allows ±23:59),
# for the fields and filters that refuse the others (newsroom.fields.StrictDateTimeField,
# articles.serializers.followups, articles.filters). https://www.postgresql.org/docs/current/datatype-datetime.html
STORABLE_DATE_TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"(?:[Zz]|[+-](?:0[0-9]|1[0-5]):[0-5][0-9])$",
}

# Text with a character that is not white space as Python counts it (str.isspace): DRF's
# CharField strips those (str.strip()) before it checks that a required text is not blank. They
# are spelled out because a schema's \\s is ECMAScript's, which leaves out U+001C-U+001F and
# U+0085 and adds U+FEFF. https://tc39.es/ecma262/#sec-characterclassescape
PYTHON_WHITE_SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NOT_BLANK = f"[^{PYTHON_WHITE_SPACE}]"

DESCRIPTIONS = {
    400: "Invalid input: {field, parameter or path: [messages]}, or `detail` (malformed JSON).",
    401: "Not authenticated: no credentials, or a wrong, expired or revoked token.",
    403: "Your role or desk does not allow it, or the session's CSRF check failed: `detail`.",
    404: "Nothing you may see at this address: `detail`.",
    409: "The object's current state forbids it: `detail`.",
    412: "Someone saved a newer version since: `current_version` and the new ETag.",
    413: "The request body is larger than the API accepts: `detail`.",
    415: "The body's Content-Type is not one this operation reads: `detail`.",
    428: "If-Match is missing.",
    429: "Too many requests: wait (see Retry-After), then try again.",
}

STANDARD_ACTIONS = {
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
    "metadata",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# An "object" schema with nothing more said: drf-spectacular's OpenApiTypes.OBJECT.
BARE_OBJECT = {"type": "object", "additionalProperties": {}}


NULLABLE_IN_RESPONSE = "nullable_in_response"


def nullable_in_response(field_class: type) -> type:
    """``field_class``, documented nullable in responses only: a value the API requires on
    input that later becomes null (a done follow-up's ``next_check_at``). A subclass, since
    DRF copies a serializer's fields by re-creating them from their arguments."""
    return type(field_class.__name__, (field_class,), {NULLABLE_IN_RESPONSE: True})


def decimal_pattern(max_digits: int, decimal_places: int) -> str:
    """A decimal as text with at least one digit: up to ``max_digits - decimal_places`` before
    the point and ``decimal_places`` after it (``7``, ``-0.5``, ``.5``, ``7.``)."""
    whole = max_digits - decimal_places
    if decimal_places == 0:
        return rf"^-?\d{{1,{whole}}}$"
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{decimal_places}}})?|\.\d{{1,{decimal_places}}})$"


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        registry.register_on_missing(error)
        responses = operation.setdefault("responses", {})
        for code in self.error_codes(operation):
            responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.startswith("4"):
                content = response.setdefault("content", {})
                json = content.setdefault("application/json", {})
                if json.get("schema") in (None, BARE_OBJECT):
                    json["schema"] = error.ref
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def map_parsers(self):
        # The API's bodies are JSON: a form encoding cannot carry null, nested lists or objects,
        # so it is accepted (as browsers send it) but not documented. An operation that reads
        # files only (an upload) documents multipart.
        media_types = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, PrimaryKeyRelatedField) and schema.get("type") == "integer":
            # An id the database can hold; anything else names nothing (400).
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", MAX_ID)
        if (
            direction == "request"
            and isinstance(field, CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and schema.get("type") == "string"
            and not schema.keys() & {"pattern", "format", "enum"}
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # Trimmed, then refused when blank: a required text needs a character that is
            # not white space. (A field's own pattern, added after this from its validators,
            # says more.)
            schema["pattern"] = NOT_BLANK
        if (
            isinstance(field, DecimalField)
            and schema.get("type") == "string"
            and "pattern" in schema
            and field.max_digits is not None
            and field.decimal_places is not None
        ):
            # drf-spectacular's pattern for a decimal matches "", "-" and ".": text with no
            # digit, which the field refuses ("A valid number is required."). At least one.
            schema["pattern"] = decimal_pattern(field.max_digits, field.decimal_places)
        if direction == "response" and getattr(field, NULLABLE_IN_RESPONSE, False):
            schema["nullable"] = True
        return schema

    def _get_filter_parameters(self):
        # newsroom.filters.FilterBackend refuses an empty filter: a text one has a character.
        parameters = super()._get_filter_parameters()
        if any(issubclass(backend, FilterBackend) for backend in self.get_filter_backends()):
            for parameter in parameters:
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not schema.keys() & {"enum", "format"}:
                    schema.setdefault("minLength", 1)
        return parameters

    def error_codes(self, operation: dict) -> set[int]:
        view, method = self.view, self.method.upper()
        parameters = operation.get("parameters", [])
        takes_body = "requestBody" in operation
        codes: set[int] = set()
        if takes_body or any(p["in"] in ("query", "header") for p in parameters):
            codes.add(400)
        authenticators = view.get_authenticators()
        if authenticators:
            codes.add(401)
        if self.can_refuse(method, authenticators):
            codes.add(403)
        if any(p["in"] == "path" for p in parameters):
            codes.add(404)
        action = getattr(view, "action", None)
        if action and action not in STANDARD_ACTIONS and method not in SAFE_METHODS:
            codes.add(409)
        if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
            codes.update((412, 428))
        if takes_body:
            codes.update((413, 415))
        if view.throttle_classes:
            codes.add(429)
        return codes

    def can_refuse(self, method: str, authenticators) -> bool:
        """Whether a permission (or the CSRF check of a session) can answer 403."""
        if method not in SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        ):
            return True
        lenient = (AllowAny, IsAuthenticatedOrReadOnly) if method in SAFE_METHODS else (AllowAny,)
        return not all(isinstance(p, lenient) for p in self.view.get_permissions())
