"""Password rules beyond Django's: the 等保 profile asks for three character classes."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least ``classes`` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: object = None) -> None:
        found = sum(
            [
                any(c in string.ascii_lowercase for c in password),
                any(c in string.ascii_uppercase for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if found < self.classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(classes)d of: lower-case letters, upper-case letters, "
                    "digits, symbols."
                )
                % {"classes": self.classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least %(classes)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "classes": self.classes
        }
