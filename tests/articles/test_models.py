"""The article model and its metadata: slugs, database constraints, body cleaning, language tags."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import permissions
from articles.html import clean_body, clean_inline
from articles.languages import search_config, validate_language_tag
from articles.models import Article, Entity, KeyFigure, Mention, Quote
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    KeyFigureFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- Slugs -----------------------------------------------------------------------------------


def test_an_empty_slug_is_filled_from_the_headline_without_accents():
    article = ArticleFactory(slug="", headline="Novalys prépare ses puces d'IA", language="fr")
    assert article.slug == "novalys-prepare-ses-puces-dia"


def test_a_headline_with_no_letters_still_gets_a_slug():
    article = ArticleFactory(slug="", headline="!!!")
    assert article.slug == "article"


def test_a_generated_slug_fits_the_field():
    article = ArticleFactory(slug="", headline="word " * 59)
    assert 0 < len(article.slug) <= 200
    assert not article.slug.endswith("-")


def test_a_slug_given_by_the_desk_is_kept():
    article = ArticleFactory(slug="chips-exclusive", headline="Something else entirely")
    article.headline = "A new headline"
    article.save()
    article.refresh_from_db()
    assert article.slug == "chips-exclusive"


def test_the_same_slug_may_exist_once_per_language():
    french = ArticleFactory(slug="novalys", language="fr")
    english = ArticleFactory(slug="novalys", language="en")
    assert {french.slug, english.slug} == {"novalys"}


def test_the_database_refuses_a_slug_twice_in_one_language():
    ArticleFactory(slug="novalys", language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="novalys", language="en")


def test_full_clean_reports_a_slug_taken_in_the_same_language():
    ArticleFactory(slug="novalys", language="en")
    duplicate = Article(headline="Other", slug="novalys", language="en", body="<p>x</p>")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "slug" in str(excinfo.value).lower()


def test_a_generated_slug_does_not_collide_with_one_in_the_same_language():
    first = ArticleFactory(slug="", headline="Live updates", language="en")
    second = ArticleFactory(slug="", headline="Live updates", language="en")
    third = ArticleFactory(slug="", headline="Live updates", language="en")
    other_language = ArticleFactory(slug="", headline="Live updates", language="fr")
    assert first.slug == "live-updates"
    assert second.slug == "live-updates-2"
    assert third.slug == "live-updates-3"
    assert other_language.slug == "live-updates"


# --- Database constraints --------------------------------------------------------------------


def test_a_scheduled_article_needs_a_publish_time_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.SCHEDULED, publish_at=None)


def test_a_scheduled_article_with_a_publish_time_is_accepted():
    when = timezone.now() + datetime.timedelta(days=1)
    article = ArticleFactory(status=Article.Status.SCHEDULED, publish_at=when)
    assert Article.objects.get(pk=article.pk).publish_at == when


def test_a_key_figure_range_must_be_ordered_in_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(
            article=article, label="Share", value=Decimal(95), value_high=Decimal(70), unit="%"
        )


def test_a_key_figure_range_out_of_order_is_a_clear_validation_error():
    figure = KeyFigure(
        article=ArticleFactory(), label="Share", value=Decimal(95), value_high=Decimal(70)
    )
    with pytest.raises(ValidationError) as excinfo:
        figure.full_clean()
    assert "value_high" in excinfo.value.message_dict


def test_a_key_figure_range_with_equal_ends_is_allowed():
    figure = KeyFigureFactory(value=Decimal(70), value_high=Decimal(70), unit="percent")
    figure.full_clean()
    assert figure.pk is not None


def test_a_quote_needs_a_speaker_or_a_label_in_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, text="No comment.", speaker=None, speaker_label="")


def test_a_quote_without_speaker_or_label_is_a_clear_validation_error():
    quote = Quote(article=ArticleFactory(), text="No comment.")
    with pytest.raises(ValidationError) as excinfo:
        quote.full_clean()
    assert "speaker_label" in excinfo.value.message_dict


def test_a_quote_by_a_named_speaker_needs_no_label():
    quote = QuoteFactory(speaker=EntityFactory(kind=Entity.Kind.PERSON), speaker_label="")
    quote.full_clean()
    assert quote.pk is not None


def test_an_entity_is_mentioned_once_per_role():
    mention = MentionFactory(role=Mention.Role.SUBJECT)
    MentionFactory(article=mention.article, entity=mention.entity, role=Mention.Role.SOURCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentionFactory(article=mention.article, entity=mention.entity, role=Mention.Role.SUBJECT)


def test_a_wikidata_id_is_unique_but_many_entities_may_have_none():
    EntityFactory(wikidata_id="")
    EntityFactory(wikidata_id="")
    EntityFactory(wikidata_id="Q95")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntityFactory(wikidata_id="Q95")


@pytest.mark.parametrize("bad", ["95", "q95", "Q0", "Q9x"])
def test_a_malformed_wikidata_id_is_refused(bad):
    entity = Entity(name="Google", kind=Entity.Kind.ORGANISATION, wikidata_id=bad)
    with pytest.raises(ValidationError) as excinfo:
        entity.full_clean()
    assert "wikidata_id" in excinfo.value.message_dict


def test_entity_aliases_must_be_a_list_of_names():
    entity = Entity(name="Novalys", kind=Entity.Kind.ORGANISATION, aliases={"a": 1})
    with pytest.raises(ValidationError) as excinfo:
        entity.full_clean()
    assert "aliases" in excinfo.value.message_dict


# --- Body cleaning ---------------------------------------------------------------------------


def test_scripts_are_removed_from_the_body_with_their_content():
    article = ArticleFactory(body="<p>Hello</p><script>alert('x')</script><style>p{}</style>")
    article.refresh_from_db()
    assert article.body == "<p>Hello</p>"


def test_event_handlers_are_removed_from_the_body():
    article = ArticleFactory(
        body='<p onclick="steal()">Hi <img src="x" onerror="steal()"><b onmouseover="x">b</b></p>'
    )
    article.refresh_from_db()
    assert "onclick" not in article.body
    assert "onerror" not in article.body
    assert "onmouseover" not in article.body
    assert "<img" not in article.body
    assert article.body == "<p>Hi <b>b</b></p>"


def test_javascript_urls_are_removed_from_links():
    article = ArticleFactory(
        body='<p><a href="javascript:alert(1)">x</a> <a href="JaVaScRiPt:alert(1)">y</a></p>'
    )
    article.refresh_from_db()
    assert "javascript" not in article.body.lower()
    assert article.body.count("<a ") == 2  # the links stay, without the address


def test_harmless_markup_is_kept_and_links_get_a_safe_rel():
    body = (
        "<h2>Context</h2><p>The <strong>company</strong> <em>neither</em> confirmed "
        '<a href="https://example.org/report" title="Report">the report</a>.</p>'
        "<ul><li>one</li></ul><blockquote><p>No comment.</p></blockquote>"
        '<p lang="en">Quote</p><table><tr><td colspan="2">1</td></tr></table>'
    )
    article = ArticleFactory(body=body)
    article.refresh_from_db()
    for kept in (
        "<h2>Context</h2>",
        "<strong>company</strong>",
        "<em>neither</em>",
        '<a href="https://example.org/report" title="Report" rel="noopener noreferrer">',
        "<ul><li>one</li></ul>",
        "<blockquote><p>No comment.</p></blockquote>",
        '<p lang="en">Quote</p>',
        '<td colspan="2">1</td>',
    ):
        assert kept in article.body


def test_iframes_and_forms_are_dropped():
    cleaned = clean_body(
        '<iframe src="https://evil.example"></iframe><form><input></form><p>ok</p>'
    )
    assert cleaned == "<p>ok</p>"


def test_cleaning_twice_changes_nothing():
    once = clean_body('<p><a href="https://example.org">x</a><script>1</script></p>')
    assert clean_body(once) == once


def test_inline_cleaning_keeps_only_inline_markup():
    assert clean_inline("<p>Hi <em>there</em></p><script>x</script>") == "Hi <em>there</em>"


def test_the_body_is_cleaned_on_every_save_path():
    article = PublishedArticleFactory(authors=[UserFactory()])
    Article.objects.filter(pk=article.pk).update(body="<p>x</p>")
    article.refresh_from_db()
    article.body = '<p onclick="x()">edited</p>'
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>edited</p>"


# --- Language tags ---------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["fr", "en", "fr-CA", "en-GB", "zh-Hant-TW", "es-419", "gsw"])
def test_well_formed_language_tags_are_accepted(tag):
    validate_language_tag(tag)
    article = ArticleFactory.build(language=tag, slug="x", desk=None)
    article.full_clean(exclude=["desk"])


@pytest.mark.parametrize("tag", ["", "french", "fr_CA", "f", "fr-", "12", "fr-C", "en GB"])
def test_malformed_language_tags_are_refused_naming_the_field(tag):
    with pytest.raises(ValidationError):
        validate_language_tag(tag)
    article = ArticleFactory.build(language=tag, slug="x", desk=None)
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "language" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("language", "config"),
    [("fr", "french"), ("fr-CA", "french"), ("EN-gb", "english"), ("de", "simple"), ("", "simple")],
)
def test_each_language_searches_with_its_text_configuration(language, config):
    # PostgreSQL's own configuration with unaccent before it (migration 0013, articles.search).
    assert search_config(language) == f"newsroom_{config}"


# --- Live or not -----------------------------------------------------------------------------


def test_an_article_is_live_once_published_and_out_of_embargo():
    now = timezone.now()
    article = PublishedArticleFactory(embargo_until=now + datetime.timedelta(hours=2))
    assert not article.is_live(now)
    assert article.is_live(now + datetime.timedelta(hours=3))
    assert list(Article.objects.live(now)) == []
    assert list(Article.objects.live(now + datetime.timedelta(hours=3))) == [article]


def test_a_draft_or_a_future_publication_is_not_live():
    now = timezone.now()
    draft = ArticleFactory()
    future = PublishedArticleFactory(published_at=now + datetime.timedelta(hours=1))
    assert not draft.is_live(now)
    assert not future.is_live(now)
    assert not Article.objects.live(now).exists()


def test_a_published_article_needs_a_publication_time():
    article = PublishedArticleFactory()
    article.published_at = None
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert list(excinfo.value.message_dict) == ["published_at"]


def test_a_published_row_without_publication_time_is_not_live():
    article = PublishedArticleFactory()
    Article.objects.filter(pk=article.pk).update(published_at=None)
    article.refresh_from_db()
    assert not article.is_live()
    assert not Article.objects.live().exists()


def test_a_slug_of_only_digits_is_refused_because_the_api_reads_it_as_an_id():
    article = ArticleFactory.build(slug="2024", desk=None)
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean(exclude=["desk"])
    assert list(excinfo.value.message_dict) == ["slug"]


def test_a_headline_of_only_digits_gets_a_slug_with_letters():
    assert ArticleFactory(slug="", headline="2024").slug == "article-2024"
    assert ArticleFactory(slug="", headline="2024", language="fr").slug == "article-2024"


@pytest.mark.parametrize(
    ("status", "published", "embargo"),
    [
        ("published", -1, None),
        ("published", -1, -1),
        ("published", -1, +1),
        ("published", +1, None),
        ("draft", -1, None),
        ("retracted", -1, None),
    ],
)
def test_is_live_and_the_live_queryset_agree(status, published, embargo):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    article = ArticleFactory(
        status=status,
        published_at=now + published * hour,
        embargo_until=None if embargo is None else now + embargo * hour,
    )

    in_queryset = Article.objects.live(now).filter(pk=article.pk).exists()

    assert article.is_live(now) is in_queryset
    assert permissions.visible_articles(None, now=now).filter(pk=article.pk).exists() is in_queryset
