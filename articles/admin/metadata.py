"""Inlines of the article page for its metadata: mentions, claims, quotes, figures, dates,
sources and corrections."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models import Claim, Correction, KeyDate, KeyFigure, Mention, Quote, Source
from articles.rendering import unit_choices

# Spaces a journalist may type or paste between digit groups: space, no-break, narrow no-break.
DIGIT_GROUP_SPACES = re.compile(r"[\s\u00a0\u202f_']")


def _decimal_mark() -> str:
    return "," if (get_language() or "en").startswith("fr") else "."


def grouped_number(value: Decimal | None) -> str:
    """7000000000000.000000 as "7 000 000 000 000"; 70.5 as "70,5" in French."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = " ".join([whole, *groups])
    return sign + whole + (_decimal_mark() + fraction if fraction else "")


class GroupedDecimalField(forms.DecimalField):
    """A decimal typed and shown with its digit groups ("7 000 000 000 000")."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "desk-number"})

    def to_python(self, value):
        if isinstance(value, str):
            value = DIGIT_GROUP_SPACES.sub("", value)
            if _decimal_mark() == ",":
                value = value.replace(",", ".")
            else:
                value = value.replace(",", "")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return grouped_number(value)
        if isinstance(value, str):
            try:
                return grouped_number(Decimal(value))
            except InvalidOperation:
                return value
        return value

    def widget_attrs(self, widget):
        # No min/max/step: the browser's number input cannot hold digit groups.
        return {}


class KeyFigureForm(forms.ModelForm):
    value = GroupedDecimalField(
        label=_("value"),
        max_digits=30,
        decimal_places=6,
        help_text=_("The number in full, e.g. 7 000 000 000 000; for a range, the low end."),
    )
    value_high = GroupedDecimalField(
        label=_("high value"),
        max_digits=30,
        decimal_places=6,
        required=False,
        help_text=_("For a range such as 70–95 %, the upper end; the value is the lower end."),
    )
    unit = forms.ChoiceField(label=_("unit or currency"), required=False, choices=unit_choices)

    class Meta:
        model = KeyFigure
        fields = [
            "label",
            "value",
            "value_high",
            "approximate",
            "unit",
            "as_of",
            "source",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(self.instance.unit or "")


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["entity"]


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    autocomplete_fields = ["attributed_to", "responded_by"]
    fields = [
        ("status", "sourcing"),
        "text",
        ("attributed_to", "responded_by"),
        ("as_of", "order"),
    ]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "speaker_organisation"]
    fields = ["text", ("speaker", "speaker_label"), ("speaker_organisation", "said_at"), "order"]


class KeyFigureInline(admin.StackedInline):
    """Stacked: eight columns of a table do not fit a 1,366-pixel window."""

    model = KeyFigure
    form = KeyFigureForm
    extra = 0
    fields = [
        ("label", "unit"),
        ("value", "value_high", "approximate"),
        ("as_of", "source", "order"),
        "preview",
    ]
    readonly_fields = ["preview"]

    @admin.display(description=_("as readers see it"))
    def preview(self, obj: KeyFigure) -> str:
        if obj.pk is None:
            return "—"
        return obj.display(obj.article.language)


class KeyDateInline(admin.StackedInline):
    model = KeyDate
    extra = 0
    fields = [("date", "precision"), ("label", "order"), "preview"]
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
