from django.urls import path

from applicants import views

app_name = "applicants"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("matches/", views.matches, name="matches"),
]
