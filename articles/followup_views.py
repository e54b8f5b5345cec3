"""Follow-ups for the desk: the staff API, and the page behind the links in reminder emails."""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles import followups as services
from articles.models import Article, Entity, FollowUp, ReminderDelivery

# --- Staff API ---------------------------------------------------------------------------------


class FollowUpFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="Only mine (true).")
    due_before = django_filters.IsoDateTimeFilter(
        field_name="next_check_at", lookup_expr="lte", help_text="Next check at or before."
    )
    status = django_filters.ChoiceFilter(choices=FollowUp.Status.choices)
    article = django_filters.NumberFilter(field_name="article_id")

    class Meta:
        model = FollowUp
        fields = ["mine", "due_before", "status", "article"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(owner=self.request.user)
        return queryset


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderDelivery
        fields = ["id", "due_at", "state", "attempts", "next_attempt_at", "sent_at", "message_id"]
        read_only_fields = fields


class AwareDateTimeField(serializers.DateTimeField):
    """A date-time that must carry its offset: 09:00 means nothing without a time zone."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and timezone.is_naive(parsed):
                raise serializers.ValidationError(
                    _("Give the time with its time zone, e.g. 2030-01-02T09:00:00+01:00.")
                )
        return super().to_internal_value(value)


class FollowUpSerializer(serializers.ModelSerializer):
    next_check_at = AwareDateTimeField()
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    entities = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), many=True, required=False
    )
    watchers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        many=True,
        required=False,
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="Defaults to you.",
    )
    every_days = serializers.IntegerField(
        min_value=1, max_value=3650, allow_null=True, required=False
    )
    recent_deliveries = serializers.SerializerMethodField()

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

    def get_recent_deliveries(self, obj) -> list[dict]:
        return DeliverySerializer(obj.deliveries.all()[:5], many=True).data

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


class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-ups for the desk (staff only): what to watch, when, and who is reminded."""

    permission_classes = [permissions.IsAdminUser]
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            FollowUp.objects.select_related("article")
            .prefetch_related("entities", "watchers", "deliveries")
            .order_by("next_check_at", "id")
        )

    def _respond(self, followup):
        followup = self.get_queryset().get(pk=followup.pk)
        return Response(FollowUpSerializer(followup, context=self.get_serializer_context()).data)

    @extend_schema(request=SnoozeSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        followup = self.get_object()
        data = SnoozeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        followup = services.followup_snooze(
            followup=followup,
            period=data.validated_data.get("period"),
            until=data.validated_data.get("until"),
        )
        return self._respond(followup)

    @extend_schema(request=DoneSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        followup = self.get_object()
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        followup = services.followup_done(
            followup=followup, followed_up_by=data.validated_data.get("followed_up_by")
        )
        return self._respond(followup)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        followup = services.followup_cancel(followup=self.get_object())
        return self._respond(followup)


# --- Links in reminder emails ------------------------------------------------------------------

PAGE_TEXT = {
    "fr": {
        "snooze_day": ("Reporter ce suivi d'un jour ?", "Reporter d'un jour", "Suivi reporté."),
        "snooze_week": (
            "Reporter ce suivi d'une semaine ?",
            "Reporter d'une semaine",
            "Suivi reporté.",
        ),
        "done": ("Marquer ce suivi comme traité ?", "Marquer comme traité", "Suivi traité."),
        "error": "Lien inutilisable",
    },
    "en": {
        "snooze_day": ("Snooze this follow-up for a day?", "Snooze for a day", "Snoozed."),
        "snooze_week": ("Snooze this follow-up for a week?", "Snooze for a week", "Snoozed."),
        "done": ("Mark this follow-up as done?", "Mark as done", "Marked as done."),
        "error": "This link cannot be used",
    },
}


@require_http_methods(["GET", "POST"])
def followup_action(request, token: str):
    """GET shows what the link will do; POST does it (mail scanners only ever GET)."""
    try:
        followup, action_name = services.followup_action_from_token(token)
    except ValidationError as exc:
        text = PAGE_TEXT["en"]
        message = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
        status = 410 if exc.error_dict["token"][0].code in ("expired", "gone") else 400
        return render(
            request,
            "articles/followups/action.html",
            {"title": text["error"], "error": message, "language": "en"},
            status=status,
        )
    language = services.owner_profile(followup.owner).language
    text = PAGE_TEXT.get(language, PAGE_TEXT["en"])
    title, button, done_text = text[action_name]
    context = {"title": title, "button": button, "followup": followup, "language": language}
    if request.method == "POST":
        try:
            with override(language):
                services.followup_apply_action(followup=followup, action=action_name)
        except ValidationError as exc:
            message = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
            return render(
                request,
                "articles/followups/action.html",
                context | {"title": text["error"], "error": message},
                status=409,
            )
        context["done"] = done_text
    return render(request, "articles/followups/action.html", context)
