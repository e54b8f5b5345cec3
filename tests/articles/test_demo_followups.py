import datetime

import pytest
from django.utils import timezone

from articles.demo import demo_load
from articles.models import FollowUp, HighlightBox
from articles.reminders.dispatch import reminders_dispatch

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_article_a_highlight_box_and_a_followup():
    before = timezone.now()
    articles = demo_load()
    demo_load()  # idempotent: loading again refreshes, never duplicates
    for article in articles.values():
        box = HighlightBox.objects.get(article=article)
        assert "🕵️‍♀️" in [item.emoji for item in box.items.all()]
        assert FollowUp.objects.filter(article=article).count() == 1
    french = FollowUp.objects.get(article=articles["fr"])
    assert french.next_check_at <= timezone.now() + datetime.timedelta(minutes=1)
    assert french.next_check_at > before
    assert french.owner.journalist_profile.any_hour
    assert HighlightBox.objects.get(article=articles["fr"]).title == "C'est nous qui soulignons :"


def test_the_french_demo_reminder_goes_out_a_minute_later_whatever_the_hour(settings):
    settings.NEWSROOM_QUIET_HOURS = "08:00-20:00"
    articles = demo_load()
    night = timezone.now().replace(hour=2) + datetime.timedelta(days=1)
    FollowUp.objects.filter(article=articles["fr"]).update(next_check_at=night)
    FollowUp.objects.filter(article=articles["en"]).update(
        next_check_at=night + datetime.timedelta(days=30)
    )
    claimed: list[int] = []
    result = reminders_dispatch(now=night + datetime.timedelta(minutes=1), enqueue=claimed.extend)
    assert result["created"] == 1
    assert len(claimed) == 1
