"""Audit log, background jobs and the Excel export of any list."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.core import exports
from anjian.core.audit import attach_changes, record_event, verify_chain
from anjian.core.choices import AuditResult, JobStatus
from anjian.core.events import EventCode
from anjian.core.exceptions import InvalidInput
from anjian.core.filtersets import AuditEventFilterSet
from anjian.core.jobs import start_export_job
from anjian.core.queries import audit_events_for, jobs_for
from anjian.orgs.predicates import is_auditor
from anjian.web.lists import list_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_auditor(request: HttpRequest) -> None:
    if not is_auditor(request.user):
        raise Http404


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    filterset = AuditEventFilterSet(request.GET, queryset=audit_events_for(request.user), request=request)
    return list_response(
        request,
        filterset=filterset,
        template="core/audit_list.html",
        partial="core/partials/audit_results.html",
        per_page=50,
        prepare=attach_changes,
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    report = verify_chain()
    record_event(
        EventCode.AUDIT_VERIFIED,
        actor=request.user,
        result=AuditResult.SUCCESS if report.intact else AuditResult.FAILURE,
        new={"checked": report.checked, "first_bad_id": report.first_bad_id},
        note=report.reason,
    )
    if report.intact:
        messages.success(request, _("The audit chain is intact: %(n)d events checked.") % {"n": report.checked})
    else:
        messages.error(
            request,
            _("The audit chain is broken at event #%(id)d: %(reason)s")
            % {"id": report.first_bad_id, "reason": report.reason},
        )
    return redirect("core:audit_list")


@login_required
def export(request: HttpRequest, name: str) -> HttpResponseBase:
    """Export a list with the filters of the page it was started from."""
    spec = exports.REGISTRY.get(name)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    params = request.GET.copy()
    params.pop("page", None)
    try:
        queryset = exports.filtered(spec, request.user, params)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect(request.META.get("HTTP_REFERER") or "home")
    total = queryset.count()
    if total > settings.EXPORT_INLINE_LIMIT:
        job = start_export_job(spec, user=request.user, query=params.urlencode(), total=total)
        messages.info(request, _("%(n)d rows: the export runs in the background.") % {"n": total})
        return redirect("core:job_detail", pk=job.pk)
    buffer = io.BytesIO()
    rows = exports.write(spec, queryset, buffer)
    record_event(
        EventCode.EXPORT,
        actor=request.user,
        target_type=spec.name,
        target_repr=str(spec.title),
        new={"rows": rows, "filters": params.urlencode()},
    )
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=spec.filename(), content_type=XLSX)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/job_list.html", {"jobs": jobs_for(request.user)[:50]})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "core/partials/job_status.html" if getattr(request, "htmx", False) else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    if job.status != JobStatus.SUCCEEDED or not job.result_path:
        raise Http404
    path = (Path(settings.MEDIA_ROOT) / job.result_path).resolve()
    if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name, content_type=XLSX)


def _job(request: HttpRequest, pk: Any) -> Any:
    from anjian.core.models import Job

    queryset = jobs_for(request.user)
    try:
        return queryset.get(pk=int(pk))
    except (Job.DoesNotExist, ValueError):
        raise Http404 from None
