from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "vacancies"
    verbose_name = "Vacancies"

    def ready(self) -> None:
        from vacancies import scopes  # noqa: F401  (registers tenancy scopes)
