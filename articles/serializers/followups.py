"""Follow-ups as readers see them (the promise), as the staff API and the article's write API
take them, and as the desk reads them back."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import permissions
from articles.models import Article, Entity, FollowUp, ReminderDelivery
from articles.reminders.plan import HoldReason, followup_reminder_plan
from articles.services import followups as services
from newsroom.openapi import STORABLE_DATE_TIME, nullable_in_response


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


def public_followups(article, language: str) -> list[dict]:
    """The promise to readers, never owners or emails. Reads the detail's prefetch."""
    result = []
    for followup in article.followups.all():
        result.append(
            {
                "promise": followup.promise,
                # Snoozing is the desk's scheduling, not news: readers see it as watched.
                "status": (
                    FollowUp.Status.WATCHING
                    if followup.status == FollowUp.Status.SNOOZED
                    else followup.status
                ),
                "followed_up_by": followed_up_by(followup),
            }
        )
    return result


def followed_up_by(followup: FollowUp) -> dict | None:
    """The live article that continued the story, as readers and the desk see it."""
    target = followup.followed_up_by
    if target is None or not target.is_live():
        return None
    return {
        "id": target.pk,
        "slug": target.slug,
        "language": target.language,
        "headline": target.headline,
    }


class ReminderPlanShape(serializers.Serializer):
    sends_at = serializers.DateTimeField(
        help_text="When the reminder will actually be sent (quiet hours and back-off counted)."
    )
    held = serializers.BooleanField(help_text="True when it waits past its due time.")
    reason = serializers.ChoiceField(
        choices=HoldReason.choices,
        allow_null=True,
        help_text="Why it waits: quiet_hours (the owner's sending window, in their time zone), "
        "backoff (a retry after a sending failure), queued (a worker is sending it); "
        "null: it goes out at the next sweep.",
    )
    reason_display = serializers.CharField(
        help_text="The same in the request's language, e.g. “held until 08:00: quiet hours”."
    )
    time_zone = serializers.CharField(help_text="The owner's time zone, e.g. Europe/Paris.")


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderDelivery
        fields = ["id", "due_at", "state", "attempts", "next_attempt_at", "sent_at", "message_id"]
        read_only_fields = fields


# PostgreSQL's timestamptz takes UTC offsets up to 15:59 either way; Python's up to 23:59.
# https://www.postgresql.org/docs/current/datatype-datetime.html
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)


def check_datetime_text(value: str) -> datetime.datetime | None:
    """The date-time an ISO 8601 text names, or None if it is not one; ValueError (with the
    reason a person can act on) for a time part or UTC offset out of range."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError as exc:
        raise ValueError(
            _("This date or time does not exist (hours 00–23, minutes and seconds 00–59).")
        ) from exc
    offset = parsed.utcoffset() if parsed is not None else None
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError(_("Give a UTC offset between -15:59 and +15:59."))
    return parsed


@extend_schema_field(STORABLE_DATE_TIME)
class AwareDateTimeField(serializers.DateTimeField):
    """A date-time that must carry its offset: 09:00 means nothing without a time zone."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = check_datetime_text(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
            if parsed is not None and timezone.is_naive(parsed):
                raise serializers.ValidationError(
                    _("Give the time with its time zone, e.g. 2030-01-02T09:00:00+01:00.")
                )
        return super().to_internal_value(value)


class FollowUpSerializer(serializers.ModelSerializer):
    # Null once the follow-up is done or cancelled.
    next_check_at = nullable_in_response(AwareDateTimeField)()
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    entities = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), many=True, required=False
    )
    watchers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        many=True,
        required=False,
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Defaults to you.",
    )
    every_days = serializers.IntegerField(
        min_value=1, max_value=FollowUp.EVERY_DAYS_MAX, allow_null=True, required=False
    )
    recent_deliveries = serializers.SerializerMethodField()
    reminder = serializers.SerializerMethodField(
        help_text="The next pending reminder: when it will be sent and why it waits; null: none."
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "article",
            "article_headline",
            "what",
            "entities",
            "owner",
            "watchers",
            "next_check_at",
            "every_days",
            "status",
            "promise",
            "followed_up_by",
            "last_reminded_at",
            "resolved_at",
            "created_at",
            "updated_at",
            "recent_deliveries",
            "reminder",
        ]
        read_only_fields = [
            "article_headline",
            "status",
            "followed_up_by",
            "last_reminded_at",
            "resolved_at",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # A follow-up can name only an article the user may see (400 for others).
            fields["article"].queryset = permissions.visible_articles(request.user)
        return fields

    def validate(self, attrs):
        article = attrs.get("article") or (self.instance.article if self.instance else None)
        if article is not None:
            try:
                services.followup_people_check(
                    article=article, owner=attrs.get("owner"), watchers=attrs.get("watchers")
                )
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    def get_recent_deliveries(self, obj) -> list[dict]:
        return DeliverySerializer(obj.deliveries.all()[:5], many=True).data

    @extend_schema_field(ReminderPlanShape(allow_null=True))
    def get_reminder(self, obj) -> dict | None:
        plan = followup_reminder_plan(obj.deliveries.all(), now=timezone.now())
        return ReminderPlanShape(plan.as_dict()).data if plan else None

    def create(self, validated_data):
        return services.followup_create(
            article=validated_data["article"],
            owner=validated_data.get("owner") or self.context["request"].user,
            what=validated_data["what"],
            next_check_at=validated_data["next_check_at"],
            every_days=validated_data.get("every_days"),
            entities=validated_data.get("entities", []),
            watchers=validated_data.get("watchers", []),
            promise=validated_data.get("promise", ""),
        )

    def update(self, instance, validated_data):
        if "article" in validated_data and validated_data["article"].pk != instance.article_id:
            raise serializers.ValidationError(
                {"article": [_("A follow-up stays on its article; create a new one.")]}
            )
        validated_data.pop("article", None)
        entities = validated_data.pop("entities", None)
        watchers = validated_data.pop("watchers", None)
        return services.followup_update(
            followup=instance, entities=entities, watchers=watchers, **validated_data
        )


class SnoozeSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["day", "week"], required=False)
    until = AwareDateTimeField(required=False)

    def validate(self, attrs):
        if ("period" in attrs) == ("until" in attrs):
            raise serializers.ValidationError(
                {"period": [_("Give either a period (day, week) or an until date.")]}
            )
        return attrs


class DoneSerializer(serializers.Serializer):
    followed_up_by = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["followed_up_by"].queryset = permissions.visible_articles(request.user)
        return fields


class FollowUpInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False,
        help_text="One of the article's follow-ups to change; leave it out to add one.",
    )
    what = serializers.CharField(
        required=False, help_text="What to watch. Required for a new follow-up."
    )
    next_check_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        help_text="When the first reminder is due, with its time zone. Required for a new one.",
    )
    every_days = serializers.IntegerField(
        min_value=1,
        max_value=FollowUp.EVERY_DAYS_MAX,
        required=False,
        allow_null=True,
        help_text="Remind again every N days; null: once.",
    )
    promise = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="The line readers see; empty: the usual one in the article's language.",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="User id of who gets the reminders; defaults to you for a new follow-up.",
    )
    entities = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the entities whose new articles the reminder lists.",
    )


def followups_editorial(article: Article) -> list[dict]:
    """The article's follow-ups (cancelled ones left out) as the write API takes them back."""
    return [
        {
            "id": followup.pk,
            "what": followup.what,
            "next_check_at": followup.next_check_at.isoformat() if followup.next_check_at else None,
            "every_days": followup.every_days,
            "promise": followup.promise,
            "owner": followup.owner_id,
            "entities": sorted(entity.pk for entity in followup.entities.all()),
            "status": followup.status,
            # What readers see of it too: the desk's detail is the public one plus its own.
            "followed_up_by": followed_up_by(followup),
        }
        for followup in FollowUp.objects.filter(article=article)
        .public()
        .select_related("followed_up_by")
        .prefetch_related("entities")
        .order_by("created_at", "id")
    ]


class FollowUpEditorialShape(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    next_check_at = serializers.DateTimeField(allow_null=True)
    every_days = serializers.IntegerField(allow_null=True)
    promise = serializers.CharField()
    owner = serializers.IntegerField(help_text="User id.")
    entities = serializers.ListField(child=serializers.IntegerField(), help_text="Entity ids.")
    status = serializers.ChoiceField(
        choices=FollowUp.Status.choices,
        help_text="Changed by the follow-up actions (snooze, done, cancel), not here.",
    )
    followed_up_by = FollowedUpByShape(
        allow_null=True,
        help_text="The live article that continued the story (set by done), as readers see it.",
    )
