"""Pages of the field work: inspections (started at the gate, checked item by item on a phone, completed with the
enterprise's signature), campaigns and annual plans. Thin: scope the object, call an action, render; every refusal
becomes a message or a form error, and nothing is saved."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Hazard
from anjian.hazards.views import _enterprise_param  # ?enterprise=<id> in the user's scope, as on the hazard pages
from anjian.inspections import actions
from anjian.inspections import rules as inspection_rules
from anjian.inspections.choices import RESULT_COLOURS, InspectionKind, ItemResult
from anjian.inspections.coverage import attach_coverage, campaign_coverage, not_inspected
from anjian.inspections.filtersets import CampaignFilterSet, InspectionFilterSet
from anjian.inspections.forms import (
    CampaignForm,
    CompleteForm,
    FindingForm,
    GroupForm,
    PlanForm,
    ResultForm,
    StartInspectionForm,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    EnforcementDocument,
    Inspection,
    InspectionPlan,
    InspectionResult,
)
from anjian.inspections.queries import plan_progress
from anjian.orgs.models import User
from anjian.web.forms import apply_action_errors
from anjian.web.lists import list_response

PHOTO_CACHE_SECONDS = 3600
UNINSPECTED_SHOWN = 50
# Failures first: they become hazards; then what complies, then what does not apply.
RESULT_ORDER = {ItemResult.FAIL: 0, ItemResult.PASS: 1, ItemResult.NOT_APPLICABLE: 2}


def _require(request: HttpRequest, permission: str) -> None:
    # rules.has_perm, not user.has_perm: the system administrator is a superuser but runs no inspections.
    if not rules.has_perm(permission, request.user):
        raise PermissionDenied


def url_or_none(name: str, *args: Any) -> str | None:
    """The address of a page that may not exist yet (the enforcement pages come in a later change)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _tabs(user: Any) -> dict[str, bool]:
    """Which of the field-work lists the user may open (the tabs above each of them)."""
    return {
        "can_see_campaigns": rules.has_perm("inspections.view_campaign", user),
        "can_see_plans": rules.has_perm("inspections.view_inspectionplan", user),
    }


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- inspections ------------------------------------------------------------------------------------------------


def _per_inspection(related: QuerySet[Any]) -> Coalesce:
    """A count of ``related`` rows per inspection, as a subquery (the paginator's count leaves it out)."""
    counted = related.filter(inspection=OuterRef("pk")).order_by().values("inspection")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.view_inspection")
    user = request.user
    queryset = (
        Inspection.objects.visible_to(user)
        .with_list_related()
        .prefetch_related(Prefetch("officers", queryset=User.objects.order_by("name", "username")))
        .annotate(
            # scoped: both count the rows of an inspection already in the user's scope
            failures=_per_inspection(InspectionResult.objects.filter(result=ItemResult.FAIL)),  # scoped: see above
            hazard_count=_per_inspection(Hazard.objects.filter(inspection__isnull=False)),  # scoped: see above
        )
    )
    filterset = InspectionFilterSet(request.GET, queryset=queryset, request=request)
    campaign_id = request.GET.get("campaign", "")
    return list_response(
        request,
        filterset=filterset,
        template="inspections/inspection_list.html",
        partial="inspections/partials/inspection_results.html",
        context={
            "can_start": rules.has_perm("inspections.add_inspection", user),
            **_tabs(user),
            "enterprise": _enterprise_param(request),
            "campaign": Campaign.objects.visible_to(user).filter(pk=int(campaign_id)).first()
            if campaign_id.isdigit()
            else None,
        },
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.add_inspection")
    form = StartInspectionForm(request.POST or None, user=request.user, enterprise=_enterprise_param(request))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.do_start_inspection(
                form.cleaned_data["enterprise"], actor=request.user, **form.arguments()
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Started inspection %(code)s.") % {"code": inspection.code})
            return redirect("inspections:inspection_check", pk=inspection.pk)
    if _htmx(request) and request.method == "GET":  # the enterprise changed: its checklists
        return render(request, "inspections/partials/inspection_checklist_field.html", {"form": form})
    return render(request, "inspections/inspection_form.html", {"form": form})


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    queryset = Inspection.objects.with_list_related().select_related("checklist", "plan", "created_by")
    return access(queryset, request.user, pk)


def _refused(request: HttpRequest, inspection: Inspection) -> HttpResponse | None:
    """Back to the inspection when the user may not record it now (completed, or not one of its officers)."""
    if inspection_rules.may_record(request.user, inspection):
        return None
    messages.error(request, _("You cannot record results of this inspection now."))
    return redirect("inspections:inspection_detail", pk=inspection.pk)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    user: Any = request.user
    results = sorted(
        inspection.results.select_related("item", "clause__standard", "hazard"),
        key=lambda r: (RESULT_ORDER[ItemResult(r.result)], r.item.sort_order if r.item else 10_000, r.pk),
    )
    groups = [
        (choice, RESULT_COLOURS[choice], [r for r in results if r.result == choice])
        for choice in sorted(ItemResult, key=RESULT_ORDER.__getitem__)
    ]
    documents = [
        {"document": d, "url": url_or_none("inspections:document_detail", d.pk)}
        for d in EnforcementDocument.objects.visible_to(user).filter(inspection=inspection).order_by("created_at")
    ]
    may_draft = (
        inspection.is_enforcement
        and rules.has_perm("inspections.add_enforcementdocument", user)
        and inspection_rules.acts_for(user, inspection.department_id)
    )
    draft_url = url_or_none("inspections:document_create") if may_draft else None
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "officers": list(inspection.officers.order_by("name", "username")),
            "joint_departments": list(inspection.joint_departments.all()),
            "groups": [g for g in groups if g[2]],
            "checked": len(results),
            "hazards": list(
                Hazard.objects.visible_to(user)
                .filter(inspection=inspection)
                .select_related("enterprise")
                .order_by("pk")
            ),
            "documents": documents,
            "draft_url": f"{draft_url}?inspection={inspection.pk}" if draft_url else None,
            "may_record": inspection_rules.may_record(user, inspection),
        },
    )


def _item_form(item: ChecklistItem, row: InspectionResult | None, data: Any = None, files: Any = None) -> ResultForm:
    proposed = HazardLevel.MAJOR if item.clause and item.clause.proposes_major else HazardLevel.GENERAL
    initial = {"result": row.result, "note": row.note} if row else {}
    initial["level"] = (row.level if row else "") or proposed  # the level a failure gets unless the inspector says
    return ResultForm(data, files, initial=initial, auto_id=f"id_item{item.pk}_%s")


def _item_context(
    item: ChecklistItem, number: int, row: InspectionResult | None, form: ResultForm | None = None
) -> dict[str, Any]:
    clause = item.clause
    return {
        "item": item,
        "number": number,
        "row": row,
        "form": form or _item_form(item, row),
        "proposes_major": bool(clause and clause.proposes_major),
        "saved": form is None or not form.errors,
    }


def _checklist_items(inspection: Inspection) -> QuerySet[ChecklistItem]:
    checklist = inspection.checklist
    if checklist is None:  # an inspection without a checklist: free findings only
        return ChecklistItem.objects.none()
    return checklist.items.select_related("clause__standard")


def _check_context(inspection: Inspection) -> dict[str, Any]:
    items = list(_checklist_items(inspection))
    rows = list(inspection.results.all())
    saved = {r.item_id: r for r in rows if r.item_id}
    return {
        "inspection": inspection,
        "items": [_item_context(item, n, saved.get(item.pk)) for n, item in enumerate(items, start=1)],
        "findings": [r for r in rows if r.item_id is None],
        "finding_form": FindingForm(),
        **_progress(inspection, len(items)),
    }


def _progress(inspection: Inspection, total: int | None = None) -> dict[str, Any]:
    if total is None:
        total = _checklist_items(inspection).count()
    figures = inspection.results.aggregate(
        checked=Count("pk", filter=Q(item__isnull=False)),
        failures=Count("pk", filter=Q(result=ItemResult.FAIL)),
    )
    return {"total": total, **figures}


@login_required
@require_GET
def inspection_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist on a phone: each item saved on its own, so a lost signal loses one item at most."""
    inspection = _inspection(request, pk)
    refused = _refused(request, inspection)
    if refused is not None:
        return refused
    return render(request, "inspections/inspection_check.html", _check_context(inspection))


@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Record one item; htmx gets the item back with its saved state (or its errors) and the progress."""
    inspection = _inspection(request, pk)
    items = _checklist_items(inspection)
    item = get_object_or_404(items, pk=item_pk)
    form = _item_form(item, None, request.POST, request.FILES)
    row = None
    if form.is_valid():
        try:
            row = actions.do_record_result(inspection, actor=request.user, item=item, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
    if row is not None and not _htmx(request):
        return redirect(reverse("inspections:inspection_check", args=[inspection.pk]) + f"#item-{item.pk}")
    if not _htmx(request):  # without javascript: the whole page, this item with its errors
        page = _check_context(inspection)
        for entry in page["items"]:
            if entry["item"].pk == item.pk:
                entry.update(form=form, saved=False)
        return render(request, "inspections/inspection_check.html", page)
    number = list(items.values_list("pk", flat=True)).index(item.pk) + 1
    row = row or inspection.results.filter(item=item).first()
    context = _item_context(item, number, row, form if form.errors else None)
    return render(
        request,
        "inspections/partials/inspection_item.html",
        {**context, "inspection": inspection, "oob": True, **_progress(inspection)},
    )


@login_required
@require_POST
def inspection_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a finding outside the checklist (always a failure)."""
    inspection = _inspection(request, pk)
    form = FindingForm(request.POST, request.FILES)
    saved = False
    if form.is_valid():
        try:
            actions.do_record_result(inspection, actor=request.user, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            saved = True
    if saved and not _htmx(request):
        return redirect(reverse("inspections:inspection_check", args=[inspection.pk]) + "#findings")
    context = {
        "inspection": inspection,
        "findings": list(inspection.results.filter(item__isnull=True)),
        "finding_form": FindingForm() if saved else form,
    }
    if _htmx(request):
        return render(
            request, "inspections/partials/inspection_findings.html", {**context, "oob": True, **_progress(inspection)}
        )
    return render(request, "inspections/inspection_check.html", {**_check_context(inspection), **context})


@login_required
def inspection_complete(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    refused = _refused(request, inspection)
    if refused is not None:
        return refused
    self_inspection = inspection.kind == InspectionKind.SELF
    form = CompleteForm(request.POST or None, self_inspection=self_inspection)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_complete_inspection(inspection, actor=request.user, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            count = inspection.hazards.count()
            messages.success(
                request,
                ngettext(
                    "Inspection completed: %(n)d hazard registered.",
                    "Inspection completed: %(n)d hazards registered.",
                    count,
                )
                % {"n": count},
            )
            return redirect("inspections:inspection_detail", pk=inspection.pk)
    failed = list(inspection.results.filter(result=ItemResult.FAIL).select_related("clause__standard"))
    return render(
        request,
        "inspections/inspection_complete.html",
        {
            "inspection": inspection,
            "form": form,
            "failed": failed,
            "needs_deadline": any(r.level != HazardLevel.MAJOR for r in failed),
            **_progress(inspection),
        },
    )


@login_required
@require_GET
def result_photo(request: HttpRequest, pk: int, thumb: bool = False) -> FileResponse:
    """A result's photo or its thumbnail, for whoever may see the inspection (media files are never served)."""
    row = access(InspectionResult.objects.select_related("inspection"), request.user, pk)
    stored = row.thumbnail if thumb else row.photo
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = f"{row.inspection.code}-{row.pk}{'-thumb' if thumb else ''}.jpg"
    response = FileResponse(handle, content_type="image/jpeg", filename=name)
    patch_cache_control(response, private=True, max_age=PHOTO_CACHE_SECONDS)
    return response


# --- campaigns --------------------------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.view_campaign")
    queryset = Campaign.objects.visible_to(request.user).select_related("lead_department", "region")
    filterset = CampaignFilterSet(request.GET, queryset=queryset, request=request)
    return list_response(
        request,
        filterset=filterset,
        template="inspections/campaign_list.html",
        partial="inspections/partials/campaign_results.html",
        context={"can_add": rules.has_perm("inspections.add_campaign", request.user), **_tabs(request.user)},
        prepare=attach_coverage,
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.add_campaign")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.do_create_campaign(
                data=form.campaign_data(),
                actor=request.user,
                member_departments=list(form.cleaned_data["member_departments"]),
                industries=list(form.cleaned_data["industries"]),
                tags=list(form.cleaned_data["tags"]),
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Launched the campaign “%(title)s”.") % {"title": campaign.title})
            return redirect("inspections:campaign_detail", pk=campaign.pk)
    return render(request, "inspections/campaign_form.html", {"form": form})


def _campaign_page(request: HttpRequest, campaign: Campaign, group_form: GroupForm | None = None) -> HttpResponse:
    user: Any = request.user
    inspected, in_scope = campaign_coverage(campaign)
    may_add_group = inspection_rules.acts_for(user, campaign.lead_department_id)
    visible = Enterprise.objects.visible_to(user).values("pk")
    return render(
        request,
        "inspections/campaign_detail.html",
        {
            "campaign": campaign,
            "member_departments": list(campaign.member_departments.all()),
            "industries": list(campaign.industries.all()),
            "tags": list(campaign.tags.all()),
            "groups": list(campaign.groups.select_related("leader").prefetch_related("members", "towns")),
            "inspected": inspected,
            "in_scope": in_scope,
            "coverage": inspected / in_scope if in_scope else None,
            # Names only of the enterprises the user may see (the campaign may span industries outside the remit).
            "not_inspected": list(not_inspected(campaign).filter(pk__in=visible)[:UNINSPECTED_SHOWN]),
            "uninspected_shown": UNINSPECTED_SHOWN,
            "inspection_count": Inspection.objects.visible_to(user).filter(campaign=campaign).count(),
            "group_form": group_form or (GroupForm(user=user, campaign=campaign) if may_add_group else None),
        },
    )


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return access(Campaign.objects.select_related("lead_department", "region", "created_by"), request.user, pk)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_page(request, _campaign(request, pk))


@login_required
@require_POST
def campaign_group_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = GroupForm(request.POST, user=request.user, campaign=campaign)
    if form.is_valid():
        try:
            group = actions.do_add_inspection_group(campaign, actor=request.user, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Added the inspection group “%(name)s”.") % {"name": group.name})
            return redirect(reverse("inspections:campaign_detail", args=[campaign.pk]) + "#groups")
    return _campaign_page(request, campaign, form)


# --- annual plans -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.view_inspectionplan")
    plans = (
        InspectionPlan.objects.visible_to(request.user)
        .select_related("department")
        .annotate(
            target_count=Count("targets"),
            drawn_count=Count("targets", filter=Q(targets__drawn=True)),
            planned_total=Sum("targets__planned"),
        )
        .order_by("-year", "department__name")
    )
    page = Paginator(plans, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/plan_list.html",
        {
            "page": page,
            "object_list": page.object_list,
            "can_add": rules.has_perm("inspections.add_inspectionplan", request.user),
            **_tabs(request.user),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    _require(request, "inspections.add_inspectionplan")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.do_create_plan(actor=request.user, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Plan drawn up with random seed %(seed)s: the same seed repeats the draw.") % {"seed": plan.seed},
            )
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form})


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access(InspectionPlan.objects.select_related("department", "created_by"), request.user, pk)
    visible = Enterprise.objects.visible_to(request.user).values("pk")
    targets: list[Any] = list(plan_progress(plan).filter(enterprise__in=visible))  # annotated with ``done``
    planned = sum(t.planned for t in targets)
    done = sum(min(t.done, t.planned) for t in targets)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "key_targets": [t for t in targets if not t.drawn],
            "drawn_targets": [t for t in targets if t.drawn],
            "planned": planned,
            "done": done,
            "inspections_done": sum(t.done for t in targets),
            "progress": done / planned if planned else None,
            "hidden_targets": plan.targets.count() - len(targets),
        },
    )
