"""The project's URLs plus one view that skips the tenancy layer.

Used only to prove that the URL isolation test notices such a view.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from mex.urls import urlpatterns as project_urlpatterns
from vacancies.models import Vacancy


def unscoped_vacancy(request, pk):
    vacancy = get_object_or_404(Vacancy, pk=pk)
    return HttpResponse(vacancy.title)


urlpatterns = [
    path("leaky/<int:pk>/", unscoped_vacancy, name="leaky_vacancy"),
    *project_urlpatterns,
]
