"""Sign in and out. django-axes counts failures and locks the account after five (see settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.web.forms import LoginForm

DEMO_PERSONAS = [
    ("admin", gettext_lazy("System administrator")),
    ("anweiban", gettext_lazy("County safety committee office")),
    ("yingji", gettext_lazy("County emergency management bureau")),
    ("zhujian", gettext_lazy("County housing and construction bureau")),
    ("zhen1", gettext_lazy("Town 1 officer")),
    ("wangge1", gettext_lazy("Grid worker in town 1")),
    ("qiye1", gettext_lazy("Safety officer of a chemicals enterprise")),
    ("zhigong1", gettext_lazy("Worker of that enterprise")),
]


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if getattr(settings, "DEMO_MODE", False):
            context["demo_personas"] = DEMO_PERSONAS
        return context


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """What a locked-out account sees: JSON for the API, a page for people. Status 429 either way."""
    message = _("Too many failed sign-ins: this account is locked for 15 minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
