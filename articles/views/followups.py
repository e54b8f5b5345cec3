"""Follow-ups for the desk: the staff API, and the page behind the links in reminder emails."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override, pgettext
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from articles import permissions
from articles.models import FollowUp
from articles.reminders.send import email_language
from articles.serializers.followups import (
    DoneSerializer,
    FollowUpSerializer,
    SnoozeSerializer,
    check_datetime_text,
)
from articles.services import followups as services
from articles.services.followups import followups_visible
from newsroom.filters import IdFilter, StrictBooleanFilter
from newsroom.openapi import STORABLE_DATE_TIME

# --- Staff API ---------------------------------------------------------------------------------

FOLLOWUP_REFUSAL = gettext_lazy(
    "Only the reporters and editors of this article's desk can manage its follow-ups."
)


class AwareIsoDateTimeFormField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time whose parts and UTC offset a database can store."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                check_datetime_text(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc), code="invalid") from exc
        return super().to_python(value)


@extend_schema_field(STORABLE_DATE_TIME)
class AwareIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = AwareIsoDateTimeFormField


class FollowUpFilter(django_filters.FilterSet):
    mine = StrictBooleanFilter(method="filter_mine", help_text="Only mine (true).")
    due_before = AwareIsoDateTimeFilter(
        field_name="next_check_at", lookup_expr="lte", help_text="Next check at or before."
    )
    status = django_filters.ChoiceFilter(choices=FollowUp.Status.choices)
    article = IdFilter(field_name="article_id", help_text="Id of the article.")

    class Meta:
        model = FollowUp
        fields = ["mine", "due_before", "status", "article"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(owner=self.request.user)
        return queryset


# SnoozeSerializer as the schema can say it: a period or an until date. "Exactly one of them"
# is said in words: OpenAPI 3.0 says it only as a oneOf of `required` lists, from which client
# generators (openapi-python-client) write code that does not parse.
SNOOZE_REQUEST = {
    "type": "object",
    "description": "Exactly one of `period` and `until`; otherwise a 400 under `period`.",
    "properties": {
        "period": {"type": "string", "enum": ["day", "week"]},
        "until": {**STORABLE_DATE_TIME, "description": "With its time zone; in the future."},
    },
}


# A follow-up that is done or cancelled is closed: changing it is refused for its state.
CLOSED = OpenApiResponse(
    description="The follow-up is done or cancelled; only one being watched can be changed: "
    "`detail`."
)


@extend_schema_view(
    update=extend_schema(responses={200: FollowUpSerializer, 409: CLOSED}),
    partial_update=extend_schema(responses={200: FollowUpSerializer, 409: CLOSED}),
)
class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-ups for the desk (staff only): what to watch, when, and who is reminded."""

    permission_classes = [drf_permissions.IsAdminUser]
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # The desk's rules, as in the admin: follow-ups of the articles the user may see.
        return (
            followups_visible(self.request.user)
            .select_related("article", "owner__journalist_profile")
            .prefetch_related("entities", "watchers", "deliveries")
            .order_by("next_check_at", "id")
        )

    def get_editable_object(self):
        """The follow-up, if the user may change its article (403 if only seen, 404 if not)."""
        followup = self.get_object()
        article = followup.article
        if article is not None:
            permissions.require(
                permissions.can_manage_followups(self.request.user, article),
                FOLLOWUP_REFUSAL,
            )
        else:
            permissions.require(
                permissions.is_admin(self.request.user),
                _("The article of this follow-up was deleted; only an admin can change it."),
            )
        return followup

    def update(self, request, *args, **kwargs):
        self.get_editable_object()
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        article = serializer.validated_data["article"]
        permissions.require(
            permissions.can_manage_followups(self.request.user, article), FOLLOWUP_REFUSAL
        )
        super().perform_create(serializer)

    def _respond(self, followup):
        followup = self.get_queryset().get(pk=followup.pk)
        return Response(FollowUpSerializer(followup, context=self.get_serializer_context()).data)

    @extend_schema(request={"application/json": SNOOZE_REQUEST}, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        followup = self.get_editable_object()
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
        followup = self.get_editable_object()
        data = DoneSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        followup = services.followup_done(
            followup=followup, followed_up_by=data.validated_data.get("followed_up_by")
        )
        return self._respond(followup)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        followup = services.followup_cancel(followup=self.get_editable_object())
        return self._respond(followup)


# --- Links in reminder emails ------------------------------------------------------------------


def _page_text(action_name: str) -> tuple[str, str]:
    """(question, button) of a link's page, in the active language."""
    if action_name == "snooze_day":
        return (
            pgettext("reminder", "Snooze this follow-up for a day?"),
            pgettext("reminder", "Snooze for a day"),
        )
    if action_name == "snooze_week":
        return (
            pgettext("reminder", "Snooze this follow-up for a week?"),
            pgettext("reminder", "Snooze for a week"),
        )
    return (
        pgettext("reminder", "Mark this follow-up as done?"),
        pgettext("reminder", "Mark as done"),
    )


def _local_when(followup, when) -> str:
    """ "Tuesday 2 December at 20:33" in the owner's time zone and the active language."""
    local = when.astimezone(services.owner_profile(followup.owner).tz)
    return pgettext("reminder", "%(day)s at %(time)s") % {
        "day": date_format(local, "l j F"),
        "time": time_format(local, "H:i"),
    }


def _outcome(followup, action_name: str, *, already: bool) -> str:
    """What the link did (or had already done), in the active language."""
    if action_name == "done":
        if already:
            return pgettext("reminder", "This follow-up was already marked as done.")
        return pgettext("reminder", "Marked as done.")
    when = _local_when(followup, followup.next_check_at)
    if already:
        return pgettext("reminder", "Already done: this follow-up is snoozed until %(when)s.") % {
            "when": when
        }
    return pgettext("reminder", "Follow-up snoozed until %(when)s.") % {"when": when}


def _already_applied(followup, action_name: str, now) -> bool:
    """A second click on the same link: the follow-up is already where the link puts it."""
    if action_name == "done":
        return followup.status == FollowUp.Status.DONE
    period = services.SNOOZE_PERIODS[action_name.removeprefix("snooze_")]
    # Snoozed by this link a moment ago: its next check is about a period from now.
    return (
        followup.status == FollowUp.Status.SNOOZED
        and followup.next_check_at is not None
        and followup.next_check_at >= now + period - datetime.timedelta(hours=1)
    )


def _link_error_title() -> str:
    return pgettext("reminder", "This link cannot be used")


def _admin_context(request) -> dict:
    from django.contrib import admin

    return admin.site.each_context(request)


@require_http_methods(["GET", "POST"])
def followup_action(request, token: str):
    """GET shows what the link will do; POST does it (mail scanners only ever GET).

    A second click changes nothing and says so; the page is in the owner's email language.
    """
    try:
        followup, action_name = services.followup_action_from_token(token)
    except ValidationError as exc:
        message = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
        status = 410 if exc.error_dict["token"][0].code in ("expired", "gone") else 400
        with override("en"):
            title = _link_error_title()
            return render(
                request,
                "articles/followups/action.html",
                _admin_context(request) | {"title": title, "error": message, "language": "en"},
                status=status,
            )
    language = email_language(services.owner_profile(followup.owner).language)
    with override(language):
        title, button = _page_text(action_name)
        context = _admin_context(request) | {
            "title": title,
            "button": button,
            "followup": followup,
            "language": language,
        }
        if followup.article_id is not None:
            context["article_admin_url"] = reverse(
                "admin:articles_article_change", args=[followup.article_id]
            )
        context["followup_admin_url"] = reverse(
            "admin:articles_followup_change", args=[followup.pk]
        )
        now = timezone.now()
        if _already_applied(followup, action_name, now):
            context["done"] = _outcome(followup, action_name, already=True)
        elif request.method == "POST":
            try:
                followup = services.followup_apply_action(followup=followup, action=action_name)
            except ValidationError as exc:
                message = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
                return render(
                    request,
                    "articles/followups/action.html",
                    context | {"title": _link_error_title(), "error": message},
                    status=409,
                )
            context["done"] = _outcome(followup, action_name, already=False)
        return render(request, "articles/followups/action.html", context)
