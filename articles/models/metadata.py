"""The structured metadata of an article: who and what it names, claims, quotes, figures, dates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.history import history_user
from articles.rendering import (
    is_known_unit,
    render_key_date,
    render_key_figure,
    unit_label,
)

from .article import Article
from .entities import Entity


class Mention(models.Model):
    class Role(models.TextChoices):
        SUBJECT = "subject", _("Subject of the story")
        MENTIONED = "mentioned", _("Mentioned")
        SOURCE = "source", _("Source")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="mentions",
        verbose_name=_("article"),
        help_text=_("The article that names the entity."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="mentions",
        verbose_name=_("entity"),
        help_text=_("Who or what the article names. Search by name or alias."),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.MENTIONED,
        help_text=_(
            "Subject: the story is about it. Mentioned: it appears in passing. "
            "Source: it gave us information."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )
    suggested = models.BooleanField(
        _("suggestion"),
        default=False,
        help_text=_(
            "Found by the importer and not yet confirmed by a journalist: untick to confirm."
        ),
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity", "role"], name="mention_unique_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.name} ({self.get_role_display()})"


class Claim(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        DENIED = "denied", _("Denied")
        NEITHER = "neither_confirmed_nor_denied", _("Neither confirmed nor denied")
        PARTIALLY = "partially_confirmed", _("Neither fully confirmed nor denied")
        NO_COMMENT = "no_comment", _("Declined to comment")
        DISPUTED = "disputed", _("Disputed")
        RETRACTED = "retracted", _("Retracted")

    class Sourcing(models.TextChoices):
        ANONYMOUS = "anonymous_sources", _("Anonymous sources")
        OFFICIAL = "official_statement", _("Official statement")
        DOCUMENT = "document", _("Document")
        OTHER_OUTLET = "other_outlet", _("Another outlet")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("article"),
        help_text=_("The article that reports the claim."),
    )
    text = models.TextField(_("claim"), help_text=_("What is claimed, in one sentence."))
    status = models.CharField(
        _("confirmation status"),
        max_length=40,
        choices=Status.choices,
        help_text=_("Where the claim stands with the people it is about."),
    )
    attributed_to = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("attributed to"),
        help_text=_("Who makes the claim, if known."),
    )
    responded_by = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_responses",
        verbose_name=_("responded by"),
        help_text=_(
            "Whose answer the status reports, e.g. the company that neither confirmed nor denied."
        ),
    )
    sourcing = models.CharField(
        _("sourcing"),
        max_length=30,
        choices=Sourcing.choices,
        default=Sourcing.ANONYMOUS,
        help_text=_(
            "How we know about the claim, e.g. anonymous sources or an official statement."
        ),
    )
    as_of = models.DateTimeField(
        _("as of"), null=True, blank=True, help_text=_("When the status was last checked.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.text[:80]


class Quote(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("article"),
        help_text=_("The article that carries the quote."),
    )
    text = models.TextField(_("quote"), help_text=_("The words as said, without quotation marks."))
    speaker = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("speaker"),
        help_text=_("The person quoted, when named."),
    )
    speaker_label = models.CharField(
        _("speaker as printed"),
        max_length=200,
        blank=True,
        help_text=_('How the article names the speaker, e.g. "a spokesperson".'),
    )
    speaker_organisation = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation_quotes",
        verbose_name=_("speaker's organisation"),
        help_text=_('Who the speaker speaks for, e.g. the company of "a spokesperson".'),
    )
    said_at = models.DateTimeField(
        _("said at"),
        null=True,
        blank=True,
        help_text=_("When the words were said or published, if known."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | ~Q(speaker_label=""),
                name="quote_has_speaker_or_label",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.speaker_id is None and not self.speaker_label:
            raise ValidationError(
                {
                    "speaker_label": _(
                        'Name the speaker or say how they are described ("a spokesperson").'
                    )
                }
            )


class KeyFigure(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="key_figures",
        verbose_name=_("article"),
        help_text=_("The article the figure belongs to."),
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("What the figure measures."))
    value = models.DecimalField(
        _("value"),
        max_digits=30,
        decimal_places=6,
        help_text=_(
            "The number in full, e.g. 7000000000000 for $7 trillion; for a range, the low end."
        ),
    )
    value_high = models.DecimalField(
        _("high value"),
        max_digits=30,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("For a range such as 70–95 %, the upper end; the value is the lower end."),
    )
    approximate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_('The figure is approximate: readers see "about 70 %" / "environ 70 %".'),
    )
    unit = models.CharField(
        _("unit or currency"),
        max_length=20,
        blank=True,
        help_text=_(
            "An ISO 4217 currency code (USD, EUR), percent, or a unit of the list (people, "
            "tonnes, km...). Empty for a plain count."
        ),
    )
    as_of = models.DateField(
        _("as of"), null=True, blank=True, help_text=_("The date the figure refers to.")
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the figure comes from, e.g. the company's annual report."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value")),
                name="key_figure_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        # The admin's row title: in the language of the person reading it.
        return f"{self.label}: {self.display(get_language() or 'en')}"

    def clean(self) -> None:
        if self.value_high is not None and self.value is not None and self.value_high < self.value:
            raise ValidationError({"value_high": _("The high value must not be below the value.")})
        if not is_known_unit(self.unit or ""):
            raise ValidationError(
                {
                    "unit": _(
                        "“%(unit)s” is not a unit of the list: use an ISO 4217 currency code "
                        "(USD, EUR), percent, or one of people, employees, users, tonnes, km, "
                        "GW..."
                    )
                    % {"unit": self.unit}
                }
            )

    def display(self, language: str) -> str:
        return render_key_figure(
            self.value, self.value_high, self.unit, language, approximate=self.approximate
        )

    def unit_display(self, language: str) -> str:
        """The unit's name in the language (the currency's, for a code); empty for none."""
        return unit_label(self.unit, language, with_code=False) if self.unit else ""


class KeyDate(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="key_dates",
        verbose_name=_("article"),
        help_text=_("The article the date belongs to."),
    )
    date = models.DateField(
        _("date"), help_text=_("For a month or a year, any day within it (the 1st is usual).")
    )
    precision = models.CharField(
        _("precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_('How much of the date readers see: "September 2023" for month precision.'),
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("What happened then."))
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "date", "id"]
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")

    def __str__(self) -> str:
        return f"{self.display(get_language() or 'en')}: {self.label}"

    def display(self, language: str) -> str:
        return render_key_date(self.date, self.precision, language)


class Source(models.Model):
    class Role(models.TextChoices):
        ORIGINAL_REPORTER = "original_reporter", _("Original reporter")
        WIRE = "wire", _("Wire agency")
        DOCUMENT = "document", _("Document")
        OUTLET = "outlet", _("Another publication")
        ANONYMOUS = "anonymous", _("Anonymous sources")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("article"),
        help_text=_("The article that relies on the source."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Who or what the story relies on, e.g. Reuters or a court filing."),
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=Role.choices,
        help_text=_(
            "Original reporter, wire agency, document, another publication or anonymous sources."
        ),
    )
    url = models.URLField(
        _("URL"), blank=True, max_length=500, help_text=_("Link to the source, if public.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class Correction(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("article"),
        help_text=_("The corrected article."),
    )
    text = models.TextField(_("correction"), help_text=_("Shown to readers under the article."))
    corrected_at = models.DateTimeField(
        _("corrected at"),
        default=timezone.now,
        help_text=_("When the correction was made; shown to readers."),
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return self.text[:80]
