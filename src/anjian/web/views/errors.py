"""Error pages: Chinese, with the request's correlation id, never a traceback; JSON under /api/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _


def _respond(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code, "request_id": request_id}, status=status)
    template = loader.get_template("error.html")
    body = template.render({"status": status, "message": message, "request_id": request_id}, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 403, "forbidden", _("You may not do this."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Not found, or not within your scope."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(
        request,
        500,
        "server_error",
        _("Something went wrong on our side. Quote the reference below to support."),
    )
