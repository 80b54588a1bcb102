"""Errors an action raises when it refuses to change anything; views and the API turn them into messages."""

from __future__ import annotations

from django.utils.functional import Promise


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
