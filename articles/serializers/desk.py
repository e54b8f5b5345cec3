"""The desk's article shapes: what the write API takes (nested lists declared here, written by
articles.nested), and the editorial read that a desk member gets back.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from articles.languages import LanguageTagValidator
from articles.models import (
    Article,
    Claim,
    Correction,
    Desk,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)
from articles.serializers.common import EntityRefSerializer, entity_ref, iso
from articles.serializers.followups import (
    FollowUpEditorialShape,
    FollowUpInputSerializer,
    followups_editorial,
)
from articles.serializers.highlights import (
    HighlightBoxEditorialShape,
    HighlightBoxInputSerializer,
    highlight_boxes_editorial,
)
from articles.serializers.public import ArticleDetailSerializer, article_detail
from media_credits.serializers import (
    ArticleImageEditorialSerializer,
    ArticleImageInputSerializer,
    article_images_editorial,
)
from newsroom.fields import StrictDateTimeField

# --- Input shapes ---------------------------------------------------------------------------

# Every nested list of the write API holds at most this many items (400 naming the list beyond):
# writing one item costs queries, and a list of thousands would hold the request for minutes.
MAX_ITEMS = 200
# The body is at most this many characters (about 1 MB); DATA_UPLOAD_MAX_MEMORY_SIZE bounds the
# whole request.
MAX_BODY = 1_000_000


class InputModelSerializer(serializers.ModelSerializer):
    # Nested input shapes: model fields, with times checked for what the database takes.

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: StrictDateTimeField,
    }


class MentionInputSerializer(InputModelSerializer):
    class Meta:
        model = Mention
        fields = ["entity", "role", "suggested"]
        extra_kwargs = {
            "suggested": {
                "help_text": "Found by the importer and not yet confirmed: false confirms it. "
                "Suggested mentions are left out of public documents."
            }
        }


class ClaimInputSerializer(InputModelSerializer):
    class Meta:
        model = Claim
        fields = ["text", "status", "attributed_to", "responded_by", "sourcing", "as_of"]


class QuoteInputSerializer(InputModelSerializer):
    class Meta:
        model = Quote
        fields = ["text", "speaker", "speaker_label", "speaker_organisation", "said_at"]


class KeyFigureInputSerializer(InputModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["label", "value", "value_high", "approximate", "unit", "as_of", "source"]


class KeyDateInputSerializer(InputModelSerializer):
    class Meta:
        model = KeyDate
        fields = ["date", "precision", "label"]


class SourceInputSerializer(InputModelSerializer):
    class Meta:
        model = Source
        fields = ["name", "role", "url"]


class CorrectionInputSerializer(InputModelSerializer):
    class Meta:
        model = Correction
        fields = ["text", "corrected_at"]


REPLACES = f"Replaces the stored list. At most {MAX_ITEMS} items."


def nested_list(item_serializer: type[serializers.Serializer]) -> serializers.ListSerializer:
    """A nested list of the write API: optional, at most MAX_ITEMS items, replacing the stored
    list when given (articles.nested)."""
    return item_serializer(many=True, required=False, max_length=MAX_ITEMS, help_text=REPLACES)


class ArticleWriteSerializer(serializers.Serializer):
    """What POST, PUT and PATCH accept. Nested lists given replace the stored ones.

    Status and publication times change only through the workflow actions (submit, publish,
    schedule, retract). The body is HTML, cleaned of anything unsafe on save, never rejected.
    """

    headline = serializers.CharField(max_length=300)
    slug = serializers.SlugField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The article's address; derived from the headline when empty on creation.",
    )
    language = serializers.CharField(
        max_length=35,
        validators=[LanguageTagValidator()],
        help_text="BCP 47 code, e.g. fr, en, fr-CA.",
    )
    desk = serializers.PrimaryKeyRelatedField(
        queryset=Desk.objects.all(),
        allow_null=True,
        help_text="Id of the desk; you must belong to it.",
    )
    standfirst = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_BODY,
        help_text="HTML; cleaned on save. At most 1,000,000 characters.",
    )
    source_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    editor_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100_000
    )
    canonical_url = serializers.URLField(required=False, allow_blank=True, default="")
    translation_of = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True, default=None
    )
    embargo_until = StrictDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Readers cannot see the article before this time.",
    )
    authors = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="User ids in byline order. On creation, defaults to you.",
    )
    tags = serializers.SlugRelatedField(
        queryset=Tag.objects.all(), slug_field="slug", many=True, required=False
    )

    # The nested lists, each replacing the stored list when given (articles.nested).
    mentions = nested_list(MentionInputSerializer)
    claims = nested_list(ClaimInputSerializer)
    quotes = nested_list(QuoteInputSerializer)
    key_figures = nested_list(KeyFigureInputSerializer)
    key_dates = nested_list(KeyDateInputSerializer)
    sources = nested_list(SourceInputSerializer)
    corrections = nested_list(CorrectionInputSerializer)
    highlight_boxes = nested_list(HighlightBoxInputSerializer)
    followups = nested_list(FollowUpInputSerializer)
    images = nested_list(ArticleImageInputSerializer)

    def validate_translation_of(self, value):
        from articles.permissions import visible_articles

        request = self.context.get("request")
        if value is not None and request is not None:
            if not visible_articles(request.user).filter(pk=value.pk).exists():
                raise serializers.ValidationError(_("No article with this id."))
        return value


# --- Output for the desk ----------------------------------------------------------------------


def article_editorial(article: Article, translations: list[dict] | None = None) -> dict:
    """The public detail plus what only the desk sees."""
    data = article_detail(article, translations)
    data.update(
        {
            "editor_note": article.editor_note,
            "publish_at": iso(article.publish_at),
            "embargo_until": iso(article.embargo_until),
            "created_at": iso(article.created_at),
            "translation_of": article.translation_of_id,
        }
    )
    # The lists in the shape the write API takes back (ids, roles, owners), so that a client
    # can edit what it read.
    data["mentions"] = [
        {"entity": entity_ref(m.entity), "role": m.role, "suggested": m.suggested}
        for m in article.mentions.all()
    ]
    # What the wire-copy importer kept (articles.services.imports); never in public documents.
    data["import_source"] = article.import_source
    data["import_warnings"] = article.import_warnings
    data["pending_image"] = article.pending_image
    data["highlight_boxes"] = highlight_boxes_editorial(article)
    data["followups"] = followups_editorial(article)
    data["images"] = article_images_editorial(article)
    return data


class EditorialMentionShape(serializers.Serializer):
    entity = EntityRefSerializer()
    role = serializers.CharField()
    suggested = serializers.BooleanField(
        help_text="Found by the importer, not yet confirmed by a journalist."
    )


class ImportWarningShape(serializers.Serializer):
    code = serializers.CharField(
        help_text="e.g. lost_emoji, encoding_repaired, headline_made, new_entities, names."
    )
    message = serializers.CharField()


class PendingImageShape(serializers.Serializer):
    note = serializers.CharField(required=False, help_text="The image note as written.")
    credit_line = serializers.CharField(required=False)
    digital_source_type = serializers.CharField(required=False)
    ai_system = serializers.CharField(required=False)
    licensor_name = serializers.CharField(required=False)
    licence_basis = serializers.CharField(required=False)
    licence_statement = serializers.CharField(
        required=False, help_text="The licence wording of the note, e.g. 'autorisée par …'."
    )


class ArticleEditorialSerializer(ArticleDetailSerializer):
    editor_note = serializers.CharField()
    publish_at = StrictDateTimeField(allow_null=True)
    embargo_until = StrictDateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    translation_of = serializers.IntegerField(allow_null=True)

    def get_fields(self):
        # The desk's shapes of these lists replace the public ones in place (declaring them
        # here would move them to the end of the schema).
        fields = super().get_fields()
        fields["mentions"] = EditorialMentionShape(many=True)
        fields["import_source"] = serializers.CharField(
            read_only=True, help_text="The wire copy as imported; empty for typed articles."
        )
        fields["import_warnings"] = ImportWarningShape(
            many=True, read_only=True, help_text="What the importer could not settle."
        )
        fields["pending_image"] = PendingImageShape(
            read_only=True,
            help_text="The lead image's attribution stated in the imported copy, given to the "
            "lead image the desk attaches next, then cleared.",
        )
        fields["highlight_boxes"] = HighlightBoxEditorialShape(many=True)
        fields["followups"] = FollowUpEditorialShape(
            many=True, help_text="Cancelled follow-ups are not listed."
        )
        fields["images"] = ArticleImageEditorialSerializer(
            many=True,
            help_text="For the desk: every image of the article, lead included, in order.",
        )
        return fields

    def to_representation(self, instance):
        return article_editorial(instance, self.context.get("translations"))


class ScheduleInputSerializer(serializers.Serializer):
    publish_at = StrictDateTimeField(help_text="When to publish, with its time zone.")


class RetractInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why; shown to readers as a correction note."
    )
