"""Pages of the risk register (双重预防): the register of units with their levels, a unit with its events,
assessments and measures, the forms that change them (the enterprise's principal or safety officer only), the
four-colour map on the site plan, the risk notice card (风险告知卡) of a unit and the list of a post (一岗位一清单).
Thin: scope the object (404 out of scope), check the manager, call an action, render."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards.rules import manages_enterprise
from anjian.hazards.views import _enterprise_param  # ?enterprise=<id> in the user's scope, as on the hazard pages
from anjian.risks import actions, exports, methods
from anjian.risks.choices import (
    COLOUR_HEX,
    COLOUR_NAMES,
    LEVEL_COLOURS,
    LEVEL_ORDER,
    MEASURE_SUBCLASSES,
    AssessmentMethod,
    MeasureClass,
)
from anjian.risks.filtersets import RiskUnitFilterSet
from anjian.risks.forms import AssessmentForm, EventForm, MeasureForm, PlaceForm, SitePlanForm, UnitForm, factor_value
from anjian.risks.methods import FACTORS
from anjian.risks.models import ControlMeasure, RiskAssessment, RiskEvent, RiskUnit, SitePlan
from anjian.web.lists import list_response

IMAGE_CACHE_SECONDS = 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_manager(request: HttpRequest, enterprise_id: int) -> None:
    """Register changes are the enterprise's principal's or safety officer's; everyone else in scope reads."""
    if not manages_enterprise(request.user, enterprise_id):
        raise PermissionDenied


def _show_errors(form: Any, error: ActionError, rename: Callable[[str], str] | None = None) -> None:
    """An action's refusal on the form, like ``apply_action_errors``, but with the action's field names renamed to
    the form's, and an error on no field of the form (a constraint over several fields) shown on top, not lost."""
    placed = False
    for name, errors in error.field_errors.items():
        target = rename(name) if rename else name
        for message in errors if isinstance(errors, list) else [errors]:
            form.add_error(target if target in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, str(error.message))


def levels(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The four levels worst first, with their colour and a count: the stat cards, the map's legend, the scripts."""
    return [
        {
            "value": level.value,
            "label": str(level.label),
            "colour": LEVEL_COLOURS[level],
            "colour_name": COLOUR_NAMES[LEVEL_COLOURS[level]],
            "hex": COLOUR_HEX[LEVEL_COLOURS[level]],
            "count": counts.get(level.value, 0),
        }
        for level in LEVEL_ORDER
    ]


def level_counts(units: QuerySet[RiskUnit]) -> dict[str, int]:
    """Units per level ("" for those not assessed yet), in one query."""
    return dict(units.order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n"))


def _own_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise the register pages are about: ?enterprise=, or the enterprise user's own."""
    user: Any = request.user
    chosen = _enterprise_param(request)
    if chosen is None and user.enterprise_id:
        chosen = Enterprise.objects.visible_to(user).filter(pk=user.enterprise_id).first()
    return chosen


# --- the register -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scoped = RiskUnit.objects.visible_to(user)
    # A subquery, not a join: the page's count, the level cards and the filters' value lists leave it out.
    events = RiskEvent.objects.filter(unit=OuterRef("pk")).order_by().values("unit")  # scoped: units in scope
    queryset = scoped.select_related("enterprise", "risk_object").annotate(
        event_count=Coalesce(Subquery(events.annotate(n=Count("pk")).values("n")), 0)
    )
    filterset = RiskUnitFilterSet(request.GET, queryset=queryset.order_by("enterprise__name", "name"), request=request)
    # The cards count what the other filters leave, whatever the level: each is the link to its level.
    others = request.GET.copy()
    for name in ("level", "page"):
        others.pop(name, None)
    unlevelled = RiskUnitFilterSet(others, queryset=scoped, request=request)
    counts = level_counts(unlevelled.qs) if unlevelled.is_valid() else {}
    enterprise = _own_enterprise(request)
    return list_response(
        request,
        filterset=filterset,
        template="risks/unit_list.html",
        partial="risks/partials/unit_results.html",
        context={
            "levels": levels(counts),
            "not_assessed": counts.get("", 0),
            "enterprise": enterprise,
            "can_add": enterprise is not None and manages_enterprise(user, enterprise.pk),
            "chosen_level": request.GET.get("level", ""),
        },
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = access(Enterprise, user, request.GET.get("enterprise") or user.enterprise_id)
    _require_manager(request, enterprise.pk)
    form = UnitForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        new_object = form.object_data()
        rename: Callable[[str], str] | None = None  # whose fields a refusal belongs to: the new object's or the unit's
        try:
            with transaction.atomic():  # a new object is kept only with its unit
                risk_object = form.cleaned_data["risk_object"]
                if new_object is not None:
                    rename = form.object_error_field
                    risk_object = actions.do_create_risk_object(enterprise, data=new_object, actor=user)
                rename = None
                unit = actions.do_create_risk_unit(risk_object, data=form.unit_data(), actor=user)
        except ActionError as error:
            _show_errors(form, error, rename)
        else:
            messages.success(
                request, _("Registered the risk unit “%(name)s”: now add its risk events.") % {"name": unit.name}
            )
            return redirect("risks:unit_detail", pk=unit.pk)
    return render(request, "risks/unit_form.html", {"form": form, "enterprise": enterprise})


def _formula(assessment: RiskAssessment) -> str:
    """L 6 × E 6 × C 7 = 252"""
    factors = FACTORS[AssessmentMethod(assessment.method)]
    inputs = " × ".join(f"{f} {factor_value(assessment.inputs.get(f, 0))}" for f in factors)
    return f"{inputs} = {factor_value(assessment.score)}"


@dataclass(frozen=True)
class Version:
    """An assessment as the unit's page lists it."""

    assessment: RiskAssessment
    formula: str


def _event_entries(unit: RiskUnit) -> list[dict[str, Any]]:
    """Each event with its latest assessments (inherent and residual), the versions before them, its measures."""
    assessments = RiskAssessment.objects.select_related("assessed_by").order_by("-version")
    measures = ControlMeasure.objects.select_related("assignee").order_by("pk")
    # Ordered before prefetching: django-stubs refuses a Prefetch on a manager (not on a queryset).
    events = (
        unit.events.order_by("pk")
        .prefetch_related(Prefetch("assessments", queryset=assessments))
        .prefetch_related(Prefetch("measures", queryset=measures))
    )
    entries = []
    for event in events:
        history = [Version(a, _formula(a)) for a in event.assessments.all()]
        entries.append(
            {
                "event": event,
                "latest": next((v for v in history if not v.assessment.residual), None),
                "latest_residual": next((v for v in history if v.assessment.residual), None),
                "history": history,
                "measures": [{"measure": m, "cycle": exports.cycle_text(m)} for m in event.measures.all()],
            }
        )
    return entries


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access(RiskUnit.objects.select_related("enterprise", "risk_object"), request.user, pk)
    return render(
        request,
        "risks/unit_detail.html",
        {
            "unit": unit,
            "entries": _event_entries(unit),
            "may_change": manages_enterprise(request.user, unit.enterprise_id),
        },
    )


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access(RiskUnit.objects.select_related("enterprise"), request.user, pk)
    _require_manager(request, unit.enterprise_id)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            event = actions.do_create_risk_event(unit, data=data, actor=request.user)
        except ActionError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Registered the risk event: now assess it."))
            return redirect("risks:event_assess", pk=event.pk)
    return render(request, "risks/event_form.html", {"form": form, "unit": unit})


def _tables(event: RiskEvent) -> dict[str, Any]:
    """The table in force for each method in the enterprise's region (a method without one is left out)."""
    tables = {}
    for method in AssessmentMethod:
        try:
            tables[method.value] = methods.table_for(method, event.unit.enterprise.region_id)
        except ActionError:
            continue
    return tables


@login_required
def event_assess(request: HttpRequest, pk: int) -> HttpResponse:
    event = access(RiskEvent.objects.select_related("unit__enterprise"), request.user, pk)
    _require_manager(request, event.unit.enterprise_id)
    tables = _tables(event)
    form = AssessmentForm(request.POST or None, tables=tables, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.do_assess_event(event, actor=request.user, **form.arguments())
        except ActionError as error:
            _show_errors(form, error, form.error_field)
        else:
            colour = COLOUR_NAMES[assessment.colour]
            messages.success(
                request,
                _("Assessed (version %(version)s): %(formula)s, %(level)s (%(colour)s).")
                % {
                    "version": assessment.version,
                    "formula": _formula(assessment),
                    "level": assessment.get_level_display(),
                    "colour": colour,
                },
            )
            return redirect(reverse("risks:unit_detail", args=[event.unit_id]) + f"#event-{event.pk}")
    scales = {
        method: {"factors": list(FACTORS[AssessmentMethod(method)]), "cutoffs": table.cutoffs}
        for method, table in tables.items()
    }
    return render(
        request,
        "risks/assessment_form.html",
        {
            "form": form,
            "event": event,
            "unit": event.unit,
            "scales": {"methods": scales, "levels": levels({})},
            "tables": tables,
        },
    )


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = access(RiskEvent.objects.select_related("unit__enterprise"), request.user, pk)
    _require_manager(request, event.unit.enterprise_id)
    form = MeasureForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_control_measure(event, data=form.arguments(), actor=request.user)
        except ActionError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Added the control measure: its checks are generated from its first day."))
            return redirect(reverse("risks:unit_detail", args=[event.unit_id]) + f"#event-{event.pk}")
    chosen = form["classify1"].value() or ""
    return render(
        request,
        "risks/measure_form.html",
        {
            "form": form,
            "event": event,
            "unit": event.unit,
            "subclasses": {str(k): v for k, v in MEASURE_SUBCLASSES.items()},
            "suggested": MEASURE_SUBCLASSES.get(chosen, sorted({s for v in MEASURE_SUBCLASSES.values() for s in v})),
        },
    )


# --- the four-colour map ------------------------------------------------------------------------------------------


@login_required
def site_plan(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """The units on the site plan, coloured by level; a manager uploads the plan and places the units on it."""
    user: Any = request.user
    enterprise = access(Enterprise, user, enterprise_pk)
    may_change = manages_enterprise(user, enterprise.pk)
    form = SitePlanForm()
    if request.method == "POST":
        _require_manager(request, enterprise.pk)
        form = SitePlanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.do_upload_site_plan(enterprise, upload=form.cleaned_data["image"], actor=user)
            except ActionError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Site plan uploaded: now place the units on it."))
                return redirect("risks:site_plan", enterprise_pk=enterprise.pk)
    plan = SitePlan.objects.visible_to(user).filter(enterprise=enterprise).first()
    units = list(RiskUnit.objects.visible_to(user).filter(enterprise=enterprise).order_by("name", "pk"))
    placed = [u for u in units if u.x is not None and u.y is not None]
    return render(
        request,
        "risks/site_plan.html",
        {
            "enterprise": enterprise,
            "plan": plan,
            "form": form,
            "may_change": may_change,
            "placed": [
                {"unit": u, "number": n, "left": float(u.x or 0) * 100, "top": float(u.y or 0) * 100}
                for n, u in enumerate(placed, start=1)
            ],
            "unplaced": [u for u in units if u.x is None or u.y is None],
            "units": units,
            "levels": levels(Counter(u.level for u in placed)),
        },
    )


@login_required
@require_GET
def site_plan_image(request: HttpRequest, enterprise_pk: int) -> FileResponse:
    """The site plan's image for whoever may see the enterprise (media files are never served directly)."""
    plan = access(SitePlan, request.user, enterprise_pk, field="enterprise_id")
    try:
        handle = plan.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg", filename=f"site-plan-{enterprise_pk}.jpg")
    patch_cache_control(response, private=True, max_age=IMAGE_CACHE_SECONDS)
    return response


@login_required
@require_POST
def unit_place(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a unit where the manager clicked on the plan (fractions of its width and height); JSON for the map's
    script, a redirect to the map for a plain form."""
    unit = access(RiskUnit, request.user, pk)
    _require_manager(request, unit.enterprise_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = PlaceForm(request.POST)
    error: str | None = None
    if not form.is_valid():
        error = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
    else:
        try:
            placed = actions.do_place_unit(unit, x=form.cleaned_data["x"], y=form.cleaned_data["y"], actor=request.user)
        except ActionError as refusal:
            error = str(refusal.message)
    if wants_json:
        if error:
            return JsonResponse({"error": error}, status=422)
        return JsonResponse({"unit": placed.pk, "x": str(placed.x), "y": str(placed.y)})
    if error:
        messages.error(request, error)
    elif placed.x is None:
        messages.success(request, _("“%(name)s” is off the plan.") % {"name": placed.name})
    else:
        messages.success(request, _("Placed “%(name)s” on the plan.") % {"name": placed.name})
    return redirect("risks:site_plan", enterprise_pk=unit.enterprise_id)


# --- the notice card and the post lists ----------------------------------------------------------------------------


@login_required
@require_GET
def unit_card(request: HttpRequest, pk: int) -> HttpResponse:
    """风险告知卡: what can happen at the unit, how it is controlled, what to do in an emergency, whom to call."""
    unit = access(RiskUnit.objects.select_related("enterprise", "risk_object"), request.user, pk)
    measures = ControlMeasure.objects.filter(active=True).order_by("pk")  # scoped: of the unit in scope
    events = sorted(
        unit.events.all().prefetch_related(Prefetch("measures", queryset=measures)),
        key=lambda e: (exports.level_rank(e.level), e.pk),
    )
    all_measures = [m for e in events for m in e.measures.all()]
    accident_types = list(dict.fromkeys(e.get_accident_type_display() for e in events))
    enterprise = unit.enterprise
    return render(
        request,
        "risks/unit_card.html",
        {
            "unit": unit,
            "enterprise": enterprise,
            "events": events,
            "accident_types": accident_types,
            "controls": [m for m in all_measures if m.classify1 != MeasureClass.EMERGENCY],
            "emergency": [m for m in all_measures if m.classify1 == MeasureClass.EMERGENCY],
            "duty_phone": enterprise.safety_officer_phone or enterprise.principal_phone,
            "level": levels({})[exports.level_rank(unit.level)] if unit.level else None,
            "printed_on": timezone.localdate(),
        },
    )


def _posts(units: QuerySet[RiskUnit]) -> list[dict[str, Any]]:
    return list(units.exclude(post="").values("post").annotate(units=Count("pk")).order_by("post"))


@login_required
@require_GET
def post_list(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """一岗位一清单: a post's units, their events and levels, the measures with what to check and how often."""
    user: Any = request.user
    enterprise = access(Enterprise, user, enterprise_pk)
    units = RiskUnit.objects.visible_to(user).filter(enterprise=enterprise)
    posts = _posts(units)
    post = request.GET.get("post", "")
    if post and post not in {p["post"] for p in posts}:
        messages.warning(request, _("No unit is on the list of the post “%(post)s”.") % {"post": post})
        post = ""
    if not post and len(posts) == 1:
        post = posts[0]["post"]
    chosen = exports.post_units(units, post) if post else []
    return render(
        request,
        "risks/post_list.html",
        {
            "enterprise": enterprise,
            "posts": posts,
            "post": post,
            "units": [
                {
                    "unit": unit,
                    "events": [
                        {
                            "event": e,
                            "measures": [{"measure": m, "cycle": exports.cycle_text(m)} for m in e.measures.all()],
                        }
                        for e in unit.events.all()
                    ],
                }
                for unit in chosen
            ],
            "unlisted": units.filter(post="").count(),
        },
    )


@login_required
@require_GET
def post_list_export(request: HttpRequest, enterprise_pk: int, fmt: str) -> FileResponse:
    """The post's list as Word or Excel, to print and sign at the post."""
    if fmt not in ("docx", "xlsx"):
        raise Http404
    user: Any = request.user
    enterprise = access(Enterprise, user, enterprise_pk)
    units = RiskUnit.objects.visible_to(user).filter(enterprise=enterprise)
    post = request.GET.get("post", "")
    if not post or not units.filter(post=post).exists():
        raise Http404
    rows = exports.rows_of(exports.post_units(units, post))
    render_file = exports.docx_bytes if fmt == "docx" else exports.xlsx_bytes
    data = render_file(enterprise, post, rows)
    record_event(
        EventCode.EXPORT,
        actor=user,
        target=enterprise,
        new={"list": "post_risk_list", "post": post, "format": fmt, "rows": len(rows)},
    )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=exports.filename(post, fmt),
        content_type=DOCX if fmt == "docx" else XLSX,
    )
