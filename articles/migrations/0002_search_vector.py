"""Full-text search on PostgreSQL: a trigger keeps articles_article.search_vector up to date with
the text-search configuration of the article's language, and a GIN index serves the queries.

https://www.postgresql.org/docs/current/textsearch-features.html#TEXTSEARCH-UPDATE-TRIGGERS
On SQLite nothing is created: search there is a plain contains filter.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
DECLARE
    cfg regconfig;
BEGIN
    cfg := CASE split_part(lower(NEW.language), '-', 1)
        WHEN 'fr' THEN 'french'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        ELSE 'simple'::regconfig
    END;
    NEW.search_vector :=
        setweight(to_tsvector(cfg, coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector(cfg, coalesce(NEW.standfirst, '')), 'B') ||
        setweight(to_tsvector(cfg, regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, standfirst, body, language ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

CREATE INDEX IF NOT EXISTS article_search_vector_gin ON articles_article USING gin (search_vector);

UPDATE articles_article SET headline = headline;
"""

BACKWARD = r"""
DROP INDEX IF EXISTS article_search_vector_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
