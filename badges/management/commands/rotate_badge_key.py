from django.core.management.base import BaseCommand

from badges.keys import key_dir, rotate_signing_key


class Command(BaseCommand):
    help = (
        "Create a new Ed25519 key that signs badges from now on. Earlier keys "
        "stay published, so badges they signed still verify."
    )

    def handle(self, *args, **options):
        signing_key = rotate_signing_key()
        self.stdout.write(
            self.style.SUCCESS(
                f"New badge signing key {signing_key.kid} in {key_dir()}."
            )
        )
