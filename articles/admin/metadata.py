"""Inlines of the article page for its metadata: mentions, claims, quotes, figures, dates,
sources and corrections."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Claim, Correction, KeyDate, KeyFigure, Mention, Quote, Source


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["entity"]


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    autocomplete_fields = ["attributed_to"]
    fields = [("status", "sourcing"), "text", ("attributed_to", "as_of"), "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "speaker_organisation"]
    fields = ["text", ("speaker", "speaker_label"), ("speaker_organisation", "said_at"), "order"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0
    fields = ["label", "value", "value_high", "unit", "as_of", "source", "order", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("as readers see it"))
    def preview(self, obj: KeyFigure) -> str:
        if obj.pk is None:
            return "—"
        return obj.display(obj.article.language)


class KeyDateInline(admin.TabularInline):
    model = KeyDate
    extra = 0
    fields = ["date", "precision", "label", "order", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("as readers see it"))
    def preview(self, obj: KeyDate) -> str:
        if obj.pk is None:
            return "—"
        return obj.display(obj.article.language)


# Addresses typed without a scheme are https (Django 6's default, explicit now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    formfield_overrides = HTTPS_URLS


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
