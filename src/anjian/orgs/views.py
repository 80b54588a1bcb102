"""Departments: who supervises what (管行业必须管安全), and who works there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core.scoping import Scope, access, enterprise_q
from anjian.enterprises.models import Enterprise
from anjian.orgs.exports import department_list_queryset
from anjian.orgs.filtersets import DepartmentFilterSet
from anjian.orgs.models import Department, SafetyCommittee
from anjian.orgs.predicates import is_department_member, is_system_admin
from anjian.web.lists import list_response


def _require_department(request: HttpRequest) -> None:
    if not (is_department_member(request.user) or is_system_admin(request.user)):
        raise Http404


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    _require_department(request)
    filterset = DepartmentFilterSet(request.GET, queryset=department_list_queryset(request.user), request=request)
    return list_response(
        request,
        filterset=filterset,
        template="orgs/department_list.html",
        partial="orgs/partials/department_results.html",
        per_page=50,
    )


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_department(request)
    user: Any = request.user
    department = access(Department.objects.select_related("region"), user, pk)
    remit = Scope.of_department(department)
    supervised = Enterprise.objects.visible_to(user).filter(enterprise_q(remit))
    committees = SafetyCommittee.objects.filter(members=department)  # scoped: the department is in scope
    committees = committees.select_related("region")
    return render(
        request,
        "orgs/department_detail.html",
        {
            "department": department,
            "industries": department.industries.select_related("parent").order_by("code"),
            "tags": department.tags.all(),
            "staff": department.staff.filter(is_active=True).order_by("role", "name"),
            "supervised_count": supervised.count(),
            "committees": committees,
        },
    )
