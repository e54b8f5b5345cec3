"""When each beat sweep last finished: a row per sweep, so the web process that serves
/metrics sees what a worker on another host did."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SweepRun(models.Model):
    class Name(models.TextChoices):
        REMINDERS_DISPATCH = "reminders_dispatch", _("Reminder sweep")
        ARTICLES_PUBLISH_DUE = "articles_publish_due", _("Scheduled publication sweep")

    name = models.CharField(
        _("sweep"),
        max_length=50,
        choices=Name.choices,
        unique=True,
        help_text=_("Which beat sweep this row is about."),
    )
    succeeded_at = models.DateTimeField(
        _("last success"),
        default=timezone.now,
        help_text=_("When this sweep last ran to the end without an error."),
    )

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return self.get_name_display()
