"""Follow-ups ("we'll keep watching"), their reminder deliveries, and journalists' preferences."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.history import history_user

from .article import Article
from .metadata import Entity


def default_promise(language: str) -> str:
    """The usual promise to readers, in the article's language (English where none is known)."""
    with translation.override((language or "").split("-")[0].lower() or "en"):
        return translation.gettext("We will keep following this story.")


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a time zone name such as Europe/Paris."),
            code="invalid_time_zone",
            params={"value": value},
        ) from exc


def parse_hours(text: str) -> tuple[datetime.time, datetime.time] | None:
    """'08:00-20:00' -> (08:00, 20:00); '' -> None (any hour)."""
    text = (text or "").strip()
    if not text:
        return None
    start, end = (datetime.time.fromisoformat(part.strip()) for part in text.split("-", 1))
    return start, end


def cancel_followups(collector, field, sub_objs, using):
    """on_delete for FollowUp.article: the follow-ups stay (with their delivery log), cancelled.

    Like SET_NULL, run by the ORM inside the delete's transaction, so no code path that deletes
    an article can leave a follow-up watching a story that no longer exists.
    """
    # Updates run in the order added: cancel first, so that no row is ever active without an
    # article (constraint followup_active_has_article).
    status_field = field.model._meta.get_field("status")
    collector.add_field_update(status_field, FollowUp.Status.CANCELLED, sub_objs)
    collector.add_field_update(field.model._meta.get_field("next_check_at"), None, sub_objs)
    collector.add_field_update(field, None, sub_objs)


class JournalistProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journalist_profile",
        verbose_name=_("user"),
        help_text=_("The journalist these preferences belong to."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Reminders follow this clock, e.g. Europe/Paris or America/Montreal."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fr", _("French")), ("en", _("English"))],
        default="fr",
        help_text=_("Language of the reminder emails."),
    )
    quiet_hours_start = models.TimeField(
        _("reminders from"),
        null=True,
        blank=True,
        help_text=_(
            "Reminders go out between this time and the next one, local time. Empty: the site "
            "default (08:00–20:00)."
        ),
    )
    quiet_hours_end = models.TimeField(
        _("reminders until"),
        null=True,
        blank=True,
        help_text=_(
            "End of the reminder hours, local time, e.g. 20:00. Give both times or neither."
        ),
    )
    any_hour = models.BooleanField(
        _("no quiet hours"),
        default=False,
        help_text=_("Send reminders at any hour, night included."),
    )

    class Meta:
        verbose_name = _("journalist profile")
        verbose_name_plural = _("journalist profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_hours_start__isnull=True, quiet_hours_end__isnull=True)
                | Q(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False),
                name="journalist_profile_quiet_hours_both_or_none",
                violation_error_message=_("Give both times of the reminder hours, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def sending_window(self) -> tuple[datetime.time, datetime.time] | None:
        """The local hours when reminders may go out, or None for any hour."""
        if self.any_hour:
            return None
        if self.quiet_hours_start is not None and self.quiet_hours_end is not None:
            return self.quiet_hours_start, self.quiet_hours_end
        return parse_hours(settings.NEWSROOM_QUIET_HOURS)


class FollowUpQuerySet(models.QuerySet):
    def active(self) -> "FollowUpQuerySet":
        return self.filter(status__in=FollowUp.ACTIVE)

    def due(self, now: datetime.datetime) -> "FollowUpQuerySet":
        return self.active().filter(next_check_at__lte=now, article__isnull=False)

    def public(self) -> "FollowUpQuerySet":
        return self.exclude(status=FollowUp.Status.CANCELLED)


class FollowUp(models.Model):
    class Status(models.TextChoices):
        WATCHING = "watching", _("Watching")
        SNOOZED = "snoozed", _("Snoozed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.WATCHING, Status.SNOOZED)
    EVERY_DAYS_MAX = 3650  # ten years: the one bound of the admin, the staff API and the nested API

    article = models.ForeignKey(
        Article,
        on_delete=cancel_followups,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("article"),
        help_text=_("Empty once the article has been deleted; the follow-up is then cancelled."),
    )
    article_headline = models.CharField(_("headline"), max_length=300, blank=True, editable=False)
    what = models.TextField(
        _("what to watch"),
        help_text=_("What would make the story move, e.g. “the regulator's decision”."),
    )
    entities = models.ManyToManyField(
        Entity,
        related_name="followups",
        blank=True,
        verbose_name=_("watched entities"),
        help_text=_("The reminder lists new articles that mention them."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followups_owned",
        verbose_name=_("owner"),
        help_text=_("Receives the reminders."),
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="followups_watched",
        blank=True,
        verbose_name=_("other watchers"),
        help_text=_("Copied on the reminders."),
    )
    next_check_at = models.DateTimeField(
        _("next check"),
        null=True,
        blank=True,
        help_text=_("When the next reminder is due. Empty when none is planned."),
    )
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"),
        null=True,
        blank=True,
        help_text=_("Remind again every N days. Empty: remind once."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.WATCHING,
        help_text=_("Watching or snoozed: reminders go out. Done or cancelled: no more reminders."),
    )
    promise = models.CharField(
        _("promise to readers"),
        max_length=300,
        blank=True,
        help_text=_("Shown under the article. Left empty, the usual line in its language."),
    )
    followed_up_by = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_followups",
        verbose_name=_("follow-up article"),
        help_text=_("The article that continued the story; readers of this one see a link."),
    )
    last_reminded_at = models.DateTimeField(
        _("last reminded at"),
        null=True,
        blank=True,
        help_text=_("When the last reminder email went out."),
    )
    resolved_at = models.DateTimeField(
        _("resolved at"),
        null=True,
        blank=True,
        help_text=_("When the follow-up was marked done or cancelled."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(
        _("updated at"), default=timezone.now, help_text=_("Last saved change.")
    )

    objects = FollowUpQuerySet.as_manager()
    # The reminder sweep moves next_check_at and last_reminded_at with queryset updates, which
    # write no history: the revisions show what people changed.
    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["article_headline", "last_reminded_at", "updated_at"],
        m2m_fields=["entities"],
    )

    class Meta:
        ordering = ["next_check_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__isnull=True) | Q(every_days__gte=1),
                name="followup_every_days_positive",
                violation_error_message=_("Remind every 1 day or more, or leave it empty."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["watching", "snoozed"]) | Q(article__isnull=False),
                name="followup_active_has_article",
                violation_error_message=_("A follow-up being watched needs its article."),
            ),
        ]
        indexes = [
            # The dispatch sweep: active follow-ups whose next check has come.
            models.Index(
                fields=["next_check_at"],
                condition=Q(status__in=["watching", "snoozed"]),
                name="followup_due",
            ),
            models.Index(fields=["owner", "status"], name="followup_owner_status"),
        ]

    def __str__(self) -> str:
        return f"{self.article_headline or _('(deleted article)')}: {self.what[:60]}"

    def save(self, *args, **kwargs):
        if self.article_id is not None:
            self.article_headline = self.article.headline[:300]
        if not self.promise.strip():
            self.promise = default_promise(self.article.language if self.article_id else "")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.next_check_at is not None and timezone.is_naive(self.next_check_at):
            raise ValidationError({"next_check_at": _("Give the time with its time zone.")})
        if self.every_days is not None and not 1 <= self.every_days <= self.EVERY_DAYS_MAX:
            raise ValidationError(
                {
                    "every_days": _("Remind every 1 to %(max)d days, or leave it empty.")
                    % {"max": self.EVERY_DAYS_MAX}
                }
            )

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class ReminderDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent (follow-up closed)")

    followup = models.ForeignKey(
        FollowUp,
        # The delivery log is evidence of what was sent: a follow-up with deliveries can be
        # cancelled, not deleted.
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("follow-up"),
        help_text=_("The follow-up this reminder is about."),
    )
    due_at = models.DateTimeField(
        _("due at"), help_text=_("The check time this reminder is for (one email per time).")
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.PENDING,
        help_text=_("Where the email is: waiting, being sent, sent, failed or not sent."),
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times sending was tried.")
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        help_text=_("Not before this time: quiet hours, retry back-off or a send in flight."),
    )
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        help_text=_("When a worker started sending it."),
    )
    sent_at = models.DateTimeField(
        _("sent at"),
        null=True,
        blank=True,
        help_text=_("When the mail server accepted the email."),
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=200,
        blank=True,
        help_text=_("The email's unique identifier, to find it in a mailbox or a server log."),
    )
    last_error = models.TextField(
        _("last error"),
        blank=True,
        help_text=_("What the mail server answered when sending failed."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "due_at"], name="reminder_delivery_one_per_due_time"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="reminder_delivery_sent_has_time",
            ),
        ]
        indexes = [
            # The claim query: pending deliveries whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="reminder_delivery_claimable",
            ),
            # The stale sweep: deliveries stuck in "sending".
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="reminder_delivery_stale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.pk} ({self.get_state_display()})"
