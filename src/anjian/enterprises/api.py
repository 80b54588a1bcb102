"""API of the enterprise registry: the same FilterSet, scoping, form validation and actions as the pages."""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from anjian.core.api_support import filter_query_schema, idempotent
from anjian.core.exceptions import InvalidInput
from anjian.core.paging import Pagination
from anjian.core.scoping import access
from anjian.enterprises import actions
from anjian.enterprises.choices import EnterpriseAction
from anjian.enterprises.filtersets import EnterpriseFilterSet
from anjian.enterprises.forms import EnterpriseForm
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag
from anjian.regions.models import Grid

router = Router(tags=["enterprises"])

EnterpriseQuery = filter_query_schema(EnterpriseFilterSet, "EnterpriseQuery")


class NamedRef(Schema):
    code: str
    name: str


class GridRef(Schema):
    id: int
    code: str
    name: str


class LicenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issued_by: str
    valid_from: dt.date | None
    valid_until: dt.date
    status: str
    validity: str

    @staticmethod
    def resolve_kind_label(obj: Licence) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_validity(obj: Licence) -> str:
        return obj.validity.value


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    industry: NamedRef
    industry_category: NamedRef | None
    tags: list[str]
    scale: str
    ownership: str
    status: str
    status_label: str
    region: NamedRef
    grid: GridRef | None
    address: str
    longitude: Decimal | None
    latitude: Decimal | None
    legal_representative: str
    principal_name: str
    principal_phone: str
    safety_officer_name: str
    safety_officer_phone: str
    employee_count: int | None
    established_on: dt.date | None
    standardization_grade: str
    standardization_valid_until: dt.date | None
    has_liability_insurance: bool
    liability_insurance_valid_until: dt.date | None
    major_hazard_source_grade: str
    supervision_level: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_industry_category(obj: Enterprise) -> Industry | None:
        return obj.industry.parent

    @staticmethod
    def resolve_tags(obj: Enterprise) -> list[str]:
        return [tag.code for tag in obj.tags.all()]

    @staticmethod
    def resolve_status_label(obj: Enterprise) -> str:
        return str(obj.get_status_display())


class EnterpriseDetailOut(EnterpriseOut):
    licences: list[LicenceOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_licences(obj: Enterprise) -> list[Licence]:
        return list(obj.licences.all())

    @staticmethod
    def resolve_allowed_actions(obj: Enterprise, context: Any) -> list[str]:
        return [a.value for a in actions.allowed_enterprise_actions(obj, context["request"].user)]


class EnterpriseIn(Schema):
    uscc: str
    name: str
    industry: str  # industry code
    tags: list[str] = []  # tag codes
    scale: str
    ownership: str
    region: str  # 12-digit code of a town or village
    grid: str | None = None  # grid code
    address: str
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    legal_representative: str = ""
    principal_name: str
    principal_phone: str = ""
    safety_officer_name: str = ""
    safety_officer_phone: str = ""
    employee_count: int | None = None
    established_on: dt.date | None = None
    business_scope: str = ""
    standardization_grade: str = ""
    standardization_valid_until: dt.date | None = None
    has_liability_insurance: bool = False
    liability_insurance_valid_until: dt.date | None = None
    major_hazard_source_grade: str = ""
    supervision_level: str = "county"


class TransitionIn(Schema):
    action: str
    note: str = ""


def _detail_queryset() -> Any:
    return Enterprise.objects.with_list_related().prefetch_related("tags", "licences")


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(Pagination, page_size=20)
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseQuery]) -> Any:  # type: ignore[valid-type]
    """Enterprises in the caller's scope, filtered as on the list page (same parameters)."""
    queryset = Enterprise.objects.visible_to(request.user).with_list_related().prefetch_related("tags")
    filterset = EnterpriseFilterSet(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise InvalidInput(_("The filters are not valid."), field_errors=dict(filterset.errors))
    return filterset.qs


@router.get("/enterprises/{enterprise_id}", response=EnterpriseDetailOut)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    return access(_detail_queryset(), request.user, enterprise_id)


def _form_data(payload: EnterpriseIn, user: Any) -> dict[str, Any]:
    """The API's natural keys (codes) → the form's values, so the API validates exactly like the page."""
    data: dict[str, Any] = payload.dict()
    industry = Industry.objects.filter(code=payload.industry).first()  # scoped: the catalogue is public
    data["industry"] = industry.pk if industry else "-"
    tags = Tag.objects.filter(code__in=payload.tags)  # scoped: the catalogue is public
    data["tags"] = [str(pk) for pk in tags.values_list("pk", flat=True)]
    if len(data["tags"]) != len(set(payload.tags)):
        raise InvalidInput(_("Unknown key-sector tag."), field_errors={"tags": [_("Unknown key-sector tag.")]})
    grid = Grid.objects.visible_to(user).filter(code=payload.grid).first() if payload.grid else None
    data["grid"] = grid.pk if grid else ("-" if payload.grid else "")
    data["has_liability_insurance"] = "on" if payload.has_liability_insurance else ""
    return {k: ("" if v is None else v) for k, v in data.items()}


@router.post("/enterprises", response={201: EnterpriseDetailOut})
@idempotent(Enterprise)
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Any:
    """Register an enterprise in the caller's territory and remit. Send an ``Idempotency-Key`` to retry safely."""
    if not request.user.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied
    form = EnterpriseForm(data=_form_data(payload, request.user), user=request.user)
    if not form.is_valid():
        errors = {field: [e["message"] for e in items] for field, items in form.errors.get_json_data().items()}
        raise InvalidInput(_("The data is not valid."), field_errors=errors)
    enterprise = actions.do_create_enterprise(
        data=form.changes(), tags=list(form.cleaned_data.get("tags") or []), actor=request.user
    )
    return Status(201, access(_detail_queryset(), request.user, enterprise.pk))


@router.post("/enterprises/{enterprise_id}/transitions", response=EnterpriseDetailOut)
def transition_enterprise(request: HttpRequest, enterprise_id: int, payload: TransitionIn) -> Any:
    """Suspend (``suspend``), resume (``resume``) or close (``close``) an enterprise; ``note`` is the reason."""
    enterprise = access(Enterprise, request.user, enterprise_id)
    try:
        action = EnterpriseAction(payload.action)
    except ValueError:
        raise InvalidInput(_("Unknown action."), field_errors={"action": [_("Unknown action.")]}) from None
    if not request.user.has_perm("enterprises.change_enterprise_status", enterprise):
        raise PermissionDenied
    actions.ENTERPRISE_ACTIONS[action](enterprise, reason=payload.note, actor=request.user)
    return access(_detail_queryset(), request.user, enterprise_id)
