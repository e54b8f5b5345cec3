"""A realistic newsroom for the tests that walk the whole API: two desks, the seven roles, and
articles in every state (fr and en, a translation pair, embargoed, retracted, follow-ups,
images), so that generated and hand-written requests find ids that exist.

Only ``articles.models``, ``media_credits.models`` and ``tests.factories`` are imported: the
requests themselves go through HTTP.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from articles.models import Article, Desk, FollowUp
from media_credits.models import Image
from tests.factories import (
    AIImageFactory,
    ArticleFactory,
    ArticleImageFactory,
    ClaimFactory,
    EntityFactory,
    FollowUpFactory,
    HighlightBoxFactory,
    HighlightItemFactory,
    ImageFactory,
    KeyDateFactory,
    KeyFigureFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
    desk_member,
)

PASSWORD = "correct horse battery staple"

# The seven roles every endpoint is tried as. Journalists log into the admin, so desk members are
# staff; "staff" is a staff account on no desk and with no role; "user" a plain signed-in account.
ROLES = ("anonymous", "reporter_a", "editor_a", "editor_b", "staff", "user", "admin")


@dataclass
class World:
    desk_a: Desk
    desk_b: Desk
    users: dict[str, object]
    articles: dict[str, Article]
    followups: dict[str, FollowUp]
    images: dict[str, Image]
    entity: object
    extra: dict[str, object] = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)


def seed_world() -> World:
    now = timezone.now()
    desk_a = Desk.objects.create(name="Tech", slug="tech")
    desk_b = Desk.objects.create(name="Sports", slug="sports")
    users = {
        "reporter_a": desk_member(desk=desk_a, role="reporter", username="reporter_a"),
        "editor_a": desk_member(desk=desk_a, role="editor", username="editor_a"),
        "editor_b": desk_member(desk=desk_b, role="editor", username="editor_b"),
        "staff": UserFactory(username="staff", is_staff=True),
        "user": UserFactory(username="user"),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    for role in ("reporter_a", "editor_a", "editor_b"):
        users[role].is_staff = True
        users[role].save(update_fields=["is_staff"])
    reporter_b = desk_member(desk=desk_b, role="reporter", username="reporter_b")
    entity = EntityFactory(name="Arcturus Semiconductors")
    tag = TagFactory(name="Chips", slug="chips")

    def published(**kwargs) -> Article:
        article = PublishedArticleFactory(**kwargs)
        MentionFactory(article=article, entity=entity)
        ClaimFactory(article=article, attributed_to=entity)
        QuoteFactory(article=article, speaker_organisation=entity)
        KeyFigureFactory(article=article)
        KeyDateFactory(article=article)
        SourceFactory(article=article)
        article.tags.add(tag)
        return article

    articles = {
        "draft_a": ArticleFactory(
            desk=desk_a,
            authors=[users["reporter_a"]],
            slug="draft-a",
            editor_note="Check the figures with legal.",
        ),
        "draft_colleague_a": ArticleFactory(
            desk=desk_a, authors=[users["editor_a"]], slug="draft-colleague-a"
        ),
        "draft_b": ArticleFactory(
            desk=desk_b, authors=[reporter_b], slug="draft-b", editor_note="Desk B only."
        ),
        "published_a": published(
            desk=desk_a,
            authors=[users["reporter_a"]],
            slug="live-a",
            editor_note="Internal: source is the CFO.",
        ),
        "published_b": published(desk=desk_b, authors=[reporter_b], slug="live-b"),
        "published_fr": published(
            desk=desk_a, authors=[users["reporter_a"]], slug="puces-a", language="fr"
        ),
        "embargoed_a": PublishedArticleFactory(
            desk=desk_a,
            authors=[users["reporter_a"]],
            slug="embargoed-a",
            embargo_until=now + datetime.timedelta(days=2),
        ),
        "retracted_a": PublishedArticleFactory(
            desk=desk_a,
            authors=[users["reporter_a"]],
            slug="retracted-a",
            status=Article.Status.RETRACTED,
        ),
    }
    # A translation pair: the French original and its live English translation.
    articles["translation_en"] = published(
        desk=desk_a,
        authors=[users["reporter_a"]],
        slug="chips-a",
        language="en",
        translation_of=articles["published_fr"],
    )
    box = HighlightBoxFactory(article=articles["published_a"], title="Key points")
    HighlightItemFactory(box=box)
    images = {"photo": ImageFactory(), "ai": AIImageFactory()}
    ArticleImageFactory(article=articles["published_a"], image=images["photo"], role="lead")
    ArticleImageFactory(article=articles["published_b"], image=images["ai"], role="inline")
    followups = {
        "followup_a": FollowUpFactory(
            article=articles["published_a"], owner=users["reporter_a"], what="The appeal"
        ),
        "followup_b": FollowUpFactory(
            article=articles["published_b"], owner=reporter_b, what="The transfer"
        ),
    }
    followups["followup_a"].watchers.add(users["editor_a"])
    followups["followup_b"].watchers.add(users["editor_b"])
    # A follow-up that continues a story.
    followups["followup_a"].entities.add(entity)
    return World(
        desk_a=desk_a,
        desk_b=desk_b,
        users=users,
        articles=articles,
        followups=followups,
        images=images,
        entity=entity,
        extra={"reporter_b": reporter_b, "tag": tag},
    )
