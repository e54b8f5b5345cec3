"""The API's JSON parser: DRF's, refusing what would crash the server instead of answering 400.

- Nesting deeper than ``MAX_DEPTH``: the serializers and the error flattening walk the payload
  recursively, and Python's recursion limit would turn a hostile body into a 500.
- A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: Django raises ``RequestDataTooBig`` (a
  SuspiciousOperation, answered with an HTML page); here it is a 413 with a JSON reason.
"""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_DEPTH = 64

# Strings may hold brackets; they are blanked out before the brackets are counted.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(
            _("The request body is larger than the %(limit)s bytes the API accepts.")
            % {"limit": limit}
        )


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (an upper bound if malformed)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class SafeJSONParser(JSONParser):
    """JSONParser with a size limit (413) and a nesting limit (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return super().parse(stream, media_type, parser_context)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1 if limit is not None else -1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        if nesting_depth(raw) > MAX_DEPTH:
            raise ParseError(
                _("JSON nested too deep: at most %(depth)s levels of arrays and objects.")
                % {"depth": MAX_DEPTH}
            )
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        errors = unstorable_strings(data)
        if errors:
            raise ValidationError(
                errors if isinstance(errors, dict) else {"non_field_errors": errors}
            )
        return data


def unstorable_strings(data) -> dict | list | None:
    """Where the payload holds strings PostgreSQL cannot store, nested as DRF's errors are (the
    exception handler turns them into paths, ``claims[0].text``): a NUL character (text and
    jsonb refuse it) or a lone surrogate (UTF-8 cannot encode it). Keys are checked too."""
    if isinstance(data, str):
        if "\x00" in data:
            return [_("Null characters are not allowed.")]
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return [_("Text with a lone surrogate (an unpaired \\ud800-\\udfff) is not allowed.")]
        return None
    errors: dict = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if unstorable_strings(key):
                errors["non_field_errors"] = [_("A key holds characters that cannot be stored.")]
            elif (found := unstorable_strings(value)) is not None:
                errors[key] = found
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if (found := unstorable_strings(item)) is not None:
                errors[index] = found
    return errors or None


def _refuse_unstorable_form_values(data) -> None:
    """A form or multipart body (a QueryDict of lists) with a string no column can store."""
    errors = {}
    for key, values in data.lists():
        if unstorable_strings(key):
            errors["non_field_errors"] = [_("A key holds characters that cannot be stored.")]
            continue
        for index, value in enumerate(values):
            if isinstance(value, str) and (found := unstorable_strings(value)) is not None:
                errors[key if len(values) == 1 else f"{key}[{index}]"] = found
                break
    if errors:
        raise ValidationError(errors)


class SafeFormParser(FormParser):
    """FormParser refusing NUL and lone surrogates, as SafeJSONParser does (a 400, not a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_unstorable_form_values(data)
        return data


class SafeMultiPartParser(MultiPartParser):
    """MultiPartParser refusing NUL and lone surrogates in its fields (files are bytes)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data_and_files = super().parse(stream, media_type, parser_context)
        _refuse_unstorable_form_values(data_and_files.data)
        return data_and_files


class ImageUploadParser(SafeMultiPartParser):
    """The image upload's multipart parser. Its own class so that the OpenAPI schema documents
    multipart for the upload only (SPECTACULAR_SETTINGS["PARSER_WHITELIST"]) and JSON for every
    other write: one body per operation, which client generators need."""
