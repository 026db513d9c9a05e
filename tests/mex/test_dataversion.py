"""Writes through Django set a new data version, once per transaction."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from mex.dataversion import DATA_VERSION_KEY, is_data_write
from tests.factories import VacancyFactory
from vacancies.models import Vacancy


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "vacancies_vacancy"."id" FROM "vacancies_vacancy"', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', False),
        ('UPDATE "matching_match" SET "score" = %s', True),
        ('DELETE FROM "badges_assertion" WHERE "id" = %s', True),
        ('INSERT INTO "vacancies_vacancy" ("title") VALUES (%s)', True),
        ('TRUNCATE "django_session", "vacancies_vacancy"', True),
        ("WITH moved AS (UPDATE t SET a = 1 RETURNING id) SELECT 1", True),
        ("WITH found AS (SELECT 1) SELECT * FROM found", False),
        ("CREATE TEMPORARY TABLE matching_incoming (id bigint)", True),
        ("SELECT pg_advisory_xact_lock(%s)", False),
        ('SAVEPOINT "s1"', False),
    ],
)
def test_write_detection(sql, writes):
    assert is_data_write(sql) is writes


@pytest.mark.django_db(transaction=True)
def test_autocommit_write_sets_version():
    before = cache.get(DATA_VERSION_KEY)

    VacancyFactory()

    assert cache.get(DATA_VERSION_KEY) not in (None, before)


@pytest.mark.django_db(transaction=True)
def test_bulk_update_sets_version():
    vacancy = VacancyFactory()
    before = cache.get(DATA_VERSION_KEY)

    Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")

    assert cache.get(DATA_VERSION_KEY) != before


@pytest.mark.django_db(transaction=True)
def test_version_changes_once_after_commit():
    VacancyFactory()
    before = cache.get(DATA_VERSION_KEY)
    seen_inside = set()

    with transaction.atomic():
        VacancyFactory()
        seen_inside.add(cache.get(DATA_VERSION_KEY))
        VacancyFactory()
        seen_inside.add(cache.get(DATA_VERSION_KEY))

    assert seen_inside == {before}
    assert cache.get(DATA_VERSION_KEY) != before


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_keeps_version():
    VacancyFactory()
    before = cache.get(DATA_VERSION_KEY)

    def create_then_fail():
        with transaction.atomic():
            VacancyFactory()
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        create_then_fail()

    assert cache.get(DATA_VERSION_KEY) == before


def test_expire_pages_command_sets_version(capsys):
    before = cache.get(DATA_VERSION_KEY)

    call_command("expire_pages")

    assert cache.get(DATA_VERSION_KEY) != before
    assert "New data version" in capsys.readouterr().out
