"""Admin of applicants' profiles. Every page here shows personal data."""

from django.contrib import admin

from applicants.models import (
    ApplicantCredential,
    ApplicantProfile,
    ApplicantSkill,
    Experience,
    Qualification,
)


class ApplicantSkillInline(admin.TabularInline):
    model = ApplicantSkill
    autocomplete_fields = ["skill"]
    extra = 0


class ApplicantCredentialInline(admin.TabularInline):
    model = ApplicantCredential
    extra = 0


class ExperienceInline(admin.StackedInline):
    model = Experience
    extra = 0


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "headline",
        "location",
        "region",
        "open_to_work",
        "consent_to_share",
        "updated_at",
    ]
    list_filter = ["open_to_work", "open_to_remote", "consent_to_share", "country"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "headline"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    inlines = [
        ApplicantSkillInline,
        ApplicantCredentialInline,
        ExperienceInline,
        QualificationInline,
    ]


@admin.register(ApplicantSkill)
class ApplicantSkillAdmin(admin.ModelAdmin):
    list_display = ["profile", "skill", "level"]
    list_filter = ["level"]
    search_fields = ["profile__user__email", "skill__name"]
    autocomplete_fields = ["skill"]
    raw_id_fields = ["profile"]


@admin.register(ApplicantCredential)
class ApplicantCredentialAdmin(admin.ModelAdmin):
    list_display = ["profile", "credential", "obtained_on", "expires_on"]
    list_filter = ["credential__kind"]
    search_fields = ["profile__user__email", "credential__name"]
    raw_id_fields = ["profile"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["title", "employer_name", "profile", "start_date", "end_date"]
    search_fields = ["title", "employer_name", "profile__user__email"]
    raw_id_fields = ["profile"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "institution", "profile", "awarded_on"]
    list_filter = ["kind"]
    search_fields = ["title", "institution", "profile__user__email"]
    raw_id_fields = ["profile"]
