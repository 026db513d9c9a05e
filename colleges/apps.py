from django.apps import AppConfig


class CollegesConfig(AppConfig):
    name = "colleges"
    verbose_name = "Colleges and courses"

    def ready(self) -> None:
        from colleges import scopes  # noqa: F401  (registers tenancy scopes)
