from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.history import history_user
from articles.html import clean_body
from articles.languages import validate_language_tag

from .desks import Desk, Tag


def live_condition(now) -> Q:
    """Published, its publish time reached, and not under embargo: what the public sees."""
    return (
        Q(status=Article.Status.PUBLISHED)
        & Q(published_at__lte=now)
        & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
    )


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)

    def live(self, now=None) -> "ArticleQuerySet":
        """Published, its publish time reached, and not under embargo: what the public sees.

        A publication time is required: the public list pages by it, and a cursor cannot point
        between rows that have none.
        """
        return self.filter(live_condition(now or timezone.now()))

    def due_for_publishing(self, now=None) -> "ArticleQuerySet":
        now = now or timezone.now()
        return self.filter(status=Article.Status.SCHEDULED, publish_at__lte=now)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        RETRACTED = "retracted", _("Retracted")

    headline = models.CharField(
        _("headline"), max_length=300, help_text=_("The title readers see. Keep it short.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        allow_unicode=False,
        help_text=_("The address of the article. Filled from the headline when left empty."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("One or two sentences under the headline that sum up the story."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("The text of the article. Formatting is cleaned of anything unsafe on save."),
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        default="fr",
        validators=[validate_language_tag],
        help_text=_("Language of the text as a BCP 47 code, e.g. fr, en, fr-CA."),
    )
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("desk"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        help_text=_("The desk responsible for this article."),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ArticleAuthor",
        related_name="articles",
        verbose_name=_("byline"),
        blank=True,
        help_text=_("The journalists who signed the article, in the order readers see them."),
    )
    tags = models.ManyToManyField(
        Tag,
        related_name="articles",
        verbose_name=_("tags"),
        blank=True,
        help_text=_("Topics readers can follow, e.g. Artificial intelligence, Semiconductors."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_(
            "Where the article is in the workflow. It changes with the actions of the article "
            "list (submit for review, publish, schedule, retract), not by hand."
        ),
    )
    publish_at = models.DateTimeField(
        _("scheduled for"),
        null=True,
        blank=True,
        help_text=_(
            "When a scheduled article goes live. Set it with “Schedule selected "
            "articles…” on the article list; change it here to move a scheduled "
            "article. Leave empty to publish by hand."
        ),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Readers cannot see the article before this time, even once published."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("The publication time shown to readers."),
    )
    first_published_at = models.DateTimeField(
        _("first published at"),
        null=True,
        editable=False,
        help_text=_("When the article first went live."),
    )
    last_published_at = models.DateTimeField(
        _("last published at"),
        null=True,
        editable=False,
        help_text=_("When the article last went live (after a republication, for instance)."),
    )
    created_at = models.DateTimeField(
        _("created at"),
        default=timezone.now,
        editable=False,
        help_text=_("When the draft was started."),
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        default=timezone.now,
        db_index=True,
        help_text=_("Last saved change to the article or its metadata."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Goes up by one on every saved change.")
    )
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_('How the desk learned the story, e.g. "according to reports".'),
    )
    editor_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Internal note for the desk. Never shown to readers."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original article when this one is a translation."),
    )
    canonical_url = models.URLField(
        _("canonical URL"),
        blank=True,
        help_text=_("The article's address on the public site, if it lives elsewhere."),
    )
    # What the wire-copy importer kept: the text as received, what it could not settle, and the
    # lead image's attribution stated in the copy, applied when the desk uploads the file.
    import_source = models.TextField(
        _("imported text"),
        blank=True,
        editable=False,
        help_text=_("The wire copy as it was imported, kept so the desk can compare. Desk only."),
    )
    import_warnings = models.JSONField(
        _("import warnings"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the importer could not settle and the journalist must check."),
    )
    pending_image = models.JSONField(
        _("pending lead image"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "The lead image's credit and AI attribution stated in the imported copy, given to "
            "the image the desk uploads next."
        ),
    )
    # Filled by a database trigger on PostgreSQL (migration 0002); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_vector"], m2m_fields=["tags"], get_user=history_user
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="article_slug_unique_per_language"
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_publish_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_public_order"),
            # An article and its translations share COALESCE(translation_of, id): the detail
            # finds the whole family with one probe (articles.readmodel).
            models.Index(Coalesce("translation_of", "id"), name="article_translation_family"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.headline)[:190].strip("-") or "article"
            # The API reads an all-digit address as an id, so a slug always has a letter.
            self.slug = self._free_slug(f"article-{base}" if base.isdigit() else base)
        # The stored body is always the cleaned one, whichever path wrote it.
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public page (the admin's "View on site"); it shows the article once it is live."""
        from django.urls import reverse

        return f"{reverse('article-page', args=[self.slug])}?language={self.language}"

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            raise ValidationError(
                {"published_at": _("A published article needs a publication time.")}
            )
        if self.slug.isdigit():
            raise ValidationError(
                {"slug": _("Use at least one letter: an address of only digits reads as an id.")}
            )

    def validate_constraints(self, exclude=None) -> None:
        """A taken slug is refused with a message naming it, for the admin's form and the
        services alike (Django's own names only the fields); ``save()`` only derives a missing
        slug, free in its language. The database constraint stays the last word."""
        exclude = set(exclude or ())
        errors: dict[str, list[str]] = {}
        if self.slug and not exclude & {"slug", "language"}:
            taken = Article.objects.filter(language=self.language, slug=self.slug)
            if taken.exclude(pk=self.pk).exists():
                errors["slug"] = [
                    _(
                        "Another %(language)s article already uses the address “%(slug)s”; "
                        "choose another slug."
                    )
                    % {"language": self.language, "slug": self.slug}
                ]
            # Checked here with the clearer message; the unique constraint is the only one
            # that names the slug.
            exclude.add("slug")
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _free_slug(self, base: str) -> str:
        """The base slug, or base-2, base-3… when another article in the language has it."""
        taken = Article.objects.filter(language=self.language).exclude(pk=self.pk)
        slug, number = base, 2
        while taken.filter(slug=slug).exists():
            suffix = f"-{number}"
            slug = base[: 200 - len(suffix)].rstrip("-") + suffix
            number += 1
        return slug

    def is_live(self, now=None) -> bool:
        """``live_condition`` for an article in hand (without a query); a test keeps the two
        in step. The public read model's SQL (articles/readmodel.py) spells it once more."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def base_language(self) -> str:
        return self.language.split("-")[0].lower()


class ArticleAuthor(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="bylines",
        verbose_name=_("article"),
        help_text=_("The article the journalist signs."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("author"),
        help_text=_("A journalist who signs the article."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the byline: 0 comes first.")
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("byline author")
        verbose_name_plural = _("byline")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_author_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)
