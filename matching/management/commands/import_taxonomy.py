"""Load the MEX taxonomy and optionally O*NET and ESCO files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.taxonomy import load_taxonomy
from matching.taxonomy_import import TaxonomyFileError, import_esco, import_onet


class Command(BaseCommand):
    help = (
        "Create or update the MEX skills, credentials and occupations, then "
        "import an O*NET skills and knowledge CSV and an ESCO occupations CSV "
        "when given. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--onet", type=Path, help="O*NET skills and knowledge CSV file."
        )
        parser.add_argument("--esco", type=Path, help="ESCO occupations CSV file.")

    def handle(self, *args, **options):
        created = load_taxonomy()
        self.stdout.write(
            f"MEX taxonomy: {created['skills']} skills and "
            f"{created['credentials']} credentials created."
        )
        for option, importer in (("onet", import_onet), ("esco", import_esco)):
            path = options[option]
            if path is None:
                continue
            if not path.is_file():
                raise CommandError(f"File not found: {path}.")
            try:
                report = importer(path)
            except TaxonomyFileError as error:
                raise CommandError(f"{path}: {error}") from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"{option.upper() if option == 'esco' else 'O*NET'} "
                    f"{path.name}: {report.skills} skills, {report.occupations} "
                    f"occupations and {report.occupation_skills} occupation "
                    "skills created."
                )
            )
