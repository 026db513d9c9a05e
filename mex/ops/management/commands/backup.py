from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mex.ops.backup import BackupError, create_backup
from mex.settings.env import env_str


class Command(BaseCommand):
    help = (
        "Write the database and media files to one archive, "
        "mex-backup-<UTC time>.tar, in the output folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=env_str("MEX_BACKUP_DIR", "backups"),
            help="Folder for the archive (default: MEX_BACKUP_DIR or ./backups).",
        )
        parser.add_argument(
            "--database", default="default", help="Database alias to back up."
        )

    def handle(self, *args, **options):
        try:
            result = create_backup(Path(options["output"]), options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error

        if not result.media_included:
            self.stderr.write(
                "Media files are on remote storage and were not included."
            )
        self.stdout.write(str(result.path))
