"""What every API endpoint shares: token and session auth, JSON errors, idempotent POSTs, filter parameters."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field, create_model

from anjian.core.exceptions import ActionError, InvalidInput, refuse
from anjian.core.models import IdempotencyKey

log = logging.getLogger(__name__)


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from anjian.orgs.backends import SCOPE_RELATED
        from anjian.orgs.models import ApiToken, hash_token

        related = [f"user__{path}" for path in SCOPE_RELATED]
        try:
            record = ApiToken.objects.select_related(*related).get(key_hash=hash_token(token))
        except ApiToken.DoesNotExist:
            return None
        if not record.is_usable:
            return None
        now = timezone.now()
        if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


def error_body(detail: Any, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def install_error_handlers(api: NinjaAPI) -> None:
    """Errors are JSON ``{"detail", "code"}`` with the right status, in the request's language."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, error_body(_("Not found, or not within your scope."), "not_found"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 403, error_body(_("You may not do this."), "forbidden"))

    @api.exception_handler(ActionError)
    def refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
        body = error_body(str(exc.message), exc.code)
        if exc.field_errors:
            body["errors"] = {
                k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in exc.field_errors.items()
            }
        return respond(request, exc.status, body)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            error_body(_("The request data is not valid."), "validation_error", errors=exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 401, error_body(_("Sign in, or send a valid bearer token."), "unauthenticated"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(exc.message, "error"))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error")
        return respond(
            request,
            500,
            error_body(
                _("Something went wrong on our side."),
                "server_error",
                request_id=getattr(request, "request_id", ""),
            ),
        )


def session_auth() -> SessionAuth:
    return SessionAuth(csrf=True)


def idempotent(model: type[models.Model]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a POST that creates a ``model`` safe to retry with an ``Idempotency-Key`` header.

    The key is stored in the same transaction as the change: a retry (even a simultaneous one) answers with
    the object the first request created, and a key reused for a different request is refused.
    """

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key = request.headers.get("Idempotency-Key", "").strip()
            if not key:
                return func(request, *args, **kwargs)
            if len(key) > 128:
                raise ActionError(_("The Idempotency-Key header is longer than 128 characters."), code="invalid")
            user: Any = request.user
            fingerprint = hashlib.sha256(
                (request.method or "").encode() + b" " + request.path.encode() + b"\n" + request.body
            ).hexdigest()
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            user=user, key=key, fingerprint=fingerprint, status_code=0
                        )
                except IntegrityError:
                    return _replay(request, key, fingerprint, model)
                result = func(request, *args, **kwargs)
                status, obj = (result.status_code, result.value) if isinstance(result, Status) else (200, result)
                record.status_code = status
                record.body = {"pk": obj.pk} if isinstance(obj, models.Model) else None
                record.save(update_fields=["status_code", "body"])
                return result

        return wrapper

    return decorator


def _replay(request: HttpRequest, key: str, fingerprint: str, model: type[models.Model]) -> Any:
    from anjian.core.scoping import access

    user: Any = request.user
    record = IdempotencyKey.objects.get(user=user, key=key)
    if record.fingerprint != fingerprint:
        raise ActionError(
            _("This Idempotency-Key was already used for a different request."), code="idempotency_key_reused"
        ).with_status(422)
    if not record.body:
        raise ActionError(_("The first request with this Idempotency-Key is still running."), code="conflict")
    return Status(record.status_code, access(model, request.user, record.body["pk"]))


def filter_query_schema(filterset_class: Any, name: str) -> Any:
    """A pydantic model of a FilterSet's parameters, so the OpenAPI document lists them; the endpoint still
    filters with the FilterSet itself (one FilterSet per model)."""
    fields: dict[str, Any] = {}
    for field_name, flt in filterset_class.base_filters.items():
        description = str(flt.label or field_name)
        fields[field_name] = (str | None, Field(None, description=description))
    return create_model(name, **fields)


class Ref(Schema):
    """A related object by id and name."""

    id: int
    name: str


def filtered(filterset_class: Any, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """A list endpoint's queryset filtered by the model's FilterSet (the pages' own), or 422 with its errors."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise InvalidInput(_("The filters are not valid."), field_errors=dict(filterset.errors))
    return filterset.qs


def invalid(field: str, message: str) -> InvalidInput:
    return refuse(message, field)


def in_scope(model: Any, request: HttpRequest, pk: int | None, field: str) -> Any:
    """An optional reference in a payload: the object if the caller may see it, else 422 on ``field``."""
    if pk is None:
        return None
    found = model.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise invalid(field, _("Not found or not yours."))
    return found
