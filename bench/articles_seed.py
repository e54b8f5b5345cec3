"""Seed data for the articles benchmark: its own PostgreSQL database, articles by bulk_create."""

import datetime
import time
from decimal import Decimal


def prepare_database(url: str, reuse: bool, expected_articles: int) -> bool:
    """Create the benchmark database; return True when it must be seeded."""
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    if params["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"bench: BENCH_DATABASE_URL must point at PostgreSQL, not {url!r}")
    name = params["NAME"]
    connect = {
        "dbname": "postgres",
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            try:
                with psycopg.connect(
                    **{k: v for k, v in (connect | {"dbname": name}).items() if v is not None}
                ) as bench_conn:
                    count = bench_conn.execute(
                        "SELECT count(*) FROM articles_article WHERE status = 'published'"
                    ).fetchone()[0]
            except psycopg.Error:
                count = -1
            if count == expected_articles:
                print(f"bench: reusing database {name} ({count} published articles)")
                return False
        quoted = psycopg.sql.Identifier(name)
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(quoted))
    print(f"bench: created database {name}")
    return True


PARAGRAPHS = [
    "<p>{org} is working on its own server chips for artificial intelligence with the chip "
    "designer <strong>{partner}</strong>, according to several people familiar with the "
    "plans. The company neither confirmed nor denied the report.</p>",
    "<p>“We do not comment on rumours,” a spokesperson said. The chief executive, {person}, "
    "is said to be seeking as much as $7 trillion to build fabrication plants, in a market "
    "where the dominant supplier holds between 70 and 95 percent of the shares.</p>",
    "<p>The first talks reportedly date back to September 2023, and an agreement in principle "
    "was reached in January 2024. <em>{partner}</em> confirmed exploratory discussions but "
    "declined to give details.</p>",
    "<h2>A crowded field</h2><p>Several large technology groups have announced similar "
    "projects, hoping to cut their dependence on a handful of suppliers and to lower the cost "
    'of running ever larger models in their <a href="https://example.org/dc">data '
    "centres</a>.</p>",
    "<blockquote><p>The economics of training runs are forcing everyone to look at custom "
    "silicon.</p></blockquote><p>Analysts caution that designing a competitive chip takes years "
    "and that manufacturing capacity at the most advanced nodes is scarce.</p>",
    "<ul><li>Design partner: {partner}</li><li>Target: data-centre inference</li>"
    "<li>First samples: not before 2026</li></ul><p>{org} said it would share more "
    "information “in due course”.</p>",
]


def seed(n_articles: int) -> None:
    """Seed published articles with every kind of metadata, quickly, with bulk_create."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.html import clean_body
    from articles.models import (
        Article,
        ArticleAuthor,
        Claim,
        Correction,
        Desk,
        Entity,
        KeyDate,
        KeyFigure,
        Mention,
        Quote,
        Source,
        Tag,
    )

    started = time.monotonic()
    User = get_user_model()
    now = timezone.now().replace(microsecond=0)
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"journalist{i}",
                first_name=f"Alex{i}",
                last_name=f"Writer{i}",
                email=f"journalist{i}@example.org",
                password=unusable,
            )
            for i in range(40)
        )
        desks = Desk.objects.bulk_create(
            Desk(name=name, slug=slugify(name))
            for name in ["Technology", "Economy", "World", "Politics", "Science", "Culture"]
        )
        tags = Tag.objects.bulk_create(Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(40))
        kinds = list(Entity.Kind.values)
        entities = Entity.objects.bulk_create(
            Entity(
                name=f"Entity {i}",
                kind=kinds[i % len(kinds)],
                aliases=[f"E{i}", f"Ent {i}"],
                wikidata_id=f"Q{1000 + i}" if i % 3 == 0 else "",
                description=f"Described entity number {i}.",
            )
            for i in range(400)
        )
        bodies = [
            clean_body(
                "".join(
                    p.format(
                        org=f"Entity {k}",
                        partner=f"Entity {k + 1}",
                        person=f"Person {k}",
                    )
                    for p in PARAGRAPHS
                )
            )
            for k in range(10)
        ]
        articles = []
        for i in range(n_articles):
            language = "fr" if i % 2 == 0 else "en"
            headline = f"Company {i // 2} plans its own AI chips with a chip-design partner"
            when = now - datetime.timedelta(minutes=7 * i)
            articles.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)}-{i}",
                    standfirst="The company is said to be in talks with a chip designer to cut "
                    "its dependence on current suppliers.",
                    body=bodies[i % len(bodies)],
                    language=language,
                    desk=desks[i % len(desks)],
                    status=Article.Status.PUBLISHED,
                    published_at=when,
                    first_published_at=when,
                    last_published_at=when,
                    created_at=when,
                    updated_at=when,
                    version=1 + i % 3,
                    source_note="according to reports",
                    editor_note="Check the figures with the business desk.",
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=500)
        # Every English article translates the French one before it.
        for i in range(1, len(articles), 2):
            articles[i].translation_of = articles[i - 1]
        Article.objects.bulk_update(articles[1::2], ["translation_of"], batch_size=500)

        bylines, article_tags, mentions, claims, quotes = [], [], [], [], []
        figures, dates, sources, corrections = [], [], [], []
        TagLink = Article.tags.through
        claim_statuses = list(Claim.Status.values)
        sourcings = list(Claim.Sourcing.values)
        roles = list(Mention.Role.values)
        for i, article in enumerate(articles):
            for order in range(1 + i % 3):
                bylines.append(
                    ArticleAuthor(article=article, user=users[(i + order) % 40], order=order)
                )
            for k in range(3):
                article_tags.append(TagLink(article=article, tag=tags[(i + k * 7) % 40]))
            people = [entities[(i * 5 + k) % 400] for k in range(6)]
            for order, entity in enumerate(people):
                mentions.append(
                    Mention(article=article, entity=entity, role=roles[order % 3], order=order)
                )
            for order in range(4):
                claims.append(
                    Claim(
                        article=article,
                        text=f"Claim {order} of article {i}: the partner designs the chip.",
                        status=claim_statuses[(i + order) % len(claim_statuses)],
                        attributed_to=people[order] if order % 2 == 0 else None,
                        sourcing=sourcings[order % len(sourcings)],
                        as_of=now - datetime.timedelta(days=order),
                        order=order,
                    )
                )
            quotes.append(
                Quote(
                    article=article,
                    text="We do not comment on rumours.",
                    speaker_label="a spokesperson",
                    speaker_organisation=people[0],
                    said_at=now - datetime.timedelta(days=1),
                    order=0,
                )
            )
            quotes.append(
                Quote(
                    article=article,
                    text="Custom silicon is where the industry is going.",
                    speaker=people[1],
                    speaker_label="",
                    speaker_organisation=people[2],
                    said_at=now - datetime.timedelta(days=2),
                    order=1,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Funding sought",
                    value=Decimal("7000000000000"),
                    unit="USD",
                    as_of=datetime.date(2024, 2, 1),
                    source="press reports",
                    order=0,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Market share of the dominant supplier",
                    value=Decimal("70"),
                    value_high=Decimal("95"),
                    unit="percent",
                    source="analysts",
                    order=1,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Engineers on the project",
                    value=Decimal(1200 + i),
                    unit="",
                    order=2,
                )
            )
            dates.append(
                KeyDate(
                    article=article,
                    date=datetime.date(2023, 9, 1),
                    precision=KeyDate.Precision.MONTH,
                    label="First talks",
                    order=0,
                )
            )
            dates.append(
                KeyDate(
                    article=article,
                    date=datetime.date(2024, 1, 1),
                    precision=KeyDate.Precision.MONTH,
                    label="Agreement in principle",
                    order=1,
                )
            )
            sources.append(
                Source(
                    article=article,
                    name="The Daily Ledger",
                    role=Source.Role.ORIGINAL_REPORTER,
                    url=f"https://example.org/ledger/{i}",
                    order=0,
                )
            )
            sources.append(Source(article=article, name="Wire", role=Source.Role.WIRE, order=1))
            corrections.append(
                Correction(
                    article=article,
                    text="An earlier version misstated the size of the funding round.",
                    corrected_at=article.published_at + datetime.timedelta(hours=2),
                )
            )
        for model, rows in [
            (ArticleAuthor, bylines),
            (TagLink, article_tags),
            (Mention, mentions),
            (Claim, claims),
            (Quote, quotes),
            (KeyFigure, figures),
            (KeyDate, dates),
            (Source, sources),
            (Correction, corrections),
        ]:
            model.objects.bulk_create(rows, batch_size=2000)
    total = sum(
        len(rows)
        for rows in (
            bylines,
            article_tags,
            mentions,
            claims,
            quotes,
            figures,
            dates,
            sources,
            corrections,
        )
    )
    print(
        f"bench: seeded {len(articles)} published articles and {total} metadata rows "
        f"in {time.monotonic() - started:.1f} s"
    )
