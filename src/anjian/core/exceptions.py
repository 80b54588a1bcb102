"""Errors an action raises when it refuses to change anything; views and the API turn them into messages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


class ActionError(Exception):
    """An action refused: nothing was changed. ``message`` is shown to the user; ``code`` is stable for the API."""

    code = "action_refused"
    status = 409

    def __init__(self, message: str | Promise, *, code: str | None = None, field_errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field_errors = field_errors or {}

    def with_status(self, status: int) -> ActionError:
        self.status = status
        return self


class InvalidTransition(ActionError):
    code = "invalid_transition"


class ConcurrentChange(ActionError):
    """Someone else changed the object first: exactly one of two simultaneous actions wins."""

    code = "conflict"


class InvalidInput(ActionError):
    code = "invalid"
    status = 422


def refuse(message: str | Promise, field: str) -> InvalidInput:
    """Bad input on one field: the message shown beside it (and as the API's field error)."""
    return InvalidInput(message, field_errors={field: [message]})


def forbidden() -> ActionError:
    """Not this user's to do (403)."""
    return ActionError(_("You may not do this."), code="forbidden").with_status(403)


def check_position(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """A device position (WGS84 degrees): both or neither, inside China; returned rounded to 6 places."""
    if (latitude is None) != (longitude is None):
        raise refuse(_("Give both longitude and latitude, or neither."), "latitude")
    if latitude is None:
        return None, None
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError):
        raise refuse(_("Give both longitude and latitude, or neither."), "latitude") from None
    if not 73 <= lon <= 136:
        raise refuse(_("The longitude lies outside China (73–136)."), "longitude")
    if not 3 <= lat <= 54:
        raise refuse(_("The latitude lies outside China (3–54)."), "latitude")
    step = Decimal("0.000001")
    return lat.quantize(step), lon.quantize(step)
