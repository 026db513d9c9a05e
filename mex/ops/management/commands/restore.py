from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mex.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and media files with those of an archive "
        "written by `manage.py backup`. Everything written since is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the mex-backup-*.tar archive.")
        parser.add_argument(
            "--database", default="default", help="Database alias to restore."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Restore without asking for confirmation.",
        )

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if options["interactive"]:
            answer = input(
                f"This replaces every table of database {options['database']!r} "
                f"and the media files with the contents of {archive}.\n"
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")

        try:
            manifest = restore_backup(archive, options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(f"Restored the backup created {manifest['created']}.")
