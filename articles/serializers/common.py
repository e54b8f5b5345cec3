"""Small shapes shared by the public, desk and follow-up serializers: times, numbers, refs."""

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from articles.models import Entity


def iso(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.isoformat()


def decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def entity_ref(entity: Entity | None) -> dict | None:
    if entity is None:
        return None
    return {
        "id": entity.pk,
        "name": entity.name,
        "kind": entity.kind,
        "wikidata_id": entity.wikidata_id or None,
    }


def user_ref(user) -> dict:
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def desk_ref(desk) -> dict | None:
    if desk is None:
        return None
    return {"id": desk.pk, "name": desk.name, "slug": desk.slug}


class EntityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Entity.Kind.choices)
    wikidata_id = serializers.CharField(allow_null=True)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DeskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()


class TagRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
