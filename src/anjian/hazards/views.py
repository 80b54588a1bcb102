"""Pages of the hazard ledger. Thin: scope the object, call an action, render; every refusal becomes a message."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions, major
from anjian.hazards import rules as hazard_rules
from anjian.hazards.choices import (
    REASON_REQUIRED,
    STATUS_COLOURS,
    EvaluationKind,
    HazardAction,
    PhotoStage,
)
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.forms import DecisionForm, HazardForm, PhotoForm, PlanForm, QuickReportForm, SubmitForm
from anjian.hazards.models import Hazard, HazardPhoto, HazardTransition
from anjian.orgs.predicates import is_government
from anjian.web.forms import apply_action_errors
from anjian.web.lists import list_response

# Actions with a page of their own (a form larger than a note); the others post from a modal on the detail page.
PAGE_ACTIONS = {HazardAction.START: "hazards:start", HazardAction.SUBMIT: "hazards:submit"}
MODAL_ACTIONS = frozenset(set(HazardAction) - set(PAGE_ACTIONS) - {HazardAction.REGISTER})
BUTTON_STYLES = {
    HazardAction.START: "btn-primary",
    HazardAction.SUBMIT: "btn-primary",
    HazardAction.ACCEPT: "btn-success",
    HazardAction.APPROVE_EXTENSION: "btn-outline-success",
    HazardAction.REJECT: "btn-outline-warning",
    HazardAction.DENY_EXTENSION: "btn-outline-warning",
    HazardAction.REQUEST_EXTENSION: "btn-outline-secondary",
    HazardAction.VOID: "btn-outline-danger",
}
PHOTO_CACHE_SECONDS = 3600


def _require_register(request: HttpRequest) -> None:
    # rules.has_perm, not user.has_perm: the system administrator is a superuser but registers no hazards.
    if not rules.has_perm("hazards.add_hazard", request.user):
        raise PermissionDenied


def _enterprise_param(request: HttpRequest) -> Enterprise | None:
    """The enterprise named by ?enterprise=<id>, if the user may see it."""
    value = request.GET.get("enterprise", "")
    if not value.isdigit():
        return None
    return Enterprise.objects.visible_to(request.user).filter(pk=int(value)).first()


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    queryset = Hazard.objects.visible_to(request.user).with_list_related()
    filterset = HazardFilterSet(request.GET, queryset=queryset, request=request)
    return list_response(
        request,
        filterset=filterset,
        template="hazards/hazard_list.html",
        partial="hazards/partials/hazard_results.html",
        context={
            "can_add": rules.has_perm("hazards.add_hazard", request.user),
            "can_export": rules.has_perm("hazards.export_hazard", request.user),
            "enterprise": _enterprise_param(request),
        },
    )


def _action_button(hazard: Hazard, action: HazardAction) -> dict[str, Any]:
    page = PAGE_ACTIONS.get(action)
    return {
        "action": action,
        "value": action.value,
        "label": action.label,
        "url": reverse(page or "hazards:transition", args=[hazard.pk] if page else [hazard.pk, action.value]),
        "page": page is not None,
        "style": BUTTON_STYLES.get(action, "btn-outline-primary"),
        "modal_id": f"action-{action.value}-modal",
        "reason_required": action in REASON_REQUIRED,
        "needs_deadline": action == HazardAction.REQUEST_EXTENSION,
    }


@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access(Hazard.objects.with_list_related().select_related("finding_department"), request.user, pk)
    user: Any = request.user
    photos = list(hazard.photos.all())
    stages = hazard_rules.photo_stages(user, hazard)
    return render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "before_photos": [p for p in photos if p.stage == PhotoStage.BEFORE],
            "after_photos": [p for p in photos if p.stage == PhotoStage.AFTER],
            "transitions": list(hazard.transitions.all()),
            "pending_extension": hazard.pending_extension,
            "buttons": [_action_button(hazard, a) for a in hazard_rules.allowed_actions(user, hazard)],
            "photo_form": PhotoForm(stages=stages) if stages else None,
            "status_colours": STATUS_COLOURS,
            "mask_contacts": not (is_government(user) or user.is_superuser or hazard_rules.manages(user, hazard)),
            # The major-hazard branch: report, plan, listings, resumption applications, and what the user may add.
            "major_report": getattr(hazard, "major_report", None) if hazard.is_major else None,
            "governance_plan": getattr(hazard, "governance_plan", None) if hazard.is_major else None,
            "listings": list(hazard.listings.select_related("department")) if hazard.is_major else [],
            "resumptions": list(hazard.resumptions.all()) if hazard.is_major else [],
            "may_report_major": hazard_rules.may_report_major(user, hazard),
            "may_list": hazard_rules.may_list(user, hazard),
        },
    )


@login_required
def hazard_create(request: HttpRequest) -> HttpResponse:
    _require_register(request)
    form = HazardForm(
        request.POST or None, request.FILES or None, user=request.user, enterprise=_enterprise_param(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            hazard = actions.do_register_hazard(
                form.cleaned_data["enterprise"],
                data=form.registration_data(),
                actor=request.user,
                photos=form.cleaned_data["photos"],
                after_photos=form.cleaned_data["after_photos"],
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Registered hazard %(code)s.") % {"code": hazard.code})
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/hazard_form.html", {"form": form})


@login_required
def hazard_report(request: HttpRequest) -> HttpResponse:
    """The fast report from a phone: what, where, a photo."""
    _require_register(request)
    form = QuickReportForm(
        request.POST or None, request.FILES or None, user=request.user, enterprise=_enterprise_param(request)
    )
    if request.method == "POST" and form.is_valid():
        enterprise = form.chosen_enterprise()
        if enterprise is None:  # an enterprise account not linked to an enterprise
            raise PermissionDenied
        try:
            hazard = actions.do_register_hazard(
                enterprise, data=form.registration_data(), actor=request.user, photos=[form.cleaned_data["photo"]]
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Reported: %(code)s. You can follow it here.") % {"code": hazard.code})
            return redirect("hazards:mine")
    return render(request, "hazards/hazard_report.html", {"form": form})


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """The hazards the user reported, each with its status and the latest step, so the reporter sees the outcome."""
    user: Any = request.user
    queryset = (
        Hazard.objects.visible_to(user)
        .filter(found_by=user)
        .select_related("enterprise")
        .prefetch_related(
            Prefetch("transitions", queryset=HazardTransition.objects.order_by("-at", "-id"), to_attr="steps")
        )
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=HazardPhoto.objects.visible_to(request.user).filter(stage=PhotoStage.BEFORE),
                to_attr="before",
            )
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/my_reports.html",
        {"page": page, "object_list": page.object_list, "can_add": rules.has_perm("hazards.add_hazard", request.user)},
    )


def refuse_unless(request: HttpRequest, hazard: Hazard, allowed: bool, action: HazardAction) -> HttpResponse | None:
    """Back to the hazard with a message when ``action`` is not open to the user now (the page would be useless)."""
    if allowed:
        return None
    messages.error(request, _("“%(action)s” is not open to you for this hazard now.") % {"action": action.label})
    return redirect("hazards:detail", pk=hazard.pk)


def _refused(request: HttpRequest, hazard: Hazard, action: HazardAction) -> HttpResponse | None:
    allowed = request.method != "GET" or hazard_rules.may(request.user, action, hazard)
    return refuse_unless(request, hazard, allowed, action)


@login_required
def hazard_start(request: HttpRequest, pk: int) -> HttpResponse:
    """开始整改 with the 五落实 plan."""
    hazard = access(Hazard.objects.with_list_related(), request.user, pk)
    refused = _refused(request, hazard, HazardAction.START)
    if refused is not None:
        return refused
    form = PlanForm(request.POST or None, instance=hazard)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_start_rectification(hazard, plan=form.plan(), actor=request.user)
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": HazardAction.START.label})
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/hazard_start.html", {"form": form, "hazard": hazard})


@login_required
def hazard_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """提交验收: the photos of the result are added first (each an action), then the submission."""
    hazard = access(Hazard.objects.with_list_related(), request.user, pk)
    refused = _refused(request, hazard, HazardAction.SUBMIT)
    if refused is not None:
        return refused
    is_major = hazard.is_major
    form = SubmitForm(request.POST or None, request.FILES or None, major=is_major)
    if request.method == "POST" and form.is_valid():
        try:
            for upload in form.cleaned_data["photo"]:
                actions.do_add_hazard_photo(hazard, upload=upload, stage=PhotoStage.AFTER, actor=request.user)
            if is_major:  # with the evaluation: the resumption application the department reviews on site
                major.do_apply_resumption(
                    hazard,
                    evaluation_kind=EvaluationKind(form.cleaned_data["evaluation_kind"]),
                    evaluator=form.cleaned_data["evaluator"],
                    evaluation=form.cleaned_data["evaluation"],
                    rectification=form.cleaned_data["rectification"],
                    actor=request.user,
                )
            else:
                actions.do_submit_rectification(
                    hazard, rectification=form.cleaned_data["rectification"], actor=request.user
                )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": HazardAction.SUBMIT.label})
            return redirect("hazards:detail", pk=hazard.pk)
    after_photos = list(hazard.photos.filter(stage=PhotoStage.AFTER))
    return render(request, "hazards/hazard_submit.html", {"form": form, "hazard": hazard, "after_photos": after_photos})


def _report_errors(request: HttpRequest, form: Any) -> None:
    """A modal's or an upload's invalid input as messages on the page it returns to."""
    for errors in form.errors.values():
        messages.error(request, str(errors[0]))


@login_required
@require_POST
def hazard_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The actions that need at most a note (a reason where required, a new deadline for an extension)."""
    hazard = access(Hazard, request.user, pk)
    try:
        chosen = HazardAction(action)
    except ValueError:
        raise Http404 from None
    if chosen not in MODAL_ACTIONS:
        raise Http404
    form = DecisionForm(chosen, request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect("hazards:detail", pk=hazard.pk)
    try:
        actions.perform(hazard, chosen, actor=request.user, **form.arguments())
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": chosen.label})
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access(Hazard, request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect("hazards:detail", pk=hazard.pk)
    added = 0
    try:
        for upload in form.cleaned_data["photo"]:
            actions.do_add_hazard_photo(
                hazard, upload=upload, stage=PhotoStage(form.cleaned_data["stage"]), actor=request.user
            )
            added += 1
    except ActionError as error:
        messages.error(request, str(error.message))
    if added:
        messages.success(request, ngettext("Added %(n)d photo.", "Added %(n)d photos.", added) % {"n": added})
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_GET
def photo_file(request: HttpRequest, photo_pk: int, thumb: bool = False) -> FileResponse:
    """A photo or its thumbnail, for whoever may see the hazard (media files are never served directly)."""
    photo = access(HazardPhoto.objects.select_related("hazard"), request.user, photo_pk)
    stored = photo.thumbnail if thumb else photo.image
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = f"{photo.hazard.code}-{photo.stage}-{photo.pk}{'-thumb' if thumb else ''}.jpg"
    response = FileResponse(handle, content_type="image/jpeg", filename=name)
    patch_cache_control(response, private=True, max_age=PHOTO_CACHE_SECONDS)
    return response
