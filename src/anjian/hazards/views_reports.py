"""Pages of the periodic hazard statistics report: the enterprise prepares and submits; governments see who
has not submitted (and who was late) for any period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards import rules as hazard_rules
from anjian.hazards.choices import ReportPeriod, ReportStatus
from anjian.hazards.models import HazardPeriodicReport
from anjian.hazards.reports import (
    Period,
    do_prepare_periodic_report,
    do_submit_periodic_report,
    period,
    recent_periods,
    submission_figures,
    workbook,
)
from anjian.orgs.predicates import is_government
from anjian.web.forms import BootstrapFormMixin, apply_action_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SubmitReportForm(BootstrapFormMixin, forms.Form):
    principal_name = forms.CharField(label=gettext_lazy("Signed by (principal)"), max_length=64)
    analysis = forms.CharField(label=gettext_lazy("Analysis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    signed_scan = forms.FileField(
        label=gettext_lazy("Signed scan (PDF or photo)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


def _chosen(request: HttpRequest) -> Period:
    default = recent_periods(timezone.localdate())[0]
    try:
        kind = request.GET.get("period") or default.kind
        year = int(request.GET.get("year") or default.year)
        quarter = int(request.GET["quarter"]) if request.GET.get("quarter") else default.quarter
        return period(kind, year, quarter if kind == ReportPeriod.QUARTER else None)
    except (ValueError, ActionError):
        return default


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.enterprise_id and hazard_rules.manages_enterprise(user, user.enterprise_id):
        mine = {
            (r.period, r.year, r.quarter): r
            for r in HazardPeriodicReport.objects.visible_to(user).filter(enterprise_id=user.enterprise_id)
        }
        rows = [(p, mine.get((p.kind, p.year, p.quarter))) for p in recent_periods(timezone.localdate())]
        return render(request, "hazards/reports_enterprise.html", {"rows": rows})
    if not is_government(user):
        raise Http404
    chosen = _chosen(request)
    reports = HazardPeriodicReport.objects.visible_to(user).filter(
        period=chosen.kind, year=chosen.year, quarter=chosen.quarter
    )
    enterprises = (
        Enterprise.objects.visible_to(user)
        .exclude(status=EnterpriseStatus.CLOSED)
        .select_related("region")
        .prefetch_related(
            Prefetch("hazard_reports", queryset=reports, to_attr="period_reports")
        )  # scoped: of visible enterprises
        .order_by("region_id", "name", "pk")
    )
    figures = submission_figures(enterprises, chosen)
    if request.GET.get("missing"):
        done = reports.filter(status=ReportStatus.SUBMITTED).values("enterprise_id")
        enterprises = enterprises.exclude(pk__in=done)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    query = f"?period={chosen.kind}&year={chosen.year}" + (f"&quarter={chosen.quarter}" if chosen.quarter else "")
    return render(
        request,
        "hazards/reports_government.html",
        {
            "chosen": chosen,
            "periods": recent_periods(timezone.localdate(), 8),
            "page": page,
            "object_list": page.object_list,
            "total": figures.enterprises,
            "submitted": figures.submitted,
            "late": figures.late,
            "missing": figures.missing,
            "all_url": reverse("hazards:reports") + query,
            "missing_url": reverse("hazards:reports") + query + "&missing=1",
            "missing_filter": bool(request.GET.get("missing")),
            "overdue_now": timezone.localdate() > chosen.due_on,
        },
    )


@login_required
@require_POST
def report_prepare(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = access(Enterprise, user, user.enterprise_id or 0)
    try:
        chosen = period(
            request.POST.get("period", ""), int(request.POST.get("year", "0")), _int(request.POST.get("quarter"))
        )
        report = do_prepare_periodic_report(enterprise, chosen, actor=user)
    except (ActionError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", error)))
        return redirect("hazards:reports")
    return redirect("hazards:report_detail", pk=report.pk)


def _int(value: str | None) -> int | None:
    return int(value) if value else None


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access(HazardPeriodicReport.objects.select_related("enterprise"), request.user, pk)
    may_submit = report.status == ReportStatus.DRAFT and hazard_rules.manages(request.user, report)
    form = (
        SubmitReportForm(request.POST or None, request.FILES or None, initial={"principal_name": report.principal_name})
        if may_submit
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            do_submit_periodic_report(
                report,
                signed_scan=form.cleaned_data["signed_scan"],
                principal_name=form.cleaned_data["principal_name"],
                analysis=form.cleaned_data["analysis"],
                actor=request.user,
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Submitted."))
            return redirect("hazards:report_detail", pk=report.pk)
    chosen = Period(ReportPeriod(report.period), report.year, report.quarter)
    return render(request, "hazards/report_detail.html", {"report": report, "form": form, "chosen": chosen})


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = access(HazardPeriodicReport.objects.select_related("enterprise"), request.user, pk)
    response = HttpResponse(workbook(report), content_type=XLSX)
    name = f"隐患排查治理统计分析表-{report.enterprise.name}-{report.year}{report.period}{report.quarter or ''}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    return response


@login_required
def report_scan(request: HttpRequest, pk: int) -> FileResponse:
    report = access(HazardPeriodicReport, request.user, pk)
    if not report.signed_scan:
        raise Http404
    pdf = report.signed_scan.name.endswith(".pdf")
    response = FileResponse(report.signed_scan.open("rb"), content_type="application/pdf" if pdf else "image/jpeg")
    response["Cache-Control"] = "private, max-age=0"
    return response
