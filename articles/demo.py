"""Demo content: two original articles of the shape the desk publishes, one French, one English.

The companies and people are invented for the demo. Each article gets a highlight box with emoji
bullets and a follow-up; the French follow-up comes due a minute after the demo loads, and its
owner has no quiet hours, so `make run` shows a reminder email under var/mail/ at any hour. The
images come from media_credits.demo.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Desk,
    DeskMembership,
    Entity,
    FollowUp,
    HighlightBox,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)
from articles.services import articles as services
from articles.services.followups import journalist_profile_set
from articles.services.highlights import highlight_box_set_items
from media_credits.demo import demo_images

ENTITIES = {
    "novalys": ("Novalys", Entity.Kind.ORGANISATION, ["Novalys AI"], "An AI research company."),
    "arcturus": (
        "Arcturus Semiconductors",
        Entity.Kind.ORGANISATION,
        ["Arcturus"],
        "A chip-design company.",
    ),
    "morel": ("Léa Morel", Entity.Kind.PERSON, [], "Chief executive of Novalys."),
    "chips": ("Novalys Forge", Entity.Kind.PRODUCT, ["Forge"], "Planned AI server chip."),
    "taiwan": ("Taïwan", Entity.Kind.PLACE, ["Taiwan"], ""),
}

ARTICLES = [
    {
        "language": "fr",
        "slug": "novalys-veut-ses-propres-puces-ia",
        "headline": "Novalys prépare ses propres puces pour serveurs d'IA avec Arcturus",
        "standfirst": (
            "Selon plusieurs sources, la société d'IA discuterait avec le concepteur de puces "
            "Arcturus pour réduire sa dépendance aux fournisseurs actuels."
        ),
        "body": (
            "<p>Novalys travaillerait à ses propres puces pour serveurs d'intelligence "
            "artificielle, en partenariat avec le concepteur "
            "<strong>Arcturus Semiconductors</strong>, selon des informations de presse. "
            "L'entreprise n'a ni confirmé ni démenti.</p>"
            "<p>« Nous ne commentons pas les rumeurs », a déclaré une porte-parole. La dirigeante "
            "Léa Morel chercherait à lever jusqu'à 7 000 milliards de dollars pour bâtir des "
            "usines, dans un marché où le fournisseur dominant détient entre 70 et 95 % des "
            "parts.</p>"
            "<p>Les premiers échanges remonteraient à septembre 2023 ; un accord de principe "
            "aurait été trouvé en janvier 2024.</p>"
        ),
        "source_note": "selon des informations de presse",
        "tags": ["Intelligence artificielle", "Semi-conducteurs"],
        "claims": [
            (
                "Novalys conçoit ses propres puces pour serveurs d'IA avec Arcturus.",
                Claim.Status.NEITHER,
                "novalys",
                Claim.Sourcing.ANONYMOUS,
            ),
            (
                "Léa Morel cherche à lever jusqu'à 7 000 milliards de dollars.",
                Claim.Status.DISPUTED,
                None,
                Claim.Sourcing.OTHER_OUTLET,
            ),
            (
                "Arcturus a confirmé des discussions exploratoires.",
                Claim.Status.CONFIRMED,
                "arcturus",
                Claim.Sourcing.OFFICIAL,
            ),
        ],
        "quote": ("Nous ne commentons pas les rumeurs.", "une porte-parole", "novalys"),
        "figures": [
            ("Objectif de levée de fonds", Decimal("7000000000000"), None, "USD"),
            ("Part de marché du fournisseur dominant", Decimal("70"), Decimal("95"), "percent"),
        ],
        "dates": [
            (datetime.date(2023, 9, 1), "Premiers échanges entre Novalys et Arcturus"),
            (datetime.date(2024, 1, 1), "Accord de principe"),
        ],
        "source": ("Presse économique", Source.Role.ORIGINAL_REPORTER),
    },
    {
        "language": "en",
        "slug": "novalys-plans-its-own-ai-chips",
        "headline": "Novalys plans its own AI server chips with Arcturus",
        "standfirst": (
            "The AI company is said to be working with chip designer Arcturus to cut its "
            "reliance on today's suppliers."
        ),
        "body": (
            "<p>Novalys is working on its own chips for AI servers with the chip designer "
            "<strong>Arcturus Semiconductors</strong>, according to reports. The company neither "
            "confirmed nor denied.</p>"
            "<p>“We don't comment on rumours,” a spokesperson said. Chief executive Léa Morel is "
            "said to be seeking up to $7 trillion for chip plants, in a market where the leading "
            "supplier holds a 70–95% share.</p>"
            "<p>Talks reportedly began in September 2023, with an agreement in principle reached "
            "in January 2024.</p>"
        ),
        "source_note": "according to reports",
        "tags": ["Artificial intelligence", "Semiconductors"],
        "claims": [
            (
                "Novalys is designing its own AI server chips with Arcturus.",
                Claim.Status.NEITHER,
                "novalys",
                Claim.Sourcing.ANONYMOUS,
            ),
            (
                "Léa Morel is seeking up to $7 trillion.",
                Claim.Status.DISPUTED,
                None,
                Claim.Sourcing.OTHER_OUTLET,
            ),
            (
                "Arcturus confirmed exploratory talks.",
                Claim.Status.CONFIRMED,
                "arcturus",
                Claim.Sourcing.OFFICIAL,
            ),
        ],
        "quote": ("We don't comment on rumours.", "a spokesperson", "novalys"),
        "figures": [
            ("Funding target", Decimal("7000000000000"), None, "USD"),
            ("Leading supplier's market share", Decimal("70"), Decimal("95"), "percent"),
        ],
        "dates": [
            (datetime.date(2023, 9, 1), "Novalys and Arcturus begin talks"),
            (datetime.date(2024, 1, 1), "Agreement in principle"),
        ],
        "source": ("Business press", Source.Role.ORIGINAL_REPORTER),
    },
]

# --- Highlight boxes and follow-ups ----------------------------------------------------------
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


@transaction.atomic
def demo_load() -> dict[str, Article]:
    """Create or refresh the demo content. Safe to run any number of times."""
    User = get_user_model()
    author, created = User.objects.get_or_create(
        username="camille",
        defaults={"first_name": "Camille", "last_name": "Durand", "email": "camille@localhost"},
    )
    if created:
        author.set_unusable_password()
        author.save()
    desk, _ = Desk.objects.get_or_create(slug="tech", defaults={"name": "Tech & business"})
    DeskMembership.objects.get_or_create(desk=desk, user=author)
    author.groups.add(Group.objects.get_or_create(name="reporter")[0])
    entities = {}
    for key, (name, kind, aliases, description) in ENTITIES.items():
        entities[key], _ = Entity.objects.update_or_create(
            name=name, kind=kind, defaults={"aliases": aliases, "description": description}
        )

    now = timezone.now()
    articles: dict[str, Article] = {}
    original = None
    for spec in ARTICLES:
        article, _ = Article.objects.update_or_create(
            language=spec["language"],
            slug=spec["slug"],
            defaults={
                "headline": spec["headline"],
                "standfirst": spec["standfirst"],
                "body": spec["body"],
                "desk": desk,
                "source_note": spec["source_note"],
                "translation_of": original,
            },
        )
        original = original or article
        article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in spec["tags"]])
        ArticleAuthor.objects.get_or_create(article=article, user=author)
        for model in (Mention, Claim, Quote, KeyFigure, KeyDate, Source):
            model.objects.filter(article=article).delete()
        for order, (key, role) in enumerate(
            [
                ("novalys", Mention.Role.SUBJECT),
                ("arcturus", Mention.Role.SUBJECT),
                ("morel", Mention.Role.MENTIONED),
                ("chips", Mention.Role.MENTIONED),
                ("taiwan", Mention.Role.MENTIONED),
            ]
        ):
            Mention.objects.create(article=article, entity=entities[key], role=role, order=order)
        for order, (text, status, who, sourcing) in enumerate(spec["claims"]):
            Claim.objects.create(
                article=article,
                text=text,
                status=status,
                sourcing=sourcing,
                order=order,
                attributed_to=entities[who] if who else None,
                as_of=now,
            )
        text, label, org = spec["quote"]
        Quote.objects.create(
            article=article, text=text, speaker_label=label, speaker_organisation=entities[org]
        )
        for order, (label, value, high, unit) in enumerate(spec["figures"]):
            KeyFigure.objects.create(
                article=article, label=label, value=value, value_high=high, unit=unit, order=order
            )
        for order, (date, label) in enumerate(spec["dates"]):
            KeyDate.objects.create(
                article=article,
                date=date,
                precision=KeyDate.Precision.MONTH,
                label=label,
                order=order,
            )
        name, role = spec["source"]
        Source.objects.create(article=article, name=name, role=role)
        articles[spec["language"]] = article

    demo_highlights_and_followups(articles)
    demo_images(articles)

    for language, article in articles.items():
        article.refresh_from_db()
        if article.status == Article.Status.PUBLISHED:
            services.article_touch(article=article)
        else:
            article = services.article_publish(article=article)
        articles[language] = article
    return articles
