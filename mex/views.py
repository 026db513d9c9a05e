from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vacancies.selectors import open_vacancies


def home(request: HttpRequest) -> HttpResponse:
    latest = open_vacancies().select_related("employer")[:6]
    return render(request, "home.html", {"latest_vacancies": latest})
