"""The product's URLs plus one bare view, for bench/load_bench.py only."""

from django.http import HttpResponse
from django.urls import path

from mex.urls import urlpatterns as product_urlpatterns


def bare(request):
    """Answer with a few bytes and no database or template work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *product_urlpatterns]
