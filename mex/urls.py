from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import login_views
from mex import dashboard, views
from mex.ops import health

# The admin login goes through allauth's login, so administrators meet the
# same rate limits and second factor as everyone else.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "MEX administration"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "admin/dashboard/",
        admin.site.admin_view(dashboard.admin_dashboard),
        name="admin_dashboard",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Ahead of allauth's own route for the same URL and name.
    path("accounts/login/", login_views.login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("vacancies/", include("vacancies.urls")),
    path("me/", include("applicants.urls")),
    path("colleges/", include("colleges.urls")),
    path("courses/", include("colleges.catalogue_urls")),
    path("matching/", include("matching.urls")),
    path("badges/", include("badges.urls")),
    # Last: with no prefix, every path is tried against each of its routes.
    path("", include("accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
