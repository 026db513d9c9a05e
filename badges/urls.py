from django.urls import path
from django.views.generic import RedirectView

from badges import applicant_views, college_views, views

app_name = "badges"

urlpatterns = [
    path("verify/", views.verify_tool, name="verify_tool"),
    path("verify/<uuid:public_id>/", views.verify, name="verify"),
    path("assertions/<uuid:public_id>/", views.assertion_json, name="assertion"),
    path(
        "assertions/<uuid:public_id>/badge.png",
        views.assertion_image,
        name="assertion_image",
    ),
    path(
        "assertions/<uuid:public_id>/badge.svg",
        views.assertion_svg,
        name="assertion_svg",
    ),
    path(
        "assertions/<uuid:public_id>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
    path(
        "assertions/<uuid:public_id>/credential/",
        views.credential,
        name="credential",
    ),
    path(
        "assertions/<uuid:public_id>/log/",
        views.log_proof,
        name="log_proof",
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
    path("issuers/<int:organization_id>/jwks.json", views.jwks, name="jwks"),
    path(
        "issuers/<int:organization_id>/revocations/credentials/",
        views.credential_revocations,
        name="credential_revocations",
    ),
    path("college/", college_views.issued_badges, name="college_badges"),
    path(
        "college/badges.csv",
        college_views.issued_badges_csv,
        name="college_badges_csv",
    ),
    path("college/award/", college_views.bulk_award, name="college_bulk_award"),
    path(
        "college/courses/<int:course_id>/design/",
        college_views.design,
        name="college_design",
    ),
    path(
        "college/<uuid:public_id>/revoke/",
        college_views.revoke,
        name="college_revoke",
    ),
    # The applicant's badge page is /me/badges/. This older address redirects
    # there permanently, so bookmarks keep working.
    path(
        "mine/",
        RedirectView.as_view(
            pattern_name="applicants:badges", permanent=True, query_string=True
        ),
        name="my_badges",
    ),
    path(
        "mine/portfolio/",
        applicant_views.portfolio_visibility,
        name="portfolio_visibility",
    ),
    path(
        "portfolios/<uuid:public_id>/",
        applicant_views.portfolio,
        name="portfolio",
    ),
    path("log/", views.log_head, name="log"),
    path("log/keys.json", views.log_keys, name="log_keys"),
]
