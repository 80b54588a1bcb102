"""The password backend: Django's, reading the signed-in user of each request with what the user's scope reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends

# What ``Scope.for_user`` reads of a user: fetched in the user's own query instead of one query each.
SCOPE_RELATED = ("department__region", "grid__region")


class ModelBackend(backends.ModelBackend):
    """``django.contrib.auth``'s ModelBackend whose ``get_user`` (once per request, from the session) joins the
    user's department and grid with their regions: a department user's request reads the user, department and
    region in one query instead of three."""

    def get_user(self, user_id: Any) -> Any:
        from anjian.orgs.models import User

        try:
            user = User._default_manager.select_related(*SCOPE_RELATED).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
