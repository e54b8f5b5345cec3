"""The journalist's desk in Chromium, in French and in English: log in, write an article with
every group, publish it, open it on the site, get the reminder by SMTP and use its snooze link.
Each step asserts what the journalist sees and saves a screenshot under var/screenshots/."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, DeskMembership, FollowUp, ReminderDelivery
from articles.reminders import dispatch, send
from articles.services.followups import journalist_profile_set
from tests.factories import DeskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-journey-password"

TEXTS = {
    "fr": {
        "site_title": "rédaction newsroom",
        "index_title": "Rédaction",
        "my_followups": "Mes suivis",
        "facts": "Faits et sources",
        "claim": "Ni confirmé ni démenti",
        "speaker": "un porte-parole",
        "figure": "7 000 milliards de dollars",
        "range": "70–95 %",
        "date": "septembre 2023",
        "published": "1 article publié.",
        "history": "Brouillon",
        "snoozed": "Suivi reporté au",
        "again": "Déjà fait",
        "snooze_button": "Reporter d'un jour",
        "headline": "Novalys lève des fonds pour ses puces",
    },
    "en": {
        "site_title": "newsroom desk",
        "index_title": "Desk",
        "my_followups": "My follow-ups",
        "facts": "Facts and sources",
        "claim": "Neither confirmed nor denied",
        "speaker": "a spokesperson",
        "figure": "$7 trillion",
        "range": "70–95%",
        "date": "September 2023",
        "published": "1 article published.",
        "history": "Draft",
        "snoozed": "Follow-up snoozed until",
        "again": "Already done",
        "snooze_button": "Snooze for a day",
        "headline": "Novalys raises funds for its chips",
    },
}

# English a French journalist must not meet on the desk's pages.
ENGLISH = [
    "Facts and sources",
    "Highlight box and follow-up",
    "Add another",
    "Save and continue",
    "trillion",
    "Neither confirmed nor denied",
    "My follow-ups",
    "newsroom desk",
    "as readers see it",
    "Snoozed",
    "None",
]


def flat(text: str) -> str:
    """French typography uses no-break spaces; compare with plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def body_text(desk) -> str:
    return flat(desk.page.inner_text("body"))


def fill_select2(page, container: str, search: str) -> None:
    page.click(f"{container} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=search).first.click()


def add_row(page, prefix: str) -> None:
    page.click(f"#{prefix}-group .add-row a")


def open_group(page, key: str) -> None:
    group = page.locator(f"#desk-group-{key}")
    if group.get_attribute("open") is None:
        group.locator("summary").click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_journalist_writes_publishes_and_follows_up_in_the_browser(
    language, desk_page, live_server, settings, smtp_sink
):
    texts = TEXTS[language]
    settings.NEWSROOM_SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    user = get_user_model().objects.create_superuser(
        username="camille", email="camille@example.org", password=PASSWORD, first_name="Camille"
    )
    journalist_profile_set(user=user, language=language, any_hour=True)
    newsroom_desk = DeskFactory(name="Tech")
    DeskMembership.objects.create(desk=newsroom_desk, user=user)
    desk = desk_page(language)
    page = desk.page

    # Log in.
    desk.goto("/admin/login/")
    assert texts["site_title"] in page.title()
    desk.accessible()
    desk.shot("login")
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert texts["my_followups"] in body_text(desk)
    assert texts["index_title"] in body_text(desk)
    desk.shot("index")

    # Write the article, every group filled.
    desk.goto("/admin/articles/article/add/")
    page.fill("#id_headline", texts["headline"])
    page.fill("#id_standfirst", "Novalys.")
    page.fill("#id_body", "<p>Novalys.</p>")
    page.fill("#id_language", language)
    page.select_option("#id_desk", label="Tech")

    open_group(page, "facts")
    add_row(page, "mentions")
    with page.expect_popup() as popup_info:
        page.click("#add_id_mentions-0-entity")
    popup = popup_info.value
    popup.fill("#id_name", "Novalys")
    popup.select_option("#id_kind", "organisation")
    popup.fill("#id_aliases", "Novalys AI\nNovalys SA")
    popup.click("input[name=_save]")
    page.wait_for_function(
        "document.querySelector('#id_mentions-0-entity').selectedOptions.length > 0"
    )

    add_row(page, "claims")
    page.select_option("#id_claims-0-status", label=texts["claim"])
    page.fill("#id_claims-0-text", "Novalys is raising funds.")
    add_row(page, "quotes")
    page.fill("#id_quotes-0-text", "We do not comment on rumours.")
    page.fill("#id_quotes-0-speaker_label", texts["speaker"])
    add_row(page, "key_figures")
    page.fill("#id_key_figures-0-label", "Funding target")
    page.fill("#id_key_figures-0-value", "7 000 000 000 000")
    page.select_option("#id_key_figures-0-unit", "USD")
    add_row(page, "key_figures")
    page.fill("#id_key_figures-1-label", "Market share")
    page.fill("#id_key_figures-1-value", "70")
    page.fill("#id_key_figures-1-value_high", "95")
    page.select_option("#id_key_figures-1-unit", "percent")
    add_row(page, "key_dates")
    page.fill("#id_key_dates-0-date", "2023-09-01")
    page.select_option("#id_key_dates-0-precision", "month")
    page.fill("#id_key_dates-0-label", "Talks begin")
    add_row(page, "sources")
    page.fill("#id_sources-0-name", "Reuters")
    page.select_option("#id_sources-0-role", "wire")

    open_group(page, "box")
    add_row(page, "highlight_boxes")
    page.fill("#id_highlight_boxes-0-title", "Key points")
    page.fill("#id_highlight_boxes-0-items_text", "🇫🇷 Paris reacts\n💶 7 trillion")
    add_row(page, "followups")
    page.fill("#id_followups-0-what", "The funding round closes")
    fill_select2(page, "#followups-0 .field-owner", "camille")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_followups-0-next_check_at_0", tomorrow.isoformat())
    page.fill("#id_followups-0-next_check_at_1", "09:00:00")
    desk.no_horizontal_scroll()
    desk.shot("article-filled")
    with page.expect_navigation():
        page.click("input[name=_continue]")

    # Saved: the values as a journalist reads them.
    errors = page.locator(".errorlist, .errornote").evaluate_all(
        "els => els.map(e => (e.closest('[class*=field-]') || e).className + ': ' + e.innerText)"
    )
    assert page.locator(".messagelist .success").count() == 1, errors
    article = Article.objects.get(headline=texts["headline"])
    open_group(page, "facts")
    open_group(page, "box")
    text = body_text(desk)
    assert flat(page.input_value("#id_key_figures-0-value")) == "7 000 000 000 000"
    assert texts["figure"] in text
    assert texts["range"] in text
    assert texts["date"] in text
    assert texts["facts"] in text
    desk.no_horizontal_scroll()
    desk.accessible()
    if language == "fr":
        desk.no_english(ENGLISH)
    desk.shot("article-saved")

    # Publish from the change list.
    desk.goto("/admin/articles/article/")
    desk.accessible()
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert texts["published"] in body_text(desk)
    desk.no_horizontal_scroll()
    desk.shot("published")

    # History with labels, not codes.
    desk.goto(f"/admin/articles/article/{article.pk}/history/")
    history = body_text(desk)
    assert texts["history"] in history
    assert "draft →" not in history and "published" not in history.split("\n")[0]
    desk.shot("history")

    # "View on site": the article's public page, in its language.
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    with page.expect_navigation():
        page.click("a.viewsitelink")
    assert f"/articles/{article.slug}/" in page.url
    assert texts["headline"] in page.content()
    desk.shot("view-on-site")

    # The reminder, by SMTP on loopback, and its snooze link.
    FollowUp.objects.filter(article=article).update(
        next_check_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    dispatch.reminders_dispatch(enqueue=lambda ids: None)
    delivery = ReminderDelivery.objects.get(followup__article=article)
    assert send.reminder_send(delivery_id=delivery.pk) == "sent"
    message = smtp_sink.handler.messages[-1]
    mail = "".join(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    # The first action link of the email is "snooze for a day".
    snooze = re.findall(r"https?://\S+/followups/action/\S+", mail)[0]
    page.goto(snooze)
    assert texts["snooze_button"] in body_text(desk)
    desk.no_horizontal_scroll()
    with page.expect_navigation():
        page.click(".followup-action button[type=submit]")
    assert texts["snoozed"] in body_text(desk)
    desk.shot("snoozed")
    snoozed_until = FollowUp.objects.get(article=article).next_check_at
    page.goto(snooze)  # the second click
    assert texts["again"] in body_text(desk)
    assert FollowUp.objects.get(article=article).next_check_at == snoozed_until
    if language == "fr":
        desk.no_english(ENGLISH)
    desk.shot("snoozed-again")
