"""What the desk sends to create, edit and merge entities (the read shapes are in public.py)."""

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Entity
from articles.models.entities import wikidata_validator
from newsroom.fields import TextOnlyCharField
from newsroom.openapi import NOT_BLANK

MAX_ALIASES = 50
MAX_MERGED = 50


# Spaces are trimmed, so an alias needs something else in it.
@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK})
class AliasField(serializers.CharField):
    pass


class EntityWriteSerializer(serializers.ModelSerializer):
    """POST and PATCH of an entity. Validation is the model's (``full_clean`` in the service),
    so the admin and the API refuse the same way."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextOnlyCharField,
        models.TextField: TextOnlyCharField,
    }

    aliases = serializers.ListField(
        child=AliasField(max_length=200),
        max_length=MAX_ALIASES,
        required=False,
        help_text=f"Other names for the same thing (at most {MAX_ALIASES}); "
        "GET ?q= matches them too.",
    )

    class Meta:
        model = Entity
        fields = ["name", "kind", "aliases", "wikidata_id", "description"]
        extra_kwargs = {
            # The model's format check only: the uniqueness message below says what to do.
            "wikidata_id": {
                "help_text": "Q followed by digits, e.g. Q95; empty for none.",
                "validators": [wikidata_validator],
            }
        }

    def validate_wikidata_id(self, value: str) -> str:
        if not value:
            return value
        others = Entity.objects.filter(wikidata_id=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(
                _("Another entity already has this Wikidata id: merge them instead.")
            )
        return value


class EntityMergeSerializer(serializers.Serializer):
    entities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=MAX_MERGED,
        help_text="Ids of the entities to merge into this one; they are deleted.",
    )
