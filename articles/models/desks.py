"""Desks, their members and the tags articles are filed under."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Desk(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The desk's name as the newsroom says it, e.g. Tech or Politics."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Short name used in addresses and API filters, e.g. tech."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DeskMembership",
        related_name="desks",
        verbose_name=_("members"),
        blank=True,
        help_text=_(
            "Journalists of the desk. They see its unpublished work; what they may change "
            "depends on their role (reporter or editor)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class DeskMembership(models.Model):
    desk = models.ForeignKey(
        Desk,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("desk"),
        help_text=_("The desk the journalist belongs to."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_memberships",
        verbose_name=_("member"),
        help_text=_("The journalist. Their role (reporter or editor) comes from their groups."),
    )

    class Meta:
        verbose_name = _("desk member")
        verbose_name_plural = _("desk members")
        constraints = [
            models.UniqueConstraint(fields=["desk", "user"], name="desk_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.desk}"


class Tag(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The topic as readers see it, e.g. Artificial intelligence."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Short name used in addresses and API filters, e.g. artificial-intelligence."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)
