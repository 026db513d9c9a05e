from django.urls import path

from vacancies import employer_views, views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    # Pages of the employer's own vacancies.
    path("manage/", employer_views.dashboard, name="employer_dashboard"),
    path("manage/new/", employer_views.vacancy_create, name="create"),
    path("manage/skills/", employer_views.skill_search, name="skill_search"),
    path("manage/skills/row/", employer_views.skill_row, name="skill_row"),
    path("manage/<int:pk>/", employer_views.vacancy_manage, name="manage"),
    path("manage/<int:pk>/edit/", employer_views.vacancy_edit, name="edit"),
    path("manage/<int:pk>/publish/", employer_views.vacancy_publish, name="publish"),
    path("manage/<int:pk>/close/", employer_views.vacancy_close, name="close"),
    path(
        "manage/<int:pk>/candidates/<int:match_pk>/stage/",
        employer_views.candidate_stage,
        name="candidate_stage",
    ),
]
