"""Follow-ups for the desk: the staff API, and the page behind the links in reminder emails."""

import django_filters
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import override
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.models import FollowUp
from articles.serializers.followups import DoneSerializer, FollowUpSerializer, SnoozeSerializer
from articles.services import followups as services

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
