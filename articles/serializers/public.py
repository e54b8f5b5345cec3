"""Public read representation of articles and entities, with the querysets that feed it.

The read path builds plain dicts from prefetched rows instead of walking nested ModelSerializers:
the serializer classes below describe the shape (for the OpenAPI schema and the docs), and their
``to_representation`` calls the fast builders. A test checks that the two agree.
"""

from django.db.models import Prefetch, Q
from rest_framework import serializers

from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Entity,
    FollowUp,
    HighlightBox,
    Mention,
    Quote,
)
from articles.serializers.common import (
    DeskRefSerializer,
    EntityRefSerializer,
    TagRefSerializer,
    UserRefSerializer,
    decimal_text,
    desk_ref,
    entity_ref,
    iso,
    user_ref,
)
from articles.serializers.followups import PublicFollowUpShape, public_followups
from articles.serializers.highlights import HighlightBoxShape, public_highlight_boxes
from media_credits.models import ArticleImage
from media_credits.serializers import (
    ArticleImageSerializer,
    article_inline_images,
    article_lead_image,
)

BYLINES = Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("user"))


def public_articles():
    return Article.objects.live()


def list_queryset(articles=None):
    """The list's rows; ``articles`` narrows them (default: the public ones)."""
    return (
        (public_articles() if articles is None else articles)
        .select_related("desk")
        .prefetch_related(BYLINES, "tags")
        .defer("body", "search_vector", "editor_note")
    )


def detail_queryset(articles=None):
    """One article with all its prefetches; ``articles`` narrows them (default: the public)."""
    return (
        (public_articles() if articles is None else articles)
        .select_related("desk")
        .defer("search_vector", "editor_note")
        .prefetch_related(
            BYLINES,
            "tags",
            Prefetch("mentions", queryset=Mention.objects.select_related("entity")),
            Prefetch(
                "claims", queryset=Claim.objects.select_related("attributed_to", "responded_by")
            ),
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("speaker", "speaker_organisation"),
            ),
            "key_figures",
            "key_dates",
            "sources",
            "corrections",
            Prefetch(
                "highlight_boxes",
                queryset=HighlightBox.objects.prefetch_related("items").order_by("order", "id"),
            ),
            Prefetch(
                "followups",
                queryset=FollowUp.objects.public()
                .select_related("followed_up_by")
                .only(
                    "id",
                    "article_id",
                    "promise",
                    "status",
                    "followed_up_by__id",
                    "followed_up_by__slug",
                    "followed_up_by__language",
                    "followed_up_by__headline",
                    "followed_up_by__status",
                    "followed_up_by__published_at",
                    "followed_up_by__embargo_until",
                )
                .order_by("created_at", "id"),
            ),
            # Two queries whatever the number of images: the uses with image and licence,
            # then every rendition of those images.
            Prefetch(
                "article_images",
                queryset=ArticleImage.objects.select_related("image__licence")
                .prefetch_related("image__renditions")
                .order_by("order", "id"),
            ),
        )
    )


def translations_of(article: Article) -> list[dict]:
    """The live translations as the detail lists them (the same dicts as the stored path's)."""
    original = article.translation_of_id or article.pk
    return list(
        public_articles()
        .filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=article.pk)
        .order_by("language", "id")
        .values("id", "slug", "language", "headline")
    )


def article_summary(article: Article) -> dict:
    """The list item: enough for a teaser, no body."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "language": article.language,
        "headline": article.headline,
        "standfirst": article.standfirst,
        "status": article.status,
        "published_at": iso(article.published_at),
        "updated_at": iso(article.updated_at),
        "version": article.version,
        "authors": [user_ref(b.user) for b in article.bylines.all()],
        "desk": desk_ref(article.desk),
        "tags": [{"name": t.name, "slug": t.slug} for t in article.tags.all()],
        "source_note": article.source_note,
    }


def article_detail(article: Article, translations: list[dict] | None = None) -> dict:
    """The whole public article. Expects the prefetches of `detail_queryset`.

    `translations` (id, slug, language, headline of the live translations) is added when given;
    the stored read model leaves it out because it changes with other articles.
    """
    lang = article.language
    data = article_summary(article)
    data.update(
        {
            "body": article.body,
            "first_published_at": iso(article.first_published_at),
            "canonical_url": article.canonical_url or None,
            # A mention the importer suggested is public once a journalist confirms it.
            "mentions": [
                {"entity": entity_ref(m.entity), "role": m.role}
                for m in article.mentions.all()
                if not m.suggested
            ],
            "claims": [
                {
                    "text": c.text,
                    "status": c.status,
                    "status_display": c.get_status_display(),
                    "attributed_to": entity_ref(c.attributed_to),
                    "responded_by": entity_ref(c.responded_by),
                    "sourcing": c.sourcing,
                    "as_of": iso(c.as_of),
                }
                for c in article.claims.all()
            ],
            "quotes": [
                {
                    "text": q.text,
                    "speaker": entity_ref(q.speaker),
                    "speaker_label": q.speaker_label,
                    "speaker_organisation": entity_ref(q.speaker_organisation),
                    "said_at": iso(q.said_at),
                }
                for q in article.quotes.all()
            ],
            "key_figures": [
                {
                    "label": f.label,
                    "value": decimal_text(f.value),
                    "value_high": decimal_text(f.value_high),
                    "approximate": f.approximate,
                    "unit": f.unit,
                    "unit_display": f.unit_display(lang),
                    "as_of": iso(f.as_of),
                    "source": f.source,
                    "display": f.display(lang),
                }
                for f in article.key_figures.all()
            ],
            "key_dates": [
                {
                    "date": iso(d.date),
                    "precision": d.precision,
                    "label": d.label,
                    "display": d.display(lang),
                }
                for d in article.key_dates.all()
            ],
            "sources": [
                {
                    "name": s.name,
                    "role": s.role,
                    "role_display": s.get_role_display(),
                    "url": s.url or None,
                }
                for s in article.sources.all()
            ],
            "corrections": [
                {"text": c.text, "corrected_at": iso(c.corrected_at)}
                for c in article.corrections.all()
            ],
        }
    )
    data["highlight_boxes"] = public_highlight_boxes(article, lang)
    data["followups"] = public_followups(article, lang)
    data["lead_image"] = article_lead_image(article, lang)
    data["images"] = article_inline_images(article, lang)
    if translations is not None:
        data["translations"] = translations
    return data


# --- Shapes for the schema -------------------------------------------------------------------


class MentionSerializer(serializers.Serializer):
    entity = EntityRefSerializer()
    role = serializers.CharField()


class ClaimSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    attributed_to = EntityRefSerializer(allow_null=True, help_text="Who makes the claim.")
    responded_by = EntityRefSerializer(
        allow_null=True, help_text="Whose answer the status reports (who neither confirmed...)."
    )
    sourcing = serializers.CharField()
    as_of = serializers.DateTimeField(allow_null=True)


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    speaker = EntityRefSerializer(allow_null=True)
    speaker_label = serializers.CharField()
    speaker_organisation = EntityRefSerializer(allow_null=True)
    said_at = serializers.DateTimeField(allow_null=True)


class KeyFigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=30, decimal_places=6)
    value_high = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    approximate = serializers.BooleanField(help_text='Shown as "about 70%" / "environ 70 %".')
    unit = serializers.CharField(help_text="An ISO 4217 currency code or a unit of the list.")
    unit_display = serializers.CharField(help_text="The unit's name in the article's language.")
    as_of = serializers.DateField(allow_null=True)
    source = serializers.CharField()
    display = serializers.CharField(help_text="Rendered in the article's language.")


class KeyDateSerializer(serializers.Serializer):
    date = serializers.DateField()
    precision = serializers.ChoiceField(choices=["day", "month", "year"])
    label = serializers.CharField()
    display = serializers.CharField(help_text="Rendered in the article's language.")


class SourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(help_text="The role's label in the article's language.")
    url = serializers.URLField(allow_null=True)


class CorrectionSerializer(serializers.Serializer):
    text = serializers.CharField()
    corrected_at = serializers.DateTimeField()


class TranslationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    language = serializers.CharField()
    headline = serializers.CharField()


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    language = serializers.CharField()
    headline = serializers.CharField()
    standfirst = serializers.CharField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    authors = UserRefSerializer(many=True)
    desk = DeskRefSerializer(allow_null=True)
    tags = TagRefSerializer(many=True)
    source_note = serializers.CharField()

    def to_representation(self, instance):
        return article_summary(instance)


class ArticleDetailSerializer(ArticleSummarySerializer):
    body = serializers.CharField(help_text="Cleaned HTML.")
    first_published_at = serializers.DateTimeField(allow_null=True)
    canonical_url = serializers.URLField(allow_null=True)
    mentions = MentionSerializer(many=True)
    claims = ClaimSerializer(many=True)
    quotes = QuoteSerializer(many=True)
    key_figures = KeyFigureSerializer(many=True)
    key_dates = KeyDateSerializer(many=True)
    sources = SourceSerializer(many=True)
    corrections = CorrectionSerializer(many=True)
    translations = TranslationRefSerializer(many=True)
    lead_image = ArticleImageSerializer(allow_null=True)
    images = ArticleImageSerializer(many=True, help_text="Inline images, in order.")
    highlight_boxes = HighlightBoxShape(many=True)
    followups = PublicFollowUpShape(many=True)

    def to_representation(self, instance):
        return article_detail(instance, self.context.get("translations", []))


class EntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Entity.Kind.choices)
    aliases = serializers.ListField(child=serializers.CharField())
    wikidata_id = serializers.CharField(allow_null=True)
    description = serializers.CharField()
    article_count = serializers.IntegerField(help_text="Live articles that mention the entity.")

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "name": instance.name,
            "kind": instance.kind,
            "aliases": instance.aliases,
            "wikidata_id": instance.wikidata_id or None,
            "description": instance.description,
            "article_count": getattr(instance, "article_count", None),
        }


class EntityDetailSerializer(EntitySerializer):
    articles = ArticleSummarySerializer(many=True, help_text="Newest live articles first.")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["articles"] = [article_summary(a) for a in self.context.get("articles", [])]
        return data
