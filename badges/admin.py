from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _

from badges import links
from badges.models import Assertion, BadgeClass, Pathway, Portfolio
from badges.services import badge_revoke, pathway_create


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "course", "created_at"]
    search_fields = ["name", "course__title", "college__name"]
    list_select_related = ["college", "course"]
    readonly_fields = ["public_id", "college", "course", "created_at"]


@admin.register(Assertion)
class AssertionAdmin(admin.ModelAdmin):
    list_display = ["public_id", "badge_class", "recipient", "issued_on", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["public_id", "badge_class__name", "recipient__user__email"]
    list_select_related = ["badge_class", "recipient__user"]
    actions = ["revoke_selected"]
    # Issued badges are signed and logged: the admin shows them and revokes
    # them, and never edits them.
    readonly_fields = [
        "public_id",
        "verification_link",
        "badge_class",
        "recipient",
        "enrolment",
        "recipient_salt",
        "recipient_hash",
        "issued_on",
        "expires_on",
        "evidence_url",
        "narrative",
        "image",
        "revoked",
        "revocation_reason",
        "revoked_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Verification page")
    def verification_link(self, assertion: Assertion) -> str:
        url = links.verify_url(assertion)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.action(description="Revoke selected badges (reason: issued in error)")
    def revoke_selected(self, request, queryset):
        count = 0
        for assertion_id in queryset.values_list("pk", flat=True):
            try:
                badge_revoke(
                    assertion_id=assertion_id,
                    reason="Issued in error.",
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                count += 1
        self.message_user(request, f"{count} badge(s) revoked.", messages.SUCCESS)


class PathwayAddForm(forms.ModelForm):
    class Meta:
        model = Pathway
        fields = ["college", "name", "description", "components"]

    def clean(self):
        cleaned = super().clean()
        college = cleaned.get("college")
        components = cleaned.get("components") or []
        if len(components) < 2:
            self.add_error("components", _("Choose at least two component badges."))
        foreign = [
            badge.name
            for badge in components
            if badge.course_id is None
            or badge.college_id != getattr(college, "pk", None)
        ]
        if foreign:
            self.add_error(
                "components",
                _("These are not course badges of the chosen college: %(names)s.")
                % {"names": ", ".join(foreign)},
            )
        return cleaned


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    """Pathways are created through ``pathway_create`` and then read only."""

    list_display = ["name", "college", "created_at"]
    search_fields = ["name", "college__name"]
    list_select_related = ["college"]
    filter_horizontal = ["components"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PathwayAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["college", "name", "description", "components", "badge_class"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = pathway_create(
            college_id=form.cleaned_data["college"].pk,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            component_ids=[badge.pk for badge in form.cleaned_data["components"]],
            by=request.user,
        )
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # pathway_create already stored the components.
        return


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["applicant", "is_public", "updated_at"]
    list_filter = ["is_public"]
    readonly_fields = ["applicant", "public_id", "is_public", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False
