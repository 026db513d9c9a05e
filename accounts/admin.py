from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organization,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "password1", "password2"),
            },
        ),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "approval_status", "created_at"]
    list_filter = ["kind", "approval_status"]
    search_fields = ["name", "slug"]
    # Approval changes only through the actions below, which audit them.
    readonly_fields = ["approval_status", "approved_at", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["approve", "reject"]

    @admin.action(description=_("Approve the selected organizations"))
    def approve(self, request, queryset):
        for organization in queryset:
            services.organization_approve(organization=organization, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d organization approved.",
                "%(count)d organizations approved.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected organizations"))
    def reject(self, request, queryset):
        for organization in queryset:
            services.organization_reject(organization=organization, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d organization rejected.",
                "%(count)d organizations rejected.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.WARNING,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name"]
    readonly_fields = [
        "organization",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    exclude = ["token_digest"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only for everyone, superusers included."""

    list_display = ["created_at", "action", "object_repr", "actor_email"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_email", "object_id"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications as sent, read-only, so that support can check who was notified."""

    list_display = ["created_at", "kind", "recipient", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "event_key", "title"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
