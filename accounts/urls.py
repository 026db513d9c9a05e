from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/switch/", views.organization_switch, name="switch"),
    path("organization/", views.organization, name="organization"),
    path(
        "organization/invitations/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "organization/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organization/members/<int:pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organization/members/<int:pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/read/",
        views.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path(
        "invitations/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
]
