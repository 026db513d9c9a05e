from django.core.cache import cache
from django.core.management.base import BaseCommand

from mex.dataversion import DATA_VERSION_KEY, new_data_version


class Command(BaseCommand):
    help = (
        "Set a new data version, so that every cached page is rendered again. "
        "Run it after changing the database outside Django, such as in psql."
    )

    def handle(self, *args, **options):
        new_data_version()
        self.stdout.write(f"New data version: {cache.get(DATA_VERSION_KEY)}")
