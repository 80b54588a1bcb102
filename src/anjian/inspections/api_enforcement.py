"""API of the paperwork: enforcement documents (draft, issue, serve), reinspections and penalty cases (file, then
``transitions``). Same FilterSets, scoping, rules and actions as the pages; see ``inspections.api`` for the rest."""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from anjian.core.api_support import Ref, filter_query_schema, filtered, idempotent, in_scope, invalid
from anjian.core.paging import Pagination
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard
from anjian.inspections import enforcement
from anjian.inspections.api import DocumentRef, url_or_blank
from anjian.inspections.choices import DocumentKind, PenaltyAction
from anjian.inspections.filtersets import DocumentFilterSet, PenaltyFilterSet, ReinspectionFilterSet
from anjian.inspections.models import Campaign, EnforcementDocument, Inspection, PenaltyCase, Reinspection
from anjian.inspections.queries import art113_windows

router = Router(tags=["enforcement"])

DocumentQuery = filter_query_schema(DocumentFilterSet, "DocumentQuery")
PenaltyQuery = filter_query_schema(PenaltyFilterSet, "PenaltyQuery")
ReinspectionQuery = filter_query_schema(ReinspectionFilterSet, "ReinspectionQuery")


# --- enforcement documents ----------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    status: str
    department: Ref
    enterprise: Ref
    inspection: int | None
    penalty: int | None
    deadline: dt.date | None
    issued_at: dt.datetime | None
    served_on: dt.date | None
    received_by: str
    content_hash: str
    docx_url: str
    pdf_url: str

    @staticmethod
    def resolve_inspection(obj: EnforcementDocument) -> int | None:
        return obj.inspection_id

    @staticmethod
    def resolve_penalty(obj: EnforcementDocument) -> int | None:
        return obj.penalty_id

    @staticmethod
    def resolve_docx_url(obj: EnforcementDocument) -> str:
        return url_or_blank("inspections:document_file", obj.pk, "docx") if obj.number else ""

    @staticmethod
    def resolve_pdf_url(obj: EnforcementDocument) -> str:
        return url_or_blank("inspections:document_file", obj.pk, "pdf") if obj.number else ""


class DocumentDetailOut(DocumentOut):
    content: dict[str, Any]
    hazards: list[int]

    @staticmethod
    def resolve_hazards(obj: EnforcementDocument) -> list[int]:
        return [h.pk for h in obj.hazards.all()]


class DocumentIn(Schema):
    kind: str
    enterprise: int
    inspection: int | None = None
    penalty: int | None = None
    hazards: list[int] = []
    deadline: dt.date | None = None  # rectification_order
    measures: str = ""  # site_measures


class ServeIn(Schema):
    served_on: dt.date
    received_by: str = ""
    note: str = ""


def _document(request: HttpRequest, document_id: int) -> EnforcementDocument:
    queryset = EnforcementDocument.objects.select_related("department", "enterprise").prefetch_related("hazards")
    return access(queryset, request.user, document_id)


@router.get("/enforcement-documents", response=list[DocumentOut])
@paginate(Pagination, page_size=20)
def list_documents(request: HttpRequest, filters: Query[DocumentQuery]) -> Any:  # type: ignore[valid-type]
    """Enforcement documents in scope (an enterprise sees its own once issued)."""
    queryset = EnforcementDocument.objects.visible_to(request.user).select_related("department", "enterprise")
    return filtered(DocumentFilterSet, request, queryset)


@router.get("/enforcement-documents/{document_id}", response=DocumentDetailOut)
def get_document(request: HttpRequest, document_id: int) -> Any:
    return _document(request, document_id)


@router.post("/enforcement-documents", response={201: DocumentDetailOut})
@idempotent(EnforcementDocument)
def draft_document(request: HttpRequest, payload: DocumentIn) -> Any:
    """Draft a document of the caller's department, filled from the inspection, hazards or case behind it."""
    try:
        kind = DocumentKind(payload.kind)
    except ValueError:
        raise invalid("kind", _("Unknown kind of document.")) from None
    enterprise = access(Enterprise, request.user, payload.enterprise)
    hazards = list(Hazard.objects.visible_to(request.user).filter(pk__in=payload.hazards, enterprise=enterprise))
    if len(hazards) != len(set(payload.hazards)):
        raise invalid("hazards", _("Not found or not yours."))
    document = enforcement.do_draft_document(
        kind,
        enterprise=enterprise,
        actor=request.user,
        inspection=in_scope(Inspection, request, payload.inspection, "inspection"),
        penalty=in_scope(PenaltyCase, request, payload.penalty, "penalty"),
        hazards=hazards,
        deadline=payload.deadline,
        measures=payload.measures,
    )
    return Status(201, _document(request, document.pk))


@router.post("/enforcement-documents/{document_id}/issue", response=DocumentDetailOut)
def issue_document(request: HttpRequest, document_id: int) -> Any:
    """Issue: numbered (per department, kind and year), frozen, rendered to DOCX and PDF."""
    enforcement.do_issue_document(access(EnforcementDocument, request.user, document_id), actor=request.user)
    return _document(request, document_id)


@router.post("/enforcement-documents/{document_id}/serve", response=DocumentDetailOut)
def serve_document(request: HttpRequest, document_id: int, payload: ServeIn) -> Any:
    """Record service with its date and who signed the receipt (or how it was served)."""
    document = access(EnforcementDocument, request.user, document_id)
    enforcement.do_serve_document(document, actor=request.user, **payload.dict())
    return _document(request, document_id)


# --- reinspections ------------------------------------------------------------------------------------------------


class ReinspectionOut(Schema):
    id: int
    order: DocumentRef
    enterprise: Ref
    due_on: dt.date
    status: str
    result: str
    done_on: dt.date | None
    note: str
    opinion: DocumentRef | None


class ReinspectionIn(Schema):
    result: str  # rectified | not_rectified
    done_on: dt.date | None = None
    note: str = ""


@router.get("/reinspections", response=list[ReinspectionOut])
@paginate(Pagination, page_size=20)
def list_reinspections(request: HttpRequest, filters: Query[ReinspectionQuery]) -> Any:  # type: ignore[valid-type]
    queryset = Reinspection.objects.visible_to(request.user).select_related("order", "enterprise", "opinion")
    return filtered(ReinspectionFilterSet, request, queryset)


@router.post("/reinspections/{reinspection_id}/record", response=ReinspectionOut)
def record_reinspection(request: HttpRequest, reinspection_id: int, payload: ReinspectionIn) -> Any:
    """Record the re-check: the opinion is issued; not rectified files a penalty case."""
    reinspection = access(Reinspection, request.user, reinspection_id)
    enforcement.do_record_reinspection(reinspection, actor=request.user, **payload.dict())
    return access(Reinspection.objects.select_related("order", "enterprise", "opinion"), request.user, reinspection_id)


# --- penalties ----------------------------------------------------------------------------------------------------


class PenaltyItemOut(Schema):
    kind: str
    amount: Decimal | None
    licence: int | None
    persons: int | None

    @staticmethod
    def resolve_licence(obj: Any) -> int | None:
        return obj.licence_id


class PenaltyOut(Schema):
    id: int
    case_number: str
    enterprise: Ref
    department: Ref
    stage: str
    violation_class: str
    on_major_hazard: bool
    filed_on: dt.date
    decided_on: dt.date | None
    items: list[PenaltyItemOut]

    @staticmethod
    def resolve_items(obj: PenaltyCase) -> list[Any]:
        return list(obj.items.all())


class PenaltyDetailOut(PenaltyOut):
    facts: str
    legal_basis: str
    inspection: int | None
    reinspection: int | None
    hazard: int | None
    campaign: int | None
    hearing_requested: bool
    executed_on: dt.date | None
    closed_on: dt.date | None
    documents: list[DocumentRef]
    allowed_actions: list[str]
    closure_proposal: list[dict[str, int]]

    @staticmethod
    def resolve_inspection(obj: PenaltyCase) -> int | None:
        return obj.inspection_id

    @staticmethod
    def resolve_reinspection(obj: PenaltyCase) -> int | None:
        return obj.reinspection_id

    @staticmethod
    def resolve_hazard(obj: PenaltyCase) -> int | None:
        return obj.hazard_id

    @staticmethod
    def resolve_campaign(obj: PenaltyCase) -> int | None:
        return obj.campaign_id

    @staticmethod
    def resolve_documents(obj: PenaltyCase, context: Any) -> list[EnforcementDocument]:
        return list(EnforcementDocument.objects.visible_to(context["request"].user).filter(penalty=obj))

    @staticmethod
    def resolve_allowed_actions(obj: PenaltyCase, context: Any) -> list[str]:
        items = list(obj.items.all())  # prefetched
        return [a.value for a in enforcement.allowed_case_actions(obj, context["request"].user, has_items=bool(items))]

    @staticmethod
    def resolve_closure_proposal(obj: PenaltyCase) -> list[dict[str, int]]:
        return art113_windows(obj.enterprise_id, obj.decided_on) if obj.on_major_hazard else []


class PenaltyItemIn(Schema):
    kind: str
    amount: Decimal | None = None  # fine, yuan
    licence: int | None = None  # licence_withhold / licence_revoke: a licence of the enterprise
    persons: int | None = None  # judicial_referral


class PenaltyIn(Schema):
    enterprise: int
    violation_class: str  # illegal (非法违法) | irregular (违章违规)
    facts: str
    legal_basis: str = ""
    on_major_hazard: bool = False
    items: list[PenaltyItemIn] = []
    inspection: int | None = None
    hazard: int | None = None
    campaign: int | None = None
    filed_on: dt.date | None = None


class PenaltyTransitionIn(Schema):
    action: str  # notify | request_hearing | decide | execute | close | withdraw
    note: str = ""  # withdraw: the reason
    on: dt.date | None = None  # decide / execute / close: the date (default today)


def _penalty(request: HttpRequest, case_id: int) -> PenaltyCase:
    queryset = PenaltyCase.objects.select_related("enterprise", "department").prefetch_related("items")
    return access(queryset, request.user, case_id)


@router.get("/penalties", response=list[PenaltyOut])
@paginate(Pagination, page_size=20)
def list_penalties(request: HttpRequest, filters: Query[PenaltyQuery]) -> Any:  # type: ignore[valid-type]
    """Penalty cases in scope (an enterprise sees its own once notified)."""
    queryset = PenaltyCase.objects.visible_to(request.user).select_related("enterprise", "department")
    return filtered(PenaltyFilterSet, request, queryset).prefetch_related("items")


@router.get("/penalties/{case_id}", response=PenaltyDetailOut)
def get_penalty(request: HttpRequest, case_id: int) -> Any:
    return _penalty(request, case_id)


@router.post("/penalties", response={201: PenaltyDetailOut})
@idempotent(PenaltyCase)
def file_penalty(request: HttpRequest, payload: PenaltyIn) -> Any:
    """File a numbered case (立案) with the penalties proposed."""
    enterprise = access(Enterprise, request.user, payload.enterprise)
    case = enforcement.do_file_case(
        enterprise,
        violation_class=payload.violation_class,
        facts=payload.facts,
        legal_basis=payload.legal_basis,
        on_major_hazard=payload.on_major_hazard,
        items=[item.dict() for item in payload.items],
        actor=request.user,
        inspection=in_scope(Inspection, request, payload.inspection, "inspection"),
        hazard=in_scope(Hazard, request, payload.hazard, "hazard"),
        campaign=in_scope(Campaign, request, payload.campaign, "campaign"),
        filed_on=payload.filed_on,
    )
    return Status(201, _penalty(request, case.pk))


@router.post("/penalties/{case_id}/items", response=PenaltyDetailOut)
def propose_penalties(request: HttpRequest, case_id: int, payload: list[PenaltyItemIn]) -> Any:
    """Set the penalties a filed case proposes (before the notice); they replace any proposed before."""
    case = access(PenaltyCase, request.user, case_id)
    enforcement.do_propose_penalties(case, items=[item.dict() for item in payload], actor=request.user)
    return _penalty(request, case_id)


@router.post("/penalties/{case_id}/transitions", response=PenaltyDetailOut)
def transition_penalty(request: HttpRequest, case_id: int, payload: PenaltyTransitionIn) -> Any:
    """Move a case: ``notify`` (serves the notice), ``request_hearing``, ``decide`` (issues the decision and applies
    the penalties), ``execute``, ``close``, ``withdraw`` (``note``: the reason)."""
    case = access(PenaltyCase, request.user, case_id)
    try:
        action = PenaltyAction(payload.action)
    except ValueError:
        raise invalid("action", _("Unknown action.")) from None
    enforcement.perform_case(case, action, actor=request.user, on=payload.on, note=payload.note)
    return _penalty(request, case_id)
