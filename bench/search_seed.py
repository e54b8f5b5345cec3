"""Seed data for the search benchmark: published French and English articles by SQL.

Two template articles (one per language) are made with the ORM, with their stored documents;
every other article is one row of an ``INSERT ... SELECT generate_series`` copying a template's
columns, with its own slug, headline, body (about 1,500 characters) and publication time, and
its document is copied the same way with its own id, slug and headline. The trigger of the
search migration fills the vectors as it does in service.

Words come in three tiers, per language: COMMON words are in every article (the base text),
each MID word in 1 article in 25 (4 %) and each RARE word in 1 in 2,500 (0.04 %), spread evenly
over time. No two MID words share an article, so a query of two of them has no match at all.
"""

import time

FRENCH_PARAGRAPHS = [
    "<p>Le gouvernement a présenté mardi un projet de loi qui doit réorganiser le financement "
    "des collectivités. Selon le ministre, la réforme concernera plusieurs millions d'habitants "
    "et entrera en vigueur au début de l'année prochaine, après un long débat au Parlement.</p>",
    "<p>Pour l'entreprise, le marché reste difficile : la demande ralentit, les prix de "
    "l'énergie pèsent sur les marges et la banque centrale maintient ses taux élevés. Les "
    "dirigeants disent pourtant vouloir investir dans le pays malgré une économie incertaine.</p>",
    "<p>Le président de la région a salué « un pas dans la bonne direction », tout en "
    "réclamant des garanties. L'opposition dénonce un texte écrit trop vite et promet des "
    "amendements sur le calendrier, les contrôles et la répartition des crédits.</p>",
    "<p>Dans les territoires, les maires attendent surtout des précisions sur les dotations. "
    "Beaucoup craignent de devoir reporter des travaux déjà votés, faute de visibilité sur les "
    "recettes, et demandent un calendrier clair avant le vote du budget à l'automne.</p>",
    "<p>Les chiffres publiés jeudi montrent une hausse modérée de l'activité au troisième "
    "trimestre. Les économistes interrogés restent prudents et rappellent que l'inflation, "
    "même en recul, continue de peser sur le pouvoir d'achat des ménages.</p>",
]
ENGLISH_PARAGRAPHS = [
    "<p>The government on Tuesday presented a bill that would reorganise how local "
    "authorities are funded. According to the minister, the reform will affect several million "
    "residents and take effect early next year, after a long debate in parliament.</p>",
    "<p>For the company, the market remains difficult: demand is slowing, energy prices weigh "
    "on margins and the central bank is keeping its rates high. Its executives nonetheless "
    "say they want to invest in the country despite an uncertain economy.</p>",
    "<p>The president of the region welcomed “a step in the right direction” while asking "
    "for guarantees. The opposition says the text was written too quickly and promises "
    "amendments on the timetable, the controls and the way credits are shared out.</p>",
    "<p>Across the regions, mayors mostly want details about their grants. Many fear they will "
    "have to postpone works already approved for lack of visibility on revenue, and they ask for "
    "a clear timetable before the budget vote in the autumn.</p>",
    "<p>Figures released on Thursday show a moderate rise in activity in the third quarter. "
    "The economists we asked remain cautious and point out that inflation, although easing, "
    "still weighs on the purchasing power of households.</p>",
]
COMMON = {
    "fr": [
        "gouvernement",
        "ministre",
        "projet",
        "millions",
        "entreprise",
        "marché",
        "économie",
        "président",
        "opposition",
        "inflation",
    ],
    "en": [
        "government",
        "minister",
        "bill",
        "million",
        "company",
        "market",
        "economy",
        "president",
        "opposition",
        "inflation",
    ],
}
MID = {
    "fr": [
        "aéroport",
        "vendanges",
        "tramway",
        "sécheresse",
        "hôpital",
        "bibliothèque",
        "cybersécurité",
        "logement",
        "apprentissage",
        "vignoble",
        "patrimoine",
        "incendie",
        "autoroute",
        "syndicat",
        "pêcheurs",
        "boulangerie",
        "glacier",
        "université",
        "éolienne",
        "inondation",
    ],
    "en": [
        "airport",
        "harvest",
        "tramway",
        "drought",
        "hospital",
        "library",
        "cybersecurity",
        "housing",
        "apprenticeship",
        "vineyard",
        "heritage",
        "wildfire",
        "motorway",
        "union",
        "fishermen",
        "bakery",
        "glacier",
        "university",
        "turbine",
        "flooding",
    ],
}
RARE = {
    "fr": [
        "ornithologue",
        "funiculaire",
        "carillon",
        "tapisserie",
        "marqueterie",
        "apiculteur",
        "spéléologue",
        "luthier",
        "cartographe",
        "horloger",
        "vitrailliste",
        "ferronnier",
        "fromager",
        "sommelier",
        "ébéniste",
        "tonnelier",
        "verrier",
        "orfèvre",
        "chaudronnier",
        "relieur",
    ],
    "en": [
        "ornithologist",
        "funicular",
        "carillon",
        "tapestry",
        "marquetry",
        "beekeeper",
        "speleologist",
        "luthier",
        "cartographer",
        "watchmaker",
        "glazier",
        "blacksmith",
        "cheesemaker",
        "sommelier",
        "cabinetmaker",
        "cooper",
        "glassblower",
        "goldsmith",
        "boilermaker",
        "bookbinder",
    ],
}
# The sentence that carries an article's MID and RARE words (empty when it has none).
MID_SENTENCE = {
    "fr": "<p>Sur place, le dossier du nouvel {word} occupe aussi les élus locaux.</p>",
    "en": "<p>Locally, the question of the new {word} also keeps councillors busy.</p>",
}
RARE_SENTENCE = {
    "fr": "<p>Un {word} du village témoigne de ces changements.</p>",
    "en": "<p>A {word} from the village describes these changes.</p>",
}
MID_EVERY, RARE_EVERY = 25, 2_500


def literal(value: str) -> str:
    """A SQL string literal of one of our own constants."""
    return "'" + value.replace("'", "''") + "'"


def sql_array(values: list[str]) -> str:
    return "(ARRAY[" + ", ".join(literal(v) for v in values) + "]::text[])"


def seed(n_articles: int) -> float:
    """Seed n_articles published articles, half French, half English; return the seconds."""
    from django.db import transaction

    with transaction.atomic():
        return _seed(n_articles)


def _seed(n_articles: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, ArticleDocument, Desk
    from articles.readmodel import documents_build

    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    desk = Desk.objects.create(name="Search", slug="search")
    templates = {}
    for language, paragraphs in (("fr", FRENCH_PARAGRAPHS), ("en", ENGLISH_PARAGRAPHS)):
        article = Article.objects.create(
            headline=f"Template headline {language}",
            slug=f"template-{language}",
            standfirst="",
            body="".join(paragraphs),
            language=language,
            desk=desk,
            status=Article.Status.PUBLISHED,
            published_at=now,
            first_published_at=now,
            last_published_at=now,
        )
        templates[language] = article.pk
    documents_build(article_ids=templates.values())

    table = Article._meta.db_table
    columns = [
        column.name
        for column in connection.introspection.get_table_description(connection.cursor(), table)
        if column.name not in ("id", "search_vector")
    ]
    # For article number i (0 the newest): its language, text and publication time.
    overrides = {
        "language": "CASE WHEN mod(i, 2) = 0 THEN 'fr' ELSE 'en' END",
        "slug": "'article-' || i",
        "headline": (
            "CASE WHEN mod(i, 2) = 0 THEN 'Article ' || i || ' : le point sur la réforme' "
            "ELSE 'Article ' || i || ': where the reform stands' END"
        ),
        "standfirst": (
            "CASE WHEN mod(i, 2) = 0 THEN 'Ce que prévoit le texte, ce qu''en disent les élus "
            "et ce qui reste à trancher avant le vote.' ELSE 'What the text provides, what "
            "elected officials say about it and what remains to be settled before the vote.' END"
        ),
        "body": "pg_temp.body_of(i)",
        "published_at": "%(now)s - make_interval(secs => i * 60)",
        "first_published_at": "%(now)s - make_interval(secs => i * 60)",
        "last_published_at": "%(now)s - make_interval(secs => i * 60)",
        "created_at": "%(now)s - make_interval(secs => i * 60)",
        "updated_at": "%(now)s - make_interval(secs => i * 60)",
    }
    select = ", ".join(overrides.get(c, f"t.{c}") for c in columns)
    body_function = f"""
        CREATE OR REPLACE FUNCTION pg_temp.body_of(i integer) RETURNS text AS $$
            SELECT CASE WHEN mod(i, 2) = 0
                THEN {sql_array(FRENCH_PARAGRAPHS)}[1 + mod(i / 2, 5)]
                    || {sql_array(FRENCH_PARAGRAPHS)}[1 + mod(i / 2 + 1, 5)]
                    || {sql_array(FRENCH_PARAGRAPHS)}[1 + mod(i / 2 + 2, 5)]
                    || {sql_array(FRENCH_PARAGRAPHS)}[1 + mod(i / 2 + 3, 5)]
                    || {sql_array(FRENCH_PARAGRAPHS)}[1 + mod(i / 2 + 4, 5)]
                    || CASE WHEN mod(i / 2, {MID_EVERY}) < {len(MID["fr"])}
                        THEN replace({literal(MID_SENTENCE["fr"])}, '{{word}}',
                            {sql_array(MID["fr"])}[1 + mod(i / 2, {MID_EVERY})]) ELSE '' END
                    || CASE WHEN mod(i / 2, {RARE_EVERY}) < {len(RARE["fr"])}
                        THEN replace({literal(RARE_SENTENCE["fr"])}, '{{word}}',
                            {sql_array(RARE["fr"])}[1 + mod(i / 2, {RARE_EVERY})]) ELSE '' END
                ELSE {sql_array(ENGLISH_PARAGRAPHS)}[1 + mod(i / 2, 5)]
                    || {sql_array(ENGLISH_PARAGRAPHS)}[1 + mod(i / 2 + 1, 5)]
                    || {sql_array(ENGLISH_PARAGRAPHS)}[1 + mod(i / 2 + 2, 5)]
                    || {sql_array(ENGLISH_PARAGRAPHS)}[1 + mod(i / 2 + 3, 5)]
                    || {sql_array(ENGLISH_PARAGRAPHS)}[1 + mod(i / 2 + 4, 5)]
                    || CASE WHEN mod(i / 2, {MID_EVERY}) < {len(MID["en"])}
                        THEN replace({literal(MID_SENTENCE["en"])}, '{{word}}',
                            {sql_array(MID["en"])}[1 + mod(i / 2, {MID_EVERY})]) ELSE '' END
                    || CASE WHEN mod(i / 2, {RARE_EVERY}) < {len(RARE["en"])}
                        THEN replace({literal(RARE_SENTENCE["en"])}, '{{word}}',
                            {sql_array(RARE["en"])}[1 + mod(i / 2, {RARE_EVERY})]) ELSE '' END
            END
        $$ LANGUAGE sql IMMUTABLE
    """
    insert = f"""
        INSERT INTO {table} ({", ".join(columns)})
        SELECT {select}
        FROM generate_series(1, %(n)s) AS i
        JOIN {table} t ON t.id = CASE WHEN mod(i, 2) = 0 THEN %(fr)s ELSE %(en)s END
    """
    document_table = ArticleDocument._meta.db_table
    documents = f"""
        INSERT INTO {document_table}
            (article_id, version, summary, detail, digest, surrogate_keys, built_at)
        SELECT x.article_id, x.version, x.summary, x.detail, md5(x.detail), x.surrogate_keys,
            x.built_at
        FROM (SELECT a.id AS article_id, a.version AS version,
            replace(replace(regexp_replace(d.summary,
                '^."id":[0-9]+,', '{{"id":' || a.id || ','),
                '"' || t.slug || '"', '"' || a.slug || '"'),
                '"' || t.headline || '"', '"' || a.headline || '"') AS summary,
            replace(replace(regexp_replace(d.detail,
                '^."id":[0-9]+,', '{{"id":' || a.id || ','),
                '"' || t.slug || '"', '"' || a.slug || '"'),
                '"' || t.headline || '"', '"' || a.headline || '"') AS detail,
            d.surrogate_keys AS surrogate_keys, d.built_at AS built_at
        FROM {table} a
        JOIN {table} t ON t.id = CASE WHEN a.language = 'fr' THEN %(fr)s ELSE %(en)s END
        JOIN {document_table} d ON d.article_id = t.id
        WHERE a.id NOT IN (%(fr)s, %(en)s)) x
    """
    params = {"n": n_articles - 2, "now": now, **templates}
    with connection.cursor() as cursor:
        cursor.execute(body_function)
        cursor.execute(insert, params)
        cursor.execute(documents, params)
    return time.monotonic() - started
