"""Audit rows for logins, logouts, failed logins and lockouts (passwords are never recorded)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from anjian.core.audit import record_event
from anjian.core.choices import AuditResult
from anjian.core.events import EventCode
from anjian.core.middleware import SessionLifetimeMiddleware, client_ip


def _ip(request: Any) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        import time

        request.session[SessionLifetimeMiddleware.LOGIN_KEY] = time.time()
    record_event(EventCode.LOGIN, actor=user, target=user, ip=_ip(request))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(EventCode.LOGOUT, actor=user, target=user, ip=_ip(request))


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    record_event(
        EventCode.LOGIN_FAILED,
        username=username,
        target_type="orgs.user",
        target_repr=username,
        result=AuditResult.FAILURE,
        ip=_ip(request),
    )


@receiver(user_locked_out)
def audit_locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    record_event(
        EventCode.LOCKED_OUT,
        username=(username or "")[:150],
        target_type="orgs.user",
        target_repr=(username or "")[:150],
        result=AuditResult.FAILURE,
        ip=_ip(request),
        note="5 failed logins: locked for 15 minutes",
    )
