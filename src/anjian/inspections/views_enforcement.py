"""Pages of the enforcement paperwork: documents (draft → issue → serve, and their DOCX/PDF), reinspections and
penalty cases. Thin: scope the object, call an action of ``inspections.enforcement``, render; every refusal becomes
a form error or a message, and changes nothing.

Who sees what comes from the models' scopes (the enterprise sees its documents once issued and its cases once
notified; workers see none); who may act comes from ``inspections.rules.acts_for`` (the owning department)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anjian.core.exceptions import ActionError
from anjian.core.models import AuditEvent
from anjian.core.scoping import Scope, access
from anjian.enterprises.models import Enterprise, Licence
from anjian.hazards.choices import OPEN_STATUSES
from anjian.hazards.models import Hazard
from anjian.inspections import enforcement
from anjian.inspections import rules as inspection_rules
from anjian.inspections.choices import (
    DocumentKind,
    DocumentStatus,
    PenaltyAction,
    PenaltyKind,
    PenaltyStage,
    ReinspectionStatus,
)
from anjian.inspections.filtersets import DocumentFilterSet, PenaltyFilterSet, ReinspectionFilterSet
from anjian.inspections.forms_enforcement import (
    DRAFTABLE_KINDS,
    DocumentDraftForm,
    PenaltyCaseForm,
    PenaltyItemFormSet,
    PenaltyStepForm,
    ReinspectionForm,
    ServeForm,
)
from anjian.inspections.models import EnforcementDocument, Inspection, PenaltyCase, PenaltyItem, Reinspection
from anjian.inspections.queries import art113_reached, art113_windows
from anjian.inspections.rendering import DRAFT_NUMBER
from anjian.web.forms import apply_action_errors
from anjian.web.lists import list_response

VIEW_DOCUMENTS = "inspections.view_enforcementdocument"
ADD_DOCUMENT = "inspections.add_enforcementdocument"
VIEW_CASES = "inspections.view_penaltycase"
ADD_CASE = "inspections.add_penaltycase"
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STEP_STYLES = {
    PenaltyAction.NOTIFY: "btn-primary",
    PenaltyAction.REQUEST_HEARING: "btn-outline-warning",
    PenaltyAction.DECIDE: "btn-danger",
    PenaltyAction.EXECUTE: "btn-primary",
    PenaltyAction.CLOSE: "btn-success",
    PenaltyAction.WITHDRAW: "btn-outline-secondary",
}
TERRITORY_FILTERS = ("region", "industry", "department")
# The steps of a case, each with what its modal asks: a date (today when empty), a note, a reason.
STEP_DATES = frozenset({PenaltyAction.DECIDE, PenaltyAction.EXECUTE, PenaltyAction.CLOSE})
STEP_NOTES = frozenset({PenaltyAction.REQUEST_HEARING, PenaltyAction.EXECUTE, PenaltyAction.WITHDRAW})


def _require(request: HttpRequest, perm: str) -> None:
    # rules.has_perm, not user.has_perm: the system administrator is a superuser but enforces nothing.
    if not rules.has_perm(perm, request.user):
        raise PermissionDenied


def _visible_or_404(request: HttpRequest, perm: str) -> None:
    """On a single object: a user without the permission learns nothing about it (as out of scope)."""
    if not rules.has_perm(perm, request.user):
        raise Http404


def _posted(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST is still a submission: a site record needs no fields)."""
    return request.POST if request.method == "POST" else None


def _filter_bar(filterset: Any, user: Any, first: str) -> Any:
    """The filter bar as its users need it: the search first (the one filter a phone shows unfolded); for an
    enterprise, which sees its own records only, without the territory filters that would offer nothing."""
    filters = filterset.filters
    if Scope.for_user(user).enterprise_id:
        for name in TERRITORY_FILTERS:
            filters.pop(name, None)
    if first in filters:
        filterset.filters = {first: filters[first], **{k: v for k, v in filters.items() if k != first}}
    return filterset


def _param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def inspection_url(inspection: Inspection | None) -> str | None:
    """The inspection's page, when the inspection pages are installed (they are built beside these)."""
    if inspection is None:
        return None
    try:
        return reverse("inspections:inspection_detail", args=[inspection.pk])
    except NoReverseMatch:
        return None


# --- documents --------------------------------------------------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> EnforcementDocument:
    _visible_or_404(request, VIEW_DOCUMENTS)
    queryset = EnforcementDocument.objects.select_related(
        "enterprise", "department", "inspection", "penalty", "issued_by", "created_by"
    )
    return access(queryset, request.user, pk)


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_DOCUMENTS)
    user: Any = request.user
    queryset = EnforcementDocument.objects.visible_to(user).select_related("enterprise", "department")
    filterset = _filter_bar(DocumentFilterSet(request.GET, queryset=queryset, request=request), user, "number")
    inspection = None
    if (inspection_pk := _param(request, "inspection")) is not None:
        inspection = Inspection.objects.visible_to(user).select_related("enterprise").filter(pk=inspection_pk).first()
    enterprise = None
    if (enterprise_pk := _param(request, "enterprise")) is not None:
        enterprise = Enterprise.objects.visible_to(user).filter(pk=enterprise_pk).first()
    may_draft = (
        inspection is not None
        and rules.has_perm(ADD_DOCUMENT, user)
        and inspection_rules.inspects(user, inspection.enterprise)
    )
    return list_response(
        request,
        filterset=filterset,
        template="inspections/document_list.html",
        partial="inspections/partials/document_results.html",
        context={
            "inspection": inspection,
            "inspection_url": inspection_url(inspection),
            "enterprise": enterprise,
            "draft_kinds": DRAFTABLE_KINDS if may_draft else (),
        },
    )


def _draft_kind(request: HttpRequest, default: DocumentKind) -> DocumentKind:
    try:
        kind = DocumentKind(request.GET.get("kind", ""))
    except ValueError:
        return default
    return kind if kind in DRAFTABLE_KINDS else default


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    """Draft a document from an inspection (?inspection=) or for a penalty case (?penalty=)."""
    _require(request, ADD_DOCUMENT)
    user: Any = request.user
    penalty = None
    inspection = None
    if (penalty_pk := _param(request, "penalty")) is not None:
        penalty = access(PenaltyCase.objects.select_related("enterprise", "inspection"), user, penalty_pk)
        inspection = penalty.inspection
    if (inspection_pk := _param(request, "inspection")) is not None:
        inspection = access(Inspection.objects.select_related("enterprise"), user, inspection_pk)
    source = penalty or inspection
    if source is None:
        raise Http404
    enterprise = source.enterprise
    if not inspection_rules.inspects(user, enterprise):
        raise PermissionDenied
    kind = _draft_kind(request, DocumentKind.RECTIFICATION_ORDER if penalty else DocumentKind.SITE_RECORD)
    hazards = (
        Hazard.objects.visible_to(user)
        .filter(enterprise=enterprise, status__in=sorted(OPEN_STATUSES))
        .order_by("-found_on", "-pk")
    )
    open_hazards = list(hazards)
    chosen = [
        h
        for h in open_hazards
        if (inspection is not None and h.inspection_id == inspection.pk)
        or (penalty is not None and h.pk == penalty.hazard_id)
    ]
    deadlines = [h.deadline for h in chosen if h.deadline and h.deadline >= timezone.localdate()]
    form = DocumentDraftForm(
        _posted(request),
        kind=kind,
        hazards=hazards,
        initial={"hazards": [h.pk for h in chosen], "deadline": max(deadlines) if deadlines else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = enforcement.do_draft_document(
                kind, enterprise=enterprise, actor=user, inspection=inspection, penalty=penalty, **form.arguments()
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check it, then issue it."))
            return redirect("inspections:document_detail", pk=document.pk)
    source_query = {name: request.GET[name] for name in ("inspection", "penalty") if _param(request, name)}
    return render(
        request,
        "inspections/document_form.html",
        {
            "form": form,
            "kind": kind,
            "kinds": [
                {"kind": k, "active": k == kind, "query": urlencode({**source_query, "kind": k.value})}
                for k in DRAFTABLE_KINDS
            ],
            "enterprise": enterprise,
            "inspection": inspection,
            "inspection_url": inspection_url(inspection),
            "penalty": penalty,
            "hazard_rows": _hazard_rows(form, open_hazards),
        },
    )


def _hazard_rows(form: DocumentDraftForm, hazards: Iterable[Hazard]) -> list[tuple[Hazard, bool]]:
    """The checklist of open hazards, each with whether it is ticked (preselected, or as posted)."""
    if "hazards" not in form.fields:
        return []
    ticked = {str(value) for value in form["hazards"].value() or []}
    return [(hazard, str(hazard.pk) in ticked) for hazard in hazards]


def paper(content: dict[str, Any]) -> dict[str, Any]:
    """The content as the paper shows it: a draft says so where the number goes (as the PDF does)."""
    return {**content, "number": content.get("number") or DRAFT_NUMBER, "is_draft": not content.get("number")}


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user: Any = request.user
    acts = inspection_rules.acts_for(user, document.department_id)
    issued = document.status != DocumentStatus.DRAFT
    return render(
        request,
        "inspections/document_detail.html",
        {
            "document": document,
            "paper": paper(document.content),
            "can_issue": acts and document.status == DocumentStatus.DRAFT,
            "serve_form": ServeForm() if acts and document.status == DocumentStatus.ISSUED else None,
            "downloads": issued,
            "hazards": list(Hazard.objects.visible_to(user).filter(documents=document).select_related("enterprise")),
            "reinspection": Reinspection.objects.visible_to(user).filter(order=document).first(),
            "opinion_of": Reinspection.objects.visible_to(user).filter(opinion=document).first(),
            "penalty": PenaltyCase.objects.visible_to(user).filter(pk=document.penalty_id).first()
            if document.penalty_id
            else None,
            "inspection_url": inspection_url(document.inspection),
            "can_file_case": issued
            and document.kind in (DocumentKind.RECTIFICATION_ORDER, DocumentKind.SITE_RECORD)
            and rules.has_perm(ADD_CASE, user)
            and inspection_rules.inspects(user, document.enterprise),
        },
    )


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """签发: numbered, frozen, rendered (the action refuses a second issue, so one number only)."""
    document = _document(request, pk)
    try:
        issued = enforcement.do_issue_document(document, actor=request.user)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Issued as %(number)s.") % {"number": issued.number})
    return redirect("inspections:document_detail", pk=document.pk)


@login_required
def document_serve(request: HttpRequest, pk: int) -> HttpResponse:
    """送达: the date and who signed the receipt."""
    document = _document(request, pk)
    may = inspection_rules.acts_for(request.user, document.department_id)
    if not may or (request.method != "POST" and document.status != DocumentStatus.ISSUED):
        messages.error(request, _("Recording service is not open to you for this document now."))
        return redirect("inspections:document_detail", pk=document.pk)
    form = ServeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            enforcement.do_serve_document(
                document,
                served_on=form.cleaned_data["served_on"],
                received_by=form.cleaned_data["received_by"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("inspections:document_detail", pk=document.pk)
    return render(request, "inspections/document_serve.html", {"form": form, "document": document})


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """The issued document as DOCX or PDF, written from its frozen content on first request if not yet written."""
    if fmt not in FILE_TYPES:
        raise Http404
    document = _document(request, pk)
    if document.status == DocumentStatus.DRAFT:
        raise Http404
    document = enforcement.render_files(document)
    stored = document.pdf if fmt == "pdf" else document.docx
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=FILE_TYPES[fmt])
    name = f"{document.content.get('title', '')}{document.number}.{fmt}"
    if disposition := content_disposition_header(as_attachment=True, filename=name):  # a name always gives one
        response.headers["Content-Disposition"] = disposition
    return response


# --- reinspections ----------------------------------------------------------------------------------------------


@login_required
def reinspection_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_DOCUMENTS)
    user: Any = request.user
    queryset = (
        Reinspection.objects.visible_to(user)
        .select_related("order", "enterprise", "department", "opinion")
        .prefetch_related(Prefetch("penalty_cases", queryset=PenaltyCase.objects.visible_to(user), to_attr="cases"))
        .order_by(F("done_on").desc(nulls_first=True), "due_on", "pk")  # the pending ones first
    )
    filterset = _filter_bar(ReinspectionFilterSet(request.GET, queryset=queryset, request=request), user, "status")
    today = timezone.localdate()

    def prepare(rows: list[Reinspection]) -> None:
        for row in rows:
            row.overdue = row.status == ReinspectionStatus.PENDING and row.due_on < today  # type: ignore[attr-defined]
            row.may_record = row.status == ReinspectionStatus.PENDING and inspection_rules.acts_for(  # type: ignore[attr-defined]
                user, row.department_id
            )

    return list_response(
        request,
        filterset=filterset,
        template="inspections/reinspection_list.html",
        partial="inspections/partials/reinspection_results.html",
        prepare=prepare,
    )


@login_required
def reinspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The reinspection of an order: recorded here by the department (the opinion is issued at once, and what is
    still not rectified files a penalty case); afterwards the outcome."""
    _visible_or_404(request, VIEW_DOCUMENTS)
    user: Any = request.user
    reinspection = access(Reinspection.objects.select_related("order", "enterprise", "department", "opinion"), user, pk)
    may = reinspection.status == ReinspectionStatus.PENDING and inspection_rules.acts_for(
        user, reinspection.department_id
    )
    form = ReinspectionForm(_posted(request)) if may else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Recording this reinspection is not open to you now."))
            return redirect("inspections:reinspection_record", pk=reinspection.pk)
        if form.is_valid():
            try:
                enforcement.do_record_reinspection(
                    reinspection,
                    result=form.cleaned_data["result"],
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                    actor=user,
                )
            except ActionError as error:
                apply_action_errors(form, error)
            else:
                messages.success(request, _("Reinspection recorded; the opinion is issued."))
                return redirect("inspections:reinspection_record", pk=reinspection.pk)
    order = reinspection.order
    return render(
        request,
        "inspections/reinspection_record.html",
        {
            "reinspection": reinspection,
            "order": order,
            "form": form,
            "overdue": reinspection.status == ReinspectionStatus.PENDING and reinspection.due_on < timezone.localdate(),
            "hazards": list(Hazard.objects.visible_to(user).filter(documents=order)),
            "cases": list(PenaltyCase.objects.visible_to(user).filter(reinspection=reinspection)),
        },
    )


# --- penalty cases ----------------------------------------------------------------------------------------------


def _summarise(case: PenaltyCase) -> None:
    items = list(case.items.all())
    case.fines_total = sum((i.amount or Decimal(0) for i in items if i.kind == PenaltyKind.FINE), Decimal(0))  # type: ignore[attr-defined]
    case.penalty_list = items  # type: ignore[attr-defined]


@login_required
def penalty_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_CASES)
    user: Any = request.user
    queryset = (
        PenaltyCase.objects.visible_to(user)
        .select_related("enterprise", "enterprise__region", "department")
        # scoped: the items of cases in scope
        .prefetch_related(Prefetch("items", queryset=PenaltyItem.objects.select_related("licence")))
    )
    filterset = _filter_bar(PenaltyFilterSet(request.GET, queryset=queryset, request=request), user, "q")
    today = timezone.localdate()

    def prepare(cases: list[PenaltyCase]) -> None:
        reached = art113_reached((c.enterprise_id for c in cases), today)
        for case in cases:
            _summarise(case)
            case.art113 = reached.get(case.enterprise_id, [])  # type: ignore[attr-defined]

    return list_response(
        request,
        filterset=filterset,
        template="inspections/penalty_list.html",
        partial="inspections/partials/penalty_results.html",
        prepare=prepare,
        context={"can_add": rules.has_perm(ADD_CASE, user)},
    )


@login_required
def penalty_create(request: HttpRequest) -> HttpResponse:
    """立案 for ?enterprise= (without one: find the enterprise first), optionally from ?inspection=."""
    _require(request, ADD_CASE)
    user: Any = request.user
    enterprise_pk = _param(request, "enterprise")
    if enterprise_pk is None:
        term = request.GET.get("q", "").strip()
        found = Enterprise.objects.visible_to(user).order_by("name")
        if term:
            found = found.filter(Q(name__icontains=term) | Q(uscc__icontains=term))
        return render(request, "inspections/penalty_pick.html", {"enterprises": found[:20], "term": term})
    enterprise = access(Enterprise, user, enterprise_pk)
    if not inspection_rules.inspects(user, enterprise):
        raise PermissionDenied
    inspections = Inspection.objects.visible_to(user).government().filter(enterprise=enterprise)
    licences = Licence.objects.visible_to(user).filter(enterprise=enterprise)
    initial = {}
    if (inspection_pk := _param(request, "inspection")) is not None:
        initial["inspection"] = inspections.filter(pk=inspection_pk).first()
    form = PenaltyCaseForm(_posted(request), inspections=inspections, initial=initial)
    formset = PenaltyItemFormSet(_posted(request), prefix="items", form_kwargs={"licences": licences})
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        items = [item for row in formset.forms if (item := row.item()) is not None]
        data = form.cleaned_data
        try:
            case = enforcement.do_file_case(
                enterprise,
                violation_class=data["violation_class"],
                facts=data["facts"],
                legal_basis=data["legal_basis"],
                on_major_hazard=data["on_major_hazard"],
                inspection=data["inspection"],
                filed_on=data["filed_on"],
                items=items,
                actor=user,
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s filed.") % {"number": case.case_number})
            return redirect("inspections:penalty_detail", pk=case.pk)
    return render(
        request,
        "inspections/penalty_form.html",
        {"form": form, "formset": formset, "enterprise": enterprise, "has_licences": licences.exists()},
    )


@login_required
def penalty_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the penalties of a filed case (one filed from a reinspection has none yet)."""
    case = _case(request, pk)
    user: Any = request.user
    if not inspection_rules.acts_for(user, case.department_id) or case.stage != PenaltyStage.FILED:
        raise PermissionDenied
    licences = Licence.objects.visible_to(user).filter(enterprise=case.enterprise)
    initial = [
        {"kind": i.kind, "amount": i.amount, "licence": i.licence, "persons": i.persons} for i in case.items.all()
    ]
    formset = PenaltyItemFormSet(
        _posted(request), prefix="items", form_kwargs={"licences": licences}, initial=initial or None
    )
    error = ""
    if request.method == "POST" and formset.is_valid():
        items = [item for row in formset.forms if (item := row.item()) is not None]
        try:
            enforcement.do_propose_penalties(case, items=items, actor=user)
        except ActionError as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("Penalties proposed."))
            return redirect("inspections:penalty_detail", pk=case.pk)
    return render(
        request,
        "inspections/penalty_items_form.html",
        {"case": case, "formset": formset, "error": error, "has_licences": licences.exists()},
    )


def _case(request: HttpRequest, pk: int) -> PenaltyCase:
    _visible_or_404(request, VIEW_CASES)
    queryset = PenaltyCase.objects.select_related(
        "enterprise", "department", "inspection", "reinspection__order", "hazard", "campaign"
    )
    return access(queryset, request.user, pk)


def decision_effects(items: Iterable[PenaltyItem]) -> list[str]:
    """What deciding will do beyond paper, as the officer is warned before pressing 决定."""
    effects = []
    for item in items:
        licence = str(item.licence) if item.licence else ""
        if item.kind == PenaltyKind.SUSPENSION:
            effects.append(_("The enterprise is suspended for rectification."))
        elif item.kind == PenaltyKind.LICENCE_WITHHOLD:
            effects.append(_("The licence %(licence)s is withheld.") % {"licence": licence})
        elif item.kind == PenaltyKind.LICENCE_REVOKE:
            effects.append(_("The licence %(licence)s is revoked.") % {"licence": licence})
        elif item.kind == PenaltyKind.CLOSURE:
            effects.append(_("The enterprise is closed down."))
    return effects


def _step_button(case: PenaltyCase, action: PenaltyAction) -> dict[str, Any]:
    return {
        "value": action.value,
        "label": action.label,
        "url": reverse("inspections:penalty_transition", args=[case.pk, action.value]),
        "style": STEP_STYLES[action],
        "modal_id": f"step-{action.value}-modal",
        "needs_date": action in STEP_DATES,
        "needs_note": action in STEP_NOTES,
        "reason_required": action == PenaltyAction.WITHDRAW,
    }


@login_required
def penalty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    user: Any = request.user
    items = list(case.items.select_related("licence"))
    acts = inspection_rules.acts_for(user, case.department_id)
    steps = [_step_button(case, a) for a in enforcement.allowed_case_actions(case, user, has_items=bool(items))]
    events = AuditEvent.objects.filter(  # scoped: the case is in scope; its audit events are its timeline
        target_type=PenaltyCase._meta.label_lower, target_id=str(case.pk)
    ).order_by("id")
    reinspection = case.reinspection
    return render(
        request,
        "inspections/penalty_detail.html",
        {
            "case": case,
            "items": items,
            "fines_total": sum((i.amount or Decimal(0) for i in items if i.kind == PenaltyKind.FINE), Decimal(0)),
            "steps": steps,
            "can_draft": acts and rules.has_perm(ADD_DOCUMENT, user),
            "effects": decision_effects(items),
            "events": list(events.select_related("actor")),
            "documents": list(EnforcementDocument.objects.visible_to(user).filter(penalty=case).order_by("pk")),
            "art113": art113_windows(case.enterprise, timezone.localdate()),
            "inspection_url": inspection_url(case.inspection),
            "reinspection": reinspection
            if reinspection is not None and Reinspection.objects.visible_to(user).filter(pk=reinspection.pk).exists()
            else None,
            "hazard": Hazard.objects.visible_to(user).filter(pk=case.hazard_id).first() if case.hazard_id else None,
        },
    )


@login_required
@require_POST
def penalty_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """告知, 听证, 决定, 执行, 结案, 撤销: one action each; a refusal is a message and changes nothing."""
    case = _case(request, pk)
    try:
        chosen = PenaltyAction(action)
    except ValueError:
        raise Http404 from None
    form = PenaltyStepForm(chosen, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect("inspections:penalty_detail", pk=case.pk)
    try:
        enforcement.perform_case(case, chosen, actor=request.user, on=form.day(), note=form.cleaned_data["note"])
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": chosen.label})
    return redirect("inspections:penalty_detail", pk=case.pk)
