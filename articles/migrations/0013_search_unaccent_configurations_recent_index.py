"""Search at scale on PostgreSQL: accent-blind text-search configurations and an index that
serves "newest matches first".

- ``newsroom_french``, ``newsroom_english`` and ``newsroom_simple`` copy the stock configurations
  and put ``unaccent`` before the stemmer, so "economie" finds "économie" (elisions such as
  "l'IA" already split at the apostrophe, and "l" is a French stop word):
  https://www.postgresql.org/docs/current/unaccent.html
- The trigger of 0002 uses them, and every stored vector is rebuilt.
- ``article_search_recent`` is a multicolumn GIN index on (search_vector, publication day in
  UTC), with ``btree_gin`` for the day (https://www.postgresql.org/docs/current/btree-gin.html):
  a query for a frequent word bounded to the newest articles reads only the matches of those
  few days (articles.search), whatever plan the statement gets. A day, not the timestamp: a
  range of timestamps is one GIN entry per article to collect, a range of days a few entries.
  It replaces the plain GIN index, which it also serves (its first column).

On SQLite nothing is created: search there is a plain contains filter.
"""

from django.db import migrations

CONFIGURATIONS = {"french": "french_stem", "english": "english_stem", "simple": "simple"}

VECTOR_FUNCTION = r"""
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
DECLARE
    cfg regconfig;
BEGIN
    cfg := CASE split_part(lower(NEW.language), '-', 1)
        WHEN 'fr' THEN '{french}'::regconfig
        WHEN 'en' THEN '{english}'::regconfig
        ELSE '{simple}'::regconfig
    END;
    NEW.search_vector :=
        setweight(to_tsvector(cfg, coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector(cfg, coalesce(NEW.standfirst, '')), 'B') ||
        setweight(to_tsvector(cfg, regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def configurations_sql() -> str:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent;"]
    for name, dictionary in CONFIGURATIONS.items():
        statements += [
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_{name};",
            f"CREATE TEXT SEARCH CONFIGURATION newsroom_{name} (COPY = {name});",
            f"ALTER TEXT SEARCH CONFIGURATION newsroom_{name} "
            f"ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, hword, hword_part, word "
            f"WITH unaccent, {dictionary};",
        ]
    return "\n".join(statements)


FORWARD = f"""
{configurations_sql()}
{VECTOR_FUNCTION.format(french="newsroom_french", english="newsroom_english", simple="newsroom_simple")}
UPDATE articles_article SET headline = headline;
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX IF EXISTS article_search_vector_gin;
CREATE INDEX IF NOT EXISTS article_search_recent
    ON articles_article USING gin (search_vector, (date_trunc('day', published_at AT TIME ZONE 'UTC')));
"""

BACKWARD = f"""
DROP INDEX IF EXISTS article_search_recent;
CREATE INDEX IF NOT EXISTS article_search_vector_gin ON articles_article USING gin (search_vector);
{VECTOR_FUNCTION.format(french="french", english="english", simple="simple")}
UPDATE articles_article SET headline = headline;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_french;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_english;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_simple;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_importer_fields_claim_statuses_source_roles")]

    operations = [migrations.RunPython(forward, backward)]
