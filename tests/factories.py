import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Correction,
    Desk,
    DeskMembership,
    Entity,
    FollowUp,
    HighlightBox,
    HighlightItem,
    JournalistProfile,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"journalist{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Desk {n}")
    slug = factory.Sequence(lambda n: f"desk-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Company {n}")
    kind = Entity.Kind.ORGANISATION


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Company {n} plans its own AI chips")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A chip designer is said to be involved."
    body = "<p>The company neither confirmed nor denied.</p>"
    language = "en"
    desk = factory.SubFactory(DeskFactory)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for order, user in enumerate(extracted or []):
            ArticleAuthor.objects.create(article=self, user=user, order=order)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    first_published_at = factory.SelfAttribute("published_at")
    last_published_at = factory.SelfAttribute("published_at")

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for order, user in enumerate(extracted or [UserFactory()]):
            ArticleAuthor.objects.create(article=self, user=user, order=order)


class ScheduledArticleFactory(ArticleFactory):
    status = Article.Status.SCHEDULED
    publish_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for order, user in enumerate(extracted or [UserFactory()]):
            ArticleAuthor.objects.create(article=self, user=user, order=order)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    entity = factory.SubFactory(EntityFactory)
    role = Mention.Role.SUBJECT


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    text = "The company is designing its own chips."
    status = Claim.Status.NEITHER
    attributed_to = factory.SubFactory(EntityFactory)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    text = "We don't comment on rumours."
    speaker_label = "a spokesperson"
    speaker_organisation = factory.SubFactory(EntityFactory)


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    article = factory.SubFactory(ArticleFactory)
    label = "Funding target"
    value = Decimal("7000000000000")
    unit = "USD"


class KeyDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyDate

    article = factory.SubFactory(ArticleFactory)
    date = datetime.date(2023, 9, 1)
    precision = KeyDate.Precision.MONTH
    label = "Talks begin"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    article = factory.SubFactory(ArticleFactory)
    name = "Business press"
    role = Source.Role.ORIGINAL_REPORTER


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version misspelt the company's name."


def full_article(**kwargs) -> Article:
    """A published article with every kind of metadata, one of each."""
    article = PublishedArticleFactory(**kwargs)
    MentionFactory(article=article)
    ClaimFactory(article=article)
    QuoteFactory(article=article)
    KeyFigureFactory(article=article)
    KeyDateFactory(article=article)
    SourceFactory(article=article)
    CorrectionFactory(article=article)
    article.tags.add(TagFactory())
    return article


class DeskMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeskMembership

    desk = factory.SubFactory(DeskFactory)
    user = factory.SubFactory(UserFactory)


def desk_member(*, desk: Desk, role: str | None, **kwargs):
    """A user on ``desk`` with the role "reporter" or "editor" (groups made by a migration)."""
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    DeskMembershipFactory(desk=desk, user=user)
    return user


# --- Media credits ------------------------------------------------------------------------------

from media_credits.models import (  # noqa: E402
    ArticleImage,
    DigitalSourceType,
    Image,
    Licence,
)


class LicenceFactory(factory.django.DjangoModelFactory):
    """The seeded catalogue is there already: by default a licence is fetched by its code."""

    class Meta:
        model = Licence
        django_get_or_create = ("code",)

    code = "cc-by-4.0"
    name = factory.LazyAttribute(lambda o: o.code.upper())
    url = ""


class ImageFactory(factory.django.DjangoModelFactory):
    """An image row with metadata that passes the publishing rules (no file behind it)."""

    class Meta:
        model = Image

    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    original = factory.LazyAttribute(lambda o: f"{o.sha256[:2]}/{o.sha256}.jpg")
    width = 2000
    height = 1333
    format = Image.Format.JPEG
    bytes = 123_456
    alt_text = "Office towers against a dusk sky."
    caption = "The business district."
    credit_line = "Jane Doe / Agency"
    creator = "Jane Doe"
    licence = factory.LazyFunction(lambda: Licence.objects.get(code="staff"))
    digital_source_type = DigitalSourceType.DIGITAL_CAPTURE


class AIImageFactory(ImageFactory):
    """A Midjourney image from a non-paid plan (CC BY-NC 4.0)."""

    alt_text = "A glowing chip on a purple background."
    credit_line = "Midjourney / Desk"
    creator = ""
    digital_source_type = DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
    ai_system = "Midjourney"
    ai_system_version = "6.1"
    ai_prompt = "a glowing chip"
    licensor_name = "Midjourney"
    licensor_url = "https://www.midjourney.com/"
    licence_basis = Image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS
    licence = factory.LazyFunction(lambda: Licence.objects.get(code="cc-by-nc-4.0"))


class ArticleImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    image = factory.SubFactory(ImageFactory)
    role = ArticleImage.Role.INLINE
    order = factory.Sequence(lambda n: n)


class JournalistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalistProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    time_zone = "Europe/Paris"
    language = "en"


class HighlightBoxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HighlightBox

    article = factory.SubFactory(PublishedArticleFactory)


class HighlightItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HighlightItem

    box = factory.SubFactory(HighlightBoxFactory)
    emoji = "🔎"
    text = "The regulator has not decided yet."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    article = factory.SubFactory(PublishedArticleFactory)
    owner = factory.SubFactory(UserFactory)
    what = "The regulator's decision"
    next_check_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
