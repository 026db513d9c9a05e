from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Skills and matching"

    def ready(self) -> None:
        from matching import scopes  # noqa: F401  (registers tenancy scopes)
