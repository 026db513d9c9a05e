"""Backup and restore round trips on the database the tests run on.

On PostgreSQL (CI) they run pg_dump and pg_restore; on SQLite, SQLite's own
backup API.
"""

import io
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command

from mex.dataversion import DATA_VERSION_KEY
from mex.ops.backup import BackupError, create_backup, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


@pytest.fixture
def media_root(settings):
    root = settings.MEDIA_ROOT
    (root / "badges").mkdir(parents=True)
    (root / "badges" / "badge-1.png").write_bytes(b"\x89PNG badge")
    return root


def test_round_trip_restores_rows(tmp_path, media_root):
    # given: two users and a backup of them
    User.objects.create_user(email="first@example.com")
    User.objects.create_user(email="second@example.com")
    result = create_backup(tmp_path / "backups")

    # when: the rows are wiped and the backup restored
    User.objects.all().delete()
    restore_backup(result.path)

    # then
    emails = sorted(User.objects.values_list("email", flat=True))
    assert emails == ["first@example.com", "second@example.com"]


def test_round_trip_restores_media(tmp_path, media_root):
    # given
    result = create_backup(tmp_path / "backups")

    # when: one file is deleted and another added
    (media_root / "badges" / "badge-1.png").unlink()
    (media_root / "stray.txt").write_text("written after the backup")
    restore_backup(result.path)

    # then
    assert (media_root / "badges" / "badge-1.png").read_bytes() == b"\x89PNG badge"
    assert not (media_root / "stray.txt").exists()


def test_restore_drops_later_rows(tmp_path, media_root):
    # given
    result = create_backup(tmp_path / "backups")
    User.objects.create_user(email="later@example.com")

    # when
    restore_backup(result.path)

    # then
    assert not User.objects.filter(email="later@example.com").exists()


def test_archive_names_its_parts(tmp_path, media_root):
    result = create_backup(tmp_path / "backups")

    with tarfile.open(result.path) as archive:
        names = sorted(archive.getnames())

    assert names == ["database.dump", "manifest.json", "media.tar.gz"]
    assert result.path.name.startswith("mex-backup-")


def test_restore_rejects_other_archive(tmp_path):
    # given: a tar without a manifest
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as archive:
        data = b"not a dump"
        info = tarfile.TarInfo("database.dump")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))

    # when / then
    with pytest.raises(BackupError, match="not a MEX backup"):
        restore_backup(path)


def test_restore_missing_archive(tmp_path):
    with pytest.raises(BackupError, match="not found"):
        restore_backup(tmp_path / "missing.tar")


def test_commands_round_trip(tmp_path, media_root, capsys):
    # given
    User.objects.create_user(email="command@example.com")
    call_command("backup", output=str(tmp_path / "backups"))
    archive = capsys.readouterr().out.strip()
    User.objects.all().delete()

    # when
    call_command("restore", archive, interactive=False)

    # then
    assert User.objects.filter(email="command@example.com").exists()


def test_restore_command_needs_yes(tmp_path, media_root, monkeypatch):
    # given
    User.objects.create_user(email="kept@example.com")
    result = create_backup(tmp_path / "backups")
    User.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    # when
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(result.path))

    # then
    assert not User.objects.exists()


def test_restore_sets_new_data_version(tmp_path, media_root):
    # given: a backup, and a data version that cached pages were stored with
    result = create_backup(tmp_path / "backups")
    before = cache.get(DATA_VERSION_KEY)

    # when
    restore_backup(result.path)

    # then: pages stored before the restore are stale
    assert cache.get(DATA_VERSION_KEY) != before
