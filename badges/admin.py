from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from badges import links
from badges.models import Assertion, BadgeClass
from badges.services import badge_revoke


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "created_at"]
    search_fields = ["name", "course__title", "course__college__name"]
    list_select_related = ["course"]
    readonly_fields = ["public_id", "course", "created_at"]


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
