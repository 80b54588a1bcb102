"""The home page: each persona sees the figures of its own scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.queries import audit_events_for
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise, Licence
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.models import User
from anjian.regions.choices import PREFIX_LENGTH
from anjian.stats import registry


def _list_url(**params: str) -> str:
    return f"{reverse('enterprises:list')}?{urlencode(params)}"


def _chart(buckets: list[registry.Bucket], param: str) -> dict[str, Any]:
    return {
        "labels": [b.label for b in buckets],
        "values": [b.count for b in buckets],
        "links": [_list_url(**{param: b.key}) for b in buckets],
    }


def _government_context(user: Any) -> dict[str, Any]:
    enterprises = Enterprise.objects.visible_to(user)
    length = registry.breakdown_length(enterprises)
    regions, by_status = registry.by_subregion_and_status(enterprises, length)
    level = next(level for level, n in PREFIX_LENGTH.items() if n == length)
    town_chart = {
        "labels": [r.label for r in regions],
        "links": [_list_url(region=r.key) for r in regions],
        "stacked": True,
        "series": [{"name": str(status.label), "values": by_status[status.value]} for status in EnterpriseStatus],
    }
    today = timezone.localdate()
    return {
        "summary": registry.registry_summary(enterprises, today),
        "category_chart": _chart(registry.by_industry_category(enterprises), "industry"),
        "town_chart": town_chart,
        "town_chart_title": _("Enterprises by %(level)s and status") % {"level": level.label},
        "scale_chart": _chart(registry.by_scale(enterprises), "scale"),
        "expiring_licences": registry.licences_running_out(Licence.objects.visible_to(user), today),
        "today": today,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.kind == UserKind.ENTERPRISE:
        enterprise = (
            Enterprise.objects.visible_to(user).with_list_related().prefetch_related("tags", "licences").first()
        )
        return render(request, "web/home_enterprise.html", {"enterprise": enterprise})
    if user.kind == UserKind.ADMIN and user.role != UserRole.SYSTEM_ADMIN:
        return render(request, "web/home_admin.html", {"audit_events": audit_events_for(user)[:15]})
    context = _government_context(user)
    if user.kind == UserKind.ADMIN:
        context["users_by_kind"] = [
            (UserKind(row["kind"]).label, row["n"])
            for row in User.objects.visible_to(user).values("kind").annotate(n=Count("pk")).order_by("kind")
        ]
        context["audit_events"] = audit_events_for(user)[:8]
    return render(request, "web/home.html", context)
