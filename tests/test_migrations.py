import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_migrations_are_complete(capsys):
    # makemigrations --check exits with status 1 when a model change has no migration.
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exc:
        pytest.fail(f"missing migrations:\n{capsys.readouterr().out}\nexit status {exc.code}")
    assert "No changes detected" in capsys.readouterr().out
