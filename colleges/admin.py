from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from colleges.models import Course, CourseSkill, Enrolment
from colleges.services import enrolment_complete, enrolment_withdraw


class CourseSkillInline(admin.TabularInline):
    model = CourseSkill
    extra = 1
    raw_id_fields = ["skill"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "college", "status", "hours", "delivery", "start_date"]
    list_filter = ["status", "delivery"]
    search_fields = ["title", "college__name"]
    list_select_related = ["college"]
    inlines = [CourseSkillInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["applicant", "course", "status", "enrolled_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["course__title", "applicant__user__email"]
    list_select_related = ["applicant__user", "course"]
    raw_id_fields = ["applicant", "course"]
    readonly_fields = ["status", "completed_at", "enrolled_at"]
    actions = ["complete_selected", "withdraw_selected"]

    @admin.action(description="Mark selected enrolments completed and issue badges")
    def complete_selected(self, request, queryset):
        self._apply(request, queryset, enrolment_complete, "completed")

    @admin.action(description="Withdraw selected enrolments")
    def withdraw_selected(self, request, queryset):
        self._apply(request, queryset, enrolment_withdraw, "withdrawn")

    def _apply(self, request, queryset, service, verb: str) -> None:
        done = 0
        for enrolment_id in queryset.values_list("pk", flat=True):
            try:
                service(enrolment_id=enrolment_id, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} enrolment(s) {verb}.", messages.SUCCESS)
