"""Import job postings from a CSV file as open vacancies."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.importing import COLUMNS, PostingImporter, RowError


class Command(BaseCommand):
    help = (
        "Create or update open vacancies from a postings CSV with the columns "
        + ", ".join(COLUMNS)
        + ". Rows are keyed by (source, source_id); a bad row is reported and "
        "skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Path of the CSV file.")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}. Give the path of a CSV file.")
        try:
            report = PostingImporter().import_file(path)
        except RowError as error:
            raise CommandError(f"{path}: {error}") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not UTF-8 text ({error.reason} at byte "
                f"{error.start}); save it as UTF-8 and try again."
            ) from None

        for line, reason in report.errors:
            self.stderr.write(f"Line {line}: {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.imported} imported, {report.updated} updated, "
                f"{report.skipped} skipped."
            )
        )
        for reason, count in report.reasons().most_common():
            self.stdout.write(f"  skipped for {reason}: {count}")
        if report.imported or report.updated:
            self.stdout.write("Run manage.py run_matching to match them.")
