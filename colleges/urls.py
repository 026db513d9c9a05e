from django.urls import path

app_name = "colleges"

urlpatterns: list = []
