"""Forms and form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.core.exceptions import ActionError


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )
    error_messages = {
        "invalid_login": _("Wrong username or password. After 5 failures the account is locked for 15 minutes."),
        "inactive": _("This account is disabled."),
    }


class BootstrapFormMixin:
    """Gives every widget Bootstrap's classes, so templates render fields with one include."""

    fields: dict[str, forms.Field]

    def apply_bootstrap(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput):
                # The browser's date picker takes ISO dates only; a localised initial value would show blank.
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
        return valid


class ReasonForm(BootstrapFormMixin, forms.Form):
    """The reason a status change needs (it goes into the audit log)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


def perform_with_reason(request: HttpRequest, perform: Callable[[str], object], label: Any) -> bool:
    """Run an action that needs a reason (posted by a reason modal); report the outcome as a message."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the reason."))
        return False
    try:
        perform(form.cleaned_data["reason"])
    except ActionError as error:
        messages.error(request, str(error.message))
        return False
    messages.success(request, gettext("Done: %(action)s.") % {"action": label})
    return True


def apply_action_errors(form: forms.BaseForm, error: ActionError) -> None:
    """Put an action's refusal on the form: field errors on their fields, the message on top."""
    placed = False
    for name, errors in error.field_errors.items():
        for message in errors if isinstance(errors, list) else [errors]:
            if name in form.fields:
                form.add_error(name, message)
                placed = True
    if not placed:
        form.add_error(None, str(error.message))
