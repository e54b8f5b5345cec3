"""Serializer fields shared by the API's input shapes."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsroom.openapi import STORABLE_DATE_TIME

# PostgreSQL's timestamptz takes offsets up to ±15:59
# (https://www.postgresql.org/docs/current/datatype-datetime.html); Python's up to ±23:59.
MAX_OFFSET = datetime.timedelta(hours=15, minutes=59)


def check_offset(value: datetime.datetime) -> None:
    """Raise ValueError when the time's UTC offset is one the database cannot store."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValueError("offset out of range")


# Documented with the offsets it takes, so that clients (and the schema fuzz) know the limit.
@extend_schema_field(STORABLE_DATE_TIME)
class StrictDateTimeField(serializers.DateTimeField):
    """DateTimeField refusing what DRF lets through to the database: offsets beyond ±15:59 and
    times that leave the representable range once converted to UTC (400, never 500)."""

    default_error_messages = {
        "offset": _("The time zone offset must be between -15:59 and +15:59."),
        "range": _("The time is outside the years 1 to 9999 once converted to UTC."),
    }

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if isinstance(parsed, datetime.datetime):
            if isinstance(value, str):
                original = self._original_offset(value)
                if original is not None and abs(original) > MAX_OFFSET:
                    self.fail("offset")
            try:
                if parsed.tzinfo is not None:
                    check_offset(parsed)
                    parsed.astimezone(datetime.UTC)
            except ValueError:
                self.fail("offset")
            except OverflowError:
                self.fail("range")
        return parsed

    @staticmethod
    def _original_offset(value: str) -> datetime.timedelta | None:
        from django.utils.dateparse import parse_datetime

        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            return None
        return parsed.utcoffset() if parsed is not None else None


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class BlankableURLField(serializers.URLField):
    """A URL or the empty string (a model URLField with blank=True): "format: uri" alone would
    say that "" is not a valid value."""


class TextOnlyCharField(serializers.CharField):
    """CharField refusing a JSON number where the schema says text: DRF turns ``3`` into
    ``"3"``, so a client that sends the wrong type would never learn it. A form or multipart
    body carries every value as text, and is not concerned."""

    def to_internal_value(self, data):
        if isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)
