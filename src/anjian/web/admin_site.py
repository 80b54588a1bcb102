"""The administration site (catalogues, regions, departments, users) for system and security administrators.

Signed-in users without access get 404, like any other page outside their scope; anonymous users are sent to
the ordinary sign-in page (with its lockout), not a second login form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class AnjianAdminSite(admin.AdminSite):
    site_header = _("anjian administration")
    site_title = _("anjian administration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        guarded.__dict__.update(inner.__dict__)
        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next", self.index_template or "/admin/"))


admin_site = AnjianAdminSite(name="admin")
