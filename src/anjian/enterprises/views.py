"""Pages of the enterprise registry. Thin: scope the object, check the permission, call an action, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.core.audit import attach_changes
from anjian.core.exceptions import ActionError
from anjian.core.queries import history_of
from anjian.core.scoping import access
from anjian.enterprises import actions
from anjian.enterprises.choices import EnterpriseAction, LicenceAction
from anjian.enterprises.filtersets import EnterpriseFilterSet
from anjian.enterprises.forms import EnterpriseForm, ImportForm, LicenceForm
from anjian.enterprises.models import Enterprise
from anjian.enterprises.spreadsheet import parse_import, template_workbook
from anjian.orgs.predicates import is_auditor, is_government
from anjian.orgs.queries import supervising_departments
from anjian.web.forms import apply_action_errors, perform_with_reason
from anjian.web.lists import list_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _choice(enum: Any, value: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise Http404 from None


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        Enterprise.objects.visible_to(request.user)
        .with_list_related()
        .prefetch_related("tags")
        .order_by("region_id", "name", "id")  # by territory unless the user sorts otherwise
    )
    filterset = EnterpriseFilterSet(request.GET, queryset=queryset, request=request)
    return list_response(
        request,
        filterset=filterset,
        template="enterprises/enterprise_list.html",
        partial="enterprises/partials/enterprise_results.html",
        context={
            "can_add": request.user.has_perm("enterprises.add_enterprise"),
            "can_import": request.user.has_perm("enterprises.import_enterprise"),
            "can_export": request.user.has_perm("enterprises.export_enterprise"),
        },
    )


def _action_button(action: Any, modal_id: str, url: str) -> dict[str, Any]:
    return {"action": action, "label": action.label, "value": action.value, "modal_id": modal_id, "url": url}


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(
        Enterprise.objects.with_list_related().select_related("region__parent").prefetch_related("tags"),
        request.user,
        pk,
    )
    licences = list(enterprise.licences.all())
    user: Any = request.user
    show_history = is_government(user) or is_auditor(user) or user.has_perm("enterprises.change_enterprise", enterprise)
    history = (
        attach_changes(
            history_of(
                [
                    ("enterprises.enterprise", [str(enterprise.pk)]),
                    ("enterprises.licence", [str(lic.pk) for lic in licences]),
                ]
            )
        )
        if show_history
        else []
    )
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "licences": [
                (
                    lic,
                    [
                        _action_button(
                            a,
                            f"licence-{lic.pk}-{a.value}",
                            reverse("enterprises:licence_transition", args=[enterprise.pk, lic.pk, a.value]),
                        )
                        for a in actions.allowed_licence_actions(lic, user)
                    ],
                )
                for lic in licences
            ],
            "status_actions": [
                _action_button(a, f"status-{a.value}", reverse("enterprises:transition", args=[enterprise.pk, a.value]))
                for a in actions.allowed_enterprise_actions(enterprise, user)
            ],
            "can_edit": user.has_perm("enterprises.change_enterprise", enterprise),
            "can_add_licence": user.has_perm("enterprises.add_licence", enterprise),
            "departments": supervising_departments(enterprise) if is_government(user) or user.is_superuser else [],
            "history": history,
            "show_ip": is_auditor(user),
            "mask_contacts": not (
                is_government(user) or user.is_superuser or user.has_perm("enterprises.change_enterprise", enterprise)
            ),
        },
    )


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    _require(request, "enterprises.add_enterprise")
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = actions.do_create_enterprise(
                data=form.changes(), tags=list(form.cleaned_data.get("tags") or []), actor=request.user
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Registered %(name)s.") % {"name": enterprise.name})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk)
    _require(request, "enterprises.change_enterprise", enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_enterprise(
                enterprise,
                changes=form.changes(),
                tags=list(form.cleaned_data["tags"]) if "tags" in form.fields else None,
                actor=request.user,
                expected_updated_at=form.cleaned_data.get("updated_at") or None,
            )
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})


@login_required
@require_POST
def enterprise_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk)
    chosen = _choice(EnterpriseAction, action)
    _require(request, "enterprises.change_enterprise_status", enterprise)
    perform_with_reason(
        request,
        lambda reason: actions.ENTERPRISE_ACTIONS[chosen](enterprise, reason=reason, actor=request.user),
        chosen.label,
    )
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def licence_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk)
    _require(request, "enterprises.add_licence", enterprise)
    form = LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_licence(enterprise, data=form.cleaned_data, actor=request.user)
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Licence added."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/licence_form.html", {"form": form, "enterprise": enterprise})


@login_required
def licence_edit(request: HttpRequest, pk: int, licence_pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk)
    licence = access(enterprise.licences.all(), request.user, licence_pk)
    _require(request, "enterprises.change_licence", enterprise)
    form = LicenceForm(request.POST or None, instance=licence)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_licence(licence, changes=form.cleaned_data, actor=request.user)
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/licence_form.html", {"form": form, "enterprise": enterprise, "licence": licence}
    )


@login_required
@require_POST
def licence_transition(request: HttpRequest, pk: int, licence_pk: int, action: str) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk)
    licence = access(enterprise.licences.all(), request.user, licence_pk)
    chosen = _choice(LicenceAction, action)
    _require(request, "enterprises.change_licence_status", enterprise)
    perform_with_reason(
        request,
        lambda reason: actions.LICENCE_ACTIONS[chosen](licence, reason=reason, actor=request.user),
        chosen.label,
    )
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def enterprise_import(request: HttpRequest) -> HttpResponse:
    """Upload → every row validated → either an error table (nothing imported) or everything imported."""
    _require(request, "enterprises.import_enterprise")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "max_rows": settings.IMPORT_MAX_ROWS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_import(upload, user=request.user, max_rows=settings.IMPORT_MAX_ROWS)
        if result.ok:
            try:
                created = actions.do_import_enterprises(result.rows, actor=request.user, source=upload.name)
            except ActionError as error:
                context["file_error"] = str(error.message)
            else:
                messages.success(request, _("Imported %(n)d enterprises.") % {"n": len(created)})
                return redirect("enterprises:list")
        else:
            context["file_error"] = result.file_error
            context["errors"] = result.errors
            context["error_rows"] = len({e.row for e in result.errors})
    return render(request, "enterprises/enterprise_import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request, "enterprises.import_enterprise")
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
