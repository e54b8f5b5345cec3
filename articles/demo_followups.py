"""Demo step: a highlight box with emoji bullets and a follow-up on each demo article.

The French follow-up comes due a minute after the demo loads, and its owner has no quiet hours,
so `make run` shows a reminder email under var/mail/ at any hour.
"""

import datetime

from django.utils import timezone

from articles.followups import journalist_profile_set
from articles.highlights import highlight_box_set_items
from articles.models import Article, Entity, FollowUp, HighlightBox

HIGHLIGHTS = {
    "fr": [
        ("🕵️‍♀️", "Des sources anonymes évoquent un partenariat avec <strong>Arcturus</strong>."),
        ("💰", "Objectif de levée de fonds : jusqu'à 7 000 milliards de dollars."),
        ("🇫🇷", "Aucune réaction officielle de Novalys à ce stade."),
        ("❤️", "Un marché dominé à 70–95 % par un seul fournisseur."),
    ],
    "en": [
        ("🕵️‍♀️", "Anonymous sources describe a partnership with <strong>Arcturus</strong>."),
        ("💰", "Funding target: up to $7 trillion."),
        ("☎️", "Novalys has not commented officially."),
        ("❤️", "One supplier holds 70–95% of the market."),
    ],
}

FOLLOWUPS = {
    "fr": (
        "Confirmation officielle du partenariat Novalys–Arcturus",
        datetime.timedelta(minutes=1),
    ),
    "en": ("Official confirmation of the Novalys–Arcturus deal", datetime.timedelta(days=1)),
}


def demo_highlights_and_followups(articles: dict[str, Article]) -> None:
    now = timezone.now()
    for language, article in articles.items():
        owner = article.bylines.select_related("user").first().user
        journalist_profile_set(user=owner, language="fr", any_hour=True)
        HighlightBox.objects.filter(article=article).delete()
        box = HighlightBox.objects.create(article=article, order=0)
        highlight_box_set_items(box=box, items=HIGHLIGHTS.get(language, HIGHLIGHTS["en"]))

        what, delay = FOLLOWUPS.get(language, FOLLOWUPS["en"])
        followup = FollowUp.objects.filter(article=article, owner=owner, what=what).first()
        if followup is None:
            followup = FollowUp(article=article, owner=owner, what=what)
        followup.status = FollowUp.Status.WATCHING
        followup.next_check_at = now + delay
        followup.every_days = 7
        followup.resolved_at = None
        followup.full_clean(exclude=["promise"])
        followup.save()
        followup.entities.set(
            Entity.objects.filter(name__in=["Novalys", "Arcturus Semiconductors"])
        )
