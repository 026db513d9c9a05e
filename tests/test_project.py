import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_match_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")
