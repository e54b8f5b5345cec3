"""The one place production code reaches into a library's private attributes, for speed.

``tests/articles/test_dbspeed.py`` fails when Django changes what is used here.
"""


def prepared_cursor(db):
    """A cursor whose repeated statements PostgreSQL plans once per connection.

    Django's psycopg cursors bind parameters on the client, which rules out prepared
    statements; planning the public read path's lookups costs more than running them. A
    server-binding psycopg cursor on the same connection (same transaction) lets psycopg prepare
    a statement after a couple of runs (https://www.psycopg.org/psycopg3/docs/advanced/prepare.html).

    Django has no public way to wrap a cursor it did not create, so that it is logged
    (``assertNumQueries``, debug toolbar) and its errors translated like any other: its
    ``DatabaseWrapper._prepare_cursor`` does exactly that.
    """
    if db.vendor != "postgresql":
        return db.cursor()
    import psycopg

    db.ensure_connection()
    with db.wrap_database_errors:
        return db._prepare_cursor(psycopg.Cursor(db.connection))
