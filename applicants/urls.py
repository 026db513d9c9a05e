from django.urls import path

from applicants import learning_views, views

app_name = "applicants"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("matches/", views.matches, name="matches"),
    path("courses/", learning_views.courses, name="courses"),
    path("courses/<int:pk>/enrol/", learning_views.course_enrol, name="course_enrol"),
    path(
        "enrolments/<int:pk>/withdraw/",
        learning_views.enrolment_withdraw_own,
        name="enrolment_withdraw",
    ),
    path("badges/", learning_views.badges, name="badges"),
    path("resume/", learning_views.resume, name="resume"),
    path("resume/delete/", learning_views.resume_remove, name="resume_delete"),
    path("resume/file/", learning_views.resume_file, name="resume_file"),
    path(
        "resume/generated.pdf",
        learning_views.resume_generated,
        name="resume_generated",
    ),
    path(
        "resumes/match/<int:pk>/",
        learning_views.resume_for_match,
        name="resume_for_match",
    ),
]
