import logging

from django.http import HttpResponse
from django.test import RequestFactory

from mex.ops.logs import current_request_id
from mex.ops.middleware import RequestIdMiddleware

logger = logging.getLogger("tests.request")


def _view(request):
    logger.info("Handling request")
    return HttpResponse(current_request_id())


def test_incoming_request_id_kept():
    request = RequestFactory().get("/", headers={"X-Request-ID": "edge-42"})

    response = RequestIdMiddleware(_view)(request)

    assert response["X-Request-ID"] == "edge-42"
    assert response.content == b"edge-42"


def test_unsafe_request_id_replaced():
    request = RequestFactory().get("/", headers={"X-Request-ID": "a b<script>"})

    response = RequestIdMiddleware(_view)(request)

    assert response["X-Request-ID"] != "a b<script>"
    assert len(response["X-Request-ID"]) == 32


def test_request_id_generated():
    response = RequestIdMiddleware(_view)(RequestFactory().get("/"))

    assert response.content.decode() == response["X-Request-ID"]


def test_request_id_cleared_after():
    RequestIdMiddleware(_view)(RequestFactory().get("/"))

    assert current_request_id() == ""


def test_site_returns_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "probe-1"})

    assert response["X-Request-ID"] == "probe-1"
