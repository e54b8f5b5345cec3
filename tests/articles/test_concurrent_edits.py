import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from articles.models import Article
from tests.factories import ArticleFactory, DeskFactory, desk_member

ROUNDS = 20
WRITERS = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_five_writers_sending_the_same_if_match_exactly_one_wins_each_round():
    desk = DeskFactory()
    editor = desk_member(desk=desk, role="editor")
    article = ArticleFactory(desk=desk, version=0, authors=[editor])
    url = f"/api/v1/articles/{article.pk}/"
    revisions_before = article.history.count()
    successes = 0

    for round_number in range(ROUNDS):
        version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
        start = threading.Barrier(WRITERS)
        statuses: list[int] = []

        def write(
            writer: int, version=version, round_number=round_number, start=start, statuses=statuses
        ):
            client = APIClient()
            client.force_authenticate(editor)
            try:
                start.wait(timeout=60)
                response = client.patch(
                    url,
                    {"headline": f"Round {round_number}, writer {writer}"},
                    format="json",
                    HTTP_IF_MATCH=f'"{version}"',
                )
                statuses.append(response.status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert sorted(statuses) == [200] + [412] * (WRITERS - 1), f"round {round_number}"
        successes += statuses.count(200)

    article.refresh_from_db()
    assert successes == ROUNDS
    assert article.version == successes
    assert article.history.count() == revisions_before + successes
