"""The filter backend of every list, and the filters whose values the schema can state.

django-filter reads ``?status=`` as "no filter" and the last of ``?status=a&status=b``; the
schema says a filter is one value of its type, so either is a 400 naming the parameter (a
filter made to take several values, a ``Multiple*Filter``, may be repeated). Its
``BooleanFilter`` reads ``?mine=maybe`` as no filter, and its ``NumberFilter`` takes ``1.5``
for an id: ``StrictBooleanFilter`` and ``IdFilter`` refuse them, as their schema says.
https://django-filter.readthedocs.io/en/stable/guide/rest_framework.html
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from newsroom.params import MAX_ID, ascii_int, single_value_error


class FilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_empty_or_repeated(filterset.filters, request.query_params)
        return filterset


def refuse_empty_or_repeated(filters: dict, query_params) -> None:
    errors = {}
    for name, filter_ in filters.items():
        if isinstance(filter_, MultipleChoiceFilter):
            continue
        error = single_value_error(query_params, name)
        if error:
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, as the schema's boolean is written in a query string."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value == "true"


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IdField(forms.Field):
    """An id: a whole number in ASCII digits from 1 to the largest bigint."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Give an id: a whole number from 1 to %(max)d.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        number = ascii_int(str(value))
        if number is None or not 1 <= number <= MAX_ID:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"max": MAX_ID}
            )
        return number


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    field_class = IdField
