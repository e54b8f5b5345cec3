"""articles.dbspeed: the private Django API it relies on is still there and still wraps cursors."""

import pytest
from django.db import connection

from articles.dbspeed import prepared_cursor


def test_django_still_has_the_private_cursor_wrapper_dbspeed_uses():
    # If this fails, Django renamed or removed DatabaseWrapper._prepare_cursor: see dbspeed.py.
    assert callable(getattr(connection, "_prepare_cursor", None))


@pytest.mark.django_db
def test_a_prepared_cursor_is_logged_like_any_other(django_assert_num_queries):
    with django_assert_num_queries(1), prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchall() == [(1,)]
