import datetime

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from articles.languages import validate_language_tag
from articles.models import Article, Entity
from articles.models.entities import fold
from articles.search import ORDERS, configurations
from newsroom.fields import MAX_OFFSET
from newsroom.filters import IdFilter
from newsroom.openapi import STORABLE_DATE_TIME
from newsroom.params import MAX_ID, ascii_int


class StrictIsoDateTimeField(IsoDateTimeField):
    """django-filter's ISO 8601 field, refusing offsets beyond ±15:59 and times outside the
    years 1–9999 in UTC, which the database would refuse with a 500."""

    def to_python(self, value):
        parsed = super().to_python(value)
        offset = parsed.utcoffset() if parsed is not None else None
        if offset is not None:
            try:
                if abs(offset) > MAX_OFFSET:
                    raise ValueError("offset out of range")
                parsed.astimezone(datetime.UTC)
            except (ValueError, OverflowError) as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return parsed


@extend_schema_field(STORABLE_DATE_TIME)
class StrictIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StrictIsoDateTimeField


class ArticleFilter(django_filters.FilterSet):
    language = django_filters.CharFilter(
        method="filter_language",
        validators=[validate_language_tag],
        help_text=_("Language code, e.g. fr or en; fr also matches fr-CA."),
    )
    desk = django_filters.CharFilter(method="filter_desk", help_text=_("Desk slug or id."))
    tag = django_filters.CharFilter(field_name="tags__slug", help_text=_("Tag slug."))
    entity = IdFilter(method="filter_entity", help_text=_("Id of an entity the article mentions."))
    updated_since = StrictIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 time; articles updated at or after it."),
    )
    q = django_filters.CharFilter(
        method="filter_search", max_length=200, help_text=_("Full-text search.")
    )
    order = django_filters.ChoiceFilter(
        choices=[(ORDERS[0], _("Newest first")), (ORDERS[1], _("Relevance"))],
        method="filter_order",
        help_text=_(
            "Order of a search (q): newest first (the default), or by relevance among the "
            "newest matches."
        ),
    )
    status = django_filters.ChoiceFilter(
        choices=Article.Status.choices,
        help_text=_("Workflow state; readers only ever see published articles."),
    )

    class Meta:
        model = Article
        fields = ["language", "desk", "tag", "entity", "updated_since", "q", "order", "status"]

    def filter_language(self, queryset, name, value):
        return queryset.filter(Q(language__iexact=value) | Q(language__istartswith=f"{value}-"))

    def filter_desk(self, queryset, name, value):
        desk_id = ascii_int(value)
        if desk_id is not None:
            return queryset.filter(desk_id=desk_id) if desk_id <= MAX_ID else queryset.none()
        return queryset.filter(desk__slug=value)

    def filter_entity(self, queryset, name, value):
        return queryset.filter(mentions__entity_id=int(value)).distinct()

    def filter_order(self, queryset, name, value):
        return queryset  # applied by the search itself (articles.search)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            configs = configurations(self.data.get("language"))
            query = SearchQuery(value, config=configs[0], search_type="websearch")
            for config in configs[1:]:
                query |= SearchQuery(value, config=config, search_type="websearch")
            return queryset.filter(search_vector=query)
        return queryset.filter(
            Q(headline__icontains=value) | Q(standfirst__icontains=value) | Q(body__icontains=value)
        )


class EntityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_names",
        max_length=200,
        help_text="Part of a name or alias, without regard to case or accents.",
    )
    kind = django_filters.ChoiceFilter(choices=Entity.Kind.choices)

    class Meta:
        model = Entity
        fields = ["q", "kind"]

    def filter_names(self, queryset, name, value):
        # One name a line: a line break in the query must not match across two names.
        return queryset.filter(search_names__contains=fold(value).replace("\n", " "))
