import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from articles.services.articles import article_publish
from media_credits.models import ArticleImage, Licence
from tests.factories import (
    AIImageFactory,
    ArticleFactory,
    ArticleImageFactory,
    ImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(authors=[UserFactory()])


def publish_problems(article) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        article_publish(article=article)
    return caught.value.message_dict["images"]


def test_an_article_whose_images_are_in_order_is_published(article):
    ArticleImageFactory(article=article, role=ArticleImage.Role.LEAD)
    ArticleImageFactory(article=article)

    assert article_publish(article=article).status == Article.Status.PUBLISHED


def test_publishing_is_refused_while_an_image_lacks_alt_text(article):
    use = ArticleImageFactory(article=article, image=ImageFactory(alt_text=""))

    [message] = publish_problems(article)
    assert message == f"Image #{use.image.pk} (Inline image) has no alt text."


def test_publishing_is_refused_while_an_image_lacks_a_credit_line(article):
    ArticleImageFactory(
        article=article, role=ArticleImage.Role.LEAD, image=ImageFactory(credit_line="")
    )

    [message] = publish_problems(article)
    assert "(Lead image) has no credit line." in message


def test_publishing_is_refused_when_an_image_licence_has_expired(article):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ArticleImageFactory(article=article, image=ImageFactory(licence_expires_on=yesterday))

    [message] = publish_problems(article)
    assert f"its licence expired on {yesterday.isoformat()}" in message


def test_an_image_licensed_until_today_may_still_be_published(article):
    ArticleImageFactory(
        article=article, image=ImageFactory(licence_expires_on=timezone.localdate())
    )

    assert article_publish(article=article).status == Article.Status.PUBLISHED


def test_a_non_commercial_licence_blocks_publishing_on_a_commercial_site(article, settings):
    settings.NEWSROOM_COMMERCIAL_USE = True
    ArticleImageFactory(article=article, image=AIImageFactory())

    [message] = publish_problems(article)
    assert "CC BY-NC 4.0, which forbids commercial use" in message


def test_a_non_commercial_licence_is_fine_on_a_non_commercial_site(article, settings):
    settings.NEWSROOM_COMMERCIAL_USE = False
    ArticleImageFactory(article=article, image=AIImageFactory())

    assert article_publish(article=article).status == Article.Status.PUBLISHED


def test_every_problem_of_every_image_is_listed_at_once(article):
    ArticleImageFactory(article=article, image=ImageFactory(alt_text="", credit_line=""))
    ArticleImageFactory(
        article=article, image=ImageFactory(licence=Licence.objects.get(code="cc-by-nc-4.0"))
    )

    assert len(publish_problems(article)) == 3


def test_an_article_has_only_one_lead_image(article):
    ArticleImageFactory(article=article, role=ArticleImage.Role.LEAD)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleImageFactory(article=article, role=ArticleImage.Role.LEAD)
    ArticleImageFactory(article=article, role=ArticleImage.Role.INLINE)
    ArticleImageFactory(article=article, role=ArticleImage.Role.INLINE)


def test_the_one_lead_rule_is_a_clear_validation_message_before_the_database(article):
    ArticleImageFactory(article=article, role=ArticleImage.Role.LEAD)
    second = ArticleImage(article=article, image=ImageFactory(), role=ArticleImage.Role.LEAD)

    with pytest.raises(ValidationError) as caught:
        second.full_clean()

    assert "only one lead image" in str(caught.value)
