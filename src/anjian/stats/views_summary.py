"""The work summaries page (工作总结): pick a region in scope and a period, read the summary, download it as Word,
PDF or Markdown (each download audited); a region's 安委办 edits its 下步工作 text from here.

Thin: resolve the region in the reader's scope (404 outside it), validate the period, call ``build_summary``,
render. Who may read: government departments and the system administrator (others get 404)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.scoping import Scope, access
from anjian.regions.models import Region
from anjian.stats.summary import actions, templates
from anjian.stats.summary.access import may_edit_next_steps, may_read_summaries, readable_regions
from anjian.stats.summary.compose import build_summary
from anjian.stats.summary.document import Summary
from anjian.stats.summary.forms import NextStepsForm, SummaryForm
from anjian.stats.summary.periods import PeriodKind
from anjian.stats.summary.render import CONTENT_TYPES, filename, render_bytes

FORMATS = ("docx", "pdf", "md")


def _reader(request: HttpRequest) -> Any:
    user: Any = request.user
    if not may_read_summaries(user):
        raise Http404
    return user


def _home_region(user: Any, regions: list[Region]) -> str:
    """The region a reader's summary starts from: their territory's own region, else the first offered."""
    prefix = Scope.for_user(user).region_prefix
    if prefix:
        own = prefix.ljust(12, "0")
        if any(r.code == own for r in regions):
            return own
    return regions[0].code


def _form(request: HttpRequest, user: Any) -> SummaryForm:
    """The form bound to the query (a region outside the reader's scope: 404), or to the defaults."""
    regions = list(readable_regions(user))
    if not regions:
        raise Http404
    if "region" in request.GET:
        access(Region, user, request.GET["region"])
        data: Any = request.GET
    else:
        data = {"region": _home_region(user, regions), "period": "last_year"}
    return SummaryForm(data, regions=regions)


def _summary(user: Any, form: SummaryForm) -> Summary:
    data = form.cleaned_data
    region = access(Region, user, data["region"])
    return build_summary(user, region, data["start"], data["end"])


@login_required
@require_GET
def summary_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _form(request, user)
    context: dict[str, Any] = {"form": form, "summary": None}
    if form.is_valid():
        summary = _summary(user, form)
        query = urlencode(form.query())
        context.update(
            summary=summary,
            downloads=[(fmt, f"{reverse('summaries:download', kwargs={'fmt': fmt})}?{query}") for fmt in FORMATS],
            can_edit=may_edit_next_steps(user, summary.region),
            edit_url=reverse("summaries:next_steps", kwargs={"code": summary.region.code})
            + f"?{urlencode({'back': query})}",
        )
    return render(request, "stats/summary.html", context)


@login_required
@require_GET
def summary_download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    user = _reader(request)
    form = _form(request, user)
    if not form.is_valid():
        messages.error(request, _("Choose a region and a valid period first."))
        return redirect(f"{reverse('summaries:page')}?{request.GET.urlencode()}")
    summary = _summary(user, form)
    data = render_bytes(summary, fmt)
    record_event(
        EventCode.EXPORT,
        actor=user,
        target=summary.region,
        new={"document": "work_summary", "format": fmt, "start": summary.start, "end": summary.end},
    )
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename(summary, fmt), content_type=CONTENT_TYPES[fmt]
    )


@login_required
@require_http_methods(["GET", "POST"])
def next_steps_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The 下步工作 text of a region's summaries: its 安委办 keeps its own, or goes back to the inherited one."""
    user = _reader(request)
    region = access(Region, user, code)
    if not may_edit_next_steps(user, region):
        raise PermissionDenied
    back = request.GET.get("back") or request.POST.get("back") or urlencode({"region": region.code})
    page = f"{reverse('summaries:page')}?{back}"
    kind = request.POST.get("period_kind", request.GET.get("period_kind", ""))
    if kind not in PeriodKind.values:
        kind = ""
    in_force = templates.effective(region, kind)
    own = in_force.template if in_force.template is not None and in_force.template.region_id == region.code else None
    if own is not None and own.period_kind != kind:
        own = None  # the region's text for any period stands in for this kind: editing makes a kind-specific one
    if request.method == "POST":
        if "reset" in request.POST:
            actions.do_reset_next_steps(region, kind, actor=user)
            messages.success(request, _("The region's own text is removed; its summaries use the inherited one."))
            return redirect(page)
        form = NextStepsForm(request.POST)
        if form.is_valid():
            actions.do_save_next_steps(region, form.cleaned_data["period_kind"], form.cleaned_data["body"], actor=user)
            messages.success(request, _("The next steps are saved."))
            return redirect(page)
    else:
        form = NextStepsForm(initial={"period_kind": kind, "body": in_force.body})
    return render(
        request,
        "stats/summary_next_steps.html",
        {
            "form": form,
            "region": region,
            "own": own,
            "inherited_from": in_force.template.region if in_force.template is not None and own is None else None,
            "is_default": in_force.template is None,
            "back": back,
            "page": page,
            "placeholders": templates.PLACEHOLDERS,
            "today": timezone.localdate(),
        },
    )
