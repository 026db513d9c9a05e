"""Public pages of the course catalogue, under /courses/."""

from django.urls import path

from colleges import catalogue_views

app_name = "catalogue"

urlpatterns = [
    path("", catalogue_views.catalogue, name="list"),
    path("<int:pk>/", catalogue_views.course_detail, name="detail"),
]
