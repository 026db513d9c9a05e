"""Back up and restore the database and media files in one archive.

An archive is an uncompressed tar holding:

- ``manifest.json``: format version, creation time, database vendor;
- ``database.dump``: pg_dump's custom format (PostgreSQL) or a copy of the
  database file made with SQLite's online backup API;
- ``media.tar.gz``: every file under MEDIA_ROOT, when media is stored there.

PostgreSQL archives need pg_dump and pg_restore of the server's major version
or newer on PATH.
"""

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

from mex.dataversion import new_data_version

logger = logging.getLogger(__name__)

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
SUPPORTED_VENDORS = ("postgresql", "sqlite")
# Seconds pg_dump or pg_restore may run before the backup fails. A MEX
# database takes far less, and a stuck lock must not hang a cron job forever.
PG_TIMEOUT = 3600


class BackupError(Exception):
    """A failed backup or restore, with a message naming the cause and the fix."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    media_included: bool


def _connection(alias: str):
    connection = connections[alias]
    if connection.vendor not in SUPPORTED_VENDORS:
        raise BackupError(
            f"Database {alias!r} uses {connection.vendor}, which backups do not "
            f"support: use one of {', '.join(SUPPORTED_VENDORS)}."
        )
    return connection


def _pg_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Return pg_* connection arguments and an environment with the password."""
    arguments = [f"--dbname={settings_dict['NAME']}"]
    if settings_dict.get("HOST"):
        arguments.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        arguments.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        arguments.append(f"--username={settings_dict['USER']}")
    env = dict(os.environ)
    # The password goes through the environment, never the command line,
    # which other users of the machine can read.
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} not found on PATH: install the PostgreSQL client "
            "(Debian package postgresql-client) of the server's version."
        )
    try:
        subprocess.run(
            command,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT,
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(
            f"{program} failed with exit code {error.returncode}: "
            f"{error.stderr.strip()}"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{program} timed out after {PG_TIMEOUT} s.") from error


def _dump_database(connection, target: Path) -> None:
    if connection.vendor == "postgresql":
        arguments, env = _pg_arguments(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                *arguments,
            ],
            env,
        )
        return

    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _restore_database(connection, source: Path) -> None:
    if connection.vendor == "postgresql":
        arguments, env = _pg_arguments(connection.settings_dict)
        # Other sessions of this process would hold locks on the tables that
        # pg_restore drops.
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(source),
            ],
            env,
        )
        return

    connection.ensure_connection()
    with sqlite3.connect(source) as dump:
        dump.backup(connection.connection)
    dump.close()


def _media_root() -> Path | None:
    """Return MEDIA_ROOT when media is stored there, None for remote storage."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def create_backup(output_dir: Path, database: str = "default") -> BackupResult:
    """Write a backup archive into output_dir and return its path.

    The database dump is a consistent snapshot (pg_dump runs in one
    transaction; SQLite's backup API copies pages under a read lock). Media
    files are read afterwards, so a file uploaded meanwhile may be included
    without its row. Media on remote storage (S3) is left out: back up the
    bucket with the provider's own versioning or replication.
    """
    connection = _connection(database)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = output_dir / f"mex-backup-{stamp}.tar"
    media_root = _media_root()

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        _dump_database(connection, work_dir / DATABASE_DUMP)
        if media_root is not None:
            with tarfile.open(work_dir / MEDIA_ARCHIVE, "w:gz") as media:
                if media_root.is_dir():
                    media.add(media_root, arcname=".")
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created": stamp,
            "vendor": connection.vendor,
            "media": media_root is not None,
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, indent=2))

        partial = path.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            for name in (MANIFEST, DATABASE_DUMP, MEDIA_ARCHIVE):
                if (work_dir / name).exists():
                    archive.add(work_dir / name, arcname=name)
        # A half-written archive never carries the final name.
        partial.rename(path)

    logger.info("Backup written to %s (media included: %s)", path, manifest["media"])
    return BackupResult(path=path, media_included=manifest["media"])


def _read_manifest(archive: tarfile.TarFile, source: Path) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a MEX backup.")
    manifest = json.loads(member.read())
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(
            f"{source} has archive format {manifest.get('format')!r}; this "
            f"version of MEX reads format {ARCHIVE_FORMAT}."
        )
    return manifest


def restore_backup(source: Path, database: str = "default") -> dict:
    """Replace the database and media files with those of a backup archive.

    Every table in the archive is dropped and recreated; media files under
    MEDIA_ROOT are deleted and replaced when the archive contains media. Returns
    the archive's manifest.
    """
    connection = _connection(database)
    if not source.is_file():
        raise BackupError(f"Backup archive {source} not found.")

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(source, "r") as archive:
            manifest = _read_manifest(archive, source)
            if manifest["vendor"] != connection.vendor:
                raise BackupError(
                    f"{source} contains a {manifest['vendor']} database, but "
                    f"database {database!r} is {connection.vendor}: restore it "
                    "into a database of the same kind."
                )
            archive.extractall(work_dir, filter="data")

        _restore_database(connection, work_dir / DATABASE_DUMP)
        # pg_restore and SQLite's backup API write past Django's cursor, so
        # the write watcher does not see them.
        new_data_version()
        media_root = _media_root()
        if manifest["media"] and media_root is not None:
            _replace_media(work_dir / MEDIA_ARCHIVE, media_root)

    logger.info("Backup %s restored (created %s)", source, manifest["created"])
    return manifest


def _replace_media(media_archive: Path, media_root: Path) -> None:
    if media_root.is_dir():
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(media_archive, "r:gz") as media:
        # The "data" filter rejects absolute paths, links out of the folder
        # and device files, so a crafted archive cannot write elsewhere.
        media.extractall(media_root, filter="data")
