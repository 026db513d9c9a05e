"""Admin of vacancies and their skill requirements."""

from django.contrib import admin

from vacancies.models import CandidateStage, Vacancy, VacancySkill


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    autocomplete_fields = ["skill"]
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "employer",
        "location",
        "region",
        "country",
        "status",
        "published_at",
    ]
    list_filter = ["status", "work_mode", "employment_type", "country", "employer"]
    search_fields = ["title", "employer__name", "location", "source_id", "noc_code"]
    list_select_related = ["employer"]
    raw_id_fields = ["employer"]
    filter_horizontal = ["required_credentials"]
    inlines = [VacancySkillInline]
    date_hierarchy = "published_at"


@admin.register(VacancySkill)
class VacancySkillAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "skill", "min_level", "importance"]
    list_filter = ["importance", "min_level"]
    search_fields = ["vacancy__title", "skill__name"]
    autocomplete_fields = ["vacancy", "skill"]


@admin.register(CandidateStage)
class CandidateStageAdmin(admin.ModelAdmin):
    """Hiring steps employers recorded, read-only: changes go through services."""

    list_display = ["match", "vacancy", "stage", "at", "by"]
    list_filter = ["stage"]
    search_fields = ["vacancy__title", "vacancy__employer__name"]
    list_select_related = ["vacancy", "match__applicant__user", "match__vacancy", "by"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
