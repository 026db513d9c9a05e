from django.urls import path

from colleges import views

app_name = "colleges"

urlpatterns = [
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_enrolments, name="course_enrolments"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/publish/", views.course_publish, name="course_publish"),
    path("courses/<int:pk>/archive/", views.course_archive, name="course_archive"),
    path("courses/<int:pk>/enrol/", views.enrol_student, name="enrol_student"),
    path("courses/<int:pk>/enrol/csv/", views.enrol_csv, name="enrol_csv"),
    path(
        "courses/<int:pk>/complete/",
        views.enrolments_complete,
        name="enrolments_complete",
    ),
    path(
        "enrolments/<int:pk>/complete/",
        views.enrolment_complete_one,
        name="enrolment_complete",
    ),
    path(
        "enrolments/<int:pk>/withdraw/",
        views.enrolment_withdraw_one,
        name="enrolment_withdraw",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "enrol/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path("demand/", views.demand, name="demand"),
]
