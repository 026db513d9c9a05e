"""The SQLite database of a developer machine takes concurrent writes in turn."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

# Two threads of the development server each read a row, then update it, as
# two quick submits of one form do.
TWO_WRITERS = textwrap.dedent(
    """
    import threading
    import time

    import django

    django.setup()
    from django.db import connection, connections, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")

    errors = []

    def bump():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    time.sleep(0.3)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        print(cursor.fetchone()[0], errors)
    """
)


def test_sqlite_serializes_two_writers(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    finished = subprocess.run(
        [sys.executable, "-c", TWO_WRITERS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert finished.stdout.strip() == "2 []"
