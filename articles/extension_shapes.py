"""Schema shapes of the detail fields that highlight boxes and follow-ups add to an article."""

from rest_framework import serializers

from articles.models.followups import FollowUp


class HighlightItemShape(serializers.Serializer):
    emoji = serializers.CharField(help_text="Exactly as typed, multi-codepoint emoji included.")
    text = serializers.CharField(help_text="Plain text or minimal inline HTML (cleaned).")


class HighlightBoxShape(serializers.Serializer):
    title = serializers.CharField()
    items = HighlightItemShape(many=True)


class FollowedUpByShape(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    language = serializers.CharField()
    headline = serializers.CharField()


class PublicFollowUpShape(serializers.Serializer):
    promise = serializers.CharField(help_text="The line readers see, e.g. “We will keep …”.")
    status = serializers.ChoiceField(
        choices=FollowUp.Status.choices, help_text="Cancelled follow-ups are not listed."
    )
    followed_up_by = FollowedUpByShape(
        allow_null=True, help_text="The live article that continued the story."
    )
