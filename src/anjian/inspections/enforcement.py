"""Enforcement documents, reinspections and penalty cases: drafting, issuing (numbered, rendered, frozen), serving;
the reinspection an order to rectify creates; penalty cases from filing to closing, whose decision changes the
enterprise's or licence's status and may raise the 安全生产法 Art.113 closure proposal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import InvalidTransition
from anjian.core.numbering import document_number, next_number
from anjian.core.transitions import allowed, change_status, require_reason
from anjian.enterprises import actions as enterprise_actions
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise, Licence
from anjian.hazards.choices import HazardLevel
from anjian.hazards.major import notice_issuer
from anjian.inspections import documents
from anjian.inspections import rules as inspection_rules
from anjian.inspections.actions import forbidden, refuse
from anjian.inspections.choices import (
    CASE_ABBREVIATION,
    CASE_SEQUENCE,
    DOCUMENT_ABBREVIATIONS,
    DOCUMENT_TRANSITIONS,
    LICENCE_KINDS,
    PENALTY_TRANSITIONS,
    DocumentAction,
    DocumentKind,
    DocumentStatus,
    InspectionStatus,
    PenaltyAction,
    PenaltyKind,
    PenaltyStage,
    ReinspectionResult,
    ReinspectionStatus,
    ViolationClass,
)
from anjian.inspections.models import EnforcementDocument, Inspection, PenaltyCase, PenaltyItem, Reinspection
from anjian.inspections.models.enforcement import ITEM_TOTALS
from anjian.inspections.queries import art113_windows
from anjian.notifications.actions import notify
from anjian.orgs.choices import DepartmentKind, UserKind

# --- documents --------------------------------------------------------------------------------------------------


def do_draft_document(
    kind: DocumentKind,
    *,
    enterprise: Enterprise,
    actor: Any,
    inspection: Inspection | None = None,
    penalty: PenaltyCase | None = None,
    reinspection: Reinspection | None = None,
    hazards: Sequence[Any] = (),
    deadline: dt.date | None = None,
    measures: str = "",
    today: dt.date | None = None,
) -> EnforcementDocument:
    """Draft a document of the actor's department, filled from the records behind it; issuing numbers and freezes it.
    ``today``: the day of drafting (a ledger's history is entered later)."""
    if not inspection_rules.inspects(actor, enterprise):
        raise forbidden()
    department = actor.department
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise refuse(_("The inspection is of another enterprise."), "inspection")
    needs_inspection = kind in (DocumentKind.SITE_RECORD, DocumentKind.SITE_MEASURES)
    if needs_inspection and (inspection is None or inspection.status != InspectionStatus.COMPLETED):
        raise refuse(_("Complete the inspection first: the record is filled from it."), "inspection")
    if kind == DocumentKind.SITE_MEASURES and not measures.strip():
        raise refuse(_("State the measures ordered (撤人、停产停业、停止使用 …)."), "measures")
    if kind == DocumentKind.RECTIFICATION_ORDER:
        if deadline is None:
            raise refuse(_("An order to rectify sets a deadline."), "deadline")
        if deadline < (today or timezone.localdate()):
            raise refuse(_("The deadline lies in the past."), "deadline")
        if not hazards:
            raise refuse(_("Name the hazards to rectify."), "hazards")
        if any(h.enterprise_id != enterprise.pk for h in hazards):
            raise refuse(_("A hazard belongs to another enterprise."), "hazards")
    if kind in (DocumentKind.PENALTY_NOTICE, DocumentKind.PENALTY_DECISION) and penalty is None:
        raise refuse(_("A penalty document belongs to a case."), "penalty")
    if kind == DocumentKind.REINSPECTION_OPINION and reinspection is None:
        raise refuse(_("An opinion belongs to a reinspection."), "reinspection")
    filler: Any = documents.FILLERS[kind]
    content = filler(
        department,
        enterprise=enterprise,
        inspection=inspection,
        case=penalty,
        reinspection=reinspection,
        hazards=list(hazards),
        deadline=deadline,
        measures=measures.strip(),
    )
    with transaction.atomic():
        document = EnforcementDocument.objects.create(
            kind=kind,
            department=department,
            enterprise=enterprise,
            inspection=inspection,
            penalty=penalty,
            content=content,
            deadline=deadline if kind == DocumentKind.RECTIFICATION_ORDER else None,
            created_by=actor,
        )
        if hazards:
            document.hazards.set(hazards)
        record_event(
            EventCode.DOCUMENT_DRAFTED,
            actor=actor,
            target=document,
            new={"kind": kind, "enterprise": enterprise.pk, "hazards": [h.pk for h in hazards]},
        )
    return document


def reinspection_due(deadline: dt.date) -> dt.date:
    """Reinspect within N days of the deadline (N: ANJIAN_REINSPECTION_DAYS, commonly 10 in provincial rules)."""
    return deadline + dt.timedelta(days=settings.REINSPECTION_DAYS)


def render_files(document: EnforcementDocument) -> EnforcementDocument:
    """Write the DOCX and PDF of an issued document from its frozen content, if not written yet (the database lets
    each be written once). The demo's bulk history renders on first download; the web and API at issue."""
    from anjian.inspections.rendering import render_docx, render_pdf

    if document.status == DocumentStatus.DRAFT or (document.docx and document.pdf):
        return document
    with transaction.atomic():
        locked = EnforcementDocument.objects.select_for_update().get(pk=document.pk)
        fields = []
        if not locked.docx:
            locked.docx.save(".docx", ContentFile(render_docx(locked.content)), save=False)
            fields.append("docx")
        if not locked.pdf:
            locked.pdf.save(".pdf", ContentFile(render_pdf(locked.content)), save=False)
            fields.append("pdf")
        if fields:
            locked.save(update_fields=fields)
    return locked


def do_issue_document(
    document: EnforcementDocument, *, actor: Any, at: dt.datetime | None = None, render: bool = True
) -> EnforcementDocument:
    """Sign and issue (签发): the next number of the department, kind and year; the content frozen with its hash in
    the audit log; DOCX and PDF rendered from it (``render=False``: on first download). An order to rectify
    schedules its reinspection."""
    at = at or timezone.now()

    def check(locked: EnforcementDocument) -> None:
        if not inspection_rules.acts_for(actor, locked.department_id):
            raise forbidden()

    def prepare(locked: EnforcementDocument) -> list[str]:
        department = locked.department
        year = timezone.localdate(at).year
        serial = next_number(department, locked.kind, year)
        number = document_number(f"{notice_issuer(department)}{DOCUMENT_ABBREVIATIONS[locked.kind]}", year, serial)
        content = {**locked.content, "number": number, "date": documents.chinese_date(timezone.localdate(at))}
        locked.year, locked.serial, locked.number, locked.content = year, serial, number, content
        locked.content_hash = documents.content_hash(content)
        locked.issued_at, locked.issued_by = at, actor
        return ["year", "serial", "number", "content", "content_hash", "issued_at", "issued_by"]

    def on_changed(locked: EnforcementDocument, before: str) -> None:
        if locked.kind == DocumentKind.RECTIFICATION_ORDER and locked.deadline is not None:
            reinspection = Reinspection.objects.create(
                order=locked,
                enterprise=locked.enterprise,
                department=locked.department,
                due_on=reinspection_due(locked.deadline),
            )
            record_event(
                EventCode.REINSPECTION_SCHEDULED,
                actor=actor,
                target=reinspection,
                new={"order": locked.number, "due_on": reinspection.due_on.isoformat()},
            )

    issued = change_status(
        document,
        DocumentAction.ISSUE,
        DOCUMENT_TRANSITIONS,
        event=EventCode.DOCUMENT_ISSUED,
        actor=actor,
        note="",
        subject=_("The document"),
        check=check,
        prepare=prepare,
        on_changed=on_changed,
    )
    return render_files(issued) if render else issued


def do_serve_document(
    document: EnforcementDocument, *, served_on: dt.date, received_by: str, actor: Any, note: str = ""
) -> EnforcementDocument:
    """Record service (送达) with the date and who signed the receipt (or how it was served when nobody signed)."""
    if not received_by.strip() and not note.strip():
        raise refuse(_("Name who signed the receipt, or say how it was served."), "received_by")
    if served_on > timezone.localdate():
        raise refuse(_("The date of service cannot be in the future."), "served_on")

    def check(locked: EnforcementDocument) -> None:
        if not inspection_rules.acts_for(actor, locked.department_id):
            raise forbidden()
        if locked.issued_at and served_on < timezone.localdate(locked.issued_at):
            raise refuse(_("A document is served after it is issued."), "served_on")

    def prepare(locked: EnforcementDocument) -> list[str]:
        locked.served_on, locked.received_by, locked.receipt_note = served_on, received_by.strip(), note.strip()
        return ["served_on", "received_by", "receipt_note"]

    return change_status(
        document,
        DocumentAction.SERVE,
        DOCUMENT_TRANSITIONS,
        event=EventCode.DOCUMENT_SERVED,
        actor=actor,
        note=note,
        subject=_("The document"),
        check=check,
        prepare=prepare,
    )


# --- reinspection -----------------------------------------------------------------------------------------------


def do_record_reinspection(
    reinspection: Reinspection,
    *,
    result: str,
    actor: Any,
    done_on: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    render: bool = True,
) -> Reinspection:
    """Record the re-check: the 整改复查意见书 is issued at once; still not rectified files a penalty case
    (the proposal the department then pursues or withdraws)."""
    if result not in ReinspectionResult.values:
        raise refuse(_("Choose rectified or not rectified."), "result")
    done_on = done_on or timezone.localdate(at)
    if done_on > timezone.localdate():
        raise refuse(_("The date cannot be in the future."), "done_on")
    if result == ReinspectionResult.NOT_RECTIFIED and not note.strip():
        raise refuse(_("Say what is still not rectified."), "note")
    with transaction.atomic():
        locked = Reinspection.objects.select_for_update().select_related("order").get(pk=reinspection.pk)
        if locked.status != ReinspectionStatus.PENDING:
            raise InvalidTransition(_("This reinspection has already been recorded."))
        if not inspection_rules.acts_for(actor, locked.department_id):
            raise forbidden()
        locked.status, locked.result, locked.done_on, locked.note = (
            ReinspectionStatus.DONE,
            result,
            done_on,
            note.strip(),
        )
        locked.save(update_fields=["status", "result", "done_on", "note", "updated_at"])
        opinion = do_draft_document(
            DocumentKind.REINSPECTION_OPINION,
            enterprise=locked.enterprise,
            actor=actor,
            inspection=locked.order.inspection,
            reinspection=locked,
        )
        opinion = do_issue_document(opinion, actor=actor, at=at, render=render)
        locked.opinion = opinion
        locked.save(update_fields=["opinion"])
        record_event(
            EventCode.REINSPECTION_RECORDED,
            actor=actor,
            target=locked,
            new={"result": result, "opinion": opinion.number},
            note=note,
        )
        if result == ReinspectionResult.NOT_RECTIFIED:
            hazards = list(locked.order.hazards.all())
            do_file_case(
                locked.enterprise,
                violation_class=ViolationClass.IRREGULAR,
                facts=_("did not rectify by %(deadline)s the hazards ordered by %(order)s: %(note)s")
                % {
                    "deadline": documents.chinese_date(locked.order.deadline),
                    "order": locked.order.number,
                    "note": note,
                },
                legal_basis="《中华人民共和国安全生产法》第一百零二条",
                on_major_hazard=any(h.level == HazardLevel.MAJOR for h in hazards),
                items=[],
                actor=actor,
                inspection=locked.order.inspection,
                reinspection=locked,
                hazard=hazards[0] if len(hazards) == 1 else None,
                filed_on=done_on,
            )
    return locked


# --- penalty cases ----------------------------------------------------------------------------------------------


def _clean_items(enterprise: Enterprise, items: Sequence[dict[str, Any]]) -> list[PenaltyItem]:
    cleaned = []
    for n, raw in enumerate(items):
        kind = raw.get("kind")
        if kind not in PenaltyKind.values:
            raise refuse(_("Penalty %(n)d: choose its kind.") % {"n": n + 1}, "items")
        item = PenaltyItem(kind=kind)
        if kind == PenaltyKind.FINE:
            try:
                item.amount = Decimal(str(raw.get("amount"))).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                item.amount = None
            if item.amount is None or item.amount <= 0:
                raise refuse(_("Penalty %(n)d: a fine needs an amount in yuan.") % {"n": n + 1}, "items")
        if kind in LICENCE_KINDS:
            licence = raw.get("licence")
            if isinstance(licence, int | str):
                licence = Licence.objects.filter(pk=licence, enterprise=enterprise).first()
            if licence is None or licence.enterprise_id != enterprise.pk:
                raise refuse(_("Penalty %(n)d: name a licence of this enterprise.") % {"n": n + 1}, "items")
            item.licence = licence
        if kind == PenaltyKind.JUDICIAL_REFERRAL:
            item.persons = int(raw.get("persons") or 1)
        cleaned.append(item)
    return cleaned


def do_file_case(
    enterprise: Enterprise,
    *,
    violation_class: str,
    facts: str,
    actor: Any,
    items: Sequence[dict[str, Any]] = (),
    legal_basis: str = "",
    on_major_hazard: bool = False,
    inspection: Inspection | None = None,
    reinspection: Reinspection | None = None,
    hazard: Any = None,
    campaign: Any = None,
    filed_on: dt.date | None = None,
) -> PenaltyCase:
    """立案: open a numbered penalty case with the penalties proposed (they may change until the decision)."""
    if not inspection_rules.inspects(actor, enterprise):
        raise forbidden()
    if violation_class not in ViolationClass.values:
        raise refuse(_("Choose the kind of violation."), "violation_class")
    if not facts.strip():
        raise refuse(_("State the facts of the violation."), "facts")
    filed_on = filed_on or timezone.localdate()
    if filed_on > timezone.localdate():
        raise refuse(_("The date cannot be in the future."), "filed_on")
    cleaned = _clean_items(enterprise, items)
    department = actor.department
    with transaction.atomic():
        serial = next_number(department, CASE_SEQUENCE, filed_on.year)
        case = PenaltyCase(
            enterprise=enterprise,
            department=department,
            case_number=document_number(f"{notice_issuer(department)}{CASE_ABBREVIATION}", filed_on.year, serial),
            violation_class=violation_class,
            facts=facts.strip(),
            legal_basis=legal_basis.strip(),
            on_major_hazard=on_major_hazard,
            inspection=inspection,
            reinspection=reinspection,
            hazard=hazard,
            campaign=campaign,
            filed_on=filed_on,
            created_by=actor,
        )
        case.add_up(cleaned)
        case.save()
        for item in cleaned:
            item.case = case
        PenaltyItem.objects.bulk_create(cleaned)
        record_event(
            EventCode.PENALTY_FILED,
            actor=actor,
            target=case,
            new={**snapshot(case), "items": [i.kind for i in cleaned]},
        )
    return case


def do_propose_penalties(case: PenaltyCase, *, items: Sequence[dict[str, Any]], actor: Any) -> PenaltyCase:
    """Set the penalties a filed case proposes (e.g. one filed from a reinspection): they replace any proposed
    before; once the notice is served they are what was notified and stay."""
    if not items:
        raise refuse(_("Propose at least one penalty before notifying."), "items")
    cleaned = _clean_items(case.enterprise, items)
    with transaction.atomic():
        locked = PenaltyCase.objects.select_for_update().get(pk=case.pk)
        if not inspection_rules.acts_for(actor, locked.department_id):
            raise forbidden()
        if locked.stage != PenaltyStage.FILED:
            raise InvalidTransition(_("The notice has been served: the penalties proposed stay as notified."))
        before = [i.kind for i in locked.items.all()]
        locked.items.all().delete()
        for item in cleaned:
            item.case = locked
        PenaltyItem.objects.bulk_create(cleaned)
        locked.add_up(cleaned)
        locked.save(update_fields=[*ITEM_TOTALS, "updated_at"])
        record_event(
            EventCode.PENALTY_FILED,
            actor=actor,
            target=locked,
            old={"items": before},
            new={"items": [i.kind for i in cleaned]},
            note=_("Penalties proposed"),
        )
    return locked


_PENALTY_EVENTS = {
    PenaltyAction.NOTIFY: EventCode.PENALTY_NOTIFIED,
    PenaltyAction.REQUEST_HEARING: EventCode.PENALTY_HEARING,
    PenaltyAction.DECIDE: EventCode.PENALTY_DECIDED,
    PenaltyAction.EXECUTE: EventCode.PENALTY_EXECUTED,
    PenaltyAction.CLOSE: EventCode.PENALTY_CLOSED,
    PenaltyAction.WITHDRAW: EventCode.PENALTY_WITHDRAWN,
}


def _case_transition(
    case: PenaltyCase, action: PenaltyAction, *, actor: Any, note: str = "", prepare: Any = None, on_changed: Any = None
) -> PenaltyCase:
    def check(locked: PenaltyCase) -> None:
        if not inspection_rules.acts_for(actor, locked.department_id):
            raise forbidden()

    return change_status(
        case,
        action,
        PENALTY_TRANSITIONS,
        event=_PENALTY_EVENTS[action],
        actor=actor,
        note=note,
        subject=_("The case"),
        field="stage",
        check=check,
        prepare=prepare,
        on_changed=on_changed,
    )


def _issue(
    kind: DocumentKind, case: PenaltyCase, actor: Any, at: dt.datetime | None, render: bool
) -> EnforcementDocument:
    document = do_draft_document(
        kind, enterprise=case.enterprise, actor=actor, inspection=case.inspection, penalty=case
    )
    return do_issue_document(document, actor=actor, at=at, render=render)


def do_notify_case(case: PenaltyCase, *, actor: Any, at: dt.datetime | None = None, render: bool = True) -> PenaltyCase:
    """告知: serve the notice of the intended penalty (the enterprise may state its case or ask for a hearing).
    ``render=False``: the notice's files are written on first download (bulk history)."""
    if not case.items.exists():
        raise refuse(_("Propose at least one penalty before notifying."), "items")
    return _case_transition(
        case,
        PenaltyAction.NOTIFY,
        actor=actor,
        on_changed=lambda locked, _b: _issue(DocumentKind.PENALTY_NOTICE, locked, actor, at, render),
    )


def do_request_hearing(case: PenaltyCase, *, actor: Any, note: str = "") -> PenaltyCase:
    """听证: the enterprise asked for a hearing within five days of the notice."""

    def prepare(locked: PenaltyCase) -> list[str]:
        locked.hearing_requested = True
        return ["hearing_requested"]

    return _case_transition(case, PenaltyAction.REQUEST_HEARING, actor=actor, note=note, prepare=prepare)


def _apply(case: PenaltyCase, actor: Any) -> None:
    """What a decision does beyond paper: suspend, withhold or revoke a licence, close down."""
    reason = _("Penalty decision %(case)s") % {"case": case.case_number}
    enterprise = Enterprise.objects.get(pk=case.enterprise_id)
    for item in case.items.select_related("licence"):
        if item.kind == PenaltyKind.SUSPENSION and enterprise.status == EnterpriseStatus.OPERATING:
            enterprise = enterprise_actions.do_suspend_enterprise(enterprise, reason=reason, actor=actor)
        elif item.kind == PenaltyKind.LICENCE_WITHHOLD and item.licence is not None:
            enterprise_actions.do_withhold_licence(item.licence, reason=reason, actor=actor)
        elif item.kind == PenaltyKind.LICENCE_REVOKE and item.licence is not None:
            enterprise_actions.do_revoke_licence(item.licence, reason=reason, actor=actor)
        elif item.kind == PenaltyKind.CLOSURE and enterprise.status != EnterpriseStatus.CLOSED:
            enterprise = enterprise_actions.do_close_enterprise(enterprise, reason=reason, actor=actor)


def _closure_proposal(case: PenaltyCase, actor: Any) -> None:
    """安全生产法 Art.113: the third penalty in 180 days or the fourth in a year on a major hazard → propose closure
    to the government (the committee offices above the enterprise and the deciding department are told)."""
    if not case.on_major_hazard:
        return
    windows = art113_windows(case.enterprise, case.decided_on)
    if not windows:
        return
    record_event(
        EventCode.CLOSURE_PROPOSED,
        actor=actor,
        target=case.enterprise,
        new={"case": case.case_number, "windows": windows},
    )
    region = case.enterprise.region
    codes = [r.code for r in [region, *region.ancestors()]]
    from anjian.orgs.models import User

    people = User.objects.filter(kind=UserKind.DEPARTMENT, is_active=True, department__region__code__in=codes).filter(
        department__kind=DepartmentKind.COMMITTEE_OFFICE
    ) | User.objects.filter(kind=UserKind.DEPARTMENT, is_active=True, department_id=case.department_id)
    notify(
        people.distinct(),
        kind="closure_proposal",
        key=f"art113:{case.enterprise_id}:{case.pk}",
        title=_("Closure proposed: %(enterprise)s") % {"enterprise": case.enterprise.name},
        body=_("%(case)s is its penalty no. %(count)d on a major hazard within %(days)d days (安全生产法 Art.113).")
        % {"case": case.case_number, "count": windows[0]["count"], "days": windows[0]["days"]},
        url=reverse("enterprises:detail", args=[case.enterprise_id]),
    )


def do_decide_case(
    case: PenaltyCase,
    *,
    actor: Any,
    decided_on: dt.date | None = None,
    at: dt.datetime | None = None,
    render: bool = True,
) -> PenaltyCase:
    """决定: issue the penalty decision; its penalties take effect (enterprise and licence statuses change in the
    same transaction) and the Art.113 rule is checked."""
    decided_on = decided_on or timezone.localdate(at)
    if decided_on > timezone.localdate():
        raise refuse(_("The date cannot be in the future."), "decided_on")

    def prepare(locked: PenaltyCase) -> list[str]:
        if decided_on < locked.filed_on:
            raise refuse(_("A case is decided after it is filed."), "decided_on")
        locked.decided_on = decided_on
        return ["decided_on"]

    def on_changed(locked: PenaltyCase, _before: str) -> None:
        _issue(DocumentKind.PENALTY_DECISION, locked, actor, at, render)
        _apply(locked, actor)
        _closure_proposal(locked, actor)

    return _case_transition(case, PenaltyAction.DECIDE, actor=actor, prepare=prepare, on_changed=on_changed)


def do_execute_case(
    case: PenaltyCase, *, actor: Any, executed_on: dt.date | None = None, note: str = ""
) -> PenaltyCase:
    """执行: the fine paid, the suspension carried out."""
    executed_on = executed_on or timezone.localdate()

    def prepare(locked: PenaltyCase) -> list[str]:
        if locked.decided_on and executed_on < locked.decided_on:
            raise refuse(_("A penalty is executed after it is decided."), "executed_on")
        locked.executed_on = executed_on
        return ["executed_on"]

    return _case_transition(case, PenaltyAction.EXECUTE, actor=actor, note=note, prepare=prepare)


def do_close_case(case: PenaltyCase, *, actor: Any, closed_on: dt.date | None = None) -> PenaltyCase:
    """结案."""
    closed_on = closed_on or timezone.localdate()

    def prepare(locked: PenaltyCase) -> list[str]:
        locked.closed_on = closed_on
        return ["closed_on"]

    return _case_transition(case, PenaltyAction.CLOSE, actor=actor, prepare=prepare)


def do_withdraw_case(case: PenaltyCase, *, actor: Any, reason: str) -> PenaltyCase:
    """撤销立案 / 不予处罚, with the reason."""
    return _case_transition(case, PenaltyAction.WITHDRAW, actor=actor, note=require_reason(reason))


def perform_case(
    case: PenaltyCase, action: PenaltyAction, *, actor: Any, on: dt.date | None = None, note: str = ""
) -> PenaltyCase:
    """One step of a case by name (the pages' buttons and the API's transitions): ``on`` is the date of a decision,
    execution or closing (today when empty), ``note`` the reason of a withdrawal or a note."""
    if action == PenaltyAction.NOTIFY:
        return do_notify_case(case, actor=actor)
    if action == PenaltyAction.REQUEST_HEARING:
        return do_request_hearing(case, actor=actor, note=note)
    if action == PenaltyAction.DECIDE:
        return do_decide_case(case, actor=actor, decided_on=on)
    if action == PenaltyAction.EXECUTE:
        return do_execute_case(case, actor=actor, executed_on=on, note=note)
    if action == PenaltyAction.CLOSE:
        return do_close_case(case, actor=actor, closed_on=on)
    return do_withdraw_case(case, actor=actor, reason=note)


def allowed_case_actions(case: PenaltyCase, user: Any, *, has_items: bool | None = None) -> list[PenaltyAction]:
    """The steps ``user`` may take on the case now: a member of its department, along the transition table; no
    notice without a proposed penalty."""
    if not inspection_rules.acts_for(user, case.department_id):
        return []
    if has_items is None:
        has_items = case.items.exists()
    return [a for a in allowed(PENALTY_TRANSITIONS, case.stage) if has_items or a != PenaltyAction.NOTIFY]
