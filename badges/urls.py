from django.urls import path

from badges import views

app_name = "badges"

urlpatterns = [
    path("verify/<uuid:public_id>/", views.verify, name="verify"),
    path("assertions/<uuid:public_id>/", views.assertion_json, name="assertion"),
    path(
        "assertions/<uuid:public_id>/badge.png",
        views.assertion_image,
        name="assertion_image",
    ),
    path("classes/<uuid:public_id>/", views.badge_class_json, name="badge_class"),
    path(
        "classes/<uuid:public_id>/image.png",
        views.badge_class_image,
        name="badge_class_image",
    ),
    path("issuers/<int:organization_id>/", views.issuer_json, name="issuer"),
    path(
        "issuers/<int:organization_id>/revocations/",
        views.revocation_list,
        name="revocation_list",
    ),
]
