"""Admin of the taxonomy, matches and matching runs.

MEX administrators approve or reject proposed matches here, one by one from
the change page or in bulk with the list actions.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organization
from matching import services
from matching.models import (
    Credential,
    Match,
    MatchingRun,
    Occupation,
    OccupationSkill,
    Skill,
)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "source", "parent"]
    list_filter = ["source", "category"]
    search_fields = ["name", "code", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["related"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "aliases"]


class OccupationSkillInline(admin.TabularInline):
    model = OccupationSkill
    autocomplete_fields = ["skill"]
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "source", "noc_codes"]
    list_filter = ["source"]
    search_fields = ["title", "code", "aliases", "noc_codes"]
    inlines = [OccupationSkillInline]


class EmployerListFilter(admin.RelatedFieldListFilter):
    """The vacancy's employer, listing employer organizations only.

    The foreign key accepts any organization, so Django's filter would also
    list colleges, which never post vacancies.
    """

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"kind": Organization.Kind.EMPLOYER},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = [
        "vacancy",
        "applicant",
        "score",
        "stars",
        "required_summary",
        "status",
        "decided_by",
        "updated_at",
    ]
    list_filter = ["status", "stars", ("vacancy__employer", EmployerListFilter)]
    search_fields = [
        "vacancy__title",
        "vacancy__employer__name",
        "applicant__user__email",
        "applicant__user__first_name",
        "applicant__user__last_name",
    ]
    list_select_related = ["vacancy", "applicant__user", "decided_by"]
    readonly_fields = [
        "vacancy",
        "applicant",
        "score",
        "stars",
        "required_met",
        "required_total",
        "explanation",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    actions = ["approve_selected", "reject_selected"]
    ordering = ["-score"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Required skills"))
    def required_summary(self, match):
        return _("%(met)s of %(total)s") % {
            "met": match.required_met,
            "total": match.required_total,
        }

    @admin.action(description=_("Approve selected proposed matches"))
    def approve_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            decision=Match.Status.APPROVED,
            service=services.match_approve,
            changed_message=lambda count: ngettext(
                "%(count)d match approved.", "%(count)d matches approved.", count
            ),
            unchanged_message=lambda count: ngettext(
                "%(count)d match was already approved; nothing changed.",
                "%(count)d matches were already approved; nothing changed.",
                count,
            ),
        )

    @admin.action(description=_("Reject selected proposed matches"))
    def reject_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            decision=Match.Status.REJECTED,
            service=services.match_reject,
            changed_message=lambda count: ngettext(
                "%(count)d match rejected.", "%(count)d matches rejected.", count
            ),
            unchanged_message=lambda count: ngettext(
                "%(count)d match was already rejected; nothing changed.",
                "%(count)d matches were already rejected; nothing changed.",
                count,
            ),
        )

    def _decide(
        self,
        request,
        queryset,
        *,
        decision,
        service,
        changed_message,
        unchanged_message,
    ):
        """Apply a decision to each selected match and report what changed.

        A match that already has the decision is counted apart, because the
        service leaves it unchanged. Success messages appear only for counts
        above zero, so an action that changed nothing shows no success.
        """
        changed = 0
        unchanged = 0
        for match_id, status in queryset.values_list("pk", "status"):
            if status == decision:
                unchanged += 1
                continue
            try:
                service(match_id=match_id, user=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                changed += 1

        if changed:
            self.message_user(
                request, changed_message(changed) % {"count": changed}, messages.SUCCESS
            )
        if unchanged:
            self.message_user(
                request,
                unchanged_message(unchanged) % {"count": unchanged},
                messages.INFO,
            )


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "scope",
        "target_id",
        "status",
        "created_at",
        "finished_at",
        "matches_created",
        "matches_updated",
        "matches_unchanged",
        "matches_withdrawn",
    ]
    list_filter = ["status", "scope"]
    search_fields = ["task_id", "error"]
    readonly_fields = [field.name for field in MatchingRun._meta.fields]

    def has_add_permission(self, request):
        return False
