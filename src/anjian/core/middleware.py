"""Request context (correlation id, client IP), language choice, session lifetime and security headers."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.env import env_int

TRUSTED_PROXY_COUNT = env_int("ANJIAN_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("anjian_request_context", default=None)
_EMPTY = RequestContext()


def current_context() -> RequestContext:
    """The correlation id and client IP of the request being served (empty outside a request)."""
    return _current.get() or _EMPTY


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with ANJIAN_TRUSTED_PROXY_COUNT=N the address N hops from the right of X-Forwarded-For."""
    if TRUSTED_PROXY_COUNT:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= TRUSTED_PROXY_COUNT:
            return forwarded[-TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR") or None


def axes_client_ip(request: HttpRequest) -> str | None:
    return client_ip(request)


class RequestContextMiddleware:
    """Gives every request a correlation id (``X-Request-ID``), shown on error pages and stored in audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:16]
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestContextLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_context().request_id or "-"
        return True


class LanguageMiddleware:
    """Chinese unless the user chose otherwise (cookie); API clients may also ask by Accept-Language.

    Django's LocaleMiddleware would follow the browser's language, showing English to an official whose browser
    happens to be set to English; this platform's working language is Chinese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = None
            if request.path.startswith("/api/"):
                accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "").lower()
                if accept.startswith("en"):
                    language = "en"
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionLifetimeMiddleware:
    """Idle timeout (the session cookie age, refreshed at most once a minute) and an absolute lifetime."""

    TOUCH_KEY = "_anjian_touched"
    LOGIN_KEY = "_anjian_login_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            login_at = request.session.get(self.LOGIN_KEY)
            if login_at is None:
                request.session[self.LOGIN_KEY] = now
            elif now - float(login_at) > settings.SESSION_ABSOLUTE_SECONDS:
                from anjian.core.audit import record_event
                from anjian.core.events import EventCode

                record_event(EventCode.SESSION_EXPIRED, actor=user, target=user)
                logout(request)
                messages.info(request, _("Your session has ended after 12 hours. Please sign in again."))
            elif now - float(request.session.get(self.TOUCH_KEY, 0)) > 60:
                request.session[self.TOUCH_KEY] = now  # a modified session is saved, pushing its expiry on
        return self.get_response(request)


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # ECharts and htmx set inline styles
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts anywhere) and a restrictive Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response
