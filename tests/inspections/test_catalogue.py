"""The shipped criteria catalogue and its administration: clauses with unconfirmed wording marked, checklists
built from clauses plus general items, the frequency table as data; administrators add standards (audited)."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.inspections.catalogue import load_criteria
from anjian.inspections.models import Checklist, CriteriaClause, CriteriaStandard, FrequencyRule
from tests.world import World


def test_shipped_catalogue(world: World) -> None:
    gm = CriteriaStandard.objects.get(code="gm-10")
    assert gm.major_criteria and gm.document_no == "应急管理部令第10号"
    assert {i.code for i in gm.industries.all()} == {"04"}
    numbers = list(gm.clauses.values_list("number", flat=True))
    assert numbers[:3] == ["第三条（一）", "第三条（二）", "第三条（三）"] and len(numbers) == 20
    unconfirmed = set(gm.clauses.filter(wording_unconfirmed=True).values_list("number", flat=True))
    assert unconfirmed == {"第十二条（十）", "第十三条（一）", "第十三条（二）", "第十四条（一）", "第十四条（二）"}
    dust = CriteriaClause.objects.get(standard=gm, number="第十二条（三）")
    assert dust.proposes_major and {t.code for t in dust.tags.all()} == {"dust_explosion"}
    assert not CriteriaClause.objects.get(standard__code="general", number="通用-1").proposes_major
    assert FrequencyRule.objects.get(high_risk=True, standardization_grade="").visits_per_year == 12
    assert FrequencyRule.objects.get(high_risk=False, standardization_grade="grade_1").visits_per_year == 1
    dust_list = Checklist.objects.get(code="gm-dust")
    assert dust_list.tag is not None and dust_list.items.count() == 10


def test_reloading_keeps_an_administrators_checklist(world: World) -> None:
    checklist = Checklist.objects.get(code="gm")
    checklist.items.filter(clause__isnull=True).delete()
    kept = checklist.items.count()
    load_criteria(apps)
    assert checklist.items.count() == kept
    assert CriteriaClause.objects.filter(standard__code="gm-10").count() == 20  # no duplicates


def test_administrator_adds_a_standard_with_a_clause(world: World, client_for: Any) -> None:
    client = client_for("admin")
    assert client.get("/admin/inspections/criteriastandard/").status_code == 200
    response = client.post(
        "/admin/inspections/criteriastandard/add/",
        {
            "code": "gas-2023",
            "title": "城镇燃气经营安全重大隐患判定标准",
            "document_no": "建城规〔2023〕4号",
            "issued_by": "住房和城乡建设部",
            "major_criteria": "on",
            "active": "on",
            "sort_order": 9,
            "clauses-TOTAL_FORMS": "1",
            "clauses-INITIAL_FORMS": "0",
            "clauses-MIN_NUM_FORMS": "0",
            "clauses-MAX_NUM_FORMS": "1000",
            "clauses-0-number": "第三条（一）",
            "clauses-0-category": "industry",
            "clauses-0-heading": "经营许可",
            "clauses-0-text": "未取得燃气经营许可证从事燃气经营活动",
            "clauses-0-wording_unconfirmed": "on",
            "clauses-0-sort_order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    standard = CriteriaStandard.objects.get(code="gas-2023")
    assert standard.clauses.get().wording_unconfirmed
    assert AuditEvent.objects.filter(event=EventCode.CATALOGUE_CHANGED, target_id=str(standard.pk)).exists()
    assert client_for("yingji").get("/admin/inspections/criteriastandard/").status_code == 404  # not an admin
