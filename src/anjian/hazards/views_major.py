"""Pages of the major-hazard branch: the report, the governance plan, listing for supervision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.hazards import major
from anjian.hazards import rules as hazard_rules
from anjian.hazards.choices import HazardAction, SupervisionLevel
from anjian.hazards.forms import GovernancePlanForm, ListingForm, MajorReportForm
from anjian.hazards.models import GovernancePlan, Hazard, MajorHazardReport
from anjian.hazards.views import refuse_unless
from anjian.web.forms import apply_action_errors


def _paper(
    request: HttpRequest,
    pk: int,
    *,
    form_class: Any,
    model: Any,
    action: HazardAction,
    perform: Callable[..., Any],
) -> HttpResponse:
    hazard = access(Hazard.objects.with_list_related(), request.user, pk)
    refused = refuse_unless(request, hazard, hazard_rules.may_report_major(request.user, hazard), action)
    if refused is not None:
        return refused
    existing = model.objects.filter(hazard=hazard).first()  # scoped: the hazard is in scope
    form = form_class(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            perform(hazard, data=form.cleaned_data, actor=request.user)
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": action.label})
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/major_form.html", {"form": form, "hazard": hazard, "title": action.label})


@login_required
def major_report(request: HttpRequest, pk: int) -> HttpResponse:
    """重大隐患报告: state and cause, harm and difficulty, approach."""
    return _paper(
        request,
        pk,
        form_class=MajorReportForm,
        model=MajorHazardReport,
        action=HazardAction.REPORT,
        perform=major.do_report_major_hazard,
    )


@login_required
def governance_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """治理方案: the six parts."""
    return _paper(
        request,
        pk,
        form_class=GovernancePlanForm,
        model=GovernancePlan,
        action=HazardAction.PLAN,
        perform=major.do_prepare_governance_plan,
    )


@login_required
def list_for_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    """挂牌督办 by the user's department, with a numbered notice."""
    hazard = access(Hazard.objects.with_list_related(), request.user, pk)
    refused = refuse_unless(request, hazard, hazard_rules.may_list(request.user, hazard), HazardAction.LIST)
    if refused is not None:
        return refused
    form = ListingForm(request.POST or None, initial={"served_on": timezone.localdate(), "deadline": hazard.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            listing = major.do_list_for_supervision(
                hazard,
                level=SupervisionLevel(form.cleaned_data["level"]),
                deadline=form.cleaned_data["deadline"],
                served_on=form.cleaned_data["served_on"],
                suspend_enterprise=form.cleaned_data["suspend_enterprise"],
                actor=request.user,
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Listed for supervision: %(number)s.") % {"number": listing.number})
            return redirect("hazards:detail", pk=hazard.pk)
    return render(
        request, "hazards/major_form.html", {"form": form, "hazard": hazard, "title": HazardAction.LIST.label}
    )
