from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mex.ops.logs import REQUEST_ID_HEADER, request_id_from, request_id_var


class RequestIdMiddleware:
    """Give each request an id, log with it and return it in X-Request-ID.

    An incoming X-Request-ID (from a proxy or a client) is kept when it is a
    safe token, so that one id follows a request across services.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id

        return response
