"""API: tokens for programs, and who the caller is."""

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError
from anjian.env import env_int
from anjian.orgs.models import ApiToken, hash_token

TOKEN_DAYS = env_int("ANJIAN_API_TOKEN_DAYS", 30, minimum=1, maximum=365)

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class ErrorOut(Schema):
    detail: Any
    code: str


class MeOut(Schema):
    username: str
    name: str
    kind: str
    role: str
    department: str | None
    enterprise_id: int | None
    grid_id: int | None


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def issue_token(request: HttpRequest, credentials: TokenIn) -> Any:
    """Exchange a username and password for a bearer token (valid 30 days by default)."""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        return Status(
            429,
            {
                "detail": _("Too many failed sign-ins: this account is locked for 15 minutes."),
                "code": "locked_out",
            },
        )
    if user is None:
        return Status(401, {"detail": _("Wrong username or password."), "code": "invalid_credentials"})
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user,
        prefix=raw[:10],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=TOKEN_DAYS),
    )
    record_event(
        EventCode.TOKEN_ISSUED,
        actor=user,
        target=user,
        new={"prefix": token.prefix, "expires": token.expires_at},
    )
    return Status(200, {"token": raw, "expires_at": token.expires_at})


@router.delete("/auth/token", response={204: None})
def revoke_token(request: HttpRequest) -> Any:
    """Revoke the bearer token this request was made with."""
    user: Any = request.user
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise ActionError(_("Only a bearer token can be revoked this way."), code="invalid").with_status(400)
    key_hash = hash_token(header[7:].strip())
    mine = ApiToken.objects.filter(user=user, key_hash=key_hash)  # scoped: the caller's own token
    updated = mine.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record_event(EventCode.TOKEN_REVOKED, actor=user, target=user)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    """The caller: membership and role decide what the other endpoints show."""
    user: Any = request.user
    return {
        "username": user.username,
        "name": user.display_name,
        "kind": user.kind,
        "role": user.role,
        "department": user.department.name if user.department_id else None,
        "enterprise_id": user.enterprise_id,
        "grid_id": user.grid_id,
    }
